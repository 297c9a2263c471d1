//! Importing outbox files: `POST /api/import` and `voci import FILE`. The same checks and
//! idempotency as a batch, for responses and focus-group sessions; a damaged file stores
//! nothing; a file from before sessions still imports.

use std::path::Path;
use std::process::{Command, Output};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;
use voci_core::outbox_file::{OutboxFile, responses_checksum};
use voci_core::sync::ItemStatus;
use voci_server::{Config, open, router};

use crate::helpers::{
    Folders, outbox_file, outbox_file_with, spawn_collector, valid_response, valid_session,
    with_answers,
};

/// A file with two new responses, one already stored, one conflicting with it and one
/// invalid; returns it with the stored response (to post first) and the ids in file order.
fn mixed_file() -> (String, Value, Vec<String>) {
    let earlier = valid_response();
    let responses = vec![
        valid_response(),
        earlier.clone(),
        with_answers(&earlier, json!({ "eta": 30 })),
        with_answers(&valid_response(), json!({ "eta": 99 })),
        valid_response(),
    ];
    let ids = responses
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    (outbox_file(&responses), earlier, ids)
}

/// Damaged copies of `good`, each with the message the collector must give.
fn damaged(good: &str) -> Vec<(&'static str, Vec<u8>, String)> {
    let cases = [
        (
            "truncated",
            good[..good.len() * 2 / 3].to_owned().into_bytes(),
        ),
        (
            "altered",
            good.replacen("\"eta\": 16", "\"eta\": 17", 1).into_bytes(),
        ),
        (
            "recounted",
            good.replacen("\"count\": 2", "\"count\": 1", 1)
                .into_bytes(),
        ),
        ("empty", Vec::new()),
        ("not UTF-8", {
            let mut bytes = good.as_bytes().to_vec();
            bytes[good.find("sabato").unwrap()] = 0xff;
            bytes
        }),
    ];
    cases
        .into_iter()
        .map(|(what, bytes)| {
            let message = OutboxFile::parse(&String::from_utf8_lossy(&bytes))
                .expect_err("a damaged file is refused")
                .to_string();
            (what, bytes, message)
        })
        .collect()
}

#[tokio::test]
async fn an_imported_file_is_stored_like_a_batch_and_importing_it_again_stores_nothing() {
    let app = spawn_collector().await;
    let (file, earlier, ids) = mixed_file();
    assert_eq!(app.post_response(&earlier).await.status(), 201);

    let res = app.post_import(file.clone(), Some(&app.admin_token)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "stored": 2, "duplicate": 1, "conflict": 1, "invalid": 1,
            "sessions": { "stored": 0, "duplicate": 0, "conflict": 0, "invalid": 0 },
            "problems": [
                {
                    "kind": "response",
                    "id": ids[2],
                    "status": "conflict",
                    "error": format!(
                        "a different response with id {} is already stored; it was kept unchanged",
                        ids[2]
                    ),
                },
                {
                    "kind": "response",
                    "id": ids[3],
                    "status": "invalid",
                    "error": "question \"eta\": must be at most 35",
                },
            ],
        })
    );
    let csv = app.csv().await;
    let stored: Vec<&str> = (0..csv.rows.len())
        .map(|i| csv.cell(i, "response_id"))
        .collect();
    assert_eq!(stored, [&ids[1], &ids[0], &ids[4]]);

    let res = app.post_import(file.clone(), Some(&app.admin_token)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (
            &body["stored"],
            &body["duplicate"],
            &body["conflict"],
            &body["invalid"]
        ),
        (&json!(0), &json!(3), &json!(1), &json!(1))
    );
    assert_eq!(app.csv().await.rows, csv.rows);
}

#[tokio::test]
async fn importing_needs_the_admin_token() {
    let app = spawn_collector().await;
    let file = outbox_file(&[valid_response()]);
    for token in [None, Some("wrong")] {
        let res = app.post_import(file.clone(), token).await;
        assert_eq!(res.status(), 401, "{token:?}");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"].is_string(), "{body}");
    }
    assert!(app.csv().await.rows.is_empty());
}

