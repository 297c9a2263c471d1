//! Submitting responses, one at a time or in batches. Submitting is idempotent: a response is
//! stored once per id, resending it is harmless, and a different response under a stored id is
//! refused as a conflict. The checks and the storing are [`crate::ingest`]'s.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use voci_core::Response;
use voci_core::sync::{BatchReply, ItemResult, ItemStatus, MAX_BATCH};

use super::json::Json;
use super::{ApiError, blocking};
use crate::catalog::Invalid;
use crate::ingest::{self, Checked, Submission};
use crate::startup::AppState;

/// Stores the checked items off the async threads; one result per item, in order.
async fn save(state: &AppState, items: Vec<Checked>) -> Result<Vec<ItemResult>, ApiError> {
    blocking(state, move |store| ingest::save(store, items)).await
}

/// `POST /api/responses`: 201 stored, 200 duplicate, 409 conflict, 4xx invalid.
pub async fn submit(
    State(state): State<AppState>,
    Json(value): Json<Value>,
) -> Result<(StatusCode, axum::Json<ItemResult>), ApiError> {
    let item = ingest::check_value::<Response>(state.catalog(), value);
    let result = save(&state, vec![item])
        .await?
        .pop()
        .expect("one result per item");
    let status = match result.status {
        ItemStatus::Stored => StatusCode::CREATED,
        ItemStatus::Duplicate => StatusCode::OK,
        ItemStatus::Conflict => StatusCode::CONFLICT,
        ItemStatus::Invalid => {
            return Err(ApiError::Invalid(Invalid {
                message: result.error.unwrap_or_default(),
                errors: result.errors,
            }));
        }
    };
    Ok((status, axum::Json(result)))
}

/// The body of a batch. Items are read one by one, so one malformed item does not sink the
/// others (the app sends a [`voci_core::sync::BatchRequest`]).
#[derive(Debug, Deserialize)]
pub struct Batch {
    responses: Vec<Value>,
}

/// `POST /api/responses/batch`: one result per item, in order. The valid items are saved in
/// one transaction, committed before the answer.
pub async fn submit_batch(
    State(state): State<AppState>,
    Json(batch): Json<Batch>,
) -> Result<axum::Json<BatchReply>, ApiError> {
    save_batch::<Response>(&state, batch.responses).await
}

/// Checks each item of a batch as a `T` and saves the valid ones in one transaction,
/// committed before the answer: one result per item, in order.
pub(super) async fn save_batch<T: Submission>(
    state: &AppState,
    items: Vec<Value>,
) -> Result<axum::Json<BatchReply>, ApiError> {
    if items.len() > MAX_BATCH {
        let noun = T::KIND.noun();
        return Err(ApiError::TooLarge(format!(
            "a batch holds at most {MAX_BATCH} {noun}s, this one has {}; send them in smaller batches",
            items.len()
        )));
    }
    let items = items
        .into_iter()
        .map(|value| ingest::check_value::<T>(state.catalog(), value))
        .collect();
    let results = save(state, items).await?;
    Ok(axum::Json(BatchReply { results }))
}
