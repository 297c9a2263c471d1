//! The accessibility audit: axe-core (installed from npm by `cargo xtask test`, its path in
//! `VOCI_AXE`) run in real Chromium on every screen a youth worker or a respondent sees: home,
//! the kiosk's setup, welcome (also in Arabic), consent, each page of questions (also with its
//! error messages showing), thank you, the PIN prompt and the session screen; and the
//! facilitator's focus-group screens (their own entry point, `/focus/`): the start form (also
//! with its errors), the session (also in Arabic), the end's confirmation and the queued
//! session. Any `critical` or `serious` violation fails the test, with what and where.

use std::path::PathBuf;
use std::time::Duration;

use super::*;

const CITIZENS: &str = "bisogni-cittadini";

/// axe-core's script: `VOCI_AXE`, else where `cargo xtask test` installs it.
fn axe_script() -> String {
    let path = std::env::var_os("VOCI_AXE").map_or_else(
        || voci_tests::root().join(".tools/node_modules/axe-core/axe.min.js"),
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is needed at {} ({e}): run the tests with `cargo xtask test`, which installs it",
            path.display()
        )
    })
}

/// The violations found so far, one line each, across screens.
#[derive(Default)]
pub(crate) struct Audit {
    axe: String,
    failures: Vec<String>,
    screens: usize,
}

impl Audit {
    /// An audit with axe-core's script at hand (other browser tests audit their screens too).
    pub(crate) fn new() -> Self {
        Self {
            axe: axe_script(),
            ..Self::default()
        }
    }

    /// Runs axe-core on the page as it is now; `screen` names it in the report.
    pub(crate) async fn check(&mut self, b: &Browser, screen: &str) {
        let loaded = b.js("return typeof window.axe !== 'undefined';").await;
        if loaded != true {
            b.driver
                .execute(&self.axe, vec![])
                .await
                .expect("axe-core loads");
        }
        let found = b
            .js(
                "const r = await axe.run(document, { resultTypes: ['violations'] });\
                 return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,\
                   nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }));",
            )
            .await;
        self.screens += 1;
        for v in found.as_array().expect("a list of violations") {
            let line = format!(
                "{screen}: {} [{}] {} at {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                v["nodes"]
            );
            match v["impact"].as_str() {
                Some("critical" | "serious") => self.failures.push(line),
                _ => eprintln!("a11y (not failing): {line}"),
            }
        }
    }

