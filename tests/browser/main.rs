//! The whole path in real headless Chromium: the app served by the collector, a survey
//! answered online, then offline (reload, two respondents, a draft restored), then the network
//! back and the outbox draining into the collector's CSV without a reload.

mod a11y;
mod defaults;
mod enrol;
mod focus;
mod kiosk;
mod logic;
mod numbers;
mod outbox;
mod results;
mod xlsform;

use std::time::Duration;

use thirtyfour::prelude::*;
use voci_core::{Answer, Choice, Question, QuestionKind, Section, SiteKind, Survey};
use voci_tests::{Browser, NetSwitch, spawn_collector};

const SURVEY: &str = "protagonismo-giovanile";

fn load_survey() -> Survey {
    voci_tests::sample_survey(SURVEY)
}

/// The first school in the site tree, where the youth worker is today.
fn a_school() -> String {
    let tree = voci_tests::sample_sites();
    tree.flatten()
        .into_iter()
        .find(|(_, s)| s.kind == SiteKind::School)
        .map(|(_, s)| s.id.to_string())
        .expect("sites.toml has a school")
}

/// Whether the survey's logic draws the question now (the app leaves hidden ones out of the page).
async fn on_screen(b: &Browser, q: &Question) -> bool {
    b.exists(&format!("q-{}", q.id)).await
}

/// The choices of a question the page offers now (a choice filter may leave some out).
async fn offered<'q>(b: &Browser, q: &'q Question) -> Vec<&'q Choice> {
    let mut out = Vec::new();
    for c in q.kind.choices() {
        if b.exists(&format!("q-{}-{}", q.id, c.id)).await {
            out.push(c);
        }
    }
    out
}

/// Sets an input's value the way a date, time or slider picker does.
async fn set_value(b: &Browser, testid: &str, value: &str) {
    let el = b.by_testid(testid).await;
    b.driver
        .execute(
            "arguments[0].value = arguments[1];\
             arguments[0].dispatchEvent(new Event('input', {bubbles: true}));\
             arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![el.to_json().expect("element"), serde_json::json!(value)],
        )
        .await
        .expect("set the value");
}

/// Gives one answer through the page: clicks, ticks, types.
async fn give(b: &Browser, q: &Question, answer: &Answer) {
    let id = q.id.as_str();
    match (&q.kind, answer) {
        // Taken as shown, unless the respondent already ordered it.
        (QuestionKind::Ranking { .. }, _) => {
            if b.exists(&format!("q-{id}-keep")).await {
                b.click(&format!("q-{id}-keep")).await;
            }
        }
        (QuestionKind::Acknowledge, _) => b.click(&format!("q-{id}-input")).await,
        (_, Answer::Choices(picked)) => {
            for c in picked {
                b.click(&format!("q-{id}-{c}")).await;
            }
        }
        (QuestionKind::Single { .. } | QuestionKind::Likert { .. }, Answer::Text(c)) => {
            b.click(&format!("q-{id}-{c}")).await;
        }
        (QuestionKind::Date | QuestionKind::Time | QuestionKind::DateTime, Answer::Text(t)) => {
            set_value(b, &format!("q-{id}-input"), t).await;
        }
        (QuestionKind::Range { .. }, Answer::Number(n)) => {
            set_value(b, &format!("q-{id}-input"), &n.to_string()).await;
        }
        (_, Answer::Text(t)) => type_into(b, &format!("q-{id}-input"), t).await,
        (_, Answer::Number(n)) => type_into(b, &format!("q-{id}-input"), &n.to_string()).await,
        (_, Answer::Instances(_)) => panic!("{id}: repeats: see xlsform.rs"),
    }
}

async fn type_into(b: &Browser, testid: &str, text: &str) {
    b.by_testid(testid)
        .await
        .send_keys(text)
        .await
        .expect("type");
}

