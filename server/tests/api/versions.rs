//! Old survey versions: a response answered with a version whose file was moved to
//! `surveys/archive/` still validates, against that version.

use serde_json::{Value, json};

use crate::helpers::{
    Folders, SITES, SURVEY_V1, spawn_collector_in, survey_v2, valid_response, with_answers,
    with_field,
};

#[tokio::test]
async fn a_response_to_an_archived_version_still_validates_against_it() {
    let folders = Folders::with_surveys(&[
        ("giovani-2.toml", &survey_v2()),
        ("archive/giovani-1.toml", SURVEY_V1),
        // Only the surveys folder's own site list counts; only one level is read.
        ("archive/sites.toml", "not a site list"),
        ("archive/older/giovani-0.toml", "not a survey"),
        ("sites.toml", SITES),
    ]);
    let app = spawn_collector_in(folders).await;

    let surveys: Value = app
        .client
        .get(app.url("/api/surveys"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let versions: Vec<&str> = surveys
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1", "2"], "drafts begun with version 1 can end");

    let old = valid_response();
    assert_eq!(app.post_response(&old).await.status(), 201);
    // Version 1's rules apply to it: it has no question "spazio".
    let res = app
        .post_response(&with_answers(
            &valid_response(),
            json!({ "spazio": "scuola" }),
        ))
        .await;
    assert_eq!(res.status(), 422);
    let new = with_answers(
        &with_field(&valid_response(), "version", json!("2")),
        json!({ "spazio": "scuola" }),
    );
    assert_eq!(app.post_response(&new).await.status(), 201);

    let csv = app.csv().await;
    assert_eq!(csv.cell(0, "survey_version"), "1");
    assert_eq!(csv.cell(1, "spazio"), "scuola");
}

#[tokio::test]
async fn without_its_version_file_a_response_is_invalid() {
    let folders = Folders::with_surveys(&[("giovani-2.toml", &survey_v2()), ("sites.toml", SITES)]);
    let app = spawn_collector_in(folders).await;
    let body: Value = app
        .post_batch(&[valid_response()])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["results"][0]["status"], "invalid");
    assert_eq!(
        body["results"][0]["error"],
        "unknown survey \"giovani\" version \"1\""
    );
}
