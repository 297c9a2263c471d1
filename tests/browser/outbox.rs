//! Never lose an answer, in real Chromium: a whole offline session of ten respondents with a
//! reload and a tab closed in between, storage filled until full, a conflict, the export file
//! imported with `voci import` (twice), the outbox draining by itself when the network is back,
//! an admin's import of the file in the results area, and clearing the device only after a warning. And the same drain in a
//! browser without the Web Locks API, where a localStorage lease keeps one sync at a time.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use voci_core::outbox_file::OutboxFile;
use voci_tests::{Collector, wait_for_download};

// The foundation test's helpers (answering a survey the way a respondent does) and imports.
use super::*;

const OUTBOX: &str = "voci.outbox.";
const STORAGE_FULL: &str = "La memoria del dispositivo è piena: collegati alla rete per inviare le risposte o esporta la coda su file";

/// The queued responses as the page's localStorage holds them: id → JSON.
async fn queued(b: &Browser) -> BTreeMap<String, serde_json::Value> {
    b.local_storage(OUTBOX)
        .await
        .into_iter()
        .map(|(k, v)| {
            let json = serde_json::from_str(&v).expect("a queued response is JSON");
            (k[OUTBOX.len()..].to_owned(), json)
        })
        .collect()
}

/// Starts the next respondent from the thank-you screen, or from home.
async fn next_respondent(b: &Browser) {
    if b.exists("next-respondent").await {
        b.click("next-respondent").await;
    } else {
        b.click(&format!("survey-{SURVEY}")).await;
    }
    b.accept_consent().await;
}

/// The ids in the survey's CSV (first column), and how many rows there are.
async fn csv_ids(collector: &Collector) -> (BTreeSet<String>, usize) {
    let rows = collector.csv(SURVEY).await;
    let ids: BTreeSet<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    (ids, rows.len() - 1)
}