    pub(crate) fn assert_clean(self) {
        assert!(self.screens > 0, "no screen was audited");
        assert!(
            self.failures.is_empty(),
            "axe-core found {} critical or serious violations:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_passes_the_accessibility_audit() {
    let mut audit = Audit {
        axe: axe_script(),
        ..Audit::default()
    };
    let collector = spawn_collector().await;
    let b = Browser::start().await;
    b.driver.goto(&collector.url).await.expect("open the app");

    // The youth worker's screens: home, then one respondent of the youth survey (every page,
    // with the errors of an empty page showing where a page has required questions).
    b.by_testid(&format!("survey-{SURVEY}")).await;
    audit.check(&b, "home").await;
    choose_site(&b, &a_school()).await;
    b.click(&format!("survey-{SURVEY}")).await;
    b.by_testid("consent").await;
    audit.check(&b, "assent of the youth survey").await;
    b.click("consent-accept").await;
    let youth = load_survey();
    audit_pages(&mut audit, &b, &youth, "youth survey").await;
    audit.check(&b, "thank you").await;
    b.click("home").await;

    // The kiosk: setup, welcome (Italian and Arabic), consent, questions, thank you, PIN.
    b.click("open-kiosk").await;
    b.by_testid("kiosk-setup").await;
    audit.check(&b, "kiosk setup").await;
    b.click("kiosk-start").await;
    b.by_testid("kiosk-error").await;
    audit.check(&b, "kiosk setup with an error").await;
    b.select("kiosk-survey", CITIZENS).await;
    for id in ["kiosk-pin", "kiosk-pin-again"] {
        b.by_testid(id).await.send_keys("2468").await.expect("type");
    }
    b.click("kiosk-start").await;
    b.by_testid("welcome").await;
    audit.check(&b, "welcome").await;
    b.click("welcome-lang-ar").await;
    b.wait_js(
        "Arabic",
        "document.documentElement.dir === 'rtl'",
        Duration::from_secs(10),
    )
    .await;
    audit.check(&b, "welcome in Arabic").await;
    b.click("start").await;
    b.by_testid("consent").await;
    audit.check(&b, "consent in Arabic").await;
    b.click("consent-accept").await;
    let citizens = voci_tests::sample_survey(CITIZENS);
    audit_pages(&mut audit, &b, &citizens, "citizen survey in Arabic").await;
    audit.check(&b, "kiosk thank you").await;
    b.click("next-respondent").await;
    b.click("kiosk-worker").await;
    b.by_testid("pin-prompt").await;
    b.by_testid("worker-pin")
        .await
        .send_keys("0000")
        .await
        .expect("type");
    b.click("unlock").await;
    b.wait_js(
        "the wrong-PIN message",
        "document.querySelector('[data-testid=pin-message]').textContent !== ''",
        Duration::from_secs(10),
    )
    .await;
    audit.check(&b, "PIN prompt after a wrong PIN").await;
    b.by_testid("worker-pin")
        .await
        .send_keys("2468")
        .await
        .expect("type");
    b.click("unlock").await;
    b.by_testid("kiosk-session").await;
    audit.check(&b, "session screen").await;

    b.quit().await;
    collector.stop().await;
    audit.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_focus_group_screens_pass_the_accessibility_audit() {
    let mut audit = Audit::new();
    let collector = spawn_collector().await;
    let b = Browser::start().await;
    b.driver.goto(&collector.url).await.expect("open the app");
    b.by_testid("focus-open").await;
    audit
        .check(&b, "home, with the way into focus groups")
        .await;
    b.driver
        .goto(&format!("{}/focus/", collector.url))
        .await
        .expect("open the focus-group screens");

    // The start form, empty and sent: every field's error showing.
    b.by_testid("focus-begin").await;
    audit.check(&b, "focus-group start form").await;
    b.click("focus-begin").await;
    b.by_testid("focus-problem-site").await;
    audit.check(&b, "focus-group start form with errors").await;

    // The session: a participant who consented, a note; in Arabic too.
    b.select("focus-guide", "traccia-protagonismo-giovanile")
        .await;
    b.select("focus-site", &a_school()).await;
    b.type_into("focus-group-type", "Classe 4ª").await;
    b.type_into("focus-facilitator", "MR").await;
    b.click("focus-begin").await;
    b.by_testid("focus-session").await;
    b.click("add-participant").await;
    b.click("consent-P1").await;
    b.type_into("note-text", "Una nota").await;
    b.click("add-note").await;
    audit.check(&b, "focus-group session").await;
    b.click("lang-ar").await;
    b.wait_js(
        "Arabic",
        "document.documentElement.dir === 'rtl'",
        Duration::from_secs(10),
    )
    .await;
    audit.check(&b, "focus-group session in Arabic").await;
    b.click("lang-it").await;

    // The end: its confirmation, then the session queued.
    b.click("focus-end").await;
    b.by_testid("focus-end-yes").await;
    audit.check(&b, "focus-group end, confirmation").await;
    b.click("focus-end-yes").await;
    b.by_testid("focus-queued").await;
    audit.check(&b, "focus-group session queued").await;

    b.quit().await;
    collector.stop().await;
    audit.assert_clean();
}

/// Audits each page of a survey from the first, also with its error messages showing, and
/// submits it.
async fn audit_pages(audit: &mut Audit, b: &Browser, survey: &Survey, name: &str) {
    for (i, section) in survey.sections.iter().enumerate() {
        b.by_testid(&format!("q-{}", section.questions[0].id)).await;
        audit.check(b, &format!("{name}, page {}", i + 1)).await;
        let last = i + 1 == survey.sections.len();
        if section.questions.iter().any(|q| q.required) && !last {
            b.click("next").await;
            b.wait_js(
                "an error message",
                "document.querySelector('.questions .error')",
                Duration::from_secs(10),
            )
            .await;
            audit
                .check(b, &format!("{name}, page {} with errors", i + 1))
                .await;
        }
        answer_page(b, section, 0).await;
        b.click(if last { "submit" } else { "next" }).await;
    }
    b.by_testid("thanks").await;
}