#[tokio::test]
async fn a_damaged_file_is_refused_with_422_and_nothing_is_stored() {
    let app = spawn_collector().await;
    let good = outbox_file(&[valid_response(), valid_response()]);
    for (what, bytes, message) in damaged(&good) {
        let res = app.post_import(bytes, Some(&app.admin_token)).await;
        assert_eq!(res.status(), 422, "{what}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body, json!({ "error": message }), "{what}");
    }
    assert!(app.csv().await.rows.is_empty());
}

/// Through the router without a socket, so the oversized body is refused without a client
/// that is still sending it.
#[tokio::test]
async fn an_import_may_be_larger_than_a_batch_up_to_16_mib() {
    let folders = Folders::new();
    let opened = open(&folders.config()).unwrap();
    let token = opened.new_admin_token.clone().unwrap();
    let app = router(opened.state);
    let post = |body: String| {
        Request::post("/api/import")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(body))
            .unwrap()
    };

    // 3 MiB: over the batch limit. Each response is invalid (too long), and said so.
    let long = "x".repeat(1024 * 1024);
    let file = outbox_file(&vec![
        with_answers(
            &valid_response(),
            json!({ "commento": long })
        );
        3
    ]);
    let res = app.clone().oneshot(post(file)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["invalid"], 3, "{body}");

    let res = app
        .oneshot(post(" ".repeat(16 * 1024 * 1024 + 1)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(body["error"].as_str().unwrap().contains("16 MiB"), "{body}");
}

/// `voci import FILE --data DIR --surveys DIR`, as a coordinator runs it.
fn voci_import(file: &Path, config: &Config) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voci"))
        .arg("import")
        .arg(file)
        .arg("--data")
        .arg(&config.data_dir)
        .arg("--surveys")
        .arg(&config.surveys_dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn voci_import_works_beside_a_running_collector_and_stores_nothing_twice() {
    let app = spawn_collector().await;
    let (file, earlier, ids) = mixed_file();
    assert_eq!(app.post_response(&earlier).await.status(), 201);
    let path = app.folders.data.path().join("outbox.json");
    std::fs::write(&path, &file).unwrap();

    // The collector keeps taking batches while the file is imported.
    let import = {
        let (path, config) = (path.clone(), app.folders.config());
        tokio::task::spawn_blocking(move || voci_import(&path, &config))
    };
    let batches: Vec<Vec<Value>> = (0..10)
        .map(|_| (0..10).map(|_| valid_response()).collect())
        .collect();
    for batch in &batches {
        let body: Value = app.post_batch(batch).await.json().await.unwrap();
        assert!(
            body["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["status"] == "stored"),
            "{body}"
        );
    }
    let out = import.await.unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "imported {}: 2 stored, 1 duplicate, 1 conflict, 1 invalid\n  \
             conflict {id2}: a different response with id {id2} is already stored; it was kept unchanged\n  \
             invalid {id3}: question \"eta\": must be at most 35\n",
            path.display(),
            id2 = ids[2],
            id3 = ids[3],
        )
    );
    assert_eq!(app.csv().await.rows.len(), 1 + 2 + 100);

    let again = voci_import(&path, &app.folders.config());
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again.stdout).starts_with(&format!(
            "imported {}: 0 stored, 3 duplicate, 1 conflict, 1 invalid\n",
            path.display()
        )),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(app.csv().await.rows.len(), 1 + 2 + 100);
}

#[tokio::test]
async fn voci_import_refuses_a_damaged_file_with_exit_code_1_and_stores_nothing() {
    let app = spawn_collector().await;
    let good = outbox_file(&[valid_response(), valid_response()]);
    let path = app.folders.data.path().join("outbox.json");
    for (what, bytes, message) in damaged(&good) {
        std::fs::write(&path, bytes).unwrap();
        let out = voci_import(&path, &app.folders.config());
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert!(text(&out.stdout).is_empty(), "{what}");
        assert_eq!(
            text(&out.stderr),
            format!(
                "voci import: {}: {message}\nvoci import: nothing was imported\n",
                path.display()
            ),
            "{what}"
        );
    }
    assert!(app.csv().await.rows.is_empty());
}

#[test]
fn voci_import_needs_an_existing_database() {
    let folders = Folders::new();
    let path = folders.app.path().join("outbox.json");
    std::fs::write(&path, outbox_file(&[valid_response()])).unwrap();
    let out = voci_import(&path, &folders.config());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("there is no database at"), "{err}");
    assert!(!folders.config().db_path().exists());
}

/// A file with a response and three sessions: a new one, one the device also synced, and one
/// quoting a participant who did not consent. Returns it with the synced session, the refused
/// one and the new one.
fn file_with_sessions() -> (String, Value, Value, Value) {
    let (new, synced) = (valid_session(), valid_session());
    let mut refused = valid_session();
    refused["quotes"][0]["participant"] = json!("P2");
    let file = outbox_file_with(
        &[valid_response()],
        &[new.clone(), synced.clone(), refused.clone()],
    );
    (file, synced, refused, new)
}

