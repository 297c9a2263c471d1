//! Logging in and out, `GET /api/me`, users, enrolment codes and collection devices.

use std::sync::OnceLock;

use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::json::Json;
use super::{ApiError, blocking};
use crate::accounts::{
    Device, Principal, Scope, User, hash_password, hash_secret, new_enrolment_code, new_secret,
    normalise_code, user_to_add, verify_password,
};
use crate::audit::{self, action};
use crate::auth::{Caller, Client, retry_secs, session_cookie, session_value};
use crate::startup::AppState;
use crate::store::{AuditEntry, Enrolled, NewEnrolment, Store, StoreError, UserChange};

/// The body of `POST /api/login`.
#[derive(Debug, Deserialize)]
pub struct Login {
    name: String,
    password: String,
}

/// What `GET /api/me` and a login answer.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Me<'a> {
    User(&'a User),
    Device(&'a Device),
}

/// `POST /api/login`: checks the password and sets the login cookie (`HttpOnly`,
/// `SameSite=Strict`, `Secure` over HTTPS). Failed attempts are limited per account and per
/// client (429 with `Retry-After` past the limit) and recorded in the audit log.
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    Json(login): Json<Login>,
) -> Result<Response, ApiError> {
    let limits = state.auth();
    let account_key = login.name.to_lowercase();
    for (limiter, key) in [
        (&limits.login_per_client, client.as_str()),
        (&limits.login_per_account, account_key.as_str()),
    ] {
        if let Err(wait) = limiter.check(key) {
            return Err(ApiError::RateLimited {
                message: "too many failed logins: wait before trying again".to_owned(),
                retry_after: retry_secs(wait),
            });
        }
    }
    let name = login.name.clone();
    let user = blocking(&state, move |store| store.user(&name)).await?;
    // Unknown users cost the same Argon2 check as known ones, so timing does not tell
    // which names exist.
    let stored = user
        .as_ref()
        .and_then(|u| u.password.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let password = login.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .map_err(ApiError::internal)?;
    let user = match user {
        Some(u) if matches && u.password.is_some() => {
            User::try_from(u).map_err(ApiError::internal)?
        }
        _ => {
            let _ = limits.login_per_client.take(&client, 1);
            let _ = limits.login_per_account.take(&account_key, 1);
            let e = audit::entry(
                "anonymous",
                action::LOGIN_FAILED,
                &login.name,
                format!("from {client}"),
            );
            blocking(&state, move |store| store.append_audit(&e)).await?;
            return Err(ApiError::Unauthorized("wrong user name or password"));
        }
    };
    limits.login_per_account.clear(&account_key);
    let secret = new_secret().map_err(ApiError::internal)?;
    let (hash, id, minutes) = (
        hash_secret(&secret),
        user.id,
        limits.security.session_minutes,
    );
    let e = audit::entry(
        format!("user:{}", user.name),
        action::LOGIN,
        &user.name,
        format!("from {client}"),
    );
    blocking(&state, move |store| {
        store.add_login_session(id, &hash, minutes, &e)
    })
    .await?;
    let cookie = session_cookie(&secret, &limits.security);
    Ok(([(SET_COOKIE, cookie)], axum::Json(Me::User(&user))).into_response())
}

/// A valid Argon2 hash of a password nobody has.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("no one has this password").unwrap_or_default())
}

/// `POST /api/logout`: ends the login session of the cookie, if any, and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(value) = session_value(&headers) {
        let hash = hash_secret(value);
        blocking(&state, move |store| store.remove_login_session(&hash)).await?;
    }
    let cookie = session_cookie("", &state.auth().security);
    Ok(([(SET_COOKIE, cookie)], StatusCode::NO_CONTENT).into_response())
}

