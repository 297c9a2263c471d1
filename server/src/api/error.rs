//! The one error type every API handler answers with.
//!
//! Client mistakes become 4xx answers with a JSON `{"error": "..."}` that says what to fix;
//! they are not failures of the collector, so they are logged at debug level only. Internal
//! errors are logged with their cause chain and reach the client as a bare 500.

use std::error::Error;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::catalog::Invalid;
use crate::error_chain;

#[derive(Debug)]
pub enum ApiError {
    /// 400: the body is not JSON.
    BadRequest(String),
    /// 422: a record that does not fit its survey or guide, its site or its format.
    Invalid(Invalid),
    /// 401: not signed in, or with a token that is not valid.
    Unauthorized(&'static str),
    /// 403: signed in, but the role or the scope does not allow it.
    Forbidden(String),
    /// 429: too many attempts or responses from this client (or to this account).
    RateLimited { message: String, retry_after: u64 },
    /// 404.
    NotFound(String),
    /// 413: a body or a batch over the limits.
    TooLarge(String),
    /// Any other client mistake, with its status (415 without a JSON content type, 405, ...).
    Client { status: StatusCode, message: String },
    /// 500: our fault; the cause is logged, not shown.
    Internal(Box<dyn Error + Send + Sync>),
}

impl ApiError {
    pub fn internal(e: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::Internal(e.into())
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Client { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match self {
            Self::Internal(e) => {
                tracing::error!("request failed: {}", error_chain(&*e));
                json!({ "error": "internal error (the collector's log says more)" })
            }
            Self::Invalid(Invalid { message, errors }) if !errors.is_empty() => {
                tracing::debug!("refused: {message}");
                json!({ "error": message, "errors": errors })
            }
            Self::Invalid(Invalid { message, .. })
            | Self::BadRequest(message)
            | Self::NotFound(message)
            | Self::TooLarge(message)
            | Self::Forbidden(message)
            | Self::Client { message, .. } => {
                tracing::debug!("refused ({status}): {message}");
                json!({ "error": message })
            }
            Self::Unauthorized(message) => {
                tracing::debug!("refused ({status}): {message}");
                let challenge = [(WWW_AUTHENTICATE, "Bearer")];
                return (status, challenge, Json(json!({ "error": message }))).into_response();
            }
            Self::RateLimited {
                message,
                retry_after,
            } => {
                tracing::info!("refused ({status}): {message}");
                let wait = [(RETRY_AFTER, retry_after.to_string())];
                return (status, wait, Json(json!({ "error": message }))).into_response();
            }
        };
        (status, Json(body)).into_response()
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        Self::Invalid(invalid)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Self::TooLarge(format!(
                "the request body is too large: at most {} KiB for one response, {} MiB for a batch of responses, {} MiB for a batch of sessions",
                super::RESPONSE_LIMIT >> 10,
                super::BATCH_LIMIT >> 20,
                super::SESSION_BATCH_LIMIT >> 20,
            )),
            StatusCode::BAD_REQUEST => Self::BadRequest(rejection.body_text()),
            status => Self::Client {
                status,
                message: rejection.body_text(),
            },
        }
    }
}
