//! Focus-group guides (open: the app needs them offline) and their results, with the same roles
//! and scopes as survey results: the theme summary for viewers and up (without sample quotes for
//! viewers), the sessions and the CSV downloads for coordinators and admins. A user assigned
//! surveys sees the guides among them; a user assigned sites sees the sessions run there.

use std::ops::ControlFlow;

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use voci_core::SiteId;
use voci_core::guide::Session;

use super::query::Query;
use super::results::user;
use super::{ApiError, blocking};
use crate::accounts::{Principal, Role, User};
use crate::audit::{self, action};
use crate::auth::{Caller, Coordinator};
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
    Coordinator(user): Coordinator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(filter): Query<SiteFilter>,
) -> Result<axum::Json<Vec<SessionSummary>>, ApiError> {
    let guide = find(&state, &id)?;
    let sites = scoped_sites(&user, guide.id(), filter.site()?)?;
    let sessions = read_sessions(&state, guide.id(), sites).await?;
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
    Caller(who): Caller,
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
    let user = user(who)?;
    let site = SiteFilter { site: query.site }.site()?;
    let sites = scoped_sites(&user, guide.id(), site.clone())?;
    let sessions = read_sessions(&state, guide.id(), sites).await?;
    let mut summary = theme_summary(&guide, &sessions, site, threshold);
    if user.role == Role::Viewer {
        // Quotes are what participants said: raw text, which viewers never get.
        for theme in &mut summary.themes {
            theme.quotes.clear();
        }
    }
    Ok(axum::Json(summary))
}

/// `GET /api/guides/{id}/{file}`: `notes.csv`, `quotes.csv`, `themes.csv` (one row per theme
/// tag) or `roster.csv` (participants by code, without the facilitators).
pub async fn download(
    Coordinator(user): Coordinator,
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
    let sites = scoped_sites(&user, guide.id(), site.clone())?;
    audit::record(
        &state,
        &Principal::User(user),
        action::DOWNLOAD,
        format!("{}/{file}", guide.id()),
        site.map_or_else(String::new, |s| format!("site={s}")),
    )
    .await?;
    Ok(export::sessions_download(state, guide, which, sites))
}

/// The sites whose sessions `user` may read for `guide`: the one asked for if it is within
/// the user's sites, else all of the user's sites (none: every site).
fn scoped_sites(user: &User, guide: &str, asked: Option<String>) -> Result<Vec<String>, ApiError> {
    if !user.sees_survey(guide) {
        return Err(ApiError::Forbidden(format!(
            "{} is not assigned the guide {guide:?}",
            user.name
        )));
    }
    let assigned = user.scope().map(|s| s.sites.clone()).unwrap_or_default();
    match asked {
        None => Ok(assigned),
        Some(site) if assigned.is_empty() || user.scope.allows_site(&site) => Ok(vec![site]),
        Some(site) => Err(ApiError::Forbidden(format!(
            "{} is assigned the sites {}, and {site} is not one of them",
            user.name,
            assigned.join(", ")
        ))),
    }
}

/// Whether `user` may read `session`: its guide and its site are within the user's scope.
pub(super) fn may_read(user: &User, session: &Session) -> bool {
    user.sees_survey(session.guide.as_str())
        && user
            .scope()
            .is_none_or(|s| s.allows_site(session.site.as_str()))
}

fn find(state: &AppState, id: &str) -> Result<GuideVersions, ApiError> {
    let versions = state.catalog().guide_versions(id);
    GuideVersions::new(versions.into_iter().cloned().collect())
        .ok_or_else(|| ApiError::NotFound(format!("unknown guide {id:?}")))
}

/// Every stored session of `guide` (at one of `sites` or below; none: all), in order of date.
async fn read_sessions(
    state: &AppState,
    guide: &str,
    sites: Vec<String>,
) -> Result<Vec<Session>, ApiError> {
    let guide = guide.to_owned();
    blocking(state, move |store| {
        let mut sessions = Vec::new();
        let mut failure = None;
        store.for_each_session(&guide, &sites, |payload| {
            match serde_json::from_str::<Session>(payload) {
                Ok(session) => {
                    sessions.push(session);
                    ControlFlow::Continue(())
                }
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            }
        })?;
        Ok(failure.map_or(Ok(sessions), Err))
    })
    .await?
    .map_err(|e| ApiError::internal(UnreadableSession(e)))
}

/// A stored session that no longer reads as a session: a bug, not the client's fault.
#[derive(Debug, thiserror::Error)]
#[error("a stored session cannot be read back")]
struct UnreadableSession(#[source] serde_json::Error);
