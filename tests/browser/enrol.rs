//! A youth worker's tablet enrolled as a collection device, in real Chromium, against a
//! collector whose survey takes responses only from enrolled devices: an answer given before
//! enrolling waits on the tablet; a wrong code says so; the admin's link enrols the tablet and
//! the answer goes, once; a revoked device keeps its new answer and says to enrol again; a new
//! code sends it.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use voci_tests::{Collector, spawn_collector_with, surveys_enrolled};

use super::*;

const OUTBOX: &str = "voci.outbox.";

/// The queued responses' ids, as the page's localStorage holds them.
async fn queued_ids(b: &Browser) -> BTreeSet<String> {
    b.local_storage(OUTBOX)
        .await
        .into_keys()
        .map(|k| k[OUTBOX.len()..].to_owned())
        .collect()
}

/// The admin makes an enrolment code for the survey: its link.
async fn enrolment_link(collector: &Collector) -> String {
    let body = serde_json::json!({ "label": "tablets of the youth point", "surveys": [SURVEY] });
    let (status, reply) = collector
        .admin_send(Method::POST, "/api/enrolments", Some(body))
        .await;
    assert_eq!(status, 201, "{reply}");
    let link = reply["link"].as_str().expect("a link").to_owned();
    assert!(link.starts_with("/enrol?code="), "{link}");
    link
}

/// Waits until the status bar says this tablet must be enrolled (in Italian, the default).
async fn wait_told_to_enrol(b: &Browser) {
    b.wait_js(
        "the status bar asking for an enrolment",
        "(document.querySelector('[data-testid=sync-status]') || {}).textContent \
         ?.includes('deve essere registrato')",
        Duration::from_secs(30),
    )
    .await;
}

/// Opens the status screen from home and reads the enrolment's state.
async fn enrolment_state(b: &Browser) -> String {
    if !b.exists("status-screen").await {
        b.click("open-status").await;
    }
    b.by_testid("enrolment")
        .await
        .attr("data-value")
        .await
        .expect("an attribute")
        .expect("the enrolment's state")
}

/// Opens the admin's link, names the tablet and enrols it.
async fn enrol_with(b: &Browser, net: &NetSwitch, link: &str) {
    b.driver
        .goto(&format!("{}{link}", net.url))
        .await
        .expect("open the link");
    let code = link.trim_start_matches("/enrol?code=");
    let field = b.by_testid("enrol-code").await;
    let shown = field
        .prop("value")
        .await
        .expect("a value")
        .unwrap_or_default();
    assert_eq!(shown, code, "the link fills in the code");
    b.type_into("enrol-name", "tablet 1").await;
    b.click("enrol-submit").await;
    b.by_testid("status-screen").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tablet_enrolled_with_the_admins_link_sends_what_waited_for_it() {
    let survey = load_survey();
    let site = a_school();
    let surveys = surveys_enrolled(&[SURVEY]);
    let collector = spawn_collector_with(surveys.path()).await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);

    // Before enrolling: the answer is kept on the tablet, not in the collector, not refused.
    b.driver.goto(&net.url).await.expect("open the app");
    choose_site(&b, &site).await;
    b.click(&format!("survey-{SURVEY}")).await;
    b.accept_consent().await;
    answer_survey(&b, &survey, 0).await;
    wait_told_to_enrol(&b).await;
    b.wait_text("outbox-count", "1", wait).await;
    let first = queued_ids(&b).await;
    assert_eq!(first.len(), 1);
    assert_eq!(collector.csv(SURVEY).await.len(), 1, "only the header");
    b.click("home").await;
    assert_eq!(enrolment_state(&b).await, "none");
    assert_eq!(b.text("attention-count").await, "0", "waiting, not refused");

    // A wrong code, typed: a clear error, nothing enrolled.
    b.click("enrol-open").await;
    b.type_into("enrol-code", "abcd efgh jkmn").await;
    b.click("enrol-submit").await;
    let error = b.text("enrol-error").await;
    assert!(error.contains("non funziona"), "{error}");
    assert!(b.exists("enrol-screen").await, "still on the enrol screen");
    assert_eq!(b.local_storage("voci.device").await.len(), 0);

    // The admin's link: enrolled, and the waiting answer reaches the collector once.
    let link = enrolment_link(&collector).await;
    enrol_with(&b, &net, &link).await;
    let said = b.text("enrolment").await;
    assert!(said.contains("tablet 1"), "{said}");
    assert_eq!(enrolment_state(&b).await, "enrolled");
    let surveys_value = b
        .by_testid("enrolment-surveys")
        .await
        .attr("data-value")
        .await
        .expect("an attribute");
    assert_eq!(surveys_value.as_deref(), Some(SURVEY));
    b.wait_text("outbox-count", "0", wait).await;
    let rows = collector.csv(SURVEY).await;
    assert_eq!(rows.len(), 2, "a header and the response: {rows:?}");
    assert!(
        first.contains(&rows[1][0]),
        "the queued response was stored"
    );
    // A reload does not enrol again: the link's address is gone.
    let path = b.js("return location.pathname").await;
    assert_eq!(path, "/");

    // The admin revokes the device: the next answer stays, and the tablet says to enrol again.
    let devices = collector.admin_json("/api/devices").await;
    let device = devices[0]["id"].as_i64().expect("the enrolled device");
    let (status, _) = collector
        .admin_send(Method::DELETE, &format!("/api/devices/{device}"), None)
        .await;
    assert_eq!(status, 204);
    b.click("home").await;
    b.click(&format!("survey-{SURVEY}")).await;
    b.accept_consent().await;
    answer_survey(&b, &survey, 1).await;
    wait_told_to_enrol(&b).await;
    b.wait_text("outbox-count", "1", wait).await;
    let second = queued_ids(&b).await;
    assert_eq!(second.len(), 1);
    assert_eq!(collector.csv(SURVEY).await.len(), 2, "nothing new stored");
    b.click("home").await;
    assert_eq!(enrolment_state(&b).await, "revoked");
    let said = b.text("enrolment").await;
    assert!(said.contains("registrato di nuovo"), "{said}");

    // Enrolled again with a new code: the kept answer goes.
    let link = enrolment_link(&collector).await;
    enrol_with(&b, &net, &link).await;
    assert_eq!(enrolment_state(&b).await, "enrolled");
    b.wait_text("outbox-count", "0", wait).await;
    let rows = collector.csv(SURVEY).await;
    assert_eq!(rows.len(), 3, "a header and two responses: {rows:?}");
    let stored: BTreeSet<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(stored, first.union(&second).cloned().collect());

    b.quit().await;
    collector.stop().await;
    drop(surveys);
}
