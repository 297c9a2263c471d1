//! The `/api` routes: surveys, guides and sites for the app, response and session submission,
//! outbox file import, CSV downloads and focus-group results.

mod error;
mod guides;
mod import;
mod json;
mod query;
mod responses;
mod sessions;
mod surveys;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::OriginalUri;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};

pub use error::ApiError;

use crate::startup::AppState;
use crate::store::{Store, StoreError};

/// The largest body of `POST /api/responses`.
pub const RESPONSE_LIMIT: usize = 64 * 1024;
/// The largest body of `POST /api/responses/batch`.
pub const BATCH_LIMIT: usize = 1024 * 1024;
/// The largest body of `POST /api/sessions/batch`: a session (notes, quotes, tables of a
/// two-hour meeting) is much larger than a response.
pub const SESSION_BATCH_LIMIT: usize = 4 * 1024 * 1024;
/// The largest body of `POST /api/import` (an outbox file).
pub const IMPORT_LIMIT: usize = 16 * 1024 * 1024;

/// The routes under `/api`, with their state.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/surveys", get(surveys::list))
        .route("/sites", get(surveys::sites))
        .route("/surveys/{id}/responses.csv", get(surveys::responses_csv))
        .route("/guides", get(guides::list))
        .route("/guides/{id}/sessions", get(guides::sessions))
        .route("/guides/{id}/themes", get(guides::themes))
        .route("/guides/{id}/{file}", get(guides::download))
        .route(
            "/sessions/batch",
            post(sessions::submit_batch).layer(DefaultBodyLimit::max(SESSION_BATCH_LIMIT)),
        )
        .route("/sessions/{id}", get(sessions::get))
        .route(
            "/responses",
            post(responses::submit).layer(DefaultBodyLimit::max(RESPONSE_LIMIT)),
        )
        .route(
            "/responses/batch",
            post(responses::submit_batch).layer(DefaultBodyLimit::max(BATCH_LIMIT)),
        )
        .route(
            "/import",
            post(import::import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Routes without a limit of their own read no body, but keep them bounded anyway.
        .layer(DefaultBodyLimit::max(RESPONSE_LIMIT))
        .with_state(state)
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "ok": true }))
}

async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no such API endpoint: {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::Client {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("{} does not take {method}", uri.path()),
    }
}

/// Runs blocking database work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(state.store()))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}
