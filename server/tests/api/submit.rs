//! `POST /api/responses`: storing, idempotence, conflicts, and refusing invalid responses.

use serde_json::{Value, json};

use crate::helpers::{
    Folders, SITE, SITES, SURVEY_V1, spawn_collector, spawn_collector_in, valid_response,
    with_answers, with_field,
};

#[tokio::test]
async fn a_valid_response_is_stored_and_downloadable() {
    let app = spawn_collector().await;
    let response = valid_response();
    let id = response["id"].as_str().unwrap();

    let res = app.post_response(&response).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({ "id": id, "status": "stored" }));

    let csv = app.csv().await;
    assert_eq!(csv.rows.len(), 1);
    assert_eq!(csv.cell(0, "response_id"), id);
    assert_eq!(csv.cell(0, "survey_version"), "1");
    assert_eq!(csv.cell(0, "site"), SITE);
    assert_eq!(csv.cell(0, "language"), "it");
    assert_eq!(csv.cell(0, "submitted_at"), "2026-03-02");
    assert_eq!(csv.cell(0, "eta"), "16");
    assert_eq!(csv.cell(0, "attivita"), "sport musica");
    assert_eq!(csv.cell(0, "attivita/sport"), "1");
    assert_eq!(csv.cell(0, "attivita/musica"), "1");
    assert_eq!(csv.cell(0, "attivita/volontariato"), "0");
    // Commas, quotes and accents survive the CSV round trip.
    assert_eq!(
        csv.cell(0, "commento"),
        "Più spazi, anche il sabato; e \"meno\" compiti"
    );
}

#[tokio::test]
async fn the_same_response_twice_is_stored_once() {
    let app = spawn_collector().await;
    let response = valid_response();
    let id = response["id"].as_str().unwrap();
    assert_eq!(app.post_response(&response).await.status(), 201);

    let again = app.post_response(&response).await;
    assert_eq!(again.status(), 200);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body, json!({ "id": id, "status": "duplicate" }));

    // An upper-case id is the same UUID.
    let shouted = with_field(&response, "id", json!(id.to_uppercase()));
    assert_eq!(app.post_response(&shouted).await.status(), 200);

    assert_eq!(app.csv().await.rows.len(), 1);
}

#[tokio::test]
async fn a_different_response_with_a_stored_id_conflicts_and_changes_nothing() {
    let app = spawn_collector().await;
    let original = valid_response();
    let id = original["id"].as_str().unwrap();
    assert_eq!(app.post_response(&original).await.status(), 201);

    let changed = with_answers(&original, json!({ "eta": 17 }));
    let res = app.post_response(&changed).await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["id"], id);
    assert_eq!(body["status"], "conflict");
    assert!(
        body["error"].as_str().unwrap().contains("already stored"),
        "{body}"
    );

    let csv = app.csv().await;
    assert_eq!(csv.rows.len(), 1);
    assert_eq!(csv.cell(0, "eta"), "16");
}

