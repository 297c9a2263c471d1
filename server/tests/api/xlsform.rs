//! An XLSForm workbook dropped into the surveys folder is published like a native survey, and
//! responses to it are checked with its logic and stored.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
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

#[tokio::test]
async fn a_csv_that_is_no_form_is_left_alone_and_a_csv_form_is_published() {
    let folders = Folders::with_surveys(&[("sites.toml", SITES)]);
    // A download put back into the folder, as happens: not a form, so not read.
    std::fs::write(
        folders.surveys.path().join("giovani-xls-responses.csv"),
        "response_id,survey_version,site,group,language\nx,2026.1,a/b/c,,it\n",
    )
    .unwrap();
    // pyxform's one-file CSV form: its first cell names the sheet.
    std::fs::write(
        folders.surveys.path().join("breve.csv"),
        "survey,type,name,label\n,text,parola,Una parola\nsettings,form_id,version\n,breve,1\n",
    )
    .unwrap();
    let app = spawn_collector_in(folders).await;
    let surveys: Value = app.get("/api/surveys", None).await.json().await.unwrap();
    let ids: Vec<&str> = surveys
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, ["breve"]);
}

/// A household form in pyxform's CSV form, in Italian and English: a repeat per member, as
/// many as the respondent says, with a question only adults get.
const HOUSEHOLD: &str = "\
survey,type,name,label::Italiano (it),label::English (en),relevant,constraint,calculation,repeat_count
,integer,membri,Quanti siete?,How many are you?,,. >= 1 and . <= 6,,
,begin repeat,membro,Persona,Person,,,,${membri}
,text,nome,Nome,Name,,,,
,integer,eta,Età,Age,,. < 120,,
,select_one si_no,lavora,Lavora?,Works?,${eta} >= 16,,,
,end repeat,,,,,,,
,calculate,adulti,,,,,\"count(${membro}) - sum(${minore})\",
settings,form_id,version,default_language
,famiglia,1,Italiano (it)
choices,list_name,name,label::Italiano (it),label::English (en)
,si_no,si,Sì,Yes
,si_no,no,No,No
";

#[tokio::test]
async fn a_repeat_s_instances_are_checked_and_exported_in_a_csv_and_a_sheet_of_their_own() {
    // `minore` is computed per member from the age.
    let form = HOUSEHOLD.replace(
        ",end repeat,",
        ",calculate,minore,,,,,\"if(${eta} < 18, 1, 0)\",\n,end repeat,",
    );
    let folders = Folders::with_surveys(&[("sites.toml", SITES)]);
    std::fs::write(folders.surveys.path().join("famiglia.csv"), form).unwrap();
    let app = spawn_collector_in(folders).await;

    let household = |members: Value, adults: &str| {
        json!({
            "id": new_id(), "survey": "famiglia", "version": "1", "site": SITE,
            "language": "it", "submitted_at": "2026-03-02",
            "answers": { "membri": members.as_array().unwrap().len(), "membro": members, "adulti": adults }
        })
    };
    let good = household(
        json!([
            { "nome": "Ada, \"la mamma\"", "eta": 41, "lavora": "si", "minore": "0" },
            { "nome": "=Bo", "eta": 9, "minore": "1" }
        ]),
        "1",
    );
    let res = app.post_response(&good).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    // The child cannot be said to work; the error names the instance.
    let bad = household(
        json!([{ "nome": "Cy", "eta": 9, "lavora": "no", "minore": "1" }]),
        "0",
    );
    let res = app.post_response(&bad).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"],
        json!([{ "question": "lavora", "instance": 1, "problem": "not_relevant" }])
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("\"lavora\" (instance 1)"),
        "{body}"
    );

    let token = Some(app.admin_token.as_str());
    let main = app.get_csv("famiglia", token).await;
    let main = crate::helpers::Csv::parse(&main.text().await.unwrap());
    assert_eq!(main.rows.len(), 1);
    assert_eq!(
        main.cell(0, "membro"),
        "2",
        "the main file counts the instances"
    );
    assert_eq!(main.cell(0, "adulti"), "1");
    assert!(!main.header.contains(&"eta".to_owned()));
    let response_id = main.cell(0, "response_id").to_owned();

    let res = app
        .get(
            "/api/surveys/famiglia/responses.csv?repeat=membro&values=labels",
            token,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("famiglia-membro.csv")
    );
    let members = crate::helpers::Csv::parse(&res.text().await.unwrap());
    assert_eq!(
        members.header,
        ["nome", "eta", "lavora", "minore", "PARENT_KEY", "KEY"]
    );
    assert_eq!(members.rows.len(), 2);
    assert_eq!(members.cell(0, "nome"), "Ada, \"la mamma\"");
    assert_eq!(members.cell(0, "lavora"), "Sì");
    // Typed text is neutralised against spreadsheet formulas, as in the main file.
    assert_eq!(members.cell(1, "nome"), "'=Bo");
    assert_eq!(members.cell(1, "lavora"), "");
    for (row, n) in [(0, 1), (1, 2)] {
        assert_eq!(members.cell(row, "PARENT_KEY"), response_id);
        assert_eq!(
            members.cell(row, "KEY"),
            format!("{response_id}/membro[{n}]")
        );
    }

    let res = app
        .get("/api/surveys/famiglia/responses.csv?repeat=persone", token)
        .await;
    assert_eq!(res.status(), 404);

    // The workbook has the repeat's rows on a sheet of their own, keyed as in its CSV.
    let res = app.get("/api/surveys/famiglia/responses.xlsx", token).await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["data", "membro", "codebook", "summary"]
    );
    let sheet = book.worksheet_range("membro").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        rows[0],
        ["nome", "eta", "lavora", "minore", "PARENT_KEY", "KEY"]
    );
    assert_eq!(rows.len(), 3, "a header and a row per instance");
    assert_eq!(rows[1][0], "Ada, \"la mamma\"");
    assert_eq!(rows[1][2], "si");
    assert_eq!(rows[2][0], "'=Bo", "typed text is neutralised");
    assert_eq!(sheet.get_value((2, 1)), Some(&Data::Float(9.0)), "a number");
    for (row, n) in [(1, 1), (2, 2)] {
        assert_eq!(rows[row][4], response_id);
        assert_eq!(rows[row][5], format!("{response_id}/membro[{n}]"));
    }
}

