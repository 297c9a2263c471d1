//! The router without a socket (`oneshot`): the read-only API, unknown paths, the app's files.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use tower::ServiceExt;
use voci_server::{open, router};

use crate::helpers::{Folders, INDEX_HTML};

async fn get(folders: &Folders, method: &str, path: &str) -> Response {
    get_accepting(folders, method, path, None).await
}

/// A request with `Accept-Encoding: encodings` when given.
async fn get_accepting(
    folders: &Folders,
    method: &str,
    path: &str,
    encodings: Option<&str>,
) -> Response {
    let opened = open(&folders.config()).unwrap();
    let mut request = Request::builder().method(method).uri(path);
    if let Some(encodings) = encodings {
        request = request.header("accept-encoding", encodings);
    }
    let request = request.body(Body::empty()).unwrap();
    router(opened.state).oneshot(request).await.unwrap()
}

async fn body_bytes(res: Response) -> Vec<u8> {
    axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read as _;
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .unwrap();
    out
}

fn header<'r>(res: &'r Response, name: &str) -> Option<&'r str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

async fn body_text(res: Response) -> String {
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn body_json(res: Response) -> Value {
    serde_json::from_str(&body_text(res).await).unwrap()
}

fn cache_control(res: &Response) -> Option<&str> {
    header(res, "cache-control")
}

#[tokio::test]
async fn health() {
    let folders = Folders::new();
    let res = get(&folders, "GET", "/api/health").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_json(res).await, json!({ "ok": true }));
}

#[tokio::test]
async fn surveys_are_listed_by_id_then_version() {
    let folders = Folders::new();
    let res = get(&folders, "GET", "/api/surveys").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/json");
    let surveys: Vec<voci_core::Survey> = serde_json::from_value(body_json(res).await).unwrap();
    let keys: Vec<(&str, &str)> = surveys
        .iter()
        .map(|s| (s.id.as_str(), s.version.as_str()))
        .collect();
    assert_eq!(keys, [("giovani", "1"), ("giovani", "2")]);
    assert_eq!(surveys[0].questions().count(), 3);
}

#[tokio::test]
async fn sites_are_the_tree() {
    let folders = Folders::new();
    let res = get(&folders, "GET", "/api/sites").await;
    assert_eq!(res.status(), StatusCode::OK);
    let tree: voci_core::SiteTree = serde_json::from_value(body_json(res).await).unwrap();
    let ids: Vec<&str> = tree.flatten().iter().map(|(_, s)| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ambito-5",
            "ambito-5/melzo",
            "ambito-5/melzo/ic-mascagni",
            "ambito-5/melzo/spazio-giovani"
        ]
    );
}

#[tokio::test]
async fn unknown_api_paths_and_methods_get_json_errors() {
    let folders = Folders::new();
    let res = get(&folders, "GET", "/api/nothing/here").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body = body_json(res).await;
    assert_eq!(body["error"], "no such API endpoint: GET /api/nothing/here");

    let res = get(&folders, "DELETE", "/api/health").await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(body_json(res).await["error"].is_string());
}

#[tokio::test]
async fn the_app_is_served_with_a_single_page_fallback() {
    let folders = Folders::new();

    let res = get(&folders, "GET", "/").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cache_control(&res), Some("no-cache"));
    assert_eq!(body_text(res).await, INDEX_HTML);

    let res = get(&folders, "GET", "/index.html").await;
    assert_eq!(cache_control(&res), Some("no-cache"));

    let res = get(&folders, "GET", "/sw.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cache_control(&res), Some("no-cache"));

    // Fingerprinted assets may be cached.
    let res = get(&folders, "GET", "/voci-1a2b.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cache_control(&res), None);
    assert_eq!(body_text(res).await, "console.log('voci');");

    // The app's own routes reload into the app.
    let res = get(&folders, "GET", "/survey/giovani/2").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cache_control(&res), Some("no-cache"));
    assert_eq!(body_text(res).await, INDEX_HTML);
}

#[tokio::test]
async fn the_app_goes_out_compressed_to_browsers_that_accept_it() {
    let folders = Folders::new();
    let app = folders.app.path();
    let script = "console.log('voci');";
    std::fs::write(app.join("voci-1a2b.js.gz"), gzip(script.as_bytes())).unwrap();
    std::fs::write(app.join("voci-1a2b.js.br"), b"brotli bytes").unwrap();
    std::fs::write(app.join("index.html.gz"), gzip(INDEX_HTML.as_bytes())).unwrap();

    let res = get_accepting(&folders, "GET", "/voci-1a2b.js", Some("gzip, deflate")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), Some("gzip"));
    assert_eq!(header(&res, "content-type"), Some("text/javascript"));
    assert!(header(&res, "vary").is_some_and(|v| v.contains("accept-encoding")));
    assert_eq!(gunzip(&body_bytes(res).await), script);

    // Brotli first when the browser takes both, as Chromium does.
    let res = get_accepting(
        &folders,
        "GET",
        "/voci-1a2b.js",
        Some("gzip, deflate, br, zstd"),
    )
    .await;
    assert_eq!(header(&res, "content-encoding"), Some("br"));
    assert_eq!(body_bytes(res).await, b"brotli bytes");

    // No compressed copy, or a client that takes none: the file as it is.
    let res = get_accepting(&folders, "GET", "/sw.js", Some("gzip, br")).await;
    assert_eq!(header(&res, "content-encoding"), None);
    let res = get_accepting(&folders, "GET", "/voci-1a2b.js", None).await;
    assert_eq!(header(&res, "content-encoding"), None);
    assert_eq!(body_text(res).await, script);

    // The page, and the app's own routes, which fall back to it.
    for path in ["/", "/survey/giovani/2"] {
        let res = get_accepting(&folders, "GET", path, Some("gzip")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, "content-encoding"), Some("gzip"), "{path}");
        assert_eq!(cache_control(&res), Some("no-cache"), "{path}");
        assert_eq!(gunzip(&body_bytes(res).await), INDEX_HTML, "{path}");
    }
}

