//! Classroom kiosk mode in real Chromium: a youth worker starts a session (site, group, survey,
//! language, PIN) and hands the tablet over. Respondents one after another, each starting blank
//! and unable to reach the others' answers; consent declined and a withdrawal leave nothing;
//! the language switched mid-way keeps the answers, and Arabic is laid out right to left; the
//! PIN guards the way out (a wrong one is refused, a few lock the prompt, even after a reload);
//! the completed responses reach the collector with the group label.

use std::time::Duration;

use voci_core::Survey;

// The foundation test's helpers (answering a page the way a respondent does) and imports.
use super::*;

/// The citizen survey: a consent text, and Arabic besides Italian and English.
const CITIZENS: &str = "bisogni-cittadini";
const GROUP: &str = "Genitori 3B";
const PIN: &str = "2468";

/// The municipality the session is run in (a parents' evening in the town hall).
fn a_municipality() -> String {
    voci_tests::sample_sites()
        .flatten()
        .into_iter()
        .find(|(_, s)| s.kind == SiteKind::Municipality)
        .map(|(_, s)| s.id.to_string())
        .expect("sites.toml has a municipality")
}

/// From the home screen, the youth worker's form, filled in and sent.
pub(super) async fn start_session(b: &Browser, site: &str, language: &str) {
    b.click("open-kiosk").await;
    b.by_testid("kiosk-setup").await;
    b.select("site-select", site).await;
    b.type_into("kiosk-group", GROUP).await;
    b.select("kiosk-survey", CITIZENS).await;
    b.select("kiosk-language", language).await;
    b.type_into("kiosk-pin", PIN).await;
    b.type_into("kiosk-pin-again", PIN).await;
    b.click("kiosk-start").await;
    b.by_testid("welcome").await;
}

/// During a classroom session, another entry's address (`path`: `/focus/`, `/enrol`) typed into
/// the tablet leads back to the kiosk's welcome screen; that entry's `absent` never shows.
pub(super) async fn an_entry_leads_back_to_the_kiosk(
    b: &Browser,
    base: &str,
    path: &str,
    absent: &str,
) {
    b.driver
        .goto(&format!("{base}{path}"))
        .await
        .unwrap_or_else(|e| panic!("open {path} in kiosk mode: {e}"));
    b.wait_js(
        "the way back to /",
        "location.pathname === '/'",
        Duration::from_secs(30),
    )
    .await;
    b.by_testid("welcome").await;
    assert!(
        !b.exists(absent).await,
        "{path} opened in a classroom session"
    );
}

/// The page's whole markup, as a respondent's tools (or a curious one) could see it.
async fn page_source(b: &Browser) -> String {
    b.driver.source().await.expect("the page source")
}

/// The `dir` and `lang` of the document, and the computed direction of a question's label.
async fn direction(b: &Browser, testid: &str) -> (String, String, String) {
    let got = b
        .js(&format!(
            "const label = document.querySelector('[data-testid=\"{testid}\"] legend, \
                                                    [data-testid=\"{testid}\"] label');\
             return [document.documentElement.dir, document.documentElement.lang,\
                     getComputedStyle(label).direction];"
        ))
        .await;
    let s = |i: usize| got[i].as_str().unwrap_or_default().to_owned();
    (s(0), s(1), s(2))
}

fn first_question_on(survey: &Survey, page: usize) -> String {
    format!("q-{}", survey.sections[page].questions[0].id)
}

/// Answers every page from the current one (page `from`) and submits.
async fn answer_from(b: &Browser, survey: &Survey, from: usize, who: usize) {
    for (i, section) in survey.sections.iter().enumerate().skip(from) {
        answer_page(b, section, who).await;
        if i + 1 < survey.sections.len() {
            b.click("next").await;
            b.by_testid(&first_question_on(survey, i + 1)).await;
        }
    }
    b.click("submit").await;
    b.by_testid("thanks").await;
}

/// Welcome → consent → the first page.
async fn begin(b: &Browser, survey: &Survey) {
    b.click("start").await;
    b.click("consent-accept").await;
    b.by_testid(&first_question_on(survey, 0)).await;
}

