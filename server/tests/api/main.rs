//! The collector's HTTP API, tested against real servers on free ports (one test binary).

mod batch;
mod concurrency;
mod export;
mod focus_groups;
mod helpers;
mod import;
mod reopen;
mod routes;
mod sessions;
mod start;
mod submit;
mod versions;