/// Answers every question the page shows, the way a respondent would, varying by `who`.
/// Questions the survey's logic hides are not on the page and are left alone.
async fn answer_page(b: &Browser, section: &Section, who: usize) {
    for q in &section.questions {
        if !on_screen(b, q).await {
            continue;
        }
        let choices = offered(b, q).await;
        if let Some(answer) = voci_tests::sample_answer(q, &choices, who) {
            give(b, q, &answer).await;
        }
    }
}

/// Asserts that no choice shown on the page is ticked: a respondent starts blank.
async fn assert_blank(b: &Browser, section: &Section) {
    for q in &section.questions {
        for c in offered(b, q).await {
            let id = format!("q-{}-{}", q.id, c.id);
            assert!(
                !b.is_ticked(&id).await,
                "{id} is ticked before this respondent answered"
            );
        }
    }
}

/// The section on screen (the survey's logic skips pages with nothing to show).
async fn current_section<'s>(b: &Browser, survey: &'s Survey) -> &'s Section {
    let id = b
        .by_testid("page")
        .await
        .attr("data-section")
        .await
        .expect("an attribute")
        .expect("the page names its section");
    survey
        .sections
        .iter()
        .find(|s| s.id.as_str() == id)
        .unwrap_or_else(|| panic!("no section {id:?} in {}", survey.id))
}

/// Presses next and waits for another page.
async fn next_page(b: &Browser, from: &Section) {
    b.click("next").await;
    let selector = format!("[data-testid=page]:not([data-section=\"{}\"])", from.id);
    b.driver
        .query(By::Css(selector))
        .wait(Duration::from_secs(20), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("next did not leave page {}: {e}", from.id));
}

/// Answers the survey from the page on screen to the end and submits it, page by page as the
/// logic shows them, checking each page starts blank. Returns the sections answered.
async fn answer_rest<'s>(b: &Browser, survey: &'s Survey, who: usize) -> Vec<&'s Section> {
    let mut seen = Vec::new();
    loop {
        let section = current_section(b, survey).await;
        assert_blank(b, section).await;
        answer_page(b, section, who).await;
        seen.push(section);
        if b.exists("next").await {
            next_page(b, section).await;
        } else {
            b.click("submit").await;
            b.by_testid("thanks").await;
            return seen;
        }
    }
}

/// Answers the whole survey from its first page and submits it.
async fn answer_survey(b: &Browser, survey: &Survey, who: usize) {
    b.by_testid("page").await;
    answer_rest(b, survey, who).await;
}

