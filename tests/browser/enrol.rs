//! A youth worker's tablet enrolled as a collection device, in real Chromium, against a
//! collector whose survey takes responses only from enrolled devices: an answer given before
//! enrolling waits on the tablet; a wrong code says so; the admin's link enrols the tablet and
//! the answer goes, once; a revoked device keeps its new answer and says to enrol again; a new
//! code, typed, sends it. And the enrolment screen's loading, as its own entry point (`/enrol`): the
//! app's first load fetches none of its files, the service worker keeps none, offline its
//! address says in the interface language that enrolling needs the network, and during a
//! classroom kiosk session it leads back to the kiosk.

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

/// Opens the admin's link (the enrolment screen, its own entry point), names the tablet and
/// enrols it; back in the app at `/`, opens the status screen.
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
    b.wait_js(
        "the app at /",
        "location.pathname === '/' && document.querySelector('[data-testid=open-status]')",
        Duration::from_secs(30),
    )
    .await;
    b.click("open-status").await;
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

    // A wrong code, typed: a clear error, nothing enrolled. The status screen's way to enrol
    // is a link to the enrolment screen's own address.
    b.click("enrol-open").await;
    b.wait_js(
        "the enrolment screen",
        "location.pathname === '/enrol' && document.querySelector('[data-testid=enrol-code]')",
        wait,
    )
    .await;
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

    // Enrolled again with a new code, typed this time (from the status screen's link to the
    // enrolment screen, in lower case with spaces): the kept answer goes.
    let link = enrolment_link(&collector).await;
    let typed = link
        .trim_start_matches("/enrol?code=")
        .replace('-', " ")
        .to_lowercase();
    b.click("enrol-open").await;
    b.type_into("enrol-code", &typed).await;
    b.click("enrol-submit").await;
    b.wait_js(
        "the app at /",
        "location.pathname === '/' && document.querySelector('[data-testid=open-status]')",
        wait,
    )
    .await;
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

/// Waits until the element's text contains `want`.
async fn wait_contains(b: &Browser, testid: &str, want: &str) {
    let script = format!(
        "(document.querySelector('[data-testid=\"{testid}\"]') || {{}}).textContent?.includes({})",
        serde_json::to_string(want).expect("a string")
    );
    b.wait_js(
        &format!("{testid} showing {want:?}"),
        &script,
        Duration::from_secs(20),
    )
    .await;
}

/// The enrolment screen is its own entry point: the app's first load (and the service
/// worker's install) fetches none of its files and keeps none; online it shows the form (its
/// way back goes to `/`, and it passes the accessibility audit); offline its address says, in
/// the interface language, that enrolling needs the network, with the way home; and while a
/// classroom kiosk session runs, its address leads back to the kiosk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_enrol_entry_is_out_of_the_first_load_and_says_when_it_needs_the_network() {
    let collector = voci_tests::spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);
    b.driver.goto(&net.url).await.expect("open the app");
    b.by_testid("open-status").await;
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;

    // What the first load fetched: the app's files, none of the enrol entry's; and the
    // worker's caches hold none of them either.
    super::assert_first_load_leaves_out(&b, "/enrol").await;

    // Online: the status screen links to the form, whose way back is the app at `/`.
    b.click("open-status").await;
    let href = b
        .by_testid("enrol-open")
        .await
        .attr("href")
        .await
        .expect("an attribute");
    assert_eq!(href.as_deref(), Some("/enrol"));
    b.click("enrol-open").await;
    b.by_testid("enrol-code").await;
    let mut audit = super::a11y::Audit::new();
    audit.check(&b, "enrolment form").await;
    b.type_into("enrol-code", "abcd efgh jkmn").await;
    b.click("enrol-submit").await;
    b.by_testid("enrol-error").await;
    audit.check(&b, "enrolment form with an error").await;
    b.click("home").await;
    b.wait_js(
        "the app at /",
        "location.pathname === '/' && document.querySelector('[data-testid=open-status]')",
        wait,
    )
    .await;
    // Opening the form kept nothing of it for offline use.
    let cached = super::cached_paths(&b).await;
    assert!(
        !cached.iter().any(|p| p.starts_with("/enrol")),
        "{cached:?}"
    );

    // Offline, the admin's link: a clear message in the interface language, and the way home.
    b.click("lang-en").await;
    net.off();
    b.set_offline(true).await;
    b.driver
        .goto(&format!("{}/enrol?code=ABCD-EFGH-JKMN", net.url))
        .await
        .expect("open /enrol offline");
    wait_contains(&b, "enrol-offline", "enrolling needs the network").await;
    assert!(!b.exists("enrol-code").await);
    audit.check(&b, "enrolment screen offline").await;
    audit.assert_clean();
    b.click("home").await;
    b.by_testid("open-status").await;
    assert_eq!(b.js("return location.pathname;").await, "/");

    // Online again, a youth worker starts a classroom session: /enrol does not open.
    net.on();
    b.set_offline(false).await;
    b.driver.refresh().await.expect("reload online");
    super::kiosk::start_session(&b, &a_school(), "it").await;
    super::kiosk::an_entry_leads_back_to_the_kiosk(&b, &net.url, "/enrol", "enrol-code").await;

    b.quit().await;
    collector.stop().await;
}