/// `voci import FILE` against the running collector's data folder, as a coordinator runs it.
pub(super) async fn voci_import(collector: &Collector, file: &std::path::Path) -> String {
    let args = voci_server::cli::ImportArgs {
        file: file.to_owned(),
        data: collector.data.path().to_owned(),
        surveys: voci_tests::root().join("surveys"),
    };
    tokio::task::spawn_blocking(move || {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = voci_server::cli::import(&args, &mut out, &mut err);
        let (out, err) = (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        );
        assert_eq!(code, 0, "voci import failed: {out}{err}");
        out
    })
    .await
    .expect("the import ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_session_loses_nothing_and_counts_nothing_twice() {
    let survey = load_survey();
    let site = a_school();
    let collector = spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let downloads = tempfile::tempdir().expect("a download folder");
    let b = Browser::start_with_downloads(downloads.path()).await;
    let wait = Duration::from_secs(30);

    // Online once: the app, the surveys and the service worker arrive; the site is chosen.
    b.driver.goto(&net.url).await.expect("open the app");
    choose_site(&b, &site).await;
    b.by_testid(&format!("survey-{SURVEY}")).await;
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;

    // The device asked for persistent storage and says what it got.
    b.click("open-status").await;
    b.wait_js(
        "the persistent storage answer",
        "document.querySelector('[data-testid=persist-status]').dataset.value !== 'asking'",
        wait,
    )
    .await;
    assert!(!b.text("persist-status").await.is_empty());
    b.click("home").await;

    // The whole session offline.
    net.off();
    b.set_offline(true).await;

    // Respondents 1-3, then a reload.
    for who in 0..3 {
        next_respondent(&b).await;
        answer_survey(&b, &survey, who).await;
    }
    b.wait_text("outbox-count", "3", wait).await;
    b.driver.refresh().await.expect("reload offline");
    b.wait_text("outbox-count", "3", wait).await;

    // Respondents 4-5, then the tab is closed and the app opened in a new one.
    for who in 3..5 {
        next_respondent(&b).await;
        answer_survey(&b, &survey, who).await;
    }
    b.wait_text("outbox-count", "5", wait).await;
    let old_tab = b.driver.window().await.expect("the tab");
    let new_tab = b.driver.new_tab().await.expect("a new tab");
    b.driver
        .switch_to_window(old_tab)
        .await
        .expect("back to the old tab");
    b.driver.close_window().await.expect("close the old tab");
    b.driver
        .switch_to_window(new_tab)
        .await
        .expect("the new tab");
    b.set_offline(true).await;
    b.driver.goto(&net.url).await.expect("open the app again");
    b.wait_text("outbox-count", "5", wait).await;

    // Respondents 6-8 in the new tab.
    for who in 5..8 {
        next_respondent(&b).await;
        answer_survey(&b, &survey, who).await;
    }
    b.wait_text("outbox-count", "8", wait).await;
    let before_full = queued(&b).await;
    assert_eq!(before_full.len(), 8);

    // The device's storage fills up; respondent 9 answers anyway.
    assert!(b.fill_local_storage().await > 0);
    next_respondent(&b).await;
    loop {
        let section = current_section(&b, &survey).await;
        answer_page(&b, section, 8).await;
        if !b.exists("next").await {
            break;
        }
        next_page(&b, section).await;
    }
    b.click("submit").await;
    assert_eq!(b.text("storage-full").await, STORAGE_FULL);
    // Still on the last page, with this respondent's answers on screen.
    assert!(b.exists("submit").await && !b.exists("thanks").await);
    let typed = b
        .by_testid("q-proposta-input")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(typed.as_deref(), Some("risposta 8, con una virgola"));
    assert_eq!(b.text("outbox-count").await, "8");
    assert_eq!(queued(&b).await, before_full, "nothing queued was touched");

    // Space is freed; submitting again saves the response.
    b.free_local_storage().await;
    b.click("submit").await;
    b.by_testid("thanks").await;
    assert!(!b.exists("storage-full").await);

    // Respondent 10.
    next_respondent(&b).await;
    answer_survey(&b, &survey, 9).await;
    b.wait_text("outbox-count", "10", wait).await;
    let session = queued(&b).await;
    assert_eq!(session.len(), 10);
    for (id, r) in &before_full {
        assert_eq!(session.get(id), Some(r), "{id} kept as it was");
    }
    assert_eq!(
        collector.csv(SURVEY).await.len(),
        1,
        "nothing reached the collector while offline"
    );

    // The status screen shows what waits, per survey, with its size.
    b.click("home").await;
    b.click("open-status").await;
    b.wait_text(&format!("waiting-{SURVEY}"), "10", wait).await;
    let usage = b.by_testid("storage-usage").await;
    let bytes: u64 = usage
        .attr("data-value")
        .await
        .expect("attr")
        .expect("data-value")
        .parse()
        .expect("a number");
    assert!(bytes > 10 * 200, "ten responses take some room: {bytes}");
    assert!(b.text("storage-usage").await.starts_with("10 "));

    // Meanwhile another device sent a different response under one of these ids.
    let (conflict_id, mine) = session.iter().next().expect("a response");
    let mut theirs = mine.clone();
    theirs["answers"]["proposta"] = "una risposta diversa, dall'altro dispositivo".into();
    let reply = collector.post_batch(&[theirs]).await;
    assert_eq!(reply["results"][0]["status"], "stored", "{reply}");

    // The youth worker exports the queue to a file: the very responses queued.
    b.click("export-outbox").await;
    let file = wait_for_download(downloads.path(), "voci-outbox-", wait).await;
    let text = std::fs::read_to_string(&file).expect("the exported file");
    let exported = OutboxFile::parse(&text).expect("a valid outbox file");
    let exported: BTreeMap<String, serde_json::Value> = exported
        .responses
        .iter()
        .map(|r| (r.id.to_string(), serde_json::to_value(r).unwrap()))
        .collect();
    assert_eq!(exported, session, "the file holds the queue, unchanged");

    // A coordinator imports it with `voci import`: every response once, the conflict reported.
    let out = voci_import(&collector, &file).await;
    assert!(
        out.contains("9 stored, 0 duplicate, 1 conflict, 0 invalid"),
        "{out}"
    );
    assert!(out.contains(conflict_id.as_str()), "{out}");
    let all: BTreeSet<String> = session.keys().cloned().collect();
    assert_eq!(csv_ids(&collector).await, (all.clone(), 10));
    // Importing the same file again stores nothing.
    let out = voci_import(&collector, &file).await;
    assert!(
        out.contains("0 stored, 9 duplicate, 1 conflict, 0 invalid"),
        "{out}"
    );
    assert_eq!(csv_ids(&collector).await, (all.clone(), 10));

    // The network comes back: the outbox drains without a reload; the conflict needs attention.
    net.on();
    b.set_offline(false).await;
    b.wait_text("outbox-count", "0", Duration::from_secs(90))
        .await;
    b.wait_text(&format!("waiting-{SURVEY}"), "0", wait).await;
    b.wait_text(&format!("sent-today-{SURVEY}"), "9", wait)
        .await;
    b.wait_text("attention-count", "1", wait).await;
    let item: WebElement = b.by_testid(&format!("attention-{conflict_id}")).await;
    assert_eq!(
        item.attr("data-status").await.expect("attr").as_deref(),
        Some("conflict")
    );
    let words = item.text().await.expect("text");
    assert!(
        words.contains("Sul server c'è già una risposta diversa"),
        "{words}"
    );
    assert!(
        b.by_testid("attention-list")
            .await
            .text()
            .await
            .expect("text")
            .contains(conflict_id.as_str())
    );
    assert!(!b.text(&format!("last-sync-{SURVEY}")).await.is_empty());
    assert_eq!(
        csv_ids(&collector).await,
        (all.clone(), 10),
        "still once each"
    );

    // An admin's import in the results area does the same as `voci import`, from a browser.
    let app = b.js("return location.origin").await;
    let result = super::results::import_in_results_area(&b, &collector, &file).await;
    assert!(
        result.contains("0 nuove, 9 già presenti, 1 in conflitto, 0 non valide"),
        "{result}"
    );
    assert_eq!(csv_ids(&collector).await, (all, 10));

    // Clearing the device warns with the unsent count and offers the export first.
    b.driver
        .goto(&format!("{}/", app.as_str().expect("an origin")))
        .await
        .expect("back to the app");
    b.wait_text("attention-count", "1", wait).await;
    b.click("open-status").await;
    b.click("clear-data").await;
    let warning = b.by_testid("clear-warning").await;
    assert_eq!(
        warning.attr("data-value").await.expect("attr").as_deref(),
        Some("1")
    );
    assert!(b.text("clear-warning").await.contains("1 risposta"));
    assert!(b.exists("clear-export").await);
    b.click("clear-cancel").await;
    assert_eq!(b.local_storage("voci.attention.").await.len(), 1, "kept");
    b.click("clear-data").await;
    b.click("clear-confirm").await;
    b.wait_js(
        "the app's data gone",
        "!Object.keys(localStorage).some(k => k.startsWith('voci.attention.') || k.startsWith('voci.outbox.'))",
        wait,
    )
    .await;
    b.by_testid(&format!("survey-{SURVEY}")).await;

    b.quit().await;
    collector.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_web_locks_the_lease_keeps_one_sync_and_the_outbox_drains() {
    let survey = load_survey();
    let collector = spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);
    b.before_each_page("delete Navigator.prototype.locks;")
        .await;
    b.driver.goto(&net.url).await.expect("open the app");
    assert_eq!(
        b.js("return navigator.locks === undefined;").await,
        serde_json::json!(true)
    );
    choose_site(&b, &a_school()).await;
    net.off();
    b.set_offline(true).await;
    b.click(&format!("survey-{SURVEY}")).await;
    b.accept_consent().await;
    answer_survey(&b, &survey, 0).await;
    next_respondent(&b).await;
    answer_survey(&b, &survey, 1).await;
    b.wait_text("outbox-count", "2", wait).await;

    net.on();
    b.set_offline(false).await;
    b.wait_text("outbox-count", "0", wait).await;
    assert_eq!(csv_ids(&collector).await.1, 2);
    // The lease was given back once the sync was over.
    assert!(
        b.local_storage("voci.sync.lease").await.is_empty(),
        "the lease is released"
    );

    b.quit().await;
    collector.stop().await;
}
