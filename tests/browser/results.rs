//! The coordinators' results area (`/results/`) in real Chromium, on a seeded collector: a
//! coordinator signs in (after a wrong password), filters by a municipality, reads a bar chart
//! and its table with the counts worked out here from what was seeded, sees `<5` for a small
//! count, reads the written answers and downloads the responses as XLSX with its progress
//! shown to the end (the file read back with calamine); a viewer gets the same counts but no
//! written answers and no raw download, and the collector refuses it the file (403). Too many
//! wrong passwords show the lockout. axe-core audits the screens.

use std::io::Cursor;
use std::time::Duration;

use calamine::{Reader, Xlsx};
use serde_json::{Value, json};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;
use voci_core::{ResponseId, SiteKind};
use voci_tests::{Browser, Collector, spawn_collector_with, wait_for_download};

const CLIMA: &str = r#"
id = "clima"
version = "1"
title = { it = "Clima a scuola", en = "School climate" }
languages = ["it", "en"]

[[question]]
id = "ruolo"
type = "single"
label = { it = "Chi sei?", en = "Who are you?" }
choices = [{ id = "studente", label = { it = "Studente", en = "Student" } }, { id = "altro", label = { it = "Altro", en = "Other" } }]

[[question]]
id = "accordo"
type = "likert"
label = { it = "Ti trovi bene?", en = "Do you feel fine?" }
choices = [{ id = "no", label = { it = "No", en = "No" } }, { id = "poco", label = { it = "Poco", en = "A little" } }, { id = "si", label = { it = "Sì", en = "Yes" } }]

[[question]]
id = "eta"
type = "integer"
label = { it = "Età", en = "Age" }

[[question]]
id = "proposta"
type = "text"
label = { it = "Una proposta", en = "A proposal" }
"#;

pub(super) const PASSWORD: &str = "una password lunga";

/// Two municipalities of the sample sites, each with a school: (municipality, school).
fn two_municipalities() -> [(String, String); 2] {
    let tree = voci_tests::sample_sites();
    let found: Vec<(String, String)> = tree
        .flatten()
        .into_iter()
        .filter(|(_, s)| s.kind == SiteKind::Municipality)
        .filter_map(|(_, m)| {
            let school = m.children.iter().find(|s| s.kind == SiteKind::School)?;
            Some((m.id.to_string(), school.id.to_string()))
        })
        .take(2)
        .collect();
    found
        .try_into()
        .expect("sites.toml has two municipalities with a school")
}

/// One response to `clima`; `n` makes its id.
fn response(n: u8, site: &str, answers: Value) -> Value {
    json!({
        "id": ResponseId::from_random_bytes([n; 16]).to_string(),
        "survey": "clima", "version": "1", "site": site, "language": "it",
        "submitted_at": "2026-03-02", "answers": answers,
    })
}

/// The class or group label of the respondents at the second municipality.
const EVENING_CLASS: &str = "Serale 2";

/// What was seeded at the first municipality's school, to check the screen against.
struct Seeded {
    /// Respondents there.
    here: usize,
    /// Respondents everywhere.
    all: usize,
    studente: usize,
    altro: usize,
    si: usize,
    proposals: Vec<String>,
}