/// An entry point's folder in the app's `dist/` (`focus`, `enrol`): its page with a gzip copy,
/// and one script with gzip and Brotli copies (the Brotli copy reads `brotli <name>`).
fn entry_folder(folders: &Folders, name: &str, page: &str, (file, script): (&str, &str)) {
    let dir = folders.app.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), page).unwrap();
    std::fs::write(dir.join("index.html.gz"), gzip(page.as_bytes())).unwrap();
    std::fs::write(dir.join(file), script).unwrap();
    std::fs::write(dir.join(format!("{file}.gz")), gzip(script.as_bytes())).unwrap();
    std::fs::write(dir.join(format!("{file}.br")), format!("brotli {name}")).unwrap();
}

#[tokio::test]
async fn the_focus_entry_is_served_from_its_own_folder_compressed() {
    let folders = Folders::new();
    let page = "<!doctype html><title>Voci — focus group</title>";
    let script = "console.log('focus');";
    entry_folder(&folders, "focus", page, ("voci-focus-3c4d.js", script));

    // The page, at its address with or without the slash and for any path under it (never
    // the PWA's page), revalidated at every load.
    for path in ["/focus/", "/focus", "/focus/index.html", "/focus/session/2"] {
        let res = get(&folders, "GET", path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&res), Some("no-cache"), "{path}");
        assert_eq!(body_text(res).await, page, "{path}");
        let res = get_accepting(&folders, "GET", path, Some("gzip")).await;
        assert_eq!(header(&res, "content-encoding"), Some("gzip"), "{path}");
        assert_eq!(gunzip(&body_bytes(res).await), page, "{path}");
    }

    // Its fingerprinted files, in the encoding the browser takes.
    let res = get_accepting(
        &folders,
        "GET",
        "/focus/voci-focus-3c4d.js",
        Some("gzip, br"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), Some("br"));
    assert_eq!(header(&res, "content-type"), Some("text/javascript"));
    assert!(header(&res, "vary").is_some_and(|v| v.contains("accept-encoding")));
    assert_eq!(cache_control(&res), None);
    assert_eq!(body_bytes(res).await, b"brotli focus");
    let res = get_accepting(&folders, "GET", "/focus/voci-focus-3c4d.js", Some("gzip")).await;
    assert_eq!(gunzip(&body_bytes(res).await), script);
    let res = get_accepting(&folders, "GET", "/focus/voci-focus-3c4d.js", None).await;
    assert_eq!(body_text(res).await, script);

    // The PWA's own routes still reload into the PWA.
    let res = get(&folders, "GET", "/focused").await;
    assert_eq!(body_text(res).await, INDEX_HTML);
}

#[tokio::test]
async fn the_enrol_entry_is_served_from_its_own_folder_with_the_code_in_its_address() {
    let folders = Folders::new();
    let page = "<!doctype html><title>Voci — registrazione del tablet</title>";
    let script = "console.log('enrol');";
    entry_folder(&folders, "enrol", page, ("voci-enrol-5e6f.js", script));

    // The page at the admin's link (the code stays in the address: no redirect), with or
    // without the slash, never the PWA's page, revalidated at every load.
    for path in [
        "/enrol?code=ABCD-EFGH-JKMN",
        "/enrol",
        "/enrol/",
        "/enrol/?code=ABCD",
        "/enrol/index.html",
    ] {
        let res = get(&folders, "GET", path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&res), Some("no-cache"), "{path}");
        assert_eq!(body_text(res).await, page, "{path}");
        let res = get_accepting(&folders, "GET", path, Some("gzip")).await;
        assert_eq!(header(&res, "content-encoding"), Some("gzip"), "{path}");
        assert_eq!(gunzip(&body_bytes(res).await), page, "{path}");
    }

    // Its fingerprinted files, in the encoding the browser takes.
    let file = "/enrol/voci-enrol-5e6f.js";
    let res = get_accepting(&folders, "GET", file, Some("gzip, br")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), Some("br"));
    assert_eq!(header(&res, "content-type"), Some("text/javascript"));
    assert!(header(&res, "vary").is_some_and(|v| v.contains("accept-encoding")));
    assert_eq!(cache_control(&res), None);
    assert_eq!(body_bytes(res).await, b"brotli enrol");
    let res = get_accepting(&folders, "GET", file, Some("gzip")).await;
    assert_eq!(gunzip(&body_bytes(res).await), script);
    let res = get_accepting(&folders, "GET", file, None).await;
    assert_eq!(body_text(res).await, script);

    // Addresses that only start like it are the PWA's; the collector's enrol API is its own.
    let res = get(&folders, "GET", "/enrolment").await;
    assert_eq!(body_text(res).await, INDEX_HTML);
    let res = get(&folders, "GET", "/api/devices/enrol").await;
    assert_ne!(body_text(res).await, page);
}
