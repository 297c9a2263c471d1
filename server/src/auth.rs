//! Who a request comes from, and whether its endpoint lets them in.
//!
//! A request proves who it is with `Authorization: Bearer <token>` (a user's API token or an
//! enrolled device's token) or with the login cookie `voci_session`. Every route of the API is
//! registered with an [`Access`](crate::api::Access) (see `api/roles.rs`); the route's
//! [`guard`] resolves the caller, refuses it with 401 (nobody) or 403 (not enough), and
//! leaves the [`Principal`] in the request for the handler ([`Caller`]).
//!
//! The first admin is made on the first start: `admin` (or `VOCI_ADMIN_NAME`) with the
//! password in `VOCI_ADMIN_PASSWORD` if set, else no password at all (`voci user password`
//! sets one), and an API token shown once. There is never a default password.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::accounts::{
    Device, Limiter, Limits, PasswordError, Principal, Role, User, hash_password, hash_secret,
    new_secret,
};
use crate::api::{Access, ApiError, blocking};
use crate::startup::AppState;
use crate::store::{AuditEntry, Store, StoreError};

/// The login cookie's name.
pub const SESSION_COOKIE: &str = "voci_session";

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot get random bytes for a token")]
    Random(#[source] getrandom::Error),
    #[error("VOCI_ADMIN_PASSWORD: {0}")]
    Password(#[source] PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How the collector protects its accounts.
#[derive(Debug, Clone)]
pub struct Security {
    pub limits: Limits,
    /// Mark the login cookie `Secure`: the collector is reached over HTTPS (a TLS proxy in
    /// front of it, `voci serve --origin https://...`).
    pub https: bool,
    /// How long a login lasts.
    pub session_minutes: i64,
}

impl Default for Security {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            https: false,
            session_minutes: 12 * 60,
        }
    }
}

/// The security settings and the rate limiters of a running collector.
#[derive(Debug)]
pub struct AuthState {
    pub security: Security,
    pub login_per_account: Limiter,
    pub login_per_client: Limiter,
    pub enrol_per_client: Limiter,
    pub open_responses: Limiter,
}

impl AuthState {
    pub fn new(security: Security) -> Self {
        let limits = security.limits;
        Self {
            login_per_account: Limiter::new(limits.login_per_account),
            login_per_client: Limiter::new(limits.login_per_client),
            enrol_per_client: Limiter::new(limits.enrol_per_client),
            open_responses: Limiter::new(limits.open_responses_per_client),
            security,
        }
    }
}

/// Makes the first admin if the database has no user yet, and returns its API token (to show
/// once).
pub fn ensure_token(store: &Store) -> Result<Option<String>, TokenError> {
    let name = std::env::var("VOCI_ADMIN_NAME").unwrap_or_else(|_| "admin".to_owned());
    let password = match std::env::var("VOCI_ADMIN_PASSWORD") {
        Ok(p) => Some(hash_password(&p).map_err(TokenError::Password)?),
        Err(_) => None,
    };
    let token = new_secret().map_err(TokenError::Random)?;
    let audit = AuditEntry {
        actor: "cli".to_owned(),
        action: "user_added".to_owned(),
        target: name.clone(),
        detail: format!(
            "first admin, {}",
            if password.is_some() {
                "password from VOCI_ADMIN_PASSWORD"
            } else {
                "no password (API token only)"
            }
        ),
    };
    let added = store.add_first_admin(&name, password.as_deref(), &hash_secret(&token), &audit)?;
    Ok(added.then_some(token))
}

/// Replaces the first admin's API tokens with a new one, and returns it (to show once).
pub fn reset_token(store: &Store) -> Result<String, TokenError> {
    let token = new_secret().map_err(TokenError::Random)?;
    let audit = AuditEntry {
        actor: "cli".to_owned(),
        action: "token_reset".to_owned(),
        target: "first admin".to_owned(),
        detail: "voci token reset".to_owned(),
    };
    store.reset_admin_token(&hash_secret(&token), &audit)?;
    Ok(token)
}

/// The token from an `Authorization: Bearer <token>` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The value of cookie `name`.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The caller of a request: a bearer token must be valid (401 if not); a login cookie that
/// is no longer valid counts as no login.
pub async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    if let Some(token) = bearer(headers) {
        let hash = hash_secret(token);
        let found = blocking(state, move |store| {
            if let Some(user) = store.user_by_token(&hash)? {
                return Ok(Some(Found::User(user)));
            }
            Ok(store.device_by_token(&hash)?.map(Found::Device))
        })
        .await?;
        return match found {
            Some(found) => found.principal(),
            None => Err(ApiError::Unauthorized(
                "the token is not valid: it was never issued, or was revoked (voci token reset makes a new admin token; a device enrols again)",
            )),
        };
    }
    if let Some(value) = cookie(headers, SESSION_COOKIE) {
        let hash = hash_secret(value);
        let user = blocking(state, move |store| store.user_by_session(&hash)).await?;
        if let Some(user) = user {
            return Found::User(user).principal();
        }
    }
    Ok(Principal::Anonymous)
}

enum Found {
    User(crate::store::UserRecord),
    Device(crate::store::DeviceRecord),
}

impl Found {
    fn principal(self) -> Result<Principal, ApiError> {
        match self {
            Found::User(u) => User::try_from(u)
                .map(Principal::User)
                .map_err(ApiError::internal),
            Found::Device(d) => Ok(Principal::Device(Device::from(d))),
        }
    }
}

