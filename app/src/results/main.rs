//! Voci's results area: coordinators and viewers sign in and read the results of their
//! surveys and sites, with charts, a cross-tab, a T0/T1 comparison and downloads; admins also
//! import a tablet's exported file here.
//!
//! One of the app crate's entry points (bin `voci-results`; the others are the PWA, `/focus/`
//! and `/enrol`), built by Trunk into
//! `dist/results/` and served at `/results/`. It works online only and is not part of the
//! respondents' PWA: the service worker neither precaches nor serves it, so the tablets'
//! first load does not carry it. Every count comes from the collector already suppressed;
//! this code only draws what it is given.
//!
//! # Layout
//!
//! - [`components`]: the screens and their parts (sign-in, survey list, filters, one
//!   question's table and chart, cross-tab, comparison, downloads, the import of a file).
//! - [`state`]: the area's state and actions (one context value).
//! - [`api`]: the collector's endpoints, typed, and why a call failed.
//! - [`query`]: filters as query strings, the sites a user may pick.
//! - [`chart`]: bar and stacked-bar geometry and the charts' text summaries (host-tested).
//! - [`download`]: a file fetched as a stream with its progress, then saved.
//! - [`import`]: an admin's upload of a tablet's exported file, and what the collector did.
//! - [`i18n`]: the area's texts in Italian, English and Arabic.

mod api;
mod chart;
mod components;
mod download;
mod i18n;
mod import;
#[path = "../lang.rs"]
mod lang;
mod query;
mod state;

fn main() {
    leptos::mount::mount_to_body(components::App);
}
