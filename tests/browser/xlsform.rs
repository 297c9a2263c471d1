//! An XLSForm workbook, as researchers bring it from Kobo, run end to end in real Chromium: the
//! `.xlsx` (built here with rust_xlsxwriter) is dropped into the collector's surveys folder;
//! its group shows only when relevant, its filtered choices follow the earlier answer, its
//! repeat takes two instances (one removed and added again), its two languages switch; the
//! response lands in the main CSV (with the number of instances) and in the repeat's CSV,
//! one row per instance linked by `PARENT_KEY`.
//!
//! Test ids of a repeat (see `app/src/components/repeat.rs`): `instance-<n>` an instance,
//! `instance-<n>-remove`, `instance-add`; its questions are `q-<question>--<n>...`.

use std::collections::BTreeMap;
use std::time::Duration;

use rust_xlsxwriter::Workbook;
use thirtyfour::prelude::*;
use voci_tests::{Browser, root, spawn_collector_with};

use super::*;

const FORM: &str = "giovani-xls";

/// A two-language form: who you are; a group for students with a school list filtered by
/// town; a repeat of household members (name required, age); a last note.
fn workbook() -> Vec<u8> {
    let sheets: [(&str, &[&[&str]]); 3] = [
        (
            "survey",
            &[
                &[
                    "type",
                    "name",
                    "label::Italiano (it)",
                    "label::English (en)",
                    "relevant",
                    "choice_filter",
                    "required",
                ],
                &[
                    "select_one ruoli",
                    "ruolo",
                    "Chi sei?",
                    "Who are you?",
                    "",
                    "",
                    "yes",
                ],
                &[
                    "begin group",
                    "scuola",
                    "La scuola",
                    "School",
                    "${ruolo} = 'studente'",
                    "",
                    "",
                ],
                &["select_one comuni", "comune", "Comune", "Town", "", "", ""],
                &[
                    "select_one scuole",
                    "istituto",
                    "Scuola",
                    "School",
                    "",
                    "comune = ${comune}",
                    "",
                ],
                &["end group", "", "", "", "", "", ""],
                &["begin repeat", "membro", "Membro", "Member", "", "", ""],
                &["text", "nome", "Nome", "Name", "", "", "yes"],
                &["integer", "eta", "Età", "Age", "", "", ""],
                &["end repeat", "", "", "", "", "", ""],
                &["note", "fine", "Grazie!", "Thank you!", "", "", ""],
            ],
        ),
        (
            "choices",
            &[
                &[
                    "list_name",
                    "name",
                    "label::Italiano (it)",
                    "label::English (en)",
                    "comune",
                ],
                &["ruoli", "studente", "Studente", "Student", ""],
                &["ruoli", "genitore", "Genitore", "Parent", ""],
                &["comuni", "melzo", "Melzo", "Melzo", ""],
                &["comuni", "inzago", "Inzago", "Inzago", ""],
                &["scuole", "mascagni", "IC Mascagni", "IC Mascagni", "melzo"],
                &["scuole", "bellisario", "Bellisario", "Bellisario", "inzago"],
            ],
        ),
        (
            "settings",
            &[
                &["form_id", "form_title", "version", "default_language"],
                &[FORM, "Giovani (da Kobo)", "2026.1", "Italiano (it)"],
            ],
        ),
    ];
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("a sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet
                        .write_string(r as u32, c as u16, *cell)
                        .expect("a cell");
                }
            }
        }
    }
    book.save_to_buffer().expect("the workbook")
}

/// The section on screen (`data-section` of the page).
async fn section_on(b: &Browser) -> String {
    b.by_testid("page")
        .await
        .attr("data-section")
        .await
        .expect("attribute")
        .unwrap_or_default()
}

/// Clicks "next" and waits for the page of `section`.
async fn next_to(b: &Browser, section: &str) {
    b.click("next").await;
    b.wait_js(
        &format!("the page {section}"),
        &format!("document.querySelector('[data-testid=page]').dataset.section === '{section}'"),
        Duration::from_secs(20),
    )
    .await;
}

/// The choices of `question` on screen, of those named.
async fn offered(b: &Browser, question: &str, among: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for c in among {
        if b.exists(&format!("q-{question}-{c}")).await {
            out.push((*c).to_owned());
        }
    }
    out
}