/// `GET /api/me`: the signed-in user (name, role, scope) or the enrolled device.
pub async fn me(Caller(who): Caller) -> Result<Response, ApiError> {
    match &who {
        Principal::User(u) => Ok(axum::Json(Me::User(u)).into_response()),
        Principal::Device(d) => Ok(axum::Json(Me::Device(d)).into_response()),
        Principal::Anonymous => Err(ApiError::internal(NotSigned)),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("GET /api/me reached without a caller")]
struct NotSigned;

/// The body of `POST /api/devices/enrol`.
#[derive(Debug, Deserialize)]
pub struct Enrol {
    code: String,
    /// What the admin will see the device as ("tablet 3 of Spazio Giovani").
    #[serde(default)]
    name: Option<String>,
}

/// `POST /api/devices/enrol`: exchanges an enrolment code for a device token (201), which
/// the device then sends as `Authorization: Bearer <token>` with its submissions. Attempts are
/// limited per client.
pub async fn enrol(
    State(state): State<AppState>,
    Client(client): Client,
    Json(enrol): Json<Enrol>,
) -> Result<Response, ApiError> {
    if let Err(wait) = state.auth().enrol_per_client.take(&client, 1) {
        return Err(ApiError::RateLimited {
            message: "too many enrolment attempts from this address: wait before trying again"
                .to_owned(),
            retry_after: retry_secs(wait),
        });
    }
    let token = new_secret().map_err(ApiError::internal)?;
    let (code, token_hash) = (
        hash_secret(&normalise_code(&enrol.code)),
        hash_secret(&token),
    );
    let name = enrol
        .name
        .map(|n| n.trim().chars().take(100).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "device".to_owned());
    let enrolled = blocking(&state, move |store| {
        store.enrol_device(&code, &token_hash, &name)
    })
    .await?;
    match enrolled {
        Enrolled::Device(device) => Ok((
            StatusCode::CREATED,
            axum::Json(json!({ "token": token, "device": Device::from(device) })),
        )
            .into_response()),
        Enrolled::Refused => Err(ApiError::Forbidden(
            "this enrolment code does not work: mistyped, expired, revoked or already used; ask the admin for a new one".to_owned(),
        )),
    }
}

/// One user as `GET /api/users` lists them (never the password hash).
#[derive(Debug, Serialize)]
pub struct UserView {
    name: String,
    role: String,
    scope: Scope,
    has_password: bool,
    created_at: String,
}

/// `GET /api/users`.
pub async fn users(State(state): State<AppState>) -> Result<axum::Json<Vec<UserView>>, ApiError> {
    let users = blocking(&state, |store| store.users()).await?;
    Ok(axum::Json(
        users
            .into_iter()
            .map(|u| UserView {
                has_password: u.password.is_some(),
                name: u.name,
                role: u.role,
                scope: Scope {
                    surveys: u.surveys,
                    sites: u.sites,
                },
                created_at: u.created_at,
            })
            .collect(),
    ))
}

/// The body of `POST /api/users`.
#[derive(Debug, Deserialize)]
pub struct AddUser {
    name: String,
    role: String,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    surveys: Vec<String>,
    #[serde(default)]
    sites: Vec<String>,
    /// Also make an API token, answered once.
    #[serde(default)]
    token: bool,
}

/// `POST /api/users`: 201 (with `token` when asked for), 409 when the name is taken.
pub async fn add_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    Json(add): Json<AddUser>,
) -> Result<Response, ApiError> {
    // A scope names surveys and focus-group guides alike.
    let catalog = state.catalog();
    if let Some(s) = add
        .surveys
        .iter()
        .find(|s| catalog.latest(s).is_none() && catalog.guide_versions(s).is_empty())
    {
        return Err(ApiError::BadRequest(format!(
            "unknown survey or guide {s:?}"
        )));
    }
    let new = tokio::task::spawn_blocking(move || {
        user_to_add(
            &add.name,
            &add.role,
            add.password.as_deref(),
            add.surveys,
            add.sites,
        )
        .map(|u| (u, add.token))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let (new, want_token) = new;
    let token = want_token
        .then(new_secret)
        .transpose()
        .map_err(ApiError::internal)?;
    let token_hash = token.as_deref().map(hash_secret);
    let e = audit::entry(
        who.actor(),
        action::USER_ADDED,
        &new.name,
        crate::accounts::describe(&new),
    );
    let name = new.name.clone();
    let change = blocking(&state, move |store| {
        store.add_user(&new, token_hash.as_deref(), &e)
    })
    .await?;
    match change {
        UserChange::Done => {
            let mut body = json!({ "name": name });
            if let Some(token) = token {
                body["token"] = Value::String(token);
            }
            Ok((StatusCode::CREATED, axum::Json(body)).into_response())
        }
        _ => Err(ApiError::Client {
            status: StatusCode::CONFLICT,
            message: format!("there is a user {name:?} already"),
        }),
    }
}

/// `DELETE /api/users/{name}`: 204; 404 unknown; 409 for the last admin.
pub async fn remove_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    let e = audit::entry(who.actor(), action::USER_REMOVED, &name, "");
    let target = name.clone();
    let change = blocking(&state, move |store| store.remove_user(&target, &e)).await?;
    match change {
        UserChange::Done => Ok(StatusCode::NO_CONTENT),
        UserChange::Unknown => Err(ApiError::NotFound(format!("unknown user {name:?}"))),
        UserChange::LastAdmin | UserChange::Taken => Err(ApiError::Client {
            status: StatusCode::CONFLICT,
            message: format!("{name:?} is the last admin: add another admin first"),
        }),
    }
}

/// The body of `POST /api/enrolments`.
#[derive(Debug, Deserialize)]
pub struct AddEnrolment {
    /// What the code is for ("tablets of Spazio Giovani Melzo").
    label: String,
    /// The surveys the devices may submit to.
    surveys: Vec<String>,
    /// How long the code works: 72 hours unless said, at most 30 days.
    #[serde(default)]
    hours: Option<u32>,
    /// How many devices may enrol with it: 1 unless said, at most 200.
    #[serde(default)]
    devices: Option<u32>,
}

const MAX_HOURS: u32 = 30 * 24;
const MAX_DEVICES: u32 = 200;

/// `POST /api/enrolments`: 201 with the code (shown once) and the link that carries it.
pub async fn add_enrolment(
    State(state): State<AppState>,
    Caller(who): Caller,
    Json(add): Json<AddEnrolment>,
) -> Result<Response, ApiError> {
    let hours = add.hours.unwrap_or(72);
    let devices = add.devices.unwrap_or(1);
    if add.surveys.is_empty() {
        return Err(ApiError::BadRequest("name at least one survey".to_owned()));
    }
    if let Some(s) = add
        .surveys
        .iter()
        .find(|s| state.catalog().latest(s).is_none())
    {
        return Err(ApiError::BadRequest(format!("unknown survey {s:?}")));
    }
    if !(1..=MAX_HOURS).contains(&hours) || !(1..=MAX_DEVICES).contains(&devices) {
        return Err(ApiError::BadRequest(format!(
            "hours must be from 1 to {MAX_HOURS}, devices from 1 to {MAX_DEVICES}"
        )));
    }
    let code = new_enrolment_code().map_err(ApiError::internal)?;
    let new = NewEnrolment {
        code_hash: hash_secret(&normalise_code(&code)),
        label: add.label.trim().to_owned(),
        surveys: add.surveys,
        max_devices: devices,
        hours,
        created_by: who.actor(),
    };
    let e = audit::entry(
        who.actor(),
        action::ENROLMENT_ADDED,
        &new.label,
        format!(
            "surveys {}, {devices} devices, {hours} hours",
            new.surveys.join(" ")
        ),
    );
    let record = blocking(&state, move |store| {
        let id = store.add_enrolment(&new, &e)?;
        store.enrolment(id)
    })
    .await?
    .ok_or_else(|| ApiError::internal(Vanished))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({
            "code": code,
            "link": format!("/enrol?code={code}"),
            "enrolment": record,
        })),
    )
        .into_response())
}

