//! Reading surveys and sites (open, the app needs them offline) and downloading results
//! (admin token only).

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::auth::Admin;
use crate::export;
use crate::startup::AppState;

/// `GET /api/surveys`: every survey version, sorted by id then version.
pub async fn list(State(state): State<AppState>) -> Response {
    json_bytes(state.surveys_json().clone())
}

/// `GET /api/sites`: the site tree.
pub async fn sites(State(state): State<AppState>) -> Response {
    json_bytes(state.sites_json().clone())
}

fn json_bytes(body: axum::body::Bytes) -> Response {
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}

/// `GET /api/surveys/{id}/responses.csv`: every stored response to the survey, as CSV in the
/// columns of its latest version.
pub async fn responses_csv(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let survey = state
        .catalog()
        .latest(&id)
        .cloned()
        .ok_or_else(|| ApiError::NotFound(format!("unknown survey {id:?}")))?;
    Ok(export::csv_download(state, survey))
}
