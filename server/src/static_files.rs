//! The built app (Trunk's `dist/`), served as files. Paths that are not files get
//! `index.html`, so the app's own routes survive a reload; under `/focus/` (the facilitator's
//! focus-group screens, their own entry point in `dist/focus/`) and `/enrol` (the enrolment
//! screen, the admin's link `/enrol?code=...`, in `dist/enrol/`) they get that entry's page. A
//! browser that accepts Brotli or gzip gets the `.br` or `.gz` copy `cargo xtask build-app`
//! wrote beside each file (a third of the bytes or less); without those copies, the files as
//! they are.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// Where the focus-group entry point is served, and its folder in `dist/`.
const FOCUS: &str = "/focus";

/// Where the enrolment entry point is served, and its folder in `dist/`.
const ENROL: &str = "/enrol";

pub fn service(app_dir: &Path) -> Router {
    Router::new()
        .nest_service(FOCUS, entry_point(&app_dir.join(&FOCUS[1..])))
        .nest_service(ENROL, entry_point(&app_dir.join(&ENROL[1..])))
        .fallback_service(entry_point(app_dir))
        .layer(middleware::from_fn(no_cache_for_entry_points))
        .layer(middleware::from_fn(vary_by_encoding))
}

/// The files of one entry point's folder, its `index.html` for any other path.
fn entry_point(dir: &Path) -> ServeDir<ServeFile> {
    let page = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page)
}

/// The same path answers in Brotli, gzip or plain bytes: a cache in between must tell them
/// apart.
async fn vary_by_encoding(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// The service worker and the page must be revalidated at every load, or a browser can keep
/// running an old app forever; everything else they name is fingerprinted by Trunk.
async fn no_cache_for_entry_points(req: Request, next: Next) -> Response {
    let is_worker = req.uri().path() == "/sw.js";
    let mut res = next.run(req).await;
    let is_page = res
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if is_worker || is_page {
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}
