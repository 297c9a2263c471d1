//! Every endpoint states who may call it: the one table the router is built from.
//!
//! A route cannot be added without an [`Access`]: [`table`] pairs each method and path with
//! its access and its handler, and `routes` wraps each handler in the guard of its access.
//! The collector's tests compare [`endpoints`] with a table of their own (every endpoint ×
//! anonymous, device, viewer, coordinator, admin), so an endpoint added here without an
//! entry there fails them.

use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post};
use serde::Serialize;

use super::{accounts, audit, guides, health, import, responses, results, sessions, surveys};
use crate::startup::AppState;

/// Who may call an endpoint. Each level lets in the callers of the levels after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone; credentials are not even read (the app's catalog, login, enrolment).
    Public,
    /// Anyone, but each item is checked against its caller: an enrolled survey takes
    /// responses only from a device enrolled for it, an open one from anyone (rate limited).
    Submit,
    /// Any signed-in user or enrolled device (`/api/me`).
    Signed,
    /// Viewers and up: aggregated results, never raw rows.
    Viewer,
    /// Coordinators and up: raw rows, text answers, downloads, focus-group records.
    Coordinator,
    /// Admins: users, devices, enrolments, imports, the audit log.
    Admin,
}

/// One endpoint of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    #[serde(serialize_with = "method_name")]
    pub method: Method,
    /// The path under `/api`, as the router matches it (`/surveys/{id}/results`).
    pub path: &'static str,
    pub access: Access,
}

fn method_name<S: serde::Serializer>(m: &Method, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(m.as_str())
}

/// Method, path, access, handler: the whole API.
pub(super) fn table() -> Vec<(Method, &'static str, Access, MethodRouter<AppState>)> {
    use Access::*;
    vec![
        (Method::GET, "/health", Public, get(health)),
        (Method::GET, "/surveys", Public, get(surveys::list)),
        (Method::GET, "/sites", Public, get(surveys::sites)),
        (Method::GET, "/guides", Public, get(guides::list)),
        (Method::POST, "/login", Public, post(accounts::login)),
        (Method::POST, "/logout", Public, post(accounts::logout)),
        (
            Method::POST,
            "/devices/enrol",
            Public,
            post(accounts::enrol),
        ),
        (Method::POST, "/responses", Submit, post(responses::submit)),
        (
            Method::POST,
            "/responses/batch",
            Submit,
            post(responses::submit_batch),
        ),
        (
            Method::POST,
            "/sessions/batch",
            Submit,
            post(sessions::submit_batch),
        ),
        (Method::GET, "/me", Signed, get(accounts::me)),
        (
            Method::GET,
            "/surveys/{id}/results",
            Viewer,
            get(results::results),
        ),
        (
            Method::GET,
            "/surveys/{id}/crosstab",
            Viewer,
            get(results::crosstab),
        ),
        (
            Method::GET,
            "/surveys/{id}/compare",
            Viewer,
            get(results::compare),
        ),
        (
            Method::GET,
            "/surveys/{id}/results.csv",
            Viewer,
            get(results::results_csv),
        ),
        (
            Method::GET,
            "/surveys/{id}/results.xlsx",
            Viewer,
            get(results::results_xlsx),
        ),
        (
            Method::GET,
            "/surveys/{id}/codebook.csv",
            Viewer,
            get(results::codebook_csv),
        ),
        (
            Method::GET,
            "/surveys/{id}/codebook.md",
            Viewer,
            get(results::codebook_md),
        ),
        (
            Method::GET,
            "/surveys/{id}/responses.csv",
            Coordinator,
            get(surveys::responses_csv),
        ),
        (
            Method::GET,
            "/surveys/{id}/responses.xlsx",
            Coordinator,
            get(surveys::responses_xlsx),
        ),
        (
            Method::GET,
            "/guides/{id}/sessions",
            Coordinator,
            get(guides::sessions),
        ),
        (
            Method::GET,
            "/guides/{id}/themes",
            Viewer,
            get(guides::themes),
        ),
        (
            Method::GET,
            "/guides/{id}/{file}",
            Coordinator,
            get(guides::download),
        ),
        (
            Method::GET,
            "/sessions/{id}",
            Coordinator,
            get(sessions::get),
        ),
        (Method::POST, "/import", Admin, post(import::import)),
        (Method::GET, "/audit", Admin, get(audit::list)),
        (Method::GET, "/users", Admin, get(accounts::users)),
        (Method::POST, "/users", Admin, post(accounts::add_user)),
        (
            Method::DELETE,
            "/users/{name}",
            Admin,
            delete(accounts::remove_user),
        ),
        (Method::GET, "/enrolments", Admin, get(accounts::enrolments)),
        (
            Method::POST,
            "/enrolments",
            Admin,
            post(accounts::add_enrolment),
        ),
        (
            Method::DELETE,
            "/enrolments/{id}",
            Admin,
            delete(accounts::revoke_enrolment),
        ),
        (Method::GET, "/devices", Admin, get(accounts::devices)),
        (
            Method::DELETE,
            "/devices/{id}",
            Admin,
            delete(accounts::revoke_device),
        ),
    ]
}

/// Every endpoint with its access, in the table's order.
pub fn endpoints() -> Vec<Endpoint> {
    table()
        .into_iter()
        .map(|(method, path, access, _)| Endpoint {
            method,
            path,
            access,
        })
        .collect()
}
