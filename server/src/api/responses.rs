//! Submitting responses, one at a time or in batches. Submitting is idempotent: a response is
//! stored once per id, resending it is harmless, and a different response under a stored id is
//! refused as a conflict.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use voci_core::{AnswerError, Response};

use super::json::Json;
use super::{ApiError, MAX_BATCH, blocking};
use crate::catalog::Invalid;
use crate::startup::AppState;
use crate::store::{NewResponse, Saved};

/// What happened to one submitted response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Stored,
    Duplicate,
    Conflict,
    Invalid,
}

/// The answer about one response: in the body of a single submission, and per batch item.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// `None` only for an invalid item without a string id.
    id: Option<String>,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<AnswerError>,
}

impl Outcome {
    fn saved(id: String, saved: Saved) -> Self {
        let (status, error) = match saved {
            Saved::Stored => (Status::Stored, None),
            Saved::Duplicate => (Status::Duplicate, None),
            Saved::Conflict => (
                Status::Conflict,
                Some(format!(
                    "a different response with id {id} is already stored; it was kept unchanged"
                )),
            ),
        };
        Self {
            id: Some(id),
            status,
            error,
            errors: Vec::new(),
        }
    }

    fn invalid(id: Option<String>, invalid: Invalid) -> Self {
        Self {
            id,
            status: Status::Invalid,
            error: Some(invalid.message),
            errors: invalid.errors,
        }
    }
}

/// One submitted item, read and checked.
enum Checked {
    /// Passes every check: to be stored.
    Valid(NewResponse),
    /// Refused. If it could be read, it is still looked up: when the very same response was
    /// stored earlier (before its site left the site list, say), resending it is a duplicate,
    /// so the app can let go of it.
    Invalid {
        id: Option<String>,
        read: Option<NewResponse>,
        invalid: Invalid,
    },
}

fn check(state: &AppState, value: Value) -> Checked {
    let raw_id = value.get("id").and_then(Value::as_str).map(str::to_owned);
    let response: Response = match serde_json::from_value(value) {
        Ok(response) => response,
        Err(e) => {
            return Checked::Invalid {
                id: raw_id,
                read: None,
                invalid: Invalid::new(format!("this is not a valid response: {e}")),
            };
        }
    };
    let new = NewResponse {
        id: response.id.to_string(),
        survey: response.survey.to_string(),
        version: response.version.clone(),
        site: response.site.to_string(),
        payload: response.canonical_json(),
    };
    match state.catalog().check(&response) {
        Ok(()) => Checked::Valid(new),
        Err(invalid) => Checked::Invalid {
            id: Some(new.id.clone()),
            read: Some(new),
            invalid,
        },
    }
}

/// What became of one item.
enum Settled {
    Saved(String, Saved),
    Invalid(Option<String>, Invalid),
}

impl From<Settled> for Outcome {
    fn from(settled: Settled) -> Self {
        match settled {
            Settled::Saved(id, saved) => Outcome::saved(id, saved),
            Settled::Invalid(id, invalid) => Outcome::invalid(id, invalid),
        }
    }
}

/// Stores the valid items in one transaction, committed before this returns, and looks the
/// invalid ones up. One result per item, in order.
async fn settle(state: &AppState, items: Vec<Checked>) -> Result<Vec<Settled>, ApiError> {
    let to_save: Vec<NewResponse> = items
        .iter()
        .filter_map(|item| match item {
            Checked::Valid(new) => Some(new.clone()),
            Checked::Invalid { .. } => None,
        })
        .collect();
    let to_find: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Checked::Invalid {
                read: Some(new), ..
            } => Some(new.id.clone()),
            _ => None,
        })
        .collect();
    let (saved, found) = if to_save.is_empty() && to_find.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        blocking(state, move |store| {
            Ok((store.save_all(&to_save)?, store.stored_payloads(&to_find)?))
        })
        .await?
    };
    let (mut saved, mut found) = (saved.into_iter(), found.into_iter());
    let settled = items
        .into_iter()
        .map(|item| match item {
            Checked::Valid(new) => {
                Settled::Saved(new.id, saved.next().expect("one outcome per saved item"))
            }
            Checked::Invalid {
                read: Some(new),
                invalid,
                ..
            } => match found.next().flatten() {
                Some(stored) if stored == new.payload => Settled::Saved(new.id, Saved::Duplicate),
                _ => Settled::Invalid(Some(new.id), invalid),
            },
            Checked::Invalid {
                id,
                read: None,
                invalid,
            } => Settled::Invalid(id, invalid),
        })
        .collect();
    Ok(settled)
}

/// `POST /api/responses`: 201 stored, 200 duplicate, 409 conflict, 4xx invalid.
pub async fn submit(
    State(state): State<AppState>,
    Json(value): Json<Value>,
) -> Result<(StatusCode, axum::Json<Outcome>), ApiError> {
    let item = check(&state, value);
    let settled = settle(&state, vec![item]).await?.pop();
    match settled.expect("one result per item") {
        Settled::Saved(id, saved) => {
            let status = match saved {
                Saved::Stored => StatusCode::CREATED,
                Saved::Duplicate => StatusCode::OK,
                Saved::Conflict => StatusCode::CONFLICT,
            };
            Ok((status, axum::Json(Outcome::saved(id, saved))))
        }
        Settled::Invalid(_, invalid) => Err(ApiError::Invalid(invalid)),
    }
}

#[derive(Debug, Deserialize)]
pub struct Batch {
    /// Items are read one by one, so one malformed item does not sink the others.
    responses: Vec<Value>,
}

#[derive(Debug, Serialize)]
pub struct BatchOutcome {
    results: Vec<Outcome>,
}

/// `POST /api/responses/batch`: one outcome per item, in order. The valid items are saved in
/// one transaction, committed before the answer.
pub async fn submit_batch(
    State(state): State<AppState>,
    Json(batch): Json<Batch>,
) -> Result<axum::Json<BatchOutcome>, ApiError> {
    if batch.responses.len() > MAX_BATCH {
        return Err(ApiError::TooLarge(format!(
            "a batch holds at most {MAX_BATCH} responses, this one has {}; send them in smaller batches",
            batch.responses.len()
        )));
    }
    let items = batch
        .responses
        .into_iter()
        .map(|value| check(&state, value))
        .collect();
    let results = settle(&state, items)
        .await?
        .into_iter()
        .map(Outcome::from)
        .collect();
    Ok(axum::Json(BatchOutcome { results }))
}
