//! `GET /api/surveys/{id}/responses.csv`: the admin token, the headers, the columns.

use serde_json::{Value, json};

use crate::helpers::{Csv, spawn_collector, valid_response, with_answers, with_field};

#[tokio::test]
async fn downloads_need_the_admin_token() {
    let app = spawn_collector().await;
    for token in [None, Some("wrong"), Some("")] {
        let res = app.get_csv("giovani", token).await;
        assert_eq!(res.status(), 401, "{token:?}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"].is_string(), "{body}");
    }
    // Another scheme is no token either.
    let res = app
        .client
        .get(app.url("/api/surveys/giovani/responses.csv"))
        .header("authorization", format!("Basic {}", app.admin_token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // An unknown survey is not revealed without the token.
    assert_eq!(app.get_csv("nessuno", None).await.status(), 401);
}

#[tokio::test]
async fn an_unknown_survey_is_404() {
    let app = spawn_collector().await;
    let res = app.get_csv("nessuno", Some(&app.admin_token)).await;
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "unknown survey \"nessuno\"");
}

#[tokio::test]
async fn the_download_is_utf8_csv_in_the_latest_versions_columns_in_order_of_receipt() {
    let app = spawn_collector().await;
    let first = valid_response();
    let second = with_answers(
        &with_field(&valid_response(), "version", json!("2")),
        json!({ "spazio": "oratorio", "attivita": null, "commento": null }),
    );
    assert_eq!(app.post_response(&first).await.status(), 201);
    assert_eq!(app.post_response(&second).await.status(), 201);

    let res = app.get_csv("giovani", Some(&app.admin_token)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"giovani.csv\""
    );
    let csv = Csv::parse(&res.text().await.unwrap());
    assert_eq!(
        csv.header,
        [
            "response_id",
            "survey_version",
            "site",
            "group",
            "language",
            "started_at",
            "submitted_at",
            "eta",
            "attivita",
            "attivita/sport",
            "attivita/musica",
            "attivita/volontariato",
            "commento",
            "spazio",
        ]
    );
    assert_eq!(csv.rows.len(), 2);
    assert_eq!(csv.cell(0, "response_id"), first["id"].as_str().unwrap());
    assert_eq!(csv.cell(0, "spazio"), "");
    assert_eq!(csv.cell(1, "response_id"), second["id"].as_str().unwrap());
    assert_eq!(csv.cell(1, "survey_version"), "2");
    assert_eq!(csv.cell(1, "spazio"), "oratorio");
    // Not answered: empty, not 0.
    assert_eq!(csv.cell(1, "attivita"), "");
    assert_eq!(csv.cell(1, "attivita/sport"), "");
}

#[tokio::test]
async fn an_empty_survey_downloads_as_a_header_row() {
    let app = spawn_collector().await;
    let csv = app.csv().await;
    assert_eq!(csv.header[0], "response_id");
    assert!(csv.rows.is_empty());
}
