//! The built app (Trunk's `dist/`), served as files. Paths that are not files get
//! `index.html`, so the app's own routes survive a reload. A browser that accepts Brotli or
//! gzip gets the `.br` or `.gz` copy `cargo xtask build-app` wrote beside each file (a third
//! of the bytes or less); without those copies, the files as they are.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

pub fn service(app_dir: &Path) -> Router {
    let page = ServeFile::new(app_dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(app_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(no_cache_for_entry_points))
        .layer(middleware::from_fn(vary_by_encoding))
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
