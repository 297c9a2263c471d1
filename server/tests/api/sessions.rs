//! `POST /api/sessions/batch` and `GET /api/sessions/{id}`: focus-group sessions sync like
//! responses (stored once per id, never overwritten, refused when they break the guide).

use serde_json::{Value, json};
use voci_core::sync::ItemStatus;

use crate::helpers::{OTHER_SITE, new_id, spawn_collector, valid_session};

fn path(session: &Value) -> String {
    format!("/api/sessions/{}", session["id"].as_str().unwrap())
}

#[tokio::test]
async fn a_session_round_trips() {
    let app = spawn_collector().await;
    let session = valid_session();
    let results = app.sync_sessions(std::slice::from_ref(&session)).await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].status, ItemStatus::Stored);
    assert_eq!(results[0].id.as_deref(), session["id"].as_str());

    let res = app.get(&path(&session), Some(&app.admin_token)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let stored: Value = res.json().await.unwrap();
    assert_eq!(stored, session);

    // Ids are read in any case, as the device may write them.
    let upper = path(&session)
        .to_uppercase()
        .replace("/API/SESSIONS/", "/api/sessions/");
    assert_eq!(app.admin_json(&upper).await, session);
}

#[tokio::test]
async fn syncing_a_session_twice_stores_it_once_and_a_different_one_never_overwrites_it() {
    let app = spawn_collector().await;
    let session = valid_session();
    let mut changed = session.clone();
    changed["notes"][0]["text"] = json!("Un altro testo");

    let results = app.sync_sessions(&[session.clone(), session.clone()]).await;
    let statuses: Vec<ItemStatus> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [ItemStatus::Stored, ItemStatus::Duplicate]);

    // The device resends after a lost answer, and then sends a changed copy by mistake.
    let results = app.sync_sessions(&[session.clone(), changed]).await;
    assert_eq!(results[0].status, ItemStatus::Duplicate);
    assert_eq!(results[1].status, ItemStatus::Conflict);
    let id = session["id"].as_str().unwrap();
    assert_eq!(
        results[1].error.as_deref(),
        Some(
            format!("a different session with id {id} is already stored; it was kept unchanged")
                .as_str()
        )
    );

    assert_eq!(app.admin_json(&path(&session)).await, session);
    let list = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn a_quote_from_a_participant_without_consent_is_refused_and_nothing_is_stored() {
    let app = spawn_collector().await;
    let mut session = valid_session();
    session["quotes"][0]["participant"] = json!("P2");
    let results = app.sync_sessions(std::slice::from_ref(&session)).await;
    assert_eq!(results[0].status, ItemStatus::Invalid);
    assert_eq!(
        results[0].error.as_deref(),
        Some("quotes[0]: participant P2 has not given consent, so they cannot be quoted")
    );
    let res = app.get(&path(&session), Some(&app.admin_token)).await;
    assert_eq!(res.status(), 404);
    let list = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn each_session_of_a_batch_is_judged_on_its_own() {
    let app = spawn_collector().await;
    let good = valid_session();
    let mut old_version = valid_session();
    old_version["version"] = json!("0");
    let mut nowhere = valid_session();
    nowhere["site"] = json!("ambito-5/gorgonzola");
    let mut named = valid_session();
    named["facilitator"] = json!("Mario Rossi");
    let malformed_id = new_id();
    let batch = [
        good.clone(),
        old_version,
        nowhere,
        named,
        json!({ "id": malformed_id, "guide": "ascolto" }),
        json!(42),
    ];
    let results = app.sync_sessions(&batch).await;
    let outcomes: Vec<(ItemStatus, String)> = results
        .iter()
        .map(|r| (r.status, r.error.clone().unwrap_or_default()))
        .collect();
    assert_eq!(outcomes[0], (ItemStatus::Stored, String::new()));
    assert_eq!(
        outcomes[1],
        (
            ItemStatus::Invalid,
            "unknown guide \"ascolto\" version \"0\"".to_owned()
        )
    );
    assert_eq!(
        outcomes[2],
        (
            ItemStatus::Invalid,
            "unknown site \"ambito-5/gorgonzola\"".to_owned()
        )
    );
    assert_eq!(outcomes[3].0, ItemStatus::Invalid);
    assert!(
        outcomes[3].1.starts_with("facilitator: "),
        "{}",
        outcomes[3].1
    );
    assert_eq!(results[4].id.as_deref(), Some(malformed_id.as_str()));
    assert!(
        outcomes[4].1.starts_with("this is not a valid session: "),
        "{}",
        outcomes[4].1
    );
    assert_eq!(
        (results[5].id.as_deref(), results[5].status),
        (None, ItemStatus::Invalid)
    );
    let list = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn a_batch_of_sessions_may_be_larger_than_one_of_responses_but_not_without_limit() {
    let app = spawn_collector().await;
    // About 2 MiB: over the limit of a batch of responses, within that of sessions.
    let mut long = valid_session();
    let note = json!({ "prompt": "manca", "text": "x".repeat(10_000), "offset": 60, "themes": [] });
    long["notes"] = Value::Array(vec![note; 200]);
    let results = app.sync_sessions(std::slice::from_ref(&long)).await;
    assert_eq!(
        results[0].status,
        ItemStatus::Stored,
        "{:?}",
        results[0].error
    );

    // Three of them, about 6 MiB.
    let mut too_long = long.clone();
    too_long["id"] = json!(new_id());
    let res = app
        .post_sessions(&[too_long.clone(), too_long.clone(), too_long])
        .await;
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("4 MiB"), "{body}");

    let too_many: Vec<Value> = (0..101).map(|_| valid_session()).collect();
    let res = app.post_sessions(&too_many).await;
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("at most 100 sessions"),
        "{body}"
    );
    let list = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn sessions_are_listed_by_date_and_site() {
    let app = spawn_collector().await;
    let mut later = valid_session();
    later["date"] = json!("2026-04-15");
    later["site"] = json!(OTHER_SITE);
    later["group_type"] = json!("giovani");
    later["co_facilitator"] = Value::Null;
    let earlier = valid_session();
    app.sync_sessions(&[later.clone(), earlier.clone()]).await;

    let list = app.admin_json("/api/guides/ascolto/sessions").await;
    assert_eq!(
        list,
        json!([
            {
                "id": earlier["id"], "version": "1", "site": "ambito-5/melzo/ic-mascagni",
                "date": "2026-03-02", "group_type": "studenti", "facilitator": "MR",
                "participants": 2, "notes": 2, "quotes": 1,
            },
            {
                "id": later["id"], "version": "1", "site": OTHER_SITE,
                "date": "2026-04-15", "group_type": "giovani", "facilitator": "MR",
                "participants": 2, "notes": 2, "quotes": 1,
            },
        ])
    );
    let at = |site: &str| format!("/api/guides/ascolto/sessions?site={site}");
    let only = app.admin_json(&at(OTHER_SITE)).await;
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["id"], later["id"]);
    // A site takes every site below it.
    let all = app.admin_json(&at("ambito-5/melzo/")).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let res = app
        .get(&at("no%20such%20site"), Some(&app.admin_token))
        .await;
    assert_eq!(res.status(), 400);
    let res = app
        .get("/api/guides/nessuna/sessions", Some(&app.admin_token))
        .await;
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "unknown guide \"nessuna\"");
}

