//! Importing outbox files: `POST /api/import` and `voci import FILE`. The same checks and
//! idempotency as a batch; a damaged file stores nothing.

use std::path::Path;
use std::process::{Command, Output};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;
use voci_core::outbox_file::OutboxFile;
use voci_server::{Config, open, router};

use crate::helpers::{Folders, outbox_file, spawn_collector, valid_response, with_answers};

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
            "problems": [
                {
                    "id": ids[2],
                    "status": "conflict",
                    "error": format!(
                        "a different response with id {} is already stored; it was kept unchanged",
                        ids[2]
                    ),
                },
                { "id": ids[3], "status": "invalid", "error": "question \"eta\": must be at most 35" },
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
