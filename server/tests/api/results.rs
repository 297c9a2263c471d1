//! Results and downloads on a seeded dataset, every figure worked out by hand: counts,
//! percentages, means, quartiles and cross-tab cells with small cells suppressed; filters by
//! site, version and date; CSV, XLSX and codebook downloads read back with `csv` and
//! `calamine`, with a typed formula neutralised.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Csv, Folders, OTHER_SITE, SITE, SITES, TestCollector, new_id, spawn_collector_in,
};

const CLIMA_V1: &str = r#"
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
relevant = "${ruolo} = 'studente' or ${ruolo} = 'altro'"

[[question]]
id = "proposta"
type = "text"
label = { it = "Una proposta", en = "A proposal" }
"#;

const HYPERLINK: &str = "=HYPERLINK(\"http://example.org\",\"premi\")";

fn response(version: &str, site: &str, day: &str, answers: Value) -> Value {
    json!({
        "id": new_id(), "survey": "clima", "version": version, "site": site, "language": "it",
        "submitted_at": day, "answers": answers,
    })
}

/// 23 respondents:
///
/// - version 1 at SITE (2026-03-02), twelve: `ruolo` studente for 1-7, altro for 8-12;
///   `accordo` si for 1-6, poco for 7-12; `eta` 10 + i (11 to 22); respondent 1 proposes
///   a formula;
/// - version 1 at OTHER_SITE (2026-03-02), six: studente; si for five, no for one;
/// - version 2 at SITE (2026-05-02), five: studente, si.
async fn seeded() -> TestCollector {
    let v2 = CLIMA_V1.replace("version = \"1\"", "version = \"2\"");
    let folders = Folders::with_surveys(&[
        ("clima-1.toml", CLIMA_V1),
        ("clima-2.toml", &v2),
        ("sites.toml", SITES),
    ]);
    let app = spawn_collector_in(folders).await;
    let mut all = Vec::new();
    for i in 1..=12 {
        let mut a = json!({
            "ruolo": if i <= 7 { "studente" } else { "altro" },
            "accordo": if i <= 6 { "si" } else { "poco" },
            "eta": 10 + i,
        });
        if i == 1 {
            a["proposta"] = json!(HYPERLINK);
        }
        all.push(response("1", SITE, "2026-03-02", a));
    }
    for i in 1..=6 {
        let a = json!({ "ruolo": "studente", "accordo": if i <= 5 { "si" } else { "no" } });
        all.push(response("1", OTHER_SITE, "2026-03-02", a));
    }
    for _ in 0..5 {
        all.push(response(
            "2",
            SITE,
            "2026-05-02",
            json!({ "ruolo": "studente", "accordo": "si" }),
        ));
    }
    let res = app.post_batch(&all).await;
    assert_eq!(res.status(), 200);
    let reply: Value = res.json().await.unwrap();
    assert!(
        reply["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "stored"),
        "{reply}"
    );
    app
}

async fn get_json(app: &TestCollector, path: &str, token: &str) -> Value {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

fn question<'v>(results: &'v Value, id: &str) -> &'v Value {
    results["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap()
}

/// `(choice, count, percent)` of a choice question.
fn counts(q: &Value) -> Vec<(String, Value, Value)> {
    q["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["count"].clone(),
                c.get("percent").cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

fn c(id: &str, count: Value, percent: Value) -> (String, Value, Value) {
    (id.to_owned(), count, percent)
}

#[tokio::test]
async fn results_count_and_suppress_over_every_response() {
    let app = seeded().await;
    let coordinator = app.add_user("carla", "coordinator", &[], &[]).await;
    let r = get_json(&app, "/api/surveys/clima/results", &coordinator).await;
    assert_eq!(
        (r["respondents"].clone(), r["threshold"].clone()),
        (json!(23), json!(5))
    );

    // studente 7 + 6 + 5 = 18 (78.3%), altro 5 (21.7%).
    let ruolo = question(&r, "ruolo");
    assert_eq!(
        counts(ruolo),
        [
            c("studente", json!(18), json!(78.3)),
            c("altro", json!(5), json!(21.7))
        ]
    );
    assert_eq!(ruolo["no_answer"], 0);
    assert_eq!(ruolo["answered"], 23);

    // no 1, poco 6, si 16: the 1 is hidden, and with it the smallest other count, 6, so
    // neither can be worked out from the 23. The mean would give them away: not shown.
    let accordo = question(&r, "accordo");
    assert_eq!(
        counts(accordo),
        [
            c("no", json!("<5"), Value::Null),
            c("poco", json!("<5"), Value::Null),
            c("si", json!(16), json!(69.6))
        ]
    );
    assert_eq!(accordo.get("mean"), None);

    // 11 to 22: mean and median 16.5; Q1 at rank 2.75 (13 → 14), Q3 at rank 8.25 (19 → 20).
    let eta = question(&r, "eta");
    assert_eq!(eta["answered"], 12);
    assert_eq!(
        eta["stats"],
        json!({ "mean": 16.5, "median": 16.5, "q1": 13.75, "q3": 19.25 })
    );

    // One proposal: its count is hidden, its text is listed for coordinators.
    let proposta = question(&r, "proposta");
    assert_eq!(proposta["answered"], "<5");
    assert_eq!(proposta["answers"], json!([HYPERLINK]));
}

#[tokio::test]
async fn a_viewer_never_gets_text_answers_or_raw_rows() {
    let app = seeded().await;
    let viewer = app.add_user("vera", "viewer", &[], &[]).await;
    let r = get_json(&app, "/api/surveys/clima/results", &viewer).await;
    assert_eq!(question(&r, "proposta").get("answers"), None);
    assert!(!r.to_string().contains("HYPERLINK"));
    assert_eq!(app.get_csv("clima", Some(&viewer)).await.status(), 403);
    let res = app
        .get("/api/surveys/clima/responses.xlsx", Some(&viewer))
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn results_filter_by_site_version_and_day() {
    let app = seeded().await;
    let token = app.admin_token.clone();
    // Version 1 at SITE: twelve; studente 7 (58.3%), altro 5 (41.7%); si 6, poco 6, so the
    // mean is (6 × 2 + 6 × 3) / 12 = 2.5.
    let r = get_json(
        &app,
        &format!("/api/surveys/clima/results?site={SITE}&version=1"),
        &token,
    )
    .await;
    assert_eq!(r["respondents"], 12);
    assert_eq!(
        counts(question(&r, "ruolo")),
        [
            c("studente", json!(7), json!(58.3)),
            c("altro", json!(5), json!(41.7))
        ]
    );
    assert_eq!(question(&r, "accordo")["mean"], 2.5);

    // The municipality takes both of its sites, 23; the day filter takes version 2's five.
    let r = get_json(
        &app,
        "/api/surveys/clima/results?site=ambito-5/melzo",
        &token,
    )
    .await;
    assert_eq!(r["respondents"], 23);
    let r = get_json(
        &app,
        "/api/surveys/clima/results?from=2026-05-01&to=2026-05-31",
        &token,
    )
    .await;
    assert_eq!(r["respondents"], 5);
    assert_eq!(
        counts(question(&r, "ruolo")),
        [
            c("studente", json!(5), json!(100.0)),
            c("altro", json!(0), json!(0.0))
        ]
    );

    // Six at OTHER_SITE: the one "no" is hidden, and the five "si" with it.
    let r = get_json(
        &app,
        &format!("/api/surveys/clima/results?site={OTHER_SITE}"),
        &token,
    )
    .await;
    assert_eq!(counts(question(&r, "accordo"))[0].1, "<5");
    assert_eq!(counts(question(&r, "accordo"))[2].1, "<5");

    // A higher threshold may be asked for, never a lower one.
    let r = get_json(&app, "/api/surveys/clima/results?min=10", &token).await;
    assert_eq!(counts(question(&r, "ruolo"))[1].1, "<10");
    assert_eq!(
        app.get("/api/surveys/clima/results?min=2", Some(&token))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.get("/api/surveys/clima/results?from=3-2026", Some(&token))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.get("/api/surveys/nessuna/results", Some(&token))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_cross_tab_hides_what_its_totals_would_give_away() {
    let app = seeded().await;
    let t = get_json(
        &app,
        "/api/surveys/clima/crosstab?rows=ruolo&columns=accordo",
        &app.admin_token,
    )
    .await;
    // Counts: studente 1 no, 1 poco, 16 si (18); altro 0, 5, 0 (5); columns 1, 6, 16; 23.
    // The 1s are hidden; the poco column then hides altro's 5, whose row hides its total 5;
    // the row totals then hide 18, and the column totals hide 6 beside the hidden 1.
    assert_eq!(t["cells"], json!([["<5", "<5", 16], [0, "<5", 0]]));
    assert_eq!(t["row_totals"], json!(["<5", "<5"]));
    assert_eq!(t["column_totals"], json!(["<5", "<5", 16]));
    assert_eq!(t["total"], 23);
    let res = app
        .get(
            "/api/surveys/clima/crosstab?rows=ruolo&columns=eta",
            Some(&app.admin_token),
        )
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn two_versions_or_two_periods_compare_side_by_side() {
    let app = seeded().await;
    let token = app.admin_token.clone();
    let cmp = get_json(
        &app,
        "/api/surveys/clima/compare?a_version=1&b_version=2",
        &token,
    )
    .await;
    assert_eq!(cmp["a"]["label"], "version 1");
    assert_eq!(cmp["a"]["results"]["respondents"], 18);
    assert_eq!(cmp["b"]["results"]["respondents"], 5);
    let cmp = get_json(
        &app,
        "/api/surveys/clima/compare?a_from=2026-01-01&a_to=2026-03-31&b_from=2026-04-01&b_to=2026-06-30",
        &token,
    )
    .await;
    assert_eq!(cmp["a"]["results"]["respondents"], 18);
    assert_eq!(cmp["b"]["label"], "2026-04-01..2026-06-30");
    // Overlapping periods could be subtracted from each other: refused.
    let res = app
        .get(
            "/api/surveys/clima/compare?a_from=2026-01-01&a_to=2026-05-31&b_from=2026-05-01",
            Some(&token),
        )
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn the_raw_csv_neutralises_formulas_and_can_give_labels() {
    let app = seeded().await;
    let csv = app.admin_csv("/api/surveys/clima/responses.csv").await;
    assert_eq!(csv.rows.len(), 23);
    assert_eq!(csv.cell(0, "proposta"), format!("'{HYPERLINK}"));
    assert_eq!(csv.cell(0, "ruolo"), "studente");
    assert_eq!(csv.cell(0, "eta"), "11");
    let csv = app
        .admin_csv("/api/surveys/clima/responses.csv?values=labels&lang=en")
        .await;
    assert_eq!(csv.cell(0, "ruolo"), "Student");
    assert_eq!(csv.cell(0, "accordo"), "Yes");
    let csv = app
        .admin_csv(&format!(
            "/api/surveys/clima/responses.csv?site={OTHER_SITE}"
        ))
        .await;
    assert_eq!(csv.rows.len(), 6);
    let res = app
        .get(
            "/api/surveys/clima/responses.csv?values=words",
            Some(&app.admin_token),
        )
        .await;
    assert_eq!(res.status(), 400);
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn the_xlsx_has_data_codebook_and_summary_sheets() {
    let app = seeded().await;
    let res = app
        .get("/api/surveys/clima/responses.xlsx", Some(&app.admin_token))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("clima.xlsx")
    );
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), ["data", "codebook", "summary"]);

    let data = book.worksheet_range("data").unwrap();
    let rows: Vec<Vec<&Data>> = data.rows().map(|r| r.iter().collect()).collect();
    assert_eq!(rows.len(), 24, "a header and 23 responses");
    let header: Vec<String> = rows[0].iter().map(|d| cell_text(d)).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        rows[1][col("eta")],
        &Data::Float(11.0),
        "numbers are numbers"
    );
    assert_eq!(cell_text(rows[1][col("proposta")]), format!("'{HYPERLINK}"));
    assert_eq!(cell_text(rows[1][col("site")]), SITE);

    let codebook = book.worksheet_range("codebook").unwrap();
    let rows: Vec<Vec<String>> = codebook
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(
        rows[0][..5],
        ["question", "section", "type", "label_it", "label_en"]
    );
    assert_eq!(
        rows[1][..5],
        ["ruolo", "main", "single", "Chi sei?", "Who are you?"]
    );
    assert_eq!(rows[1][5], "studente = Studente; altro = Altro");
    assert_eq!(rows[3][7], "ruolo is \"studente\" or ruolo is \"altro\"");

    let summary = book.worksheet_range("summary").unwrap();
    let rows: Vec<Vec<String>> = summary
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert!(
        rows.contains(
            &["accordo", "likert", "Ti trovi bene?", "no", "No", "<5", ""]
                .map(String::from)
                .to_vec()
        ),
        "{rows:?}"
    );
    assert!(
        rows.contains(
            &[
                "ruolo", "single", "Chi sei?", "studente", "Studente", "18", "78.3"
            ]
            .map(String::from)
            .to_vec()
        ),
        "{rows:?}"
    );
    assert!(
        !rows.iter().flatten().any(|c| c.contains("HYPERLINK")),
        "no text answers in the summary"
    );
}

#[tokio::test]
async fn aggregated_tables_and_codebooks_download() {
    let app = seeded().await;
    let viewer = app.add_user("vera", "viewer", &[], &[]).await;
    let res = app
        .get("/api/surveys/clima/results.csv", Some(&viewer))
        .await;
    assert_eq!(res.status(), 200);
    let csv = Csv::parse(&res.text().await.unwrap());
    assert_eq!(
        csv.header,
        [
            "question",
            "type",
            "label",
            "value",
            "value_label",
            "count",
            "percent"
        ]
    );
    let row = |q: &str, v: &str| {
        csv.rows
            .iter()
            .find(|r| r[0] == q && r[3] == v)
            .unwrap()
            .clone()
    };
    assert_eq!(row("ruolo", "altro")[5..], ["5", "21.7"]);
    assert_eq!(row("accordo", "poco")[5], "<5");
    assert_eq!(row("eta", "median")[5], "16.5");

    let res = app
        .get("/api/surveys/clima/results.xlsx", Some(&viewer))
        .await;
    assert_eq!(res.status(), 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.worksheet_range("results").unwrap();
    assert_eq!(sheet.rows().count(), csv.rows.len() + 1);

    let res = app
        .get("/api/surveys/clima/codebook.csv", Some(&viewer))
        .await;
    assert_eq!(res.status(), 200);
    let codebook = Csv::parse(&res.text().await.unwrap());
    assert_eq!(codebook.rows.len(), 4);
    assert_eq!(codebook.cell(1, "choices"), "no = No; poco = Poco; si = Sì");
    let md = app
        .get("/api/surveys/clima/codebook.md", Some(&viewer))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        md.contains("## `eta` (integer)\n\n- it: Età\n- en: Age\n"),
        "{md}"
    );

    let log = app.admin_json("/api/audit").await;
    let downloads: Vec<&str> = log["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "download")
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        downloads,
        [
            "clima/codebook.md",
            "clima/codebook.csv",
            "clima/results.xlsx",
            "clima/results.csv"
        ]
    );
    let res = app
        .call(
            Method::GET,
            "/api/audit?limit=2",
            Some(&app.admin_token),
            None,
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["records"].as_array().unwrap().len(), 2);
    assert!(page["next"].is_i64());
}

#[tokio::test]
async fn results_and_downloads_filter_by_class_or_group() {
    let app = seeded().await;
    let token = app.admin_token.clone();
    // Six more at the other site, answered by class 3B in a classroom session.
    let class: Vec<Value> = (1..=6)
        .map(|_| {
            let r = response(
                "1",
                OTHER_SITE,
                "2026-03-10",
                json!({ "ruolo": "studente", "accordo": "poco" }),
            );
            crate::helpers::with_field(&r, "group", json!("3B"))
        })
        .collect();
    let res = app.post_batch(&class).await;
    assert_eq!(res.status(), 200);

    let r = get_json(&app, "/api/surveys/clima/results?group=3B", &token).await;
    assert_eq!(r["respondents"], 6);
    assert_eq!(
        counts(question(&r, "ruolo")),
        [
            c("studente", json!(6), json!(100.0)),
            c("altro", json!(0), json!(0.0))
        ]
    );
    let r = get_json(
        &app,
        &format!("/api/surveys/clima/results?group=3B&site={SITE}"),
        &token,
    )
    .await;
    assert_eq!(r["respondents"], 0, "3B answered at the other site only");
    // An empty group is no filter: everything, 23 + 6.
    let r = get_json(&app, "/api/surveys/clima/results?group=", &token).await;
    assert_eq!(r["respondents"], 29);

    let res = app
        .get("/api/surveys/clima/responses.csv?group=3B", Some(&token))
        .await;
    assert_eq!(res.status(), 200);
    let csv = Csv::parse(&res.text().await.unwrap());
    assert_eq!(csv.rows.len(), 6);
    assert!((0..6).all(|i| csv.cell(i, "group") == "3B"));
}
