//! Benchmarks of the outbox in real headless Chromium running the built app (not tests): the
//! time to queue one response with 0, 500 and 2,000 already queued, and the time to sync 1,000
//! queued responses to a collector on loopback.
//!
//! `cargo xtask build-app && VOCI_DIST=$PWD/dist cargo bench -p voci-tests --bench outbox`
//!
//! Queuing is timed inside the page, from the submit click to the thank-you screen in the DOM
//! (a `MutationObserver`), next to the app's own `voci-enqueue` User Timing measure (the
//! localStorage write alone). Syncing is the app's `voci-sync-pass` measure (lock, reading the
//! queue, every batch acknowledged and removed), next to the wall time seen from outside.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use voci_core::engine::Engine;
use voci_core::{AnswerMap, Response, ResponseId, SiteId, Survey};
use voci_tests::{Browser, spawn_collector};

const SURVEY: &str = "protagonismo-giovanile";
const SAMPLES: usize = 15;

fn load_survey() -> Survey {
    voci_tests::sample_survey(SURVEY)
}

fn a_site() -> SiteId {
    let tree = voci_tests::sample_sites();
    tree.flatten()
        .into_iter()
        .last()
        .map(|(_, s)| s.id.clone())
        .expect("a site")
}

/// A complete, valid set of answers as respondent 0 of the browser tests gives them: only
/// the questions the survey's logic shows, and its calculations (checked with the core, as
/// the collector checks it).
fn answers(survey: &Survey) -> AnswerMap {
    let engine = Engine::new(survey).expect("the survey's logic builds");
    let mut sheet = engine.sheet(&AnswerMap::new(), 0);
    for q in survey.questions() {
        let offered = engine.choices(&sheet, q.id.as_str());
        if let Some(a) = voci_tests::sample_answer(q, &offered, 0) {
            engine.set(&mut sheet, q.id.as_str(), Some(a));
        }
    }
    engine.finish(&sheet)
}

fn template(survey: &Survey) -> (Response, Value) {
    let response = Response {
        id: ResponseId::from_random_bytes([7; 16]),
        survey: survey.id.clone(),
        version: survey.version.clone(),
        site: a_site(),
        language: "it".into(),
        // An anonymous survey: the date only.
        submitted_at: "2026-11-23".into(),
        started_at: None,
        group: None,
        answers: answers(survey),
    };
    if let Err(errors) = voci_core::validate::check_response(survey, &response) {
        panic!("the benchmark's answers are not valid: {errors:?}");
    }
    let draft = json!({
        "id": response.id,
        "survey": response.survey,
        "version": response.version,
        "site": response.site,
        "language": "it",
        "page": survey.sections.len() - 1,
        "answers": response.answers,
    });
    (response, draft)
}

/// Replaces the queue with `n` copies of `response`, each under a new id.
async fn fill_queue(b: &Browser, response: &Response, n: usize) {
    let script = format!(
        "const template = {};\
         Object.keys(localStorage).filter(k => k.startsWith('voci.outbox.'))\
           .forEach(k => localStorage.removeItem(k));\
         for (let i = 0; i < {n}; i++) {{\
           const id = crypto.randomUUID();\
           localStorage.setItem('voci.outbox.' + id, JSON.stringify({{...template, id}}));\
         }}\
         return true;",
        serde_json::to_string(response).expect("json")
    );
    b.js(&script).await;
}

/// Reopens the app on the last page of a finished draft, submits it, and returns the page's
/// own timings in milliseconds: (click → thank-you screen, the localStorage write).
async fn queue_one(b: &Browser, draft: &Value) -> (f64, f64) {
    b.js(&format!(
        "const draft = {draft}; draft.id = crypto.randomUUID();\
         localStorage.setItem('voci.draft', JSON.stringify(draft)); return true;"
    ))
    .await;
    b.driver.refresh().await.expect("reload");
    b.by_testid("submit").await;
    let timings = b
        .driver
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             const observer = new MutationObserver(() => {\
               if (document.querySelector('[data-testid=thanks]')) {\
                 observer.disconnect();\
                 const write = performance.getEntriesByName('voci-enqueue').pop();\
                 done([performance.now() - t0, write ? write.duration : -1]);\
               }\
             });\
             observer.observe(document.body, { childList: true, subtree: true });\
             const t0 = performance.now();\
             document.querySelector('[data-testid=submit]').click();",
            vec![],
        )
        .await
        .expect("the response is queued");
    let v: Vec<f64> = serde_json::from_value(timings.json().clone()).expect("two numbers");
    (v[0], v[1])
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::MIN, f64::max)
}

async fn outbox_count(b: &Browser) -> String {
    b.text("outbox-count").await
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let survey = load_survey();
    let (response, draft) = template(&survey);
    let collector = spawn_collector().await;
    let b = Browser::start().await;

    // Online once so the service worker and the surveys are there, then offline. The browser
    // talks to the collector directly: offline is the browser's own network emulation (the
    // app sees `navigator.onLine` false and does not try).
    b.driver.goto(&collector.url).await.expect("open the app");
    b.by_testid(&format!("survey-{SURVEY}")).await;
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        Duration::from_secs(30),
    )
    .await;
    b.set_offline(true).await;

    println!("Queue one response (median and slowest of {SAMPLES}, milliseconds):");
    println!("| already queued | submit → thank-you screen | localStorage write |");
    println!("| ---: | ---: | ---: |");
    for n in [0, 500, 2_000] {
        fill_queue(&b, &response, n).await;
        let (mut screen, mut write) = (Vec::new(), Vec::new());
        for _ in 0..SAMPLES {
            let (s, w) = queue_one(&b, &draft).await;
            screen.push(s);
            write.push(w);
        }
        assert_eq!(outbox_count(&b).await, (n + SAMPLES).to_string());
        println!(
            "| {n} | {:.1} (max {:.1}) | {:.2} (max {:.2}) |",
            median(screen.clone()),
            max(&screen),
            median(write.clone()),
            max(&write)
        );
    }

    println!("\nSync 1,000 queued responses to the collector on loopback:");
    println!("| run | app's sync pass (ms) | network back → outbox empty (ms) | responses/s |");
    println!("| ---: | ---: | ---: | ---: |");
    for run in 1..=3 {
        let before = collector.csv(SURVEY).await.len();
        fill_queue(&b, &response, 1_000).await;
        b.driver.refresh().await.expect("reload");
        b.wait_text("outbox-count", "1000", Duration::from_secs(30))
            .await;
        let start = Instant::now();
        b.set_offline(false).await;
        while outbox_count(&b).await != "0" {
            assert!(start.elapsed() < Duration::from_secs(300), "the sync ended");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let wall = start.elapsed().as_secs_f64() * 1_000.0;
        let pass = b
            .js("const m = performance.getEntriesByName('voci-sync-pass').pop(); return m ? m.duration : -1;")
            .await
            .as_f64()
            .expect("a measure");
        assert_eq!(collector.csv(SURVEY).await.len(), before + 1_000);
        println!(
            "| {run} | {pass:.0} | {wall:.0} | {:.0} |",
            1_000.0 / (pass / 1_000.0)
        );
        b.set_offline(true).await;
    }

    b.quit().await;
    collector.stop().await;
}