/// Whether `principal` may call an endpoint of `access`: 401 for nobody, 403 for not enough.
pub fn check(access: Access, principal: &Principal) -> Result<(), ApiError> {
    let needed = match access {
        Access::Public | Access::Submit => return Ok(()),
        Access::Signed => {
            return match principal {
                Principal::Anonymous => Err(not_signed_in()),
                _ => Ok(()),
            };
        }
        Access::Viewer => Role::Viewer,
        Access::Coordinator => Role::Coordinator,
        Access::Admin => Role::Admin,
    };
    match principal {
        Principal::Anonymous => Err(not_signed_in()),
        Principal::Device(_) => Err(ApiError::Forbidden(
            "a collection device may only submit responses".to_owned(),
        )),
        Principal::User(u) if u.role >= needed => Ok(()),
        Principal::User(u) => Err(ApiError::Forbidden(format!(
            "this needs the role {} or above; {} is a {}",
            needed.as_str(),
            u.name,
            u.role.as_str()
        ))),
    }
}

fn not_signed_in() -> ApiError {
    ApiError::Unauthorized(
        "sign in first: log in (POST /api/login) or send the header Authorization: Bearer <token>",
    )
}

/// The middleware of every API route: resolves the caller, checks the route's access and
/// hands the caller to the handler.
pub async fn guard(
    State((state, access)): State<(AppState, Access)>,
    mut request: Request,
    next: Next,
) -> Response {
    let principal = if access == Access::Public {
        // Public endpoints do not look at credentials: a stale token does not block the app.
        Principal::Anonymous
    } else {
        match resolve(&state, request.headers()).await {
            Ok(p) => p,
            Err(e) => return e.into_response(),
        }
    };
    if let Err(e) = check(access, &principal) {
        return e.into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}

/// The caller, as the route's guard found it.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| ApiError::internal(Unguarded))
    }
}

/// A route was registered without its guard: a bug.
#[derive(Debug, thiserror::Error)]
#[error("a route without an access guard was called")]
struct Unguarded;

/// A signed-in user of at least coordinator role (the route's guard checked it; this says so
/// in the handler's signature).
#[derive(Debug)]
pub struct Coordinator(pub User);

impl<S: Send + Sync> FromRequestParts<S> for Coordinator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Caller(principal) = Caller::from_request_parts(parts, state).await?;
        check(Access::Coordinator, &principal)?;
        match principal {
            Principal::User(u) => Ok(Coordinator(u)),
            _ => Err(ApiError::internal(Unguarded)),
        }
    }
}

/// The client's address, to rate-limit by (`unknown` without one, as in `oneshot` tests).
#[derive(Debug, Clone)]
pub struct Client(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> Result<Self, std::convert::Infallible> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(Client(addr.map_or_else(
            || "unknown".to_owned(),
            |c| c.0.ip().to_string(),
        )))
    }
}

/// The `Set-Cookie` value that logs in with `value` (empty and expired: logs out).
pub fn session_cookie(value: &str, security: &Security) -> HeaderValue {
    let max_age = if value.is_empty() {
        0
    } else {
        security.session_minutes * 60
    };
    let secure = if security.https { "; Secure" } else { "" };
    let text = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&text).expect("hex and ASCII")
}

/// The login cookie's value of a request, if any.
pub fn session_value(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

/// Seconds to tell a rate-limited client to wait (at least one).
pub fn retry_secs(wait: Duration) -> u64 {
    wait.as_secs().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: axum::http::HeaderName, v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn bearer_header() {
        let b = |v: &str| bearer(&headers(AUTHORIZATION, v)).map(str::to_owned);
        assert_eq!(b("Bearer abc").as_deref(), Some("abc"));
        assert_eq!(b("bearer  abc ").as_deref(), Some("abc"));
        assert_eq!(b("Basic abc"), None);
        assert_eq!(b("Bearer "), None);
    }

    #[test]
    fn cookies() {
        let h = headers(COOKIE, "a=1; voci_session=xyz; b=2");
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
        assert_eq!(
            cookie(&headers(COOKIE, "voci_session="), SESSION_COOKIE),
            None
        );
    }

    #[test]
    fn the_login_cookie_is_http_only_strict_and_secure_over_https() {
        let mut security = Security::default();
        let plain = session_cookie("abc", &security);
        assert_eq!(
            plain,
            "voci_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200"
        );
        security.https = true;
        assert!(
            session_cookie("abc", &security)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
        assert!(
            session_cookie("", &security)
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
    }

    #[test]
    fn roles_below_the_endpoint_are_refused() {
        let user = |role| {
            Principal::User(User {
                id: 1,
                name: "u".into(),
                role,
                scope: Default::default(),
            })
        };
        let device = Principal::Device(Device {
            id: 1,
            name: "d".into(),
            surveys: vec![],
        });
        let status = |access, p: &Principal| match check(access, p) {
            Ok(()) => 200,
            Err(ApiError::Unauthorized(_)) => 401,
            Err(ApiError::Forbidden(_)) => 403,
            Err(_) => 500,
        };
        assert_eq!(status(Access::Admin, &Principal::Anonymous), 401);
        assert_eq!(status(Access::Viewer, &device), 403);
        assert_eq!(status(Access::Signed, &device), 200);
        assert_eq!(status(Access::Admin, &user(Role::Coordinator)), 403);
        assert_eq!(status(Access::Coordinator, &user(Role::Coordinator)), 200);
        assert_eq!(status(Access::Coordinator, &user(Role::Viewer)), 403);
        assert_eq!(status(Access::Submit, &Principal::Anonymous), 200);
    }
}