#[derive(Debug, thiserror::Error)]
#[error("an enrolment just stored cannot be read back")]
struct Vanished;

/// `GET /api/enrolments`: newest first, without the codes.
pub async fn enrolments(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = blocking(&state, |store| store.enrolments()).await?;
    Ok(axum::Json(list).into_response())
}

/// `DELETE /api/enrolments/{id}`: the code stops working and so do its devices.
pub async fn revoke_enrolment(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    revoke(
        state,
        who,
        action::ENROLMENT_REVOKED,
        "enrolment",
        id,
        Store::revoke_enrolment,
    )
    .await
}

/// `GET /api/devices`: newest first, without their tokens.
pub async fn devices(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = blocking(&state, |store| store.devices()).await?;
    Ok(axum::Json(list).into_response())
}

/// `DELETE /api/devices/{id}`: the device's token stops working.
pub async fn revoke_device(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    revoke(
        state,
        who,
        action::DEVICE_REVOKED,
        "device",
        id,
        Store::revoke_device,
    )
    .await
}

/// Revokes the `kind` numbered `id` with its audit record: 204, or 404 when there is none.
async fn revoke(
    state: AppState,
    who: Principal,
    what: &'static str,
    kind: &'static str,
    id: i64,
    run: fn(&Store, i64, &AuditEntry) -> Result<bool, StoreError>,
) -> Result<StatusCode, ApiError> {
    let e = audit::entry(who.actor(), what, format!("{kind}:{id}"), "");
    let found = blocking(&state, move |store| run(store, id, &e)).await?;
    found
        .then_some(StatusCode::NO_CONTENT)
        .ok_or_else(|| ApiError::NotFound(format!("no {kind} {id}")))
}
