//! The whole path in real headless Chromium: the app served by the collector, a survey
//! answered online, then offline (reload, two respondents, a draft restored), then the network
//! back and the outbox draining into the collector's CSV without a reload.

mod outbox;

use std::time::Duration;

use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;
use voci_core::{QuestionKind, Section, SiteKind, Survey};
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

/// Answers every question on the page shown, the way a respondent would, varying by `who`.
async fn answer_page(b: &Browser, section: &Section, who: usize) {
    for q in &section.questions {
        let id = q.id.as_str();
        match &q.kind {
            QuestionKind::Single { choices } | QuestionKind::Likert { choices } => {
                b.click(&format!("q-{id}-{}", choices[who % choices.len()].id))
                    .await;
            }
            QuestionKind::Multiple { choices, min, .. } => {
                let n = min.unwrap_or(1).max(1) as usize;
                for c in choices.iter().take(n) {
                    b.click(&format!("q-{id}-{}", c.id)).await;
                }
            }
            QuestionKind::Integer { min, max } => {
                let v = 15_i64
                    .max(min.unwrap_or(i64::MIN))
                    .min(max.unwrap_or(i64::MAX));
                b.by_testid(&format!("q-{id}-input"))
                    .await
                    .send_keys(v.to_string())
                    .await
                    .expect("type");
            }
            QuestionKind::Number { min, max } => {
                let v = 15_f64
                    .max(min.unwrap_or(f64::MIN))
                    .min(max.unwrap_or(f64::MAX));
                b.by_testid(&format!("q-{id}-input"))
                    .await
                    .send_keys(v.to_string())
                    .await
                    .expect("type");
            }
            QuestionKind::Text { .. } | QuestionKind::LongText { .. } => {
                let el = b.by_testid(&format!("q-{id}-input")).await;
                el.send_keys(format!("risposta {who}, con una virgola"))
                    .await
                    .expect("type");
            }
            QuestionKind::Date => {
                let el = b.by_testid(&format!("q-{id}-input")).await;
                b.driver
                    .execute(
                        "arguments[0].value = '2026-11-23';\
                         arguments[0].dispatchEvent(new Event('input', {bubbles: true}));\
                         arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                        vec![el.to_json().expect("element")],
                    )
                    .await
                    .expect("set date");
            }
            QuestionKind::Note | QuestionKind::Calculate { .. } | QuestionKind::Matrix { .. } => {}
            QuestionKind::Ranking { .. } | QuestionKind::Acknowledge => {
                panic!("this test does not answer {} questions yet", q.kind.name())
            }
        }
    }
}

/// Asserts that no choice of the page's choice questions is ticked: a respondent starts blank.
async fn assert_blank(b: &Browser, section: &Section) {
    for q in &section.questions {
        for c in q.kind.choices() {
            let id = format!("q-{}-{}", q.id, c.id);
            let ticked = b
                .by_testid(&id)
                .await
                .is_selected()
                .await
                .expect("selected state");
            assert!(!ticked, "{id} is ticked before this respondent answered");
        }
    }
}

/// Answers the whole survey from its first page and submits it, checking each page starts blank.
async fn answer_survey(b: &Browser, survey: &Survey, who: usize) {
    for (i, section) in survey.sections.iter().enumerate() {
        assert_blank(b, section).await;
        answer_page(b, section, who).await;
        if i + 1 < survey.sections.len() {
            b.click("next").await;
            let first = &survey.sections[i + 1].questions[0];
            b.by_testid(&format!("q-{}", first.id)).await;
        }
    }
    b.click("submit").await;
    b.by_testid("thanks").await;
}

async fn choose_site(b: &Browser, site: &str) {
    let select = SelectElement::new(&b.by_testid("site-select").await)
        .await
        .expect("a select");
    select
        .select_by_value(site)
        .await
        .expect("the site is an option");
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
    b.click(&format!("survey-{SURVEY}")).await;
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
    let k = survey
        .sections
        .iter()
        .position(|s| first_choice_testid(s, 1).is_some())
        .expect("the survey has a choice question");
    assert!(
        k + 1 < survey.sections.len(),
        "the test needs a page after the first choice page"
    );
    b.click(&format!("survey-{SURVEY}")).await;
    for section in &survey.sections[..=k] {
        answer_page(&b, section, 1).await;
        b.click("next").await;
    }
    let after = format!("q-{}", survey.sections[k + 1].questions[0].id);
    b.by_testid(&after).await;
    b.driver.refresh().await.expect("reload mid-response");
    // The draft reopens on the same page, and the earlier page's answers are still there.
    b.by_testid(&after).await;
    b.click("back").await;
    let restored = first_choice_testid(&survey.sections[k], 1).expect("a choice question");
    assert!(
        b.by_testid(&restored)
            .await
            .is_selected()
            .await
            .expect("selected state"),
        "{restored} was restored from the draft"
    );
    b.click("next").await;
    b.by_testid(&after).await;
    for (i, section) in survey.sections.iter().enumerate().skip(k + 1) {
        answer_page(&b, section, 1).await;
        if i + 1 < survey.sections.len() {
            b.click("next").await;
        }
    }
    b.click("submit").await;
    b.by_testid("thanks").await;

    // Respondent 3 starts blank.
    b.click("next-respondent").await;
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

/// The testid of the choice respondent `who` picks in the first choice question of a page.
fn first_choice_testid(section: &Section, who: usize) -> Option<String> {
    section.questions.iter().find_map(|q| match &q.kind {
        QuestionKind::Single { choices } | QuestionKind::Likert { choices } => {
            Some(format!("q-{}-{}", q.id, choices[who % choices.len()].id))
        }
        _ => None,
    })
}