#[tokio::test]
async fn guides_are_published_for_the_app_without_a_token() {
    let app = spawn_collector().await;
    let res = app.get("/api/guides", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let guides: Vec<voci_core::guide::Guide> = res.json().await.unwrap();
    assert_eq!(guides.len(), 1);
    assert_eq!(guides[0].id.as_str(), "ascolto");
    assert_eq!(guides[0].themes.len(), 3);
    assert_eq!(guides[0].prompts().count(), 2);
}

#[tokio::test]
async fn coordinator_endpoints_need_the_admin_token() {
    let app = spawn_collector().await;
    let session = valid_session();
    app.sync_sessions(std::slice::from_ref(&session)).await;
    // Each path, and its status with the token.
    let paths = [
        ("/api/guides/ascolto/sessions".to_owned(), 200),
        ("/api/guides/ascolto/themes".to_owned(), 200),
        ("/api/guides/ascolto/notes.csv".to_owned(), 200),
        ("/api/guides/ascolto/quotes.csv".to_owned(), 200),
        ("/api/guides/ascolto/themes.csv".to_owned(), 200),
        ("/api/guides/ascolto/roster.csv".to_owned(), 200),
        (path(&session), 200),
        // Unknown things are not revealed without the token either.
        ("/api/guides/nessuna/themes".to_owned(), 404),
        ("/api/guides/nessuna/roster.csv".to_owned(), 404),
        (format!("/api/sessions/{}", new_id()), 404),
        ("/api/guides/ascolto/answers.csv".to_owned(), 404),
    ];
    for (path, with_token) in &paths {
        for token in [None, Some("wrong"), Some("")] {
            let res = app.get(path, token).await;
            assert_eq!(res.status(), 401, "{path} {token:?}");
            assert_eq!(res.headers()["www-authenticate"], "Bearer");
            let body: Value = res.json().await.unwrap();
            assert!(body["error"].is_string(), "{body}");
        }
        let res = app.get(path, Some(&app.admin_token)).await;
        assert_eq!(res.status(), *with_token, "{path}");
    }
}
