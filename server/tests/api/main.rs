//! The collector's HTTP API, tested against real servers on free ports (one test binary).

mod batch;
mod export;
mod helpers;
mod reopen;
mod routes;
mod start;
mod submit;
