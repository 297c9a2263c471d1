//! The admin token that guards result downloads and imports.
//!
//! It is 32 random bytes in hex, shown once when it is made; the database keeps only its
//! SHA-256 hash. A presented token is hashed and compared with the stored hashes in constant
//! time.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::api::{ApiError, blocking};
use crate::startup::AppState;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot get random bytes for the admin token")]
    Random(#[source] getrandom::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes an admin token if the database has none yet, and returns it (to show once).
pub fn ensure_token(store: &Store) -> Result<Option<String>, TokenError> {
    let token = new_token()?;
    Ok(store.add_first_admin_token(&hash(&token))?.then_some(token))
}

/// Replaces every admin token with a new one, and returns it (to show once).
pub fn reset_token(store: &Store) -> Result<String, TokenError> {
    let token = new_token()?;
    store.replace_admin_tokens(&hash(&token))?;
    Ok(token)
}

fn new_token() -> Result<String, TokenError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(TokenError::Random)?;
    Ok(hex(&bytes))
}

fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares without stopping at the first difference, so timing tells nothing about where
/// two hashes differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The token from an `Authorization: Bearer <token>` header.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Proof that the request carries a valid admin token: a handler that takes it is guarded.
#[derive(Debug)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = bearer(parts) else {
            return Err(ApiError::Unauthorized(
                "this needs the admin token (downloads and imports do): send the header Authorization: Bearer <token>",
            ));
        };
        let presented = hash(token);
        let stored = blocking(state, Store::admin_token_hashes).await?;
        // Check every hash, so the time taken does not depend on which one matches.
        let matches = stored.iter().fold(false, |found, h| {
            found | constant_time_eq(h.as_bytes(), presented.as_bytes())
        });
        if matches {
            Ok(Admin)
        } else {
            Err(ApiError::Unauthorized(
                "the admin token is not valid (voci token reset makes a new one)",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hashed() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn comparison() {
        assert!(constant_time_eq(b"abcd", b"abcd"));
        assert!(!constant_time_eq(b"abcd", b"abce"));
        assert!(!constant_time_eq(b"abcd", b"abc"));
    }

    #[test]
    fn bearer_header() {
        let parts = |v: &str| {
            let (parts, ()) = axum::http::Request::builder()
                .header(AUTHORIZATION, v)
                .body(())
                .unwrap()
                .into_parts();
            parts
        };
        assert_eq!(bearer(&parts("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&parts("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(&parts("Basic abc")), None);
        assert_eq!(bearer(&parts("Bearer ")), None);
    }
}
