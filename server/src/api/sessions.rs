//! Focus-group sessions: devices send them in batches like responses (same protocol, same
//! idempotency, see [`crate::ingest`]); coordinators read one back (coordinators and admins).

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;
use voci_core::ResponseId;
use voci_core::guide::Session;
use voci_core::sync::BatchReply;

use super::json::Json;
use super::responses::save_batch;
use super::{ApiError, blocking, guides};
use crate::auth::Coordinator;
use crate::startup::AppState;

/// The body of a batch of sessions, read item by item like a batch of responses.
#[derive(Debug, Deserialize)]
pub struct Batch {
    sessions: Vec<Value>,
}

/// `POST /api/sessions/batch`: one result per session, in order. The valid sessions are saved
/// in one transaction, committed before the answer.
pub async fn submit_batch(
    State(state): State<AppState>,
    Json(batch): Json<Batch>,
) -> Result<axum::Json<BatchReply>, ApiError> {
    save_batch::<Session>(&state, batch.sessions).await
}

/// `GET /api/sessions/{id}`: the session as stored (its canonical JSON).
pub async fn get(
    Coordinator(user): Coordinator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let unknown = || ApiError::NotFound(format!("unknown session {id:?}"));
    // Ids are stored in their canonical (lower-case) form.
    let key = ResponseId::parse(id.clone()).map_err(|_| unknown())?;
    let payload = blocking(&state, move |store| store.session(key.as_str())).await?;
    let payload = payload.ok_or_else(unknown)?;
    // Outside the user's guides or sites, a session is as unknown as one never sent.
    let session: Session = serde_json::from_str(&payload).map_err(ApiError::internal)?;
    if !guides::may_read(&user, &session) {
        return Err(unknown());
    }
    Ok(([(CONTENT_TYPE, "application/json")], payload).into_response())
}
