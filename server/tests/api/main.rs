//! The collector's HTTP API, tested against real servers on free ports (one test binary).

mod accounts;
mod batch;
mod concurrency;
mod export;
mod focus_groups;
mod helpers;
mod import;
mod reopen;
mod results;
mod roles;
mod routes;
mod sessions;
mod start;
mod submit;
mod versions;
mod xlsform;
