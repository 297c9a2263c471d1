//! Accounts against a real collector: logging in with a cookie, rate limits, scopes, device
//! enrolment for enrolled surveys, open surveys' per-client limit, users and the audit log.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use voci_server::{Limit, Limits, Security};

use crate::helpers::{
    Csv, Folders, OTHER_SITE, SITE, SITES, SURVEY_V1, TestCollector, spawn_collector,
    spawn_collector_with, valid_response, with_field,
};

async fn login(app: &TestCollector, name: &str, password: &str) -> reqwest::Response {
    let body = json!({ "name": name, "password": password });
    app.call(Method::POST, "/api/login", None, Some(&body))
        .await
}

/// The `name=value` part of a response's `Set-Cookie`.
fn cookie_of(res: &reqwest::Response) -> String {
    let header = res.headers()["set-cookie"].to_str().unwrap();
    header.split(';').next().unwrap().to_owned()
}

async fn with_cookie(app: &TestCollector, path: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn audit(app: &TestCollector) -> Vec<String> {
    let page = app.admin_json("/api/audit?limit=1000").await;
    page["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["actor"].as_str().unwrap(),
                r["action"].as_str().unwrap(),
                r["target"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn a_user_logs_in_with_a_strict_http_only_cookie_and_out_again() {
    let app = spawn_collector().await;
    app.add_user("anna", "coordinator", &[], &[]).await;

    let res = login(&app, "anna", "wrong password").await;
    assert_eq!(res.status(), 401);
    assert!(res.headers().get("set-cookie").is_none());

    let res = login(&app, "anna", "anna-password-1").await;
    assert_eq!(res.status(), 200);
    let set = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("voci_session="), "{set}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attribute), "{set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP: {set}");
    let cookie = cookie_of(&res);
    let me: Value = res.json().await.unwrap();
    assert_eq!(
        (
            me["kind"].as_str(),
            me["name"].as_str(),
            me["role"].as_str()
        ),
        (Some("user"), Some("anna"), Some("coordinator"))
    );

    let res = with_cookie(&app, "/api/me", &cookie).await;
    assert_eq!(res.status(), 200);
    let res = with_cookie(&app, "/api/surveys/giovani/responses.csv", &cookie).await;
    assert_eq!(res.status(), 200);
    let res = with_cookie(&app, "/api/users", &cookie).await;
    assert_eq!(res.status(), 403, "a coordinator does not manage users");

    let res = app
        .client
        .post(app.url("/api/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let res = with_cookie(&app, "/api/me", &cookie).await;
    assert_eq!(
        res.status(),
        401,
        "the session ended on the collector, not only in the browser"
    );

    let log = audit(&app).await;
    assert!(
        log.contains(&"anonymous login_failed anna".to_owned()),
        "{log:?}"
    );
    assert!(log.contains(&"user:anna login anna".to_owned()), "{log:?}");
    assert!(
        log.contains(&"user:anna download giovani/responses.csv".to_owned()),
        "{log:?}"
    );
    assert!(
        log.contains(&"user:admin user_added anna".to_owned()),
        "{log:?}"
    );
}

#[tokio::test]
async fn the_cookie_is_secure_behind_https() {
    let security = Security {
        https: true,
        ..Security::default()
    };
    let app = spawn_collector_with(Folders::new(), security).await;
    app.add_user("anna", "viewer", &[], &[]).await;
    let res = login(&app, "anna", "anna-password-1").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .ends_with("; Secure")
    );
}

#[tokio::test]
async fn failed_logins_are_limited_per_account() {
    let app = spawn_collector().await;
    app.add_user("anna", "viewer", &[], &[]).await;
    for _ in 0..5 {
        assert_eq!(login(&app, "anna", "guess-guess").await.status(), 401);
    }
    // Past the limit even the right password waits: guessing is slowed to a crawl.
    let res = login(&app, "anna", "anna-password-1").await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    // Unknown names fail like wrong passwords.
    assert_eq!(login(&app, "nobody", "anna-password-1").await.status(), 401);
}

#[tokio::test]
async fn failed_logins_are_limited_per_client() {
    let security = Security {
        limits: Limits {
            login_per_client: Limit::per_minutes(3, 15),
            ..Limits::default()
        },
        ..Security::default()
    };
    let app = spawn_collector_with(Folders::new(), security).await;
    app.add_user("anna", "viewer", &[], &[]).await;
    for name in ["a", "b", "c"] {
        assert_eq!(login(&app, name, "guess-guess").await.status(), 401);
    }
    assert_eq!(login(&app, "anna", "anna-password-1").await.status(), 429);
}

/// A survey only enrolled devices may submit to, beside the open test survey.
const ENROLLED: &str = r#"
id = "scheda"
version = "1"
title = "Scheda sportello"
languages = ["it"]
collection = "enrolled"

[[question]]
id = "tipo"
type = "single"
label = "Tipo di contatto"
choices = [{ id = "utente", label = "Utente" }, { id = "ente", label = "Ente" }]
"#;

fn folders_with_enrolled() -> Folders {
    Folders::with_surveys(&[
        ("giovani-1.toml", SURVEY_V1),
        ("scheda.toml", ENROLLED),
        ("sites.toml", SITES),
    ])
}

fn scheda() -> Value {
    let r = valid_response();
    let r = with_field(&r, "survey", json!("scheda"));
    with_field(&r, "answers", json!({ "tipo": "utente" }))
}

async fn post_as(
    app: &TestCollector,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    app.call(Method::POST, path, token, Some(body)).await
}

#[tokio::test]
async fn an_enrolled_survey_takes_responses_only_from_its_devices() {
    let app = spawn_collector_in_enrolled().await;
    let res = post_as(&app, "/api/responses", None, &scheda()).await;
    assert_eq!(res.status(), 401);
    let other_device = app.device_token(&["giovani"]).await;
    let res = post_as(&app, "/api/responses", Some(&other_device), &scheda()).await;
    assert_eq!(res.status(), 403);

    let (code, enrolment) = app.enrolment(&["scheda"], 1).await;
    assert_eq!(code.len(), 14, "{code}");
    // Typed in lower case with spaces, as a person might.
    let res = app.enrol(&code.to_lowercase().replace('-', " ")).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(body["device"]["surveys"], json!(["scheda"]));
    // Used up: the code enrolled its one device.
    assert_eq!(app.enrol(&code).await.status(), 403);

    let res = post_as(&app, "/api/responses", Some(&token), &scheda()).await;
    assert_eq!(res.status(), 201);
    // The device may submit and nothing else.
    let res = app.get("/api/surveys/scheda/results", Some(&token)).await;
    assert_eq!(res.status(), 403);
    let me: Value = app.get("/api/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me["kind"], "device");

    // In a batch, an anonymous response to the enrolled survey is refused on its own, with
    // the reason; the open survey's response beside it is stored.
    let batch = json!({ "responses": [scheda(), valid_response()] });
    let res = post_as(&app, "/api/responses/batch", None, &batch).await;
    assert_eq!(res.status(), 200);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["results"][0]["status"], "invalid");
    assert!(
        reply["results"][0]["error"]
            .as_str()
            .unwrap()
            .contains("enrolled"),
        "{reply}"
    );
    // A code the app reads instead of the words: keep it queued until enrolled.
    assert_eq!(reply["results"][0]["code"], "not_enrolled", "{reply}");
    assert_eq!(reply["results"][1].get("code"), None, "{reply}");
    assert_eq!(reply["results"][1]["status"], "stored");

    // Revoking the enrolment revokes its device.
    let res = app
        .call(
            Method::DELETE,
            &format!("/api/enrolments/{enrolment}"),
            Some(&app.admin_token),
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = post_as(&app, "/api/responses", Some(&token), &scheda()).await;
    assert_eq!(res.status(), 401);

    let devices = app.admin_json("/api/devices").await;
    assert_eq!(devices.as_array().unwrap().len(), 2);
    assert!(devices.to_string().contains("revoked_at"));
    let log = audit(&app).await;
    assert!(
        log.iter()
            .any(|l| l.ends_with(&format!("enrolment_revoked enrolment:{enrolment}"))),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with("anonymous device_enrolled")),
        "{log:?}"
    );
}

async fn spawn_collector_in_enrolled() -> TestCollector {
    spawn_collector_with(folders_with_enrolled(), Security::default()).await
}

#[tokio::test]
async fn enrolment_attempts_are_limited_per_client() {
    let security = Security {
        limits: Limits {
            enrol_per_client: Limit::per_minutes(3, 15),
            ..Limits::default()
        },
        ..Security::default()
    };
    let app = spawn_collector_with(folders_with_enrolled(), security).await;
    let res = app
        .call(
            Method::POST,
            "/api/enrolments",
            Some(&app.admin_token),
            Some(&json!({ "label": "x", "surveys": ["nessuna"] })),
        )
        .await;
    assert_eq!(res.status(), 400, "unknown surveys are refused");
    for _ in 0..3 {
        assert_eq!(app.enrol("AAAA-BBBB-CCCC").await.status(), 403);
    }
    assert_eq!(app.enrol("AAAA-BBBB-CCCC").await.status(), 429);
}

#[tokio::test]
async fn an_open_survey_limits_each_client() {
    let security = Security {
        limits: Limits {
            open_responses_per_client: Limit {
                max: 3,
                window: Duration::from_secs(600),
            },
            ..Limits::default()
        },
        ..Security::default()
    };
    let app = spawn_collector_with(Folders::new(), security).await;
    let res = app.post_batch(&[valid_response(), valid_response()]).await;
    assert_eq!(res.status(), 200);
    let res = app.post_batch(&[valid_response(), valid_response()]).await;
    assert_eq!(
        res.status(),
        429,
        "the batch would go past the limit: nothing is stored"
    );
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(app.csv().await.rows.len(), 2);
    let res = app.post_response(&valid_response()).await;
    assert_eq!(res.status(), 201, "one more fits");
    // An enrolled device is not limited like an anonymous client.
    let device = app.device_token(&["giovani"]).await;
    let batch = json!({ "responses": [valid_response(), valid_response()] });
    let res = post_as(&app, "/api/responses/batch", Some(&device), &batch).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_coordinator_sees_only_the_sites_assigned() {
    let app = spawn_collector_in_enrolled().await;
    let here = valid_response();
    let there = with_field(&valid_response(), "site", json!(OTHER_SITE));
    assert_eq!(app.post_batch(&[here.clone(), there]).await.status(), 200);
    let token = app
        .add_user("carla", "coordinator", &["giovani"], &[SITE])
        .await;

    let res = app.get_csv("giovani", Some(&token)).await;
    assert_eq!(res.status(), 200);
    let csv = Csv::parse(&res.text().await.unwrap());
    assert_eq!(csv.rows.len(), 1);
    assert_eq!(csv.cell(0, "response_id"), here["id"].as_str().unwrap());

    let res = app
        .get(
            &format!("/api/surveys/giovani/results?site={OTHER_SITE}"),
            Some(&token),
        )
        .await;
    assert_eq!(res.status(), 403);
    let everything = app.csv().await;
    assert_eq!(everything.rows.len(), 2, "the admin is not scoped");

    // Not assigned another survey.
    let token = app.add_user("dario", "coordinator", &["scheda"], &[]).await;
    assert_eq!(app.get_csv("giovani", Some(&token)).await.status(), 403);
}

#[tokio::test]
async fn admins_manage_users_but_not_the_last_admin_away() {
    let app = spawn_collector().await;
    let anna = app.add_user("anna", "viewer", &["giovani"], &[]).await;
    let users = app.admin_json("/api/users").await;
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin", "anna"]);
    assert_eq!(users[1]["scope"]["surveys"], json!(["giovani"]));
    assert!(
        !users.to_string().contains("argon2"),
        "no password hash leaves the collector"
    );

    let body = json!({ "name": "anna", "role": "viewer" });
    let res = app
        .call(
            Method::POST,
            "/api/users",
            Some(&app.admin_token),
            Some(&body),
        )
        .await;
    assert_eq!(res.status(), 409);
    let body = json!({ "name": "Bad Name", "role": "viewer" });
    let res = app
        .call(
            Method::POST,
            "/api/users",
            Some(&app.admin_token),
            Some(&body),
        )
        .await;
    assert_eq!(res.status(), 400);

    let res = app
        .call(
            Method::DELETE,
            "/api/users/anna",
            Some(&app.admin_token),
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.get("/api/me", Some(&anna)).await.status(),
        401,
        "their token went with them"
    );
    let res = app
        .call(
            Method::DELETE,
            "/api/users/admin",
            Some(&app.admin_token),
            None,
        )
        .await;
    assert_eq!(res.status(), 409);
}
