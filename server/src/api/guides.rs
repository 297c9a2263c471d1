//! Focus-group guides (open: the app needs them offline) and their results for coordinators
//! (coordinators and admins): the sessions of a guide, the CSV downloads and the theme summary.

use std::ops::ControlFlow;

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use voci_core::SiteId;
use voci_core::guide::Session;

use super::query::Query;
use super::{ApiError, blocking};
use crate::auth::Coordinator;
use crate::export;
use crate::focus_groups::{
    GuideVersions, MIN_COUNT, SessionCsv, SessionSummary, ThemeSummary, theme_summary,
};
use crate::startup::AppState;

/// `GET /api/guides`: every guide version, sorted by id then version.
pub async fn list(State(state): State<AppState>) -> Response {
    (
        [(CONTENT_TYPE, "application/json")],
        state.guides_json().clone(),
    )
        .into_response()
}

/// `?site=ambito-5/melzo`: only the sessions at that site or below it.
#[derive(Debug, Deserialize)]
pub struct SiteFilter {
    site: Option<String>,
}

impl SiteFilter {
    fn site(self) -> Result<Option<String>, ApiError> {
        let Some(site) = self.site else {
            return Ok(None);
        };
        let trimmed = site.trim().trim_end_matches('/');
        SiteId::parse(trimmed)
            .map(|id| Some(id.to_string()))
            .map_err(|e| ApiError::BadRequest(format!("{site:?} is not a site path: {e}")))
    }
}

/// `GET /api/guides/{id}/sessions`: one line per session, in order of date.
pub async fn sessions(
    _: Coordinator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(filter): Query<SiteFilter>,
) -> Result<axum::Json<Vec<SessionSummary>>, ApiError> {
    let guide = find(&state, &id)?;
    let site = filter.site()?;
    let sessions = read_sessions(&state, guide.id(), site).await?;
    Ok(axum::Json(
        sessions.iter().map(SessionSummary::of).collect(),
    ))
}

/// `?site=...&min=...` of the theme summary.
#[derive(Debug, Deserialize)]
pub struct ThemesQuery {
    site: Option<String>,
    min: Option<u64>,
}

/// `GET /api/guides/{id}/themes`: how often each theme was tagged, by site and group type,
/// with small counts suppressed.
pub async fn themes(
    _: Coordinator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ThemesQuery>,
) -> Result<axum::Json<ThemeSummary>, ApiError> {
    let guide = find(&state, &id)?;
    let threshold = match query.min {
        None => MIN_COUNT,
        Some(min) if min >= MIN_COUNT => min,
        Some(min) => {
            return Err(ApiError::BadRequest(format!(
                "min={min}: counts below {MIN_COUNT} are always hidden; min can only raise that"
            )));
        }
    };
    let site = SiteFilter { site: query.site }.site()?;
    let sessions = read_sessions(&state, guide.id(), site.clone()).await?;
    Ok(axum::Json(theme_summary(
        &guide, &sessions, site, threshold,
    )))
}

/// `GET /api/guides/{id}/{file}`: `notes.csv`, `quotes.csv`, `themes.csv` (one row per theme
/// tag) or `roster.csv` (participants by code, without the facilitators).
pub async fn download(
    _: Coordinator,
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    Query(filter): Query<SiteFilter>,
) -> Result<Response, ApiError> {
    let guide = find(&state, &id)?;
    let which = SessionCsv::from_file_name(&file).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no download {file:?}: there are notes.csv, quotes.csv, themes.csv and roster.csv"
        ))
    })?;
    let site = filter.site()?;
    Ok(export::sessions_download(state, guide, which, site))
}

fn find(state: &AppState, id: &str) -> Result<GuideVersions, ApiError> {
    let versions = state.catalog().guide_versions(id);
    GuideVersions::new(versions.into_iter().cloned().collect())
        .ok_or_else(|| ApiError::NotFound(format!("unknown guide {id:?}")))
}

/// Every stored session of `guide` (at `site` or below), in order of date.
async fn read_sessions(
    state: &AppState,
    guide: &str,
    site: Option<String>,
) -> Result<Vec<Session>, ApiError> {
    let guide = guide.to_owned();
    blocking(state, move |store| {
        let mut sessions = Vec::new();
        let mut failure = None;
        store.for_each_session(
            &guide,
            site.as_deref(),
            |payload| match serde_json::from_str::<Session>(payload) {
                Ok(session) => {
                    sessions.push(session);
                    ControlFlow::Continue(())
                }
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            },
        )?;
        Ok(failure.map_or(Ok(sessions), Err))
    })
    .await?
    .map_err(|e| ApiError::internal(UnreadableSession(e)))
}

/// A stored session that no longer reads as a session: a bug, not the client's fault.
#[derive(Debug, thiserror::Error)]
#[error("a stored session cannot be read back")]
struct UnreadableSession(#[source] serde_json::Error);