/// A class form: the school filled in and read-only, an age with the survey's own message
/// when it is missing, in Italian and English.
const CLASS: &str = "\
survey,type,name,label::Italiano (it),label::English (en),required,required_message::Italiano (it),required_message::English (en),default,read_only
,text,scuola,Scuola,School,,,,IC Mascagni,yes
,integer,eta,Età,Age,yes,Dicci quanti anni hai,Tell us your age,,
settings,form_id,version,default_language
,classe,1,Italiano (it)
";

#[tokio::test]
async fn a_read_only_answer_tampered_with_is_refused_and_a_required_message_is_the_surveys() {
    let folders = Folders::with_surveys(&[("sites.toml", SITES)]);
    std::fs::write(folders.surveys.path().join("classe.csv"), CLASS).unwrap();
    let app = spawn_collector_in(folders).await;

    let surveys: Value = app.get("/api/surveys", None).await.json().await.unwrap();
    let survey = surveys
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "classe"))
        .unwrap_or_else(|| panic!("the csv survey is published: {surveys}"));
    let school = &survey["sections"][0]["questions"][0];
    assert_eq!(
        (&school["default"], &school["read_only"]),
        (&json!("IC Mascagni"), &json!(true))
    );

    let class = |answers: Value| {
        json!({
            "id": new_id(), "survey": "classe", "version": "1", "site": SITE,
            "language": "it", "submitted_at": "2026-03-02", "answers": answers
        })
    };
    let res = app
        .post_response(&class(json!({ "scuola": "IC Mascagni", "eta": 14 })))
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    let res = app
        .post_response(&class(json!({ "scuola": "IC Verdi", "eta": 14 })))
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"],
        json!([{ "question": "scuola", "problem": "read_only", "expected": "IC Mascagni" }])
    );
    let message = body["error"].as_str().unwrap();
    assert!(
        message.contains("\"scuola\"") && message.contains("read-only"),
        "{body}"
    );

    let res = app
        .post_response(&class(json!({ "scuola": "IC Mascagni" })))
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"],
        json!([{ "question": "eta", "problem": "required", "message": "Dicci quanti anni hai" }])
    );
    assert_eq!(
        body["error"],
        "question \"eta\": Dicci quanti anni hai (an answer is required)"
    );
}
