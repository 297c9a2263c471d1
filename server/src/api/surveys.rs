//! Reading surveys and sites (open, the app needs them offline) and downloading raw
//! responses (coordinators and admins, within their scope).

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use serde::Deserialize;
use voci_core::Survey;
use voci_core::export::Values;

use super::query::Query;
use super::{ApiError, results};
use crate::accounts::{Principal, User};
use crate::audit::{self, action};
use crate::auth::Coordinator;
use crate::export;
use crate::results::Selection;
use crate::startup::AppState;
use crate::store::ResponseFilter;

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

/// `?values=codes|labels&lang=it` and the selection (site, dates, version) of a raw download.
#[derive(Debug, Deserialize)]
pub struct RawQuery {
    values: Option<String>,
    lang: Option<String>,
    site: Option<String>,
    from: Option<String>,
    to: Option<String>,
    version: Option<String>,
    group: Option<String>,
}

impl RawQuery {
    fn split(self, survey: &Survey) -> Result<(Selection, Values), ApiError> {
        let values = match self.values.as_deref() {
            None | Some("codes") => Values::Codes,
            Some("labels") => Values::Labels(
                self.lang
                    .unwrap_or_else(|| survey.default_language().to_owned()),
            ),
            Some(other) => {
                return Err(ApiError::BadRequest(format!(
                    "values={other:?}: use values=codes or values=labels"
                )));
            }
        };
        let selection = Selection {
            site: self.site,
            from: self.from,
            to: self.to,
            version: self.version,
            group: self.group,
            min: None,
        };
        Ok((selection, values))
    }
}

/// What a raw download of survey `id` selects, recorded in the audit log before it starts.
async fn raw(
    state: &AppState,
    user: User,
    id: &str,
    query: RawQuery,
    file: &str,
) -> Result<(Survey, ResponseFilter, Values), ApiError> {
    let survey = results::survey(state, id)?;
    let (selection, values) = query.split(&survey)?;
    let filter = selection.filter(&user, id)?;
    let who = Principal::User(user);
    audit::record(
        state,
        &who,
        action::DOWNLOAD,
        format!("{id}/{file}"),
        selection.describe(),
    )
    .await?;
    Ok((survey, filter, values))
}

/// `?repeat=member`: a repeated section's own CSV instead of the main one.
#[derive(Debug, Deserialize)]
pub struct RepeatQuery {
    repeat: Option<String>,
}

/// `GET /api/surveys/{id}/responses.csv`: the stored responses to the survey (within the
/// caller's scope, `?site=&from=&to=&version=`), as CSV in the columns of its latest version;
/// `?values=labels&lang=en` writes choice labels instead of codes. `?repeat=member` gives
/// the instances of that repeated section: a row each, `PARENT_KEY` the main file's
/// `response_id` (as ODK Central's repeat files).
pub async fn responses_csv(
    Coordinator(user): Coordinator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<RawQuery>,
    Query(part): Query<RepeatQuery>,
) -> Result<Response, ApiError> {
    let Some(name) = part.repeat else {
        let (survey, filter, values) = raw(&state, user, &id, query, "responses.csv").await?;
        return Ok(export::csv_download(state, survey, filter, values));
    };
    let latest = results::survey(&state, &id)?;
    let Some(section) = voci_core::export::repeat(&latest, &name).cloned() else {
        return Err(ApiError::NotFound(format!(
            "survey {id:?} has no repeat {name:?}"
        )));
    };
    let file = format!("responses.csv?repeat={name}");
    let (survey, filter, values) = raw(&state, user, &id, query, &file).await?;
    Ok(export::repeat_csv_download(
        state, survey, section, filter, values,
    ))
}

/// `GET /api/surveys/{id}/responses.xlsx`: the same as a workbook with a data sheet, a
/// codebook sheet and a summary sheet (suppressed results).
pub async fn responses_xlsx(
    Coordinator(user): Coordinator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<RawQuery>,
) -> Result<Response, ApiError> {
    let (survey, filter, values) = raw(&state, user, &id, query, "responses.xlsx").await?;
    let k = u64::from(survey.min_count);
    Ok(export::xlsx_download(state, survey, filter, values, k))
}