/// The typed text `answer_page` leaves in a respondent's text fields.
fn typed_by(who: usize) -> String {
    format!("risposta {who}, con una virgola")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_classroom_session_keeps_respondents_apart_and_needs_the_pin_to_leave() {
    let survey = voci_tests::sample_survey(CITIZENS);
    assert!(survey.consent.is_some(), "the test needs a consent text");
    assert!(survey.languages.iter().any(|l| l == "ar"));
    let profile = survey
        .sections
        .iter()
        .position(|s| first_choice_testid(s, 1).is_some())
        .expect("a page with a choice question");
    let collector = spawn_collector().await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);
    b.driver.goto(&collector.url).await.expect("open the app");

    // The youth worker's form says what is wrong: the two PINs differ.
    b.click("open-kiosk").await;
    b.select("kiosk-survey", CITIZENS).await;
    b.select("site-select", &a_municipality()).await;
    b.type_into("kiosk-pin", PIN).await;
    b.type_into("kiosk-pin-again", "2469").await;
    b.click("kiosk-start").await;
    b.by_testid("kiosk-error").await;
    assert!(!b.exists("welcome").await, "no session with differing PINs");
    b.click("home").await;
    start_session(&b, &a_municipality(), "it").await;
    assert!(
        !b.local_storage("voci.kiosk").await["voci.kiosk"].contains(PIN),
        "the PIN itself is not stored"
    );

    // Respondent 1, in Italian.
    begin(&b, &survey).await;
    assert_eq!(
        b.js("return document.documentElement.dir").await,
        "ltr",
        "Italian is left to right"
    );
    answer_from(&b, &survey, 0, 0).await;
    // Nothing of the youth worker's screens is reachable from here.
    for id in [
        "home",
        "open-status",
        "open-results",
        "outbox-count",
        "export-outbox",
    ] {
        assert!(!b.exists(id).await, "{id} is shown to a respondent");
    }

    // Respondent 2 starts blank and cannot reach respondent 1's answers.
    b.click("next-respondent").await;
    b.by_testid("welcome").await;
    assert!(
        !page_source(&b).await.contains(&typed_by(0)),
        "the first respondent's text is in the page"
    );
    begin(&b, &survey).await;
    assert!(!b.exists("back").await, "no way back from the first page");
    for (i, section) in survey.sections.iter().enumerate().take(profile) {
        answer_page(&b, section, 1).await;
        b.click("next").await;
        b.by_testid(&first_question_on(&survey, i + 1)).await;
    }
    assert_blank(&b, &survey.sections[profile]).await;
    answer_page(&b, &survey.sections[profile], 1).await;
    let picked = first_choice_testid(&survey.sections[profile], 1).expect("a choice");

    // The language switched mid-way: the answers stay, Arabic is right to left.
    let question = first_question_on(&survey, profile);
    let label_it = b.text(&question).await;
    b.click("lang-ar").await;
    b.wait_js(
        "the document in Arabic",
        "document.documentElement.dir === 'rtl'",
        wait,
    )
    .await;
    let (dir, lang, label_dir) = direction(&b, &question).await;
    assert_eq!((dir.as_str(), lang.as_str()), ("rtl", "ar"));
    assert_eq!(
        label_dir, "rtl",
        "a question's label is laid out right to left"
    );
    assert_ne!(b.text(&question).await, label_it, "the survey text follows");
    assert!(
        b.is_ticked(&picked).await,
        "{picked} is still ticked in Arabic"
    );
    b.click("lang-en").await;
    b.wait_js("English", "document.documentElement.lang === 'en'", wait)
        .await;
    assert!(
        b.is_ticked(&picked).await,
        "{picked} is still ticked in English"
    );
    b.click("next").await;
    b.by_testid(&first_question_on(&survey, profile + 1)).await;
    b.click("back").await;
    assert!(
        b.is_ticked(&picked).await,
        "{picked} is still ticked after going back and forth"
    );
    b.click("next").await;
    b.by_testid(&first_question_on(&survey, profile + 1)).await;
    answer_from(&b, &survey, profile + 1, 1).await;

    // Respondent 3 picks Arabic on the welcome screen; the welcome starts in Italian again.
    b.click("next-respondent").await;
    b.wait_js(
        "Italian again",
        "document.documentElement.lang === 'it'",
        wait,
    )
    .await;
    b.click("welcome-lang-ar").await;
    b.wait_js("Arabic", "document.documentElement.dir === 'rtl'", wait)
        .await;
    b.click("start").await;
    let consent = b.text("consent-text").await;
    assert!(
        consent
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "the consent text is in Arabic: {consent}"
    );
    b.click("consent-accept").await;
    answer_from(&b, &survey, 0, 2).await;

    // Respondent 4 declines the consent: back to welcome, nothing saved.
    b.click("next-respondent").await;
    b.click("start").await;
    b.click("consent-decline").await;
    b.by_testid("welcome").await;
    assert!(b.local_storage("voci.draft").await.is_empty());

    // Respondent 5 starts, then stops: asked first, then the draft is gone, nothing queued.
    begin(&b, &survey).await;
    for (i, section) in survey.sections.iter().enumerate().take(profile) {
        answer_page(&b, section, 4).await;
        b.click("next").await;
        b.by_testid(&first_question_on(&survey, i + 1)).await;
    }
    answer_page(&b, &survey.sections[profile], 4).await;
    assert_eq!(b.local_storage("voci.draft").await.len(), 1);
    b.click("home").await;
    b.click("withdraw-cancel").await;
    let kept = first_choice_testid(&survey.sections[profile], 4).expect("a choice");
    assert!(
        b.is_ticked(&kept).await,
        "changing one's mind about stopping keeps the answers"
    );
    b.click("home").await;
    b.click("withdraw-confirm").await;
    b.by_testid("welcome").await;
    assert!(
        b.local_storage("voci.draft").await.is_empty(),
        "the withdrawn draft is gone"
    );

    // Leaving needs the PIN: a wrong one is refused and the tablet stays in kiosk mode.
    b.click("kiosk-worker").await;
    b.type_into("worker-pin", "1111").await;
    b.click("unlock").await;
    b.wait_text(
        "pin-message",
        "PIN sbagliato. Tentativi rimasti: 2.",
        Duration::from_secs(10),
    )
    .await;
    assert!(!b.exists("kiosk-session").await);
    b.click("pin-cancel").await;
    b.by_testid("welcome").await;
    b.click("kiosk-worker").await;
    b.type_into("worker-pin", PIN).await;
    b.click("unlock").await;
    b.by_testid("kiosk-session").await;
    assert_eq!(b.text("kiosk-completed").await, "3");
    assert_eq!(b.text("kiosk-group-label").await, GROUP);
    b.wait_text("kiosk-outbox", "0", wait).await;
    b.click("kiosk-end").await;
    b.by_testid("open-kiosk").await;
    assert!(
        b.local_storage("voci.kiosk").await.is_empty(),
        "the session is over"
    );

    // The three completed responses, with the group label and their languages.
    let rows = collector.csv(CITIZENS).await;
    assert_eq!(rows.len(), 4, "a header and three responses: {rows:?}");
    let col = |name: &str| {
        rows[0]
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("a {name} column"))
    };
    let (group, language) = (col("group"), col("language"));
    assert!(rows[1..].iter().all(|r| r[group] == GROUP), "{rows:?}");
    let mut languages: Vec<&str> = rows[1..].iter().map(|r| r[language].as_str()).collect();
    languages.sort_unstable();
    assert_eq!(languages, ["ar", "en", "it"]);

    b.quit().await;
    collector.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_keeps_the_kiosk_the_answers_and_the_lockout() {
    let survey = voci_tests::sample_survey(CITIZENS);
    let profile = survey
        .sections
        .iter()
        .position(|s| first_choice_testid(s, 0).is_some())
        .expect("a page with a choice question");
    let collector = spawn_collector().await;
    let b = Browser::start().await;
    b.driver.goto(&collector.url).await.expect("open the app");
    start_session(&b, &a_municipality(), "en").await;

    // A respondent halfway through, in Arabic; then the page reloads.
    b.click("welcome-lang-ar").await;
    begin(&b, &survey).await;
    for (i, section) in survey.sections.iter().enumerate().take(profile) {
        answer_page(&b, section, 0).await;
        b.click("next").await;
        b.by_testid(&first_question_on(&survey, i + 1)).await;
    }
    answer_page(&b, &survey.sections[profile], 0).await;
    let picked = first_choice_testid(&survey.sections[profile], 0).expect("a choice");
    b.driver.refresh().await.expect("reload");
    b.by_testid(&first_question_on(&survey, profile)).await;
    assert!(b.exists("kiosk").await, "still in kiosk mode");
    assert!(b.is_ticked(&picked).await, "{picked} was restored");
    assert_eq!(
        b.js("return document.documentElement.dir").await,
        "rtl",
        "in the respondent's language"
    );

    // Three wrong PINs lock the prompt; the lockout outlives a reload, and refuses even the
    // right PIN while it runs.
    b.click("kiosk-worker").await;
    for pin in ["1111", "2222", "3333"] {
        b.type_into("worker-pin", pin).await;
        b.click("unlock").await;
    }
    b.wait_js(
        "the lockout message",
        "document.querySelector('[data-testid=pin-message]').textContent.includes('60')",
        Duration::from_secs(10),
    )
    .await;
    b.driver.refresh().await.expect("reload");
    b.by_testid(&first_question_on(&survey, profile)).await;
    b.click("kiosk-worker").await;
    b.by_testid("pin-message").await;
    assert!(
        !b.text("pin-message").await.is_empty(),
        "the lockout is said at once after a reload"
    );
    b.type_into("worker-pin", PIN).await;
    b.click("unlock").await;
    assert!(!b.exists("kiosk-session").await, "locked out");
    b.click("pin-cancel").await;
    assert!(
        b.is_ticked(&picked).await,
        "back to the respondent, answers intact"
    );

    b.quit().await;
    collector.stop().await;
}
