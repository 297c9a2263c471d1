//! An XLSForm workbook dropped into the surveys folder is published like a native survey, and
//! responses to it are checked with its logic and stored.

use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::helpers::{Folders, SITE, SITES, new_id, spawn_collector_in};

/// A two-language form: a group shown only to students, a choice filter, a constraint.
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
                    "constraint",
                    "choice_filter",
                ],
                &[
                    "select_one ruoli",
                    "ruolo",
                    "Chi sei?",
                    "Who are you?",
                    "",
                    "",
                    "",
                ],
                &[
                    "integer",
                    "eta",
                    "Quanti anni hai?",
                    "How old are you?",
                    "",
                    ". >= 11 and . <= 35",
                    "",
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
                    "",
                    "comune = ${comune}",
                ],
                &["end group", "", "", "", "", "", ""],
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
                &[
                    "giovani-xls",
                    "Giovani (da Kobo)",
                    "2026.1",
                    "Italiano (it)",
                ],
            ],
        ),
    ];
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn response(answers: Value) -> Value {
    json!({
        "id": new_id(),
        "survey": "giovani-xls",
        "version": "2026.1",
        "site": SITE,
        "language": "en",
        "submitted_at": "2026-03-02",
        "answers": answers
    })
}

#[tokio::test]
async fn an_xlsx_survey_is_published_and_its_responses_are_checked_and_stored() {
    let folders = Folders::with_surveys(&[("sites.toml", SITES)]);
    std::fs::write(folders.surveys.path().join("giovani.xlsx"), workbook()).unwrap();
    let app = spawn_collector_in(folders).await;

    let surveys: Value = app.get("/api/surveys", None).await.json().await.unwrap();
    let survey = surveys
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "giovani-xls"))
        .unwrap_or_else(|| panic!("the xlsx survey is published: {surveys}"));
    assert_eq!(survey["languages"], json!(["it", "en"]));
    assert_eq!(survey["title"]["en"], "Giovani (da Kobo)");
    // The group is a page shown only to students.
    assert_eq!(survey["sections"][1]["id"], "scuola");
    assert_eq!(survey["sections"][1]["relevant"], "${ruolo} = 'studente'");

    let good = response(json!({
        "ruolo": "studente", "eta": 15, "comune": "melzo", "istituto": "mascagni"
    }));
    let res = app.post_response(&good).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    // The choice filter, the group's relevant and the constraint all hold on the collector.
    for (answers, problem) in [
        (
            json!({ "ruolo": "studente", "eta": 15, "comune": "inzago", "istituto": "mascagni" }),
            "unknown_choice",
        ),
        (
            json!({ "ruolo": "genitore", "eta": 30, "comune": "melzo" }),
            "not_relevant",
        ),
        (json!({ "ruolo": "genitore", "eta": 8 }), "constraint"),
    ] {
        let res = app.post_response(&response(answers.clone())).await;
        assert_eq!(res.status(), 422, "{answers}");
        let body: Value = res.json().await.unwrap();
        assert!(body.to_string().contains(problem), "{answers}: {body}");
    }

    let csv = app.get_csv("giovani-xls", Some(&app.admin_token)).await;
    assert_eq!(csv.status(), 200);
    let csv = crate::helpers::Csv::parse(&csv.text().await.unwrap());
    assert_eq!(csv.rows.len(), 1);
    assert_eq!(csv.cell(0, "istituto"), "mascagni");
}

#[tokio::test]
async fn a_broken_xlsx_keeps_the_collector_from_starting_with_its_cell() {
    let folders = Folders::with_surveys(&[("sites.toml", SITES)]);
    let broken = {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("survey").unwrap();
        for (r, row) in [["type", "name", "label"], ["singel", "q", "Q"]]
            .iter()
            .enumerate()
        {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
        book.save_to_buffer().unwrap()
    };
    std::fs::write(folders.surveys.path().join("rotto.xlsx"), broken).unwrap();
    let err = voci_server::open(&folders.config()).expect_err("a broken form stops the start");
    let message = err.to_string();
    assert!(
        message.contains("rotto.xlsx:survey!A2: unknown question type \"singel\""),
        "{message}"
    );
}