/// A CSV's rows as maps from column name to cell (the header is the first row).
fn by_name(rows: &[Vec<String>]) -> Vec<BTreeMap<String, String>> {
    rows[1..]
        .iter()
        .map(|row| rows[0].iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_xlsform_with_a_group_a_filter_a_repeat_and_two_languages_runs_end_to_end() {
    let surveys = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(
        root().join("surveys/sites.toml"),
        surveys.path().join("sites.toml"),
    )
    .expect("copy sites.toml");
    std::fs::write(surveys.path().join("giovani.xlsx"), workbook()).expect("write the form");
    let collector = spawn_collector_with(surveys.path()).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);

    b.driver.goto(&collector.url).await.expect("open the app");
    choose_site(&b, &a_school()).await;
    b.click(&format!("survey-{FORM}")).await;
    b.accept_consent().await;

    // The group is for students: a parent goes straight to the members.
    b.click("q-ruolo-genitore").await;
    next_to(&b, "membro").await;
    b.click("back").await;
    b.wait_js(
        "the first page",
        "document.querySelector('[data-testid=page]').dataset.section !== 'membro'",
        wait,
    )
    .await;
    b.click("q-ruolo-studente").await;
    next_to(&b, "scuola").await;

    // The schools follow the town.
    let schools = ["mascagni", "bellisario"];
    assert!(
        offered(&b, "istituto", &schools).await.is_empty(),
        "no town yet"
    );
    b.click("q-comune-inzago").await;
    assert_eq!(offered(&b, "istituto", &schools).await, ["bellisario"]);
    b.click("q-comune-melzo").await;
    assert_eq!(offered(&b, "istituto", &schools).await, ["mascagni"]);
    b.click("q-istituto-mascagni").await;
    next_to(&b, "membro").await;

    // Two members; the second removed (confirmed) and added again, blank.
    assert!(!b.exists("instance-1").await, "an open repeat starts empty");
    b.click("instance-add").await;
    b.type_into("q-nome--1-input", "Ada").await;
    b.type_into("q-eta--1-input", "40").await;
    b.click("instance-add").await;
    b.type_into("q-nome--2-input", "Bo").await;
    b.wait_text("instance-2-remove", "Rimuovi: Membro 2 di 2", wait)
        .await;
    b.click("instance-2-remove").await;
    b.driver
        .accept_alert()
        .await
        .expect("the removal is confirmed");
    b.wait_js(
        "the second member gone",
        "!document.querySelector('[data-testid=\"instance-2\"]')",
        wait,
    )
    .await;
    b.click("instance-add").await;
    let blank = b
        .by_testid("q-nome--2-input")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(blank.as_deref(), Some(""), "added again, blank");

    // A required name is asked for inside its own instance.
    b.click("next").await;
    b.by_testid("error-nome--2").await;
    assert!(!b.exists("error-nome--1").await);
    let mut audit = super::a11y::Audit::new();
    audit
        .check(&b, "a repeat with a message in an instance")
        .await;
    b.type_into("q-nome--2-input", "Cy").await;
    b.type_into("q-eta--2-input", "9").await;

    // A reload brings the draft back with both instances.
    b.driver.refresh().await.expect("reload");
    b.wait_js(
        "the second member's name after the reload",
        "document.querySelector('[data-testid=\"q-nome--2-input\"]')?.value === 'Cy'",
        wait,
    )
    .await;
    assert_eq!(
        b.by_testid("q-nome--1-input")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("Ada")
    );

    // The language switch: the interface and the form's own labels.
    b.click("lang-en").await;
    b.wait_text("instance-2-remove", "Remove this one: Member 2 of 2", wait)
        .await;
    let legend = b
        .by_testid("instance-1")
        .await
        .find(By::Tag("legend"))
        .await
        .expect("a legend")
        .text()
        .await
        .expect("text");
    assert_eq!(legend, "Member 1 of 2");
    let label = b.text("q-nome--1").await;
    assert!(label.starts_with("Name"), "{label}");
    audit.check(&b, "a repeat in English").await;
    audit.assert_clean();

    // The last page (the note after the repeat) and the submission.
    b.click("next").await;
    b.by_testid("q-fine").await;
    assert_ne!(section_on(&b).await, "membro");
    b.click("submit").await;
    b.wait_text("outbox-count", "0", wait).await;

    let main = by_name(&collector.csv(FORM).await);
    assert_eq!(main.len(), 1, "{main:?}");
    let response = &main[0];
    assert_eq!(response["ruolo"], "studente");
    assert_eq!(response["comune"], "melzo");
    assert_eq!(response["istituto"], "mascagni");
    assert_eq!(response["membro"], "2", "the number of instances");
    assert_eq!(response["language"], "en");

    let members = by_name(
        &collector
            .admin_csv(&format!("/api/surveys/{FORM}/responses.csv?repeat=membro"))
            .await,
    );
    let id = &response["response_id"];
    let rows: Vec<(&str, &str, &str, &str)> = members
        .iter()
        .map(|m| {
            (
                m["nome"].as_str(),
                m["eta"].as_str(),
                m["PARENT_KEY"].as_str(),
                m["KEY"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Ada", "40", id.as_str(), format!("{id}/membro[1]").as_str()),
            ("Cy", "9", id.as_str(), format!("{id}/membro[2]").as_str()),
        ]
    );

    b.quit().await;
    collector.stop().await;
}
