//! Submitting responses, one at a time or in batches. Submitting is idempotent: a response is
//! stored once per id, resending it is harmless, and a different response under a stored id is
//! refused as a conflict. The checks and the storing are [`crate::ingest`]'s.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use voci_core::model::Collection;
use voci_core::sync::{BatchReply, ItemResult, ItemStatus, MAX_BATCH, NOT_ENROLLED};
use voci_core::{Response, Survey};

use super::json::Json;
use super::{ApiError, blocking};
use crate::accounts::Principal;
use crate::auth::{Caller, Client, retry_secs};
use crate::catalog::Invalid;
use crate::ingest::{self, Checked, Submission};
use crate::startup::AppState;
use crate::store::NewRecord;

/// Stores the checked items off the async threads; one result per item, in order.
async fn save(state: &AppState, items: Vec<Checked>) -> Result<Vec<ItemResult>, ApiError> {
    blocking(state, move |store| ingest::save(store, items)).await
}

/// `POST /api/responses`: 201 stored, 200 duplicate, 409 conflict, 4xx invalid; 401 or 403
/// for an enrolled survey without the device token of a device enrolled for it; 429 past the
/// per-client limit of an open survey.
pub async fn submit(
    State(state): State<AppState>,
    Caller(who): Caller,
    Client(client): Client,
    Json(value): Json<Value>,
) -> Result<(StatusCode, axum::Json<ItemResult>), ApiError> {
    let item = ingest::check_value::<Response>(state.catalog(), value);
    if let Some(survey) = survey_of(&state, &item)
        && !who.may_submit_to(survey)
    {
        return Err(match who {
            Principal::Anonymous => ApiError::Unauthorized(
                "this survey takes responses only from enrolled devices: send the device token as Authorization: Bearer <token>",
            ),
            _ => ApiError::Forbidden(not_enrolled(survey.id.as_str())),
        });
    }
    limit_open(&state, &who, &client, std::slice::from_ref(&item))?;
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

fn not_enrolled(survey: &str) -> String {
    format!("this survey ({survey}) takes responses only from devices enrolled for it")
}

/// The survey version a readable response names.
fn survey_of<'s>(state: &'s AppState, item: &Checked) -> Option<&'s Survey> {
    match item {
        Checked::Valid(NewRecord::Response(r))
        | Checked::Invalid {
            read: Some(NewRecord::Response(r)),
            ..
        } => state.catalog().find(&r.survey, &r.version),
        _ => None,
    }
}

/// Refuses an item its caller may not submit (an enrolled survey without its device); the
/// flag says it was refused for that reason.
fn admit(state: &AppState, who: &Principal, item: Checked) -> (Checked, bool) {
    let Some(survey) = survey_of(state, &item) else {
        return (item, false);
    };
    if who.may_submit_to(survey) {
        return (item, false);
    }
    let message = not_enrolled(survey.id.as_str());
    match item {
        Checked::Valid(new) => (
            Checked::Invalid {
                id: Some(new.id().to_owned()),
                read: Some(new),
                invalid: Invalid::new(message),
            },
            true,
        ),
        refused => (refused, false),
    }
}

/// The answer to a response batch: [`BatchReply`]'s items, each refused for want of an
/// enrolled device marked with `"code": "not_enrolled"` (the app keeps those queued).
#[derive(Debug, Serialize)]
pub struct ResponsesReply {
    results: Vec<CodedResult>,
}

#[derive(Debug, Serialize)]
struct CodedResult {
    #[serde(flatten)]
    result: ItemResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
}

/// Counts the valid responses to open surveys against the client's limit, unless an
/// enrolled device sends them: 429 for the whole request past the limit.
fn limit_open(
    state: &AppState,
    who: &Principal,
    client: &str,
    items: &[Checked],
) -> Result<(), ApiError> {
    if matches!(who, Principal::Device(_)) {
        return Ok(());
    }
    let open = items
        .iter()
        .filter(|item| matches!(item, Checked::Valid(_)))
        .filter(|item| survey_of(state, item).is_some_and(|s| s.collection == Collection::Open))
        .count();
    if open == 0 {
        return Ok(());
    }
    let n = u32::try_from(open).unwrap_or(u32::MAX);
    state
        .auth()
        .open_responses
        .take(client, n)
        .map_err(|wait| ApiError::RateLimited {
            message: "too many responses from this address for now: the app will send them later"
                .to_owned(),
            retry_after: retry_secs(wait),
        })
}

/// The body of a batch. Items are read one by one, so one malformed item does not sink the
/// others (the app sends a [`voci_core::sync::BatchRequest`]).
#[derive(Debug, Deserialize)]
pub struct Batch {
    responses: Vec<Value>,
}

/// `POST /api/responses/batch`: one result per item, in order. The valid items are saved in
/// one transaction, committed before the answer.
///
/// Each response to an enrolled survey needs the token of a device enrolled for it, else it
/// is `invalid` with the reason and the code [`NOT_ENROLLED`] (the app keeps it). Responses to
/// open surveys count against the client's limit (429 for the whole batch past it, nothing
/// stored).
pub async fn submit_batch(
    State(state): State<AppState>,
    Caller(who): Caller,
    Client(client): Client,
    Json(batch): Json<Batch>,
) -> Result<axum::Json<ResponsesReply>, ApiError> {
    check_size::<Response>(&batch.responses)?;
    let (items, unenrolled): (Vec<Checked>, Vec<bool>) = batch
        .responses
        .into_iter()
        .map(|value| {
            admit(
                &state,
                &who,
                ingest::check_value::<Response>(state.catalog(), value),
            )
        })
        .unzip();
    limit_open(&state, &who, &client, &items)?;
    let results = save(&state, items).await?;
    let results = results
        .into_iter()
        .zip(unenrolled)
        .map(|(result, unenrolled)| CodedResult {
            result,
            code: unenrolled.then_some(NOT_ENROLLED),
        })
        .collect();
    Ok(axum::Json(ResponsesReply { results }))
}

fn check_size<T: Submission>(items: &[Value]) -> Result<(), ApiError> {
    if items.len() > MAX_BATCH {
        let noun = T::KIND.noun();
        return Err(ApiError::TooLarge(format!(
            "a batch holds at most {MAX_BATCH} {noun}s, this one has {}; send them in smaller batches",
            items.len()
        )));
    }
    Ok(())
}

/// Checks each item of a batch as a `T` and saves the valid ones in one transaction,
/// committed before the answer: one result per item, in order.
pub(super) async fn save_batch<T: Submission>(
    state: &AppState,
    items: Vec<Value>,
) -> Result<axum::Json<BatchReply>, ApiError> {
    check_size::<T>(&items)?;
    let items = items
        .into_iter()
        .map(|value| ingest::check_value::<T>(state.catalog(), value))
        .collect();
    let results = save(state, items).await?;
    Ok(axum::Json(BatchReply { results }))
}
