//! `POST /api/responses/batch`: one outcome per item, in order; replaying changes nothing.

use serde_json::{Value, json};

use crate::helpers::{new_id, spawn_collector, valid_response, with_answers};

/// The `(id, status)` of each result, and whether it has an error message.
fn outcomes(body: &Value) -> Vec<(Value, String, bool)> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].clone(),
                r["status"].as_str().unwrap().to_owned(),
                r["error"].is_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_mixed_batch_gets_one_outcome_per_item_and_replaying_it_changes_nothing() {
    let app = spawn_collector().await;
    let earlier = valid_response();
    assert_eq!(app.post_response(&earlier).await.status(), 201);

    let fresh = valid_response();
    let twice = valid_response();
    let invalid_id = new_id();
    let batch = vec![
        fresh.clone(),
        earlier.clone(),
        with_answers(&earlier, json!({ "eta": 30 })),
        with_answers(&valid_response(), json!({ "eta": 99 })),
        json!({ "id": invalid_id, "survey": 42 }),
        json!("not a response"),
        twice.clone(),
        twice.clone(),
        with_answers(&twice, json!({ "commento": "cambiato" })),
    ];
    let id = |r: &Value| r["id"].clone();
    let expected = vec![
        (id(&fresh), "stored".to_owned(), false),
        (id(&earlier), "duplicate".to_owned(), false),
        (id(&earlier), "conflict".to_owned(), true),
        (id(&batch[3]), "invalid".to_owned(), true),
        (json!(invalid_id), "invalid".to_owned(), true),
        (Value::Null, "invalid".to_owned(), true),
        (id(&twice), "stored".to_owned(), false),
        (id(&twice), "duplicate".to_owned(), false),
        (id(&twice), "conflict".to_owned(), true),
    ];

    let res = app.post_batch(&batch).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(outcomes(&body), expected, "{body}");
    assert_eq!(
        body["results"][3]["error"],
        "question \"eta\": must be at most 35"
    );
    assert_eq!(body["results"][3]["errors"][0]["question"], "eta");

    let before = app.csv().await;
    assert_eq!(before.rows.len(), 3);

    // The app resends a batch whose answer it did not get: everything stored is a duplicate.
    let res = app.post_batch(&batch).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let replayed: Vec<String> = outcomes(&body).into_iter().map(|(_, s, _)| s).collect();
    assert_eq!(
        replayed,
        [
            "duplicate",
            "duplicate",
            "conflict",
            "invalid",
            "invalid",
            "invalid",
            "duplicate",
            "duplicate",
            "conflict"
        ]
    );
    let after = app.csv().await;
    assert_eq!(after.rows, before.rows);
    assert_eq!(after.cell(1, "eta"), "16");
    assert_eq!(after.cell(2, "commento"), before.cell(2, "commento"));
}

#[tokio::test]
async fn an_empty_batch_is_fine() {
    let app = spawn_collector().await;
    let res = app.post_batch(&[]).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({ "results": [] }));
}

#[tokio::test]
async fn a_batch_over_the_limits_is_refused_with_413() {
    let app = spawn_collector().await;

    let too_many: Vec<Value> = (0..101).map(|_| valid_response()).collect();
    let res = app.post_batch(&too_many).await;
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("at most 100"),
        "{body}"
    );

    let long = "x".repeat(20 * 1024);
    let too_big: Vec<Value> = (0..60)
        .map(|_| with_answers(&valid_response(), json!({ "commento": long })))
        .collect();
    let res = app.post_batch(&too_big).await;
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");

    assert_eq!(app.csv().await.rows.len(), 0);
}

#[tokio::test]
async fn a_malformed_batch_body_gets_a_json_400() {
    let app = spawn_collector().await;
    let res = app
        .post_raw("/api/responses/batch", "{\"responses\": [")
        .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");
}
