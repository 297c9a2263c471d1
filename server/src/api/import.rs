//! `POST /api/import`: a coordinator uploads an outbox file exported from the app (admin token
//! only). The file is verified whole before anything is stored; its responses and focus-group
//! sessions then take the path of a batch ([`ingest::import`]).

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;

use super::{ApiError, IMPORT_LIMIT, blocking};
use crate::audit::{self, action};
use crate::auth::Caller;
use crate::catalog::Invalid;
use crate::ingest::{self, ImportSummary};
use crate::startup::AppState;

/// The body is the file's text, whatever its content type. 200 with the counts (the
/// responses', and the sessions' under `sessions`) and every record not taken; 422 with the
/// reason when the file is damaged, and then nothing is stored.
pub async fn import(
    Caller(who): Caller,
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<axum::Json<ImportSummary>, ApiError> {
    let bytes = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
            "an outbox file is at most {} MiB; import a larger one with voci import FILE",
            IMPORT_LIMIT >> 20
        )),
        status => ApiError::Client {
            status,
            message: rejection.body_text(),
        },
    })?;
    // Parsing and hashing up to 16 MiB is too slow for an async thread, like the storing.
    let catalog = state.clone();
    let imported = blocking(&state, move |store| match ingest::read_file(&bytes) {
        Ok(file) => ingest::import(catalog.catalog(), store, &file).map(Ok),
        Err(e) => Ok(Err(e)),
    })
    .await?;
    match imported {
        Ok(summary) => {
            tracing::info!("imported an outbox file: {}", summary.counts());
            audit::record(
                &state,
                &who,
                action::IMPORT,
                "outbox file",
                summary.counts(),
            )
            .await?;
            Ok(axum::Json(summary))
        }
        Err(e) => Err(ApiError::Invalid(Invalid::new(e.to_string()))),
    }
}