/// At the first municipality's school, fourteen respondents: `ruolo` studente for eight,
/// altro for six; `accordo` si for ten, poco for two, no for two (a small count: hidden, with
/// its partner); three written proposals. At the second municipality, five more (altro, si).
async fn seed(c: &Collector, here: &str, elsewhere: &str) -> Seeded {
    let mut all = Vec::new();
    let mut proposals = Vec::new();
    for i in 0..14u8 {
        let mut a = json!({
            "ruolo": if i < 8 { "studente" } else { "altro" },
            "accordo": match i { 0..10 => "si", 10..12 => "poco", _ => "no" },
            "eta": 14 + i64::from(i % 5),
        });
        if i % 5 == 0 {
            let text = format!("Più spazi per studiare, proposta {i}");
            a["proposta"] = json!(text);
            proposals.push(text);
        }
        all.push(response(i + 1, here, a));
    }
    for i in 0..5u8 {
        let mut r = response(
            100 + i,
            elsewhere,
            json!({ "ruolo": "altro", "accordo": "si" }),
        );
        r["group"] = json!(EVENING_CLASS);
        all.push(r);
    }
    let reply = c.post_batch(&all).await;
    let stored = reply["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["status"] == "stored")
        .count();
    assert_eq!(stored, all.len(), "{reply}");
    Seeded {
        here: 14,
        all: all.len(),
        studente: 8,
        altro: 6,
        si: 10,
        proposals,
    }
}

/// A user with a password, through the admin API.
pub(super) async fn add_user(c: &Collector, name: &str, role: &str) {
    let status = reqwest::Client::new()
        .post(format!("{}/api/users", c.url))
        .bearer_auth(&c.token)
        .json(&json!({ "name": name, "role": role, "password": PASSWORD }))
        .send()
        .await
        .expect("the collector answers")
        .status();
    assert_eq!(status, 201, "adding {name}");
}

pub(super) async fn sign_in(b: &Browser, name: &str, password: &str) {
    let field = b.by_testid("user-name").await;
    field.clear().await.expect("clear");
    field.send_keys(name).await.expect("type");
    let field = b.by_testid("user-password").await;
    field.clear().await.expect("clear");
    field.send_keys(password).await.expect("type");
    b.click("sign-in-submit").await;
}

/// An admin imports `file` (a tablet's export) in the results area of the origin the browser
/// is on, signed in as a user of their own, the way a coordinator does from a browser; answers
/// what the area says it did (the browser stays on the area).
pub(super) async fn import_in_results_area(
    b: &Browser,
    c: &Collector,
    file: &std::path::Path,
) -> String {
    add_user(c, "ada", "admin").await;
    let origin = b.js("return location.origin").await;
    b.driver
        .goto(&format!("{}/results/", origin.as_str().expect("an origin")))
        .await
        .expect("open the results area");
    b.by_testid("sign-in").await;
    sign_in(b, "ada", PASSWORD).await;
    b.by_testid("import-screen").await;
    b.by_testid("import-file")
        .await
        .send_keys(file.to_string_lossy())
        .await
        .expect("choose the file");
    b.click("import-submit").await;
    b.wait_js(
        "the import result",
        "document.querySelector('[data-testid=import-result] [data-outcome]')",
        Duration::from_secs(30),
    )
    .await;
    let said = b.text("import-result").await;
    let mut audit = super::a11y::Audit::new();
    audit.check(b, "results area, import").await;
    audit.assert_clean();
    said
}

/// Waits for the sign-in form's message of `kind` (`wrong`, `locked`).
async fn sign_in_error(b: &Browser, kind: &str) -> String {
    b.driver
        .query(By::Css(format!(
            "[data-testid=sign-in-error][data-kind={kind}]"
        )))
        .wait(Duration::from_secs(20), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no sign-in message {kind}: {e}"))
        .text()
        .await
        .expect("text")
}

/// Opens the survey and waits for its results (the respondents' count on screen).
async fn open_clima(b: &Browser, respondents: usize) {
    b.click("open-clima").await;
    b.wait_text(
        "respondents",
        &respondents.to_string(),
        Duration::from_secs(20),
    )
    .await;
}

async fn apply_site(b: &Browser, site: &str, respondents: usize) {
    SelectElement::new(&b.by_testid("filter-site").await)
        .await
        .expect("a select")
        .select_by_value(site)
        .await
        .expect("the municipality is offered");
    b.click("filter-apply").await;
    b.wait_text(
        "respondents",
        &respondents.to_string(),
        Duration::from_secs(20),
    )
    .await;
}

/// A status of `GET path` from the page, with the page's login cookie.
async fn status_from_page(b: &Browser, path: &str) -> u64 {
    b.js(&format!(
        "return fetch({path:?}, {{cache: 'no-store'}}).then(r => r.status);"
    ))
    .await
    .as_u64()
    .expect("a status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_read_filtered_results_and_viewers_never_see_raw_answers() {
    let surveys = tempfile::tempdir().expect("a folder");
    std::fs::write(surveys.path().join("clima.toml"), CLIMA).expect("write");
    std::fs::copy(
        voci_tests::root().join("surveys/sites.toml"),
        surveys.path().join("sites.toml"),
    )
    .expect("copy sites");
    let collector = spawn_collector_with(surveys.path()).await;
    let [(municipality, school), (_, elsewhere)] = two_municipalities();
    let seeded = seed(&collector, &school, &elsewhere).await;
    add_user(&collector, "anna", "coordinator").await;
    add_user(&collector, "vera", "viewer").await;
    // Served at /results/ (also /results and /results/index.html), and never precached by
    // the respondents' app.
    for path in ["/results", "/results/", "/results/index.html"] {
        let page = reqwest::get(format!("{}{path}", collector.url))
            .await
            .expect("the collector answers")
            .text()
            .await
            .expect("a page");
        assert!(page.contains("voci-results"), "{path} is the results area");
    }
    let worker = std::fs::read_to_string(voci_tests::dist_dir().join("sw.js")).expect("sw.js");
    assert!(
        !worker.contains("\"/results/voci-results"),
        "the area is precached"
    );
    let downloads = tempfile::tempdir().expect("a download folder");
    let b = Browser::start_with_downloads(downloads.path()).await;
    let mut audit = super::a11y::Audit::new();
    let wait = Duration::from_secs(30);

    // The area opens on the sign-in form; a wrong password is said so.
    b.driver
        .goto(&format!("{}/results/", collector.url))
        .await
        .expect("open the results area");
    b.by_testid("sign-in").await;
    audit.check(&b, "sign-in").await;
    sign_in(&b, "anna", "not the password").await;
    let said = sign_in_error(&b, "wrong").await;
    assert!(!said.is_empty());
    audit.check(&b, "sign-in, wrong password").await;

    // The coordinator signs in and opens the survey: every respondent first.
    sign_in(&b, "anna", PASSWORD).await;
    let who = b.by_testid("signed-in").await;
    assert_eq!(
        who.attr("data-role").await.expect("attr").as_deref(),
        Some("coordinator")
    );
    assert!(b.text("signed-in").await.contains("anna"));
    b.by_testid("survey-list").await;
    assert!(
        !b.exists("import-screen").await,
        "importing a file is for admins only"
    );
    open_clima(&b, seeded.all).await;

    // Filtered by the first municipality (its school is below it).
    apply_site(&b, &municipality, seeded.here).await;
    assert_eq!(
        b.text("q-ruolo-count-studente").await,
        seeded.studente.to_string()
    );
    assert_eq!(
        b.text("q-ruolo-count-altro").await,
        seeded.altro.to_string()
    );
    assert_eq!(b.text("q-ruolo-count-no_answer").await, "0");
    // The chart: an SVG image with a bar for each count above zero, described in words.
    let chart = b.by_testid("q-ruolo-chart").await;
    assert_eq!(chart.tag_name().await.expect("tag"), "svg");
    assert_eq!(
        chart.attr("role").await.expect("attr").as_deref(),
        Some("img")
    );
    let label = chart
        .attr("aria-label")
        .await
        .expect("attr")
        .expect("an aria-label");
    assert!(
        label.contains(&format!("Studente {}", seeded.studente)),
        "{label}"
    );
    let bars = chart.find_all(By::Css("rect.bar")).await.expect("bars");
    assert_eq!(
        bars.len(),
        2,
        "studente and altro have bars, no answer (0) none"
    );
    // The Likert scale: two counts of 2 are hidden as "<5", the rest shown; a stacked bar.
    assert_eq!(b.text("q-accordo-count-si").await, seeded.si.to_string());
    assert_eq!(b.text("q-accordo-count-poco").await, "<5");
    assert_eq!(b.text("q-accordo-count-no").await, "<5");
    let stacked = b.by_testid("q-accordo-chart").await;
    assert!(
        !stacked
            .find_all(By::Css("rect.seg-hidden"))
            .await
            .expect("segments")
            .is_empty(),
        "the hidden counts are one grey segment"
    );
    assert!(
        !b.exists("q-accordo-mean").await,
        "no mean beside hidden counts"
    );
    // Written answers, for a coordinator.
    let texts = b
        .by_testid("q-proposta-texts")
        .await
        .find_all(By::Css("li"))
        .await
        .expect("answers");
    let mut shown = Vec::new();
    for li in texts {
        shown.push(li.text().await.expect("text"));
    }
    shown.sort();
    let mut want = seeded.proposals.clone();
    want.sort();
    assert_eq!(shown, want);
    audit.check(&b, "results, coordinator").await;

    // The responses as XLSX, with the filter: the progress runs to the end, the file has a
    // row per respondent there.
    b.click("download-responses-xlsx").await;
    b.wait_js(
        "the download's end",
        "document.querySelector('[data-testid=download-progress]').dataset.state === 'done'",
        wait,
    )
    .await;
    let bar = b
        .by_testid("download-progress")
        .await
        .find(By::Css("progress"))
        .await
        .expect("a progress bar");
    assert_eq!(bar.attr("value").await.expect("attr").as_deref(), Some("1"));
    assert!(b.text("download-file").await.contains("clima"));
    let file = wait_for_download(downloads.path(), "clima", wait).await;
    assert!(
        file.to_string_lossy().ends_with(".xlsx"),
        "{}",
        file.display()
    );
    let bytes = std::fs::read(&file).expect("the downloaded file");
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("an XLSX workbook");
    let data = book.worksheet_range("data").expect("a data sheet");
    assert_eq!(
        data.rows().count(),
        1 + seeded.here,
        "a header and a row per respondent at the municipality"
    );

    // By class or group, anywhere: the evening class's five.
    b.select("filter-site", "").await;
    b.type_into("filter-group", EVENING_CLASS).await;
    b.click("filter-apply").await;
    b.wait_text("respondents", "5", wait).await;
    b.click("filter-clear").await;
    b.wait_text("respondents", &seeded.all.to_string(), wait)
        .await;

    // Out, and the viewer in: same counts, no written answers, no raw download.
    b.click("sign-out").await;
    b.by_testid("sign-in").await;
    sign_in(&b, "vera", PASSWORD).await;
    let who = b.by_testid("signed-in").await;
    assert_eq!(
        who.attr("data-role").await.expect("attr").as_deref(),
        Some("viewer")
    );
    open_clima(&b, seeded.all).await;
    apply_site(&b, &municipality, seeded.here).await;
    assert_eq!(
        b.text("q-ruolo-count-studente").await,
        seeded.studente.to_string()
    );
    b.by_testid("q-proposta-texts-hidden").await;
    assert!(!b.exists("q-proposta-texts").await);
    let page = b.driver.source().await.expect("the page");
    for p in &seeded.proposals {
        assert!(!page.contains(p.as_str()), "a viewer's page shows {p:?}");
    }
    assert!(!b.exists("download-responses-xlsx").await);
    assert!(!b.exists("download-responses-csv").await);
    b.by_testid("raw-not-offered").await;
    assert_eq!(
        status_from_page(&b, "/api/surveys/clima/responses.xlsx").await,
        403
    );
    assert_eq!(
        status_from_page(&b, "/api/surveys/clima/results.xlsx").await,
        200,
        "the results table is a viewer's"
    );
    audit.check(&b, "results, viewer").await;

    // Too many wrong passwords for an account: the lockout is said, with the wait.
    b.click("sign-out").await;
    b.by_testid("sign-in").await;
    for _ in 0..5 {
        sign_in(&b, "vera", "not the password").await;
        sign_in_error(&b, "wrong").await;
        // The next attempt must be a new message.
        b.js(
            "document.querySelector('[data-testid=sign-in-error]').dataset.kind = ''; return true;",
        )
        .await;
    }
    sign_in(&b, "vera", PASSWORD).await;
    let locked = sign_in_error(&b, "locked").await;
    assert!(locked.contains("minut"), "{locked}");

    audit.assert_clean();
    b.quit().await;
    collector.stop().await;
}
