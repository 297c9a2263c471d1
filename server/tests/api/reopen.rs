//! Stopping and opening the same data folder again: responses and the admin token survive.

use serde_json::{Value, json};

use crate::helpers::{
    OTHER_SITE, SITES, spawn_collector, valid_response, with_answers, with_field,
};

#[tokio::test]
async fn responses_and_the_token_survive_a_restart() {
    let app = spawn_collector().await;
    let response = valid_response();
    assert_eq!(app.post_response(&response).await.status(), 201);

    let (app, reopened) = app.restart().await;
    assert_eq!(
        reopened.new_admin_token, None,
        "no new token on a second start"
    );
    assert_eq!(reopened.responses, 1);

    // The first start's token still works, and the response is still there, once.
    let csv = app.csv().await;
    assert_eq!(csv.rows.len(), 1);
    assert_eq!(csv.cell(0, "response_id"), response["id"].as_str().unwrap());
    assert_eq!(app.post_response(&response).await.status(), 200);
}

#[tokio::test]
async fn a_token_reset_replaces_the_token_on_a_running_collector() {
    let app = spawn_collector().await;
    let new = voci_server::reset_admin_token(&app.folders.config().data_dir).unwrap();
    assert_ne!(new, app.admin_token);
    assert_eq!(
        app.get_csv("giovani", Some(&app.admin_token))
            .await
            .status(),
        401
    );
    assert_eq!(app.get_csv("giovani", Some(&new)).await.status(), 200);
}

#[tokio::test]
async fn a_stored_response_stays_a_duplicate_after_the_survey_files_change() {
    let app = spawn_collector().await;
    let response = with_field(&valid_response(), "site", json!(OTHER_SITE));
    assert_eq!(app.post_response(&response).await.status(), 201);

    // The site leaves the site list; the device that sent the response resends it.
    let without_site = SITES
        .split("[[district.municipality.site]]")
        .take(2)
        .collect::<Vec<_>>();
    std::fs::write(
        app.folders.surveys.path().join("sites.toml"),
        without_site.join("[[district.municipality.site]]"),
    )
    .unwrap();
    let (app, _) = app.restart().await;

    let res = app.post_response(&response).await;
    assert_eq!(res.status(), 200, "the device may let go of it");
    let res = app.post_batch(std::slice::from_ref(&response)).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["results"][0]["status"], "duplicate");

    // A new response from that site is refused.
    let new = with_field(&valid_response(), "site", json!(OTHER_SITE));
    assert_eq!(app.post_response(&new).await.status(), 422);
    let body: Value = app.post_batch(&[new]).await.json().await.unwrap();
    assert_eq!(body["results"][0]["status"], "invalid");
    // A changed response under the stored id is refused too, and changes nothing.
    let changed = with_answers(&response, json!({ "eta": 20 }));
    assert_eq!(app.post_response(&changed).await.status(), 422);
    assert_eq!(app.csv().await.rows.len(), 1);
}