fn session_path(session: &Value) -> String {
    format!("/api/sessions/{}", session["id"].as_str().unwrap())
}

const NO_CONSENT: &str =
    "quotes[0]: participant P2 has not given consent, so they cannot be quoted";

#[tokio::test]
async fn sessions_in_a_file_are_stored_once_and_a_quote_without_consent_is_refused() {
    let app = spawn_collector().await;
    let (file, synced, refused, new) = file_with_sessions();
    let results = app.sync_sessions(std::slice::from_ref(&synced)).await;
    assert_eq!(results[0].status, ItemStatus::Stored);

    let res = app.post_import(file.clone(), Some(&app.admin_token)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "stored": 1, "duplicate": 0, "conflict": 0, "invalid": 0,
            "sessions": { "stored": 1, "duplicate": 1, "conflict": 0, "invalid": 1 },
            "problems": [
                { "kind": "session", "id": refused["id"], "status": "invalid", "error": NO_CONSENT },
            ],
        })
    );
    // The refused session is nowhere; everything else of the file is stored as sent.
    let res = app
        .get(&session_path(&refused), Some(&app.admin_token))
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.admin_json(&session_path(&new)).await, new);
    assert_eq!(app.admin_json(&session_path(&synced)).await, synced);
    let listed = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert_eq!(app.csv().await.rows.len(), 1);

    // Again: nothing new; a changed copy of a stored session is a conflict and changes nothing.
    let res = app.post_import(file, Some(&app.admin_token)).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["duplicate"], 1, "{body}");
    assert_eq!(
        body["sessions"],
        json!({ "stored": 0, "duplicate": 2, "conflict": 0, "invalid": 1 })
    );
    let mut changed = new.clone();
    changed["notes"][0]["text"] = json!("Un altro testo");
    let res = app
        .post_import(outbox_file_with(&[], &[changed]), Some(&app.admin_token))
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["sessions"]["conflict"], 1, "{body}");
    assert_eq!(body["problems"][0]["kind"], "session");
    assert_eq!(app.admin_json(&session_path(&new)).await, new);
    let listed = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
}

#[tokio::test]
async fn a_file_from_before_sessions_still_imports() {
    let app = spawn_collector().await;
    let response = valid_response();
    let parsed: voci_core::Response = serde_json::from_value(response.clone()).unwrap();
    let version_1 = json!({
        "format": "voci-outbox",
        "version": 1,
        "exported_at": "2026-03-02T18:00:00+01:00",
        "count": 1,
        "responses": [response],
        "checksum": responses_checksum(std::slice::from_ref(&parsed)),
    })
    .to_string();
    let res = app.post_import(version_1, Some(&app.admin_token)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (&body["stored"], &body["sessions"]["stored"]),
        (&json!(1), &json!(0))
    );
    let csv = app.csv().await;
    assert_eq!(csv.cell(0, "response_id"), response["id"].as_str().unwrap());
}

#[tokio::test]
async fn a_file_with_a_tampered_session_is_refused_whole() {
    let app = spawn_collector().await;
    let (file, _, _, new) = file_with_sessions();
    let tampered = file.replacen("Aprire la palestra", "Chiudere la palestra", 1);
    assert_ne!(tampered, file);
    let res = app.post_import(tampered, Some(&app.admin_token)).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "error": "the checksum does not match: the file was changed or damaged after export" })
    );
    assert!(app.csv().await.rows.is_empty());
    let res = app.get(&session_path(&new), Some(&app.admin_token)).await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn voci_import_counts_and_lists_the_sessions() {
    let app = spawn_collector().await;
    let (file, synced, refused, new) = file_with_sessions();
    app.sync_sessions(std::slice::from_ref(&synced)).await;
    let path = app.folders.data.path().join("outbox.json");
    std::fs::write(&path, &file).unwrap();

    let out = voci_import(&path, &app.folders.config());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "imported {}: responses: 1 stored, 0 duplicate, 0 conflict, 0 invalid; \
             sessions: 1 stored, 1 duplicate, 0 conflict, 1 invalid\n  \
             invalid session {id}: {NO_CONSENT}\n",
            path.display(),
            id = refused["id"].as_str().unwrap(),
        )
    );
    assert_eq!(app.admin_json(&session_path(&new)).await, new);

    let again = voci_import(&path, &app.folders.config());
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again.stdout).starts_with(&format!(
            "imported {}: responses: 0 stored, 1 duplicate, 0 conflict, 0 invalid; \
             sessions: 0 stored, 2 duplicate, 0 conflict, 1 invalid\n",
            path.display()
        )),
        "{}",
        text(&again.stdout)
    );
    let listed = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
}
