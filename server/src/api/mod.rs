//! The `/api` routes: surveys, guides and sites for the app, response and session submission,
//! accounts, devices and the audit log, results and downloads for coordinators, focus-group
//! results. Every route states who may call it in `roles.rs`.

mod accounts;
mod audit;
mod error;
mod guides;
mod import;
mod json;
mod query;
mod responses;
mod results;
mod roles;
mod sessions;
mod surveys;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::OriginalUri;
use axum::http::{Method, StatusCode};
use axum::middleware::from_fn_with_state;

pub use error::ApiError;
pub use roles::{Access, Endpoint, endpoints};

use crate::auth;
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

/// The largest body `path` takes.
fn body_limit(path: &str) -> usize {
    match path {
        "/responses/batch" => BATCH_LIMIT,
        "/sessions/batch" => SESSION_BATCH_LIMIT,
        "/import" => IMPORT_LIMIT,
        // Every other route reads a small body or none; keep them bounded anyway.
        _ => RESPONSE_LIMIT,
    }
}

/// The routes under `/api`, with their state: each route of [`roles::table`] behind the
/// guard of its access.
pub fn routes(state: AppState) -> Router {
    let mut router = Router::new();
    for (_, path, access, handler) in roles::table() {
        let guarded = handler
            .route_layer(from_fn_with_state((state.clone(), access), auth::guard))
            .layer(DefaultBodyLimit::max(body_limit(path)));
        router = router.route(path, guarded);
    }
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
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