async fn choose_site(b: &Browser, site: &str) {
    b.select("site-select", site).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_answered_online_and_offline_reaches_the_csv_once() {
    let survey = load_survey();
    assert!(
        survey.sections.len() >= 2,
        "the test needs a survey of two pages or more"
    );
    let site = a_school();
    let collector = spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);

    // Online: open the app from the collector, pick a site, answer, submit.
    b.driver.goto(&net.url).await.expect("open the app");
    choose_site(&b, &site).await;
    // The app's WebAssembly came compressed (the collector's Brotli copy, as Chromium takes it).
    let sizes = b
        .js("const e = performance.getEntriesByType('resource')
                .find(e => e.name.endsWith('_bg.wasm'));
             return e ? [e.encodedBodySize, e.decodedBodySize] : null;")
        .await;
    let (sent, size) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
    assert!(
        sent > 0 && sent * 2 < size,
        "the wasm went out compressed: {sent} bytes for {size}"
    );
    b.click(&format!("survey-{SURVEY}")).await;
    b.accept_consent().await;
    answer_survey(&b, &survey, 0).await;
    b.wait_text("outbox-count", "0", wait).await;
    let rows = collector.csv(SURVEY).await;
    assert_eq!(rows.len(), 2, "a header and one response: {rows:?}");
    let site_col = rows[0]
        .iter()
        .position(|c| c == "site")
        .expect("a site column");
    assert_eq!(rows[1][site_col], site);

    // The service worker controls the page before the network goes away.
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;

    // Offline: the collector is unreachable and the browser knows it.
    net.off();
    b.set_offline(true).await;
    b.driver.refresh().await.expect("reload offline");
    // No draft was open, so the app reopens on the home screen, rendered from the cache.
    b.by_testid(&format!("survey-{SURVEY}")).await;

    // Respondent 2, with a reload in the middle of the questionnaire: after the first page with
    // a choice question, on the page that follows it.
    b.click(&format!("survey-{SURVEY}")).await;
    b.accept_consent().await;
    let choice_page = loop {
        let section = current_section(&b, &survey).await;
        answer_page(&b, section, 1).await;
        next_page(&b, section).await;
        if first_choice_testid(section, 1).is_some() {
            break section;
        }
    };
    let after = current_section(&b, &survey).await.id.to_string();
    b.driver.refresh().await.expect("reload mid-response");
    // The draft reopens on the same page, and the earlier page's answers are still there.
    assert_eq!(current_section(&b, &survey).await.id.as_str(), after);
    b.click("back").await;
    let restored = first_choice_testid(choice_page, 1).expect("a choice question");
    assert!(
        b.is_ticked(&restored).await,
        "{restored} was restored from the draft"
    );
    next_page(&b, choice_page).await;
    assert_eq!(current_section(&b, &survey).await.id.as_str(), after);
    let answered = answer_rest(&b, &survey, 1).await;
    // Respondent 2 is not a student: the logic skipped the school page.
    assert!(
        !answered.iter().any(|s| s.id.as_str() == "a_scuola"),
        "a non-student was shown the school page"
    );

    // Respondent 3 starts blank.
    b.click("next-respondent").await;
    b.accept_consent().await;
    answer_survey(&b, &survey, 2).await;
    b.wait_text("outbox-count", "2", wait).await;
    assert_eq!(
        collector.csv(SURVEY).await.len(),
        2,
        "nothing reached the collector while offline"
    );

    // Network back: the outbox drains by itself, no reload.
    net.on();
    b.set_offline(false).await;
    b.wait_text("outbox-count", "0", Duration::from_secs(90))
        .await;
    let rows = collector.csv(SURVEY).await;
    assert_eq!(rows.len(), 4, "a header and three responses: {rows:?}");
    let ids: std::collections::BTreeSet<&String> = rows[1..].iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), 3, "three different responses");

    b.quit().await;
    collector.stop().await;
}
/// Every path the service worker's caches hold.
async fn cached_paths(b: &Browser) -> Vec<String> {
    let cached = b
        .js("return (async () => {\
               const out = [];\
               for (const name of await caches.keys()) {\
                 for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);\
               }\
               return out;\
             })();")
        .await;
    serde_json::from_value(cached).expect("paths")
}

/// After a first load of `/` in `b`: it fetched the app's own WebAssembly and no file under
/// `prefix` (another entry point's), and the worker's caches hold the app's page but nothing
/// under `prefix` either.
async fn assert_first_load_leaves_out(b: &Browser, prefix: &str) {
    let fetched = b
        .js("return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);")
        .await;
    let fetched: Vec<String> = serde_json::from_value(fetched).expect("paths");
    assert!(
        fetched.iter().any(|p| p.ends_with(".wasm")),
        "the app's own WebAssembly is among what it fetched: {fetched:?}"
    );
    assert!(
        !fetched.iter().any(|p| p.starts_with(prefix)),
        "{fetched:?}"
    );
    let cached = cached_paths(b).await;
    assert!(cached.iter().any(|p| p == "/index.html"), "{cached:?}");
    assert!(!cached.iter().any(|p| p.starts_with(prefix)), "{cached:?}");
}

/// The testid of the choice respondent `who` picks in the first choice question of a page.
fn first_choice_testid(section: &Section, who: usize) -> Option<String> {
    section.questions.iter().find_map(|q| match &q.kind {
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => {
            let choices: Vec<&Choice> = q.kind.choices().iter().collect();
            match voci_tests::sample_answer(q, &choices, who)? {
                Answer::Text(c) => Some(format!("q-{}-{c}", q.id)),
                _ => None,
            }
        }
        _ => None,
    })
}