#[tokio::test]
async fn invalid_responses_are_refused_with_a_message_and_not_stored() {
    let app = spawn_collector().await;
    let good = valid_response();
    // (what is wrong, the response, the status, the start of the message, the question)
    let cases: Vec<(&str, Value, u16, &str, Option<&str>)> = vec![
        (
            "missing required answer",
            with_answers(&good, json!({ "eta": null })),
            422,
            "question \"eta\": an answer is required",
            Some("eta"),
        ),
        (
            "text for a number",
            with_answers(&good, json!({ "eta": "sedici" })),
            422,
            "question \"eta\": expected a number",
            Some("eta"),
        ),
        (
            "number above the maximum",
            with_answers(&good, json!({ "eta": 40 })),
            422,
            "question \"eta\": must be at most 35",
            Some("eta"),
        ),
        (
            "unknown choice",
            with_answers(&good, json!({ "attivita": ["sport", "calcio"] })),
            422,
            "question \"attivita\": \"calcio\" is not one of its choices",
            Some("attivita"),
        ),
        (
            "one choice for a multiple-choice question",
            with_answers(&good, json!({ "attivita": "sport" })),
            422,
            "question \"attivita\": expected a list of choices",
            Some("attivita"),
        ),
        (
            "unknown question",
            with_answers(&good, json!({ "colore": "blu" })),
            422,
            "question \"colore\": the survey has no such question",
            Some("colore"),
        ),
        (
            "unknown survey",
            with_field(&good, "survey", json!("nessuno")),
            422,
            "unknown survey \"nessuno\" version \"1\"",
            None,
        ),
        (
            "unknown version",
            with_field(&good, "version", json!("9")),
            422,
            "unknown survey \"giovani\" version \"9\"",
            None,
        ),
        (
            "unknown site",
            with_field(&good, "site", json!("ambito-5/melzo/altrove")),
            422,
            "unknown site \"ambito-5/melzo/altrove\"",
            None,
        ),
        (
            "exact time for an anonymous survey",
            with_field(&good, "submitted_at", json!("2026-03-02T10:15:00+01:00")),
            422,
            "submitted_at: the survey is anonymous, so it records the date only",
            None,
        ),
        (
            "start time for an anonymous survey",
            with_field(&good, "started_at", json!("2026-03-02T10:05:00+01:00")),
            422,
            "started_at: the survey is anonymous",
            None,
        ),
        (
            "a submission time that is not a time",
            with_field(&good, "submitted_at", json!("ieri")),
            422,
            "submitted_at: \"ieri\" is not a date",
            None,
        ),
        (
            "id that is not a UUID",
            with_field(&good, "id", json!("risposta-1")),
            422,
            "this is not a valid response",
            None,
        ),
        (
            "unknown field",
            with_field(&good, "extra", json!(true)),
            422,
            "this is not a valid response",
            None,
        ),
    ];
    for (what, response, status, message, question) in cases {
        let res = app.post_response(&response).await;
        assert_eq!(res.status(), status, "{what}");
        let body: Value = res.json().await.unwrap();
        let error = body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: {body}"));
        assert!(error.starts_with(message), "{what}: {error}");
        if let Some(question) = question {
            assert_eq!(body["errors"][0]["question"], question, "{what}: {body}");
        }
    }

    // Malformed JSON gets a JSON answer too.
    let res = app.post_raw("/api/responses", "{\"id\": ").await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("JSON"), "{body}");

    // So does a body sent without a JSON content type.
    let res = app
        .client
        .post(app.url("/api/responses"))
        .body(good.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");

    assert_eq!(app.csv().await.rows.len(), 0);
}

#[tokio::test]
async fn every_problem_is_listed() {
    let app = spawn_collector().await;
    let response = with_answers(
        &valid_response(),
        json!({ "eta": 5, "attivita": ["nuoto"] }),
    );
    let res = app.post_response(&response).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    let problems: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["question"].as_str().unwrap(),
                e["problem"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [("eta", "below_min"), ("attivita", "unknown_choice")]
    );
}

#[tokio::test]
async fn an_oversized_response_is_refused_with_413() {
    let app = spawn_collector().await;
    let long = "x".repeat(100 * 1024);
    let response = with_answers(&valid_response(), json!({ "commento": long }));
    let res = app.post_response(&response).await;
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("too large"),
        "{body}"
    );
    assert_eq!(app.csv().await.rows.len(), 0);
}

#[tokio::test]
async fn a_survey_that_is_not_anonymous_records_start_and_end_times() {
    let survey = SURVEY_V1
        .replace("id = \"giovani\"", "id = \"registro\"")
        .replace(
            "languages = [\"it\"]",
            "languages = [\"it\"]\nanonymous = false",
        );
    let app = spawn_collector_in(Folders::with_surveys(&[
        ("registro.toml", &survey),
        ("sites.toml", SITES),
    ]))
    .await;
    let response = with_field(
        &with_field(&valid_response(), "survey", json!("registro")),
        "started_at",
        json!("2026-03-02T10:05:00+01:00"),
    );
    let response = with_field(
        &response,
        "submitted_at",
        json!("2026-03-02T10:15:00+01:00"),
    );
    let res = app.post_response(&response).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let csv = app.admin_csv("/api/surveys/registro/responses.csv").await;
    assert_eq!(csv.cell(0, "started_at"), "2026-03-02T10:05:00+01:00");
    assert_eq!(csv.cell(0, "submitted_at"), "2026-03-02T10:15:00+01:00");
}
