//! The Voci collector: serves the app, the surveys and the focus-group guides, stores responses
//! and sessions in SQLite, exports CSV and focus-group results.
//!
//! Start-up is a library function: [`open`] loads the survey and guide files and the database (or says
//! precisely what is wrong with them), and [`run`] serves an already-bound listener until the
//! shutdown future completes, so tests can bind port 0 and stop the server when they are done.
//!
//! # Layout
//!
//! - [`cli`]: the `voci` command line (`serve`, `check`, `import`, `token reset`, `user`); `main.rs`
//!   only calls it.
//! - [`startup`]: [`Config`], [`open`], [`router`], [`run`] and the [`AppState`] handlers share.
//! - [`catalog`]: the loaded surveys, guides and site tree, and the checks a response or a
//!   session must pass.
//! - `ingest`: checking and storing responses and sessions, the one path for single
//!   submissions, batches and imported outbox files.
//! - `store`: the database. The only module that speaks SQL.
//! - `api`: the `/api` routes, their JSON extractor and the one error type they answer with.
//! - `accounts`: roles (admin, coordinator, viewer), scopes, enrolled devices, password and
//!   secret hashing, rate limits.
//! - `auth`: who a request comes from (API token, device token or login cookie) and the guard
//!   every route passes, by the access `api/roles.rs` states for it; the first admin.
//! - `audit`: the entries of the append-only audit log.
//! - `results`: which responses a results request selects, within the caller's scope, and the
//!   core's aggregation over them.
//! - `export`: CSV and XLSX downloads, streamed row by row from the database.
//! - `scan`: reading every response of a selection on all cores, results in the order read.
//! - `focus_groups`: what coordinators get from sessions: lists, CSV rows (neutralised
//!   against spreadsheet formulas) and the theme summary with small-cell suppression.
//! - `static_files`: the built app, with the single-page-app fallback to `index.html`.
//!
//! # Invariants
//!
//! - A response is acknowledged (`stored` or `duplicate`) only once it is committed to disk.
//! - An invalid response or session is never stored; a stored one is never overwritten.
//! - Counts of the theme summary and of survey results are suppressed before they leave the
//!   collector.
//! - Every API route states its access; the router is built from that table.

mod accounts;
mod api;
mod audit;
mod auth;
pub mod catalog;
pub mod cli;
mod export;
mod focus_groups;
mod ingest;
mod results;
mod scan;
mod startup;
mod static_files;
mod store;

pub use accounts::{Limit, Limits};
pub use api::{Access, Endpoint, endpoints};
pub use auth::{Security, TokenError};
pub use catalog::CatalogError;
pub use startup::{
    AppState, Config, DB_FILE, Opened, StartError, open, reset_admin_token, router, run,
};
pub use store::StoreError;

/// An error followed by its causes: `cannot open x: permission denied`.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Wrappers often repeat their source's text; say each thing once.
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

/// `1 error`, `2 errors`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
