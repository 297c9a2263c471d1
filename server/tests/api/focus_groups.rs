//! Focus-group results for coordinators: the CSV downloads hold what was recorded (and no
//! spreadsheet formula), and the theme summary suppresses small counts and those that would
//! give them away.

use serde_json::{Value, json};
use voci_core::sync::ItemStatus;

use crate::helpers::{OTHER_SITE, SITE, TestCollector, spawn_collector, valid_session};

/// Two sessions: the test one at [`SITE`] with a formula in a note, and one at
/// [`OTHER_SITE`] whose group type starts with `@`.
async fn two_sessions(app: &TestCollector) -> (Value, Value) {
    let mut first = valid_session();
    first["notes"][1]["text"] = json!("=HYPERLINK(\"http://evil.example\",\"clic\")");
    let mut second = valid_session();
    second["site"] = json!(OTHER_SITE);
    second["date"] = json!("2026-04-15");
    second["group_type"] = json!("@gruppo serale");
    second["new_themes"] = json!({});
    second["notes"] =
        json!([{ "prompt": "idee", "text": "- più corsi", "offset": 60, "themes": ["lavoro"] }]);
    second["quotes"] = json!([]);
    let results = app.sync_sessions(&[second.clone(), first.clone()]).await;
    assert!(
        results.iter().all(|r| r.status == ItemStatus::Stored),
        "{results:?}"
    );
    (first, second)
}

fn id(session: &Value) -> &str {
    session["id"].as_str().unwrap()
}

#[tokio::test]
async fn the_notes_and_quotes_csvs_hold_what_was_recorded_in_order_of_date() {
    let app = spawn_collector().await;
    let (first, second) = two_sessions(&app).await;

    let res = app
        .get("/api/guides/ascolto/notes.csv", Some(&app.admin_token))
        .await;
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"ascolto-notes.csv\""
    );
    let notes = app.admin_csv("/api/guides/ascolto/notes.csv").await;
    assert_eq!(
        notes.header,
        [
            "session",
            "site",
            "date",
            "group_type",
            "prompt",
            "offset",
            "text",
            "themes"
        ]
    );
    assert_eq!(notes.rows.len(), 3);
    assert_eq!(
        notes.rows[0],
        [
            id(&first),
            SITE,
            "2026-03-02",
            "studenti",
            "manca",
            "120",
            "Mancano spazi il sabato",
            "spazi sport"
        ]
    );
    assert_eq!(notes.cell(1, "themes"), "");
    // Spreadsheets would run these as formulas: they are kept as text.
    assert_eq!(
        notes.cell(1, "text"),
        "'=HYPERLINK(\"http://evil.example\",\"clic\")"
    );
    assert_eq!(notes.cell(2, "session"), id(&second));
    assert_eq!(notes.cell(2, "group_type"), "'@gruppo serale");
    assert_eq!(notes.cell(2, "text"), "'- più corsi");

    let quotes = app.admin_csv("/api/guides/ascolto/quotes.csv").await;
    assert_eq!(
        quotes.header,
        [
            "session",
            "site",
            "date",
            "group_type",
            "prompt",
            "participant",
            "offset",
            "text",
            "themes"
        ]
    );
    assert_eq!(
        quotes.rows,
        [[
            id(&first),
            SITE,
            "2026-03-02",
            "studenti",
            "manca",
            "P1",
            "300",
            "Non c'è niente da fare qui",
            "spazi"
        ]]
    );

    // A site narrows every download.
    let path = format!("/api/guides/ascolto/notes.csv?site={OTHER_SITE}");
    let notes = app.admin_csv(&path).await;
    assert_eq!(notes.rows.len(), 1);
    assert_eq!(notes.cell(0, "session"), id(&second));
}

#[tokio::test]
async fn the_themes_csv_has_one_row_per_tag_with_its_label() {
    let app = spawn_collector().await;
    let (first, second) = two_sessions(&app).await;
    let themes = app.admin_csv("/api/guides/ascolto/themes.csv").await;
    assert_eq!(
        themes.header,
        [
            "session",
            "site",
            "group_type",
            "prompt",
            "kind",
            "participant",
            "theme",
            "theme_label",
            "offset",
            "text"
        ]
    );
    let (a, b) = (id(&first), id(&second));
    let note = "Mancano spazi il sabato";
    let quote = "Non c'è niente da fare qui";
    assert_eq!(
        themes.rows,
        [
            [
                a,
                SITE,
                "studenti",
                "manca",
                "note",
                "",
                "spazi",
                "Spazi e luoghi",
                "120",
                note
            ],
            [
                a, SITE, "studenti", "manca", "note", "", "sport", "Sport", "120", note
            ],
            [
                a,
                SITE,
                "studenti",
                "manca",
                "quote",
                "P1",
                "spazi",
                "Spazi e luoghi",
                "300",
                quote
            ],
            [
                b,
                OTHER_SITE,
                "'@gruppo serale",
                "idee",
                "note",
                "",
                "lavoro",
                "Lavoro",
                "60",
                "'- più corsi"
            ],
        ]
    );
}

#[tokio::test]
async fn the_roster_has_the_guides_fields_and_consent_and_nothing_identifying() {
    let app = spawn_collector().await;
    let (first, _) = two_sessions(&app).await;
    let res = app
        .get("/api/guides/ascolto/roster.csv", Some(&app.admin_token))
        .await;
    let text = res.text().await.unwrap();
    let roster = crate::helpers::Csv::parse(&text);
    assert_eq!(
        roster.header,
        [
            "session",
            "site",
            "date",
            "group_type",
            "code",
            "fascia_eta",
            "ruolo",
            "consent"
        ]
    );
    assert_eq!(roster.rows.len(), 4);
    assert_eq!(
        roster.rows[0],
        [
            id(&first),
            SITE,
            "2026-03-02",
            "studenti",
            "P1",
            "14-17",
            "studente",
            "yes"
        ]
    );
    assert_eq!(
        roster.rows[1],
        [
            id(&first),
            SITE,
            "2026-03-02",
            "studenti",
            "P2",
            "18-24",
            "",
            "no"
        ]
    );
    // The facilitators' initials are in the sessions, never in the roster.
    assert!(!text.contains("MR") && !text.contains("AB"), "{text}");
}

/// A session at `site` for `group` whose notes carry `tags`: (theme, how many notes).
fn tagged(site: &str, group: &str, new_themes: Value, tags: &[(&str, usize)]) -> Value {
    let mut session = valid_session();
    session["site"] = json!(site);
    session["group_type"] = json!(group);
    session["new_themes"] = new_themes;
    session["quotes"] = json!([]);
    let notes: Vec<Value> = tags
        .iter()
        .flat_map(|&(theme, n)| {
            (0..n).map(move |i| {
                json!({ "prompt": "manca", "text": format!("{theme} {i}"), "offset": i, "themes": [theme] })
            })
        })
        .collect();
    session["notes"] = Value::Array(notes);
    session
}

/// No count shown is below the threshold (but zero), and no row or column of the summary
/// (totals included) has exactly one hidden count, so none can be worked out by subtraction.
fn assert_nothing_recoverable(summary: &Value) {
    let hidden = |v: &Value| v.is_string();
    let themes = summary["themes"].as_array().unwrap();
    let all = &summary["all"];
    let mut lines: Vec<Vec<&Value>> = Vec::new();
    for breakdown in ["by_site", "by_group_type"] {
        let columns: Vec<&String> = all[breakdown].as_object().unwrap().keys().collect();
        for theme in themes {
            let mut line: Vec<&Value> = theme[breakdown].as_object().unwrap().values().collect();
            line.push(&theme["total"]);
            lines.push(line);
        }
        for column in columns {
            let mut line: Vec<&Value> = themes.iter().map(|t| &t[breakdown][column]).collect();
            line.push(&all[breakdown][column]);
            lines.push(line);
        }
        let mut line: Vec<&Value> = all[breakdown].as_object().unwrap().values().collect();
        line.push(&all["total"]);
        lines.push(line);
    }
    let mut line: Vec<&Value> = themes.iter().map(|t| &t["total"]).collect();
    line.push(&all["total"]);
    lines.push(line);
    let threshold = summary["threshold"].as_u64().unwrap();
    let hidden_text = format!("<{threshold}");
    for line in lines {
        let n = line.iter().filter(|v| hidden(v)).count();
        assert_ne!(n, 1, "one hidden count in {line:?} of {summary:#}");
        for v in line {
            match v.as_u64() {
                Some(n) => assert!(n == 0 || n >= threshold, "{n} is shown in {summary:#}"),
                None => assert_eq!(v.as_str(), Some(hidden_text.as_str())),
            }
        }
    }
}

#[tokio::test]
async fn the_theme_summary_counts_exactly_above_the_threshold_and_hides_what_is_below() {
    let app = spawn_collector().await;
    let mut first = tagged(
        SITE,
        "studenti",
        json!({ "sport": "Sport" }),
        &[("spazi", 5), ("lavoro", 2), ("sport", 5)],
    );
    // A quote tagged like a note counts too, and may be shown: P1 consented.
    first["quotes"] = json!([{ "prompt": "manca", "participant": "P1", "text": "Non c'è un posto nostro", "offset": 30, "themes": ["spazi"] }]);
    // The same new theme typed in another session, under another id, is the same theme.
    let second = tagged(
        OTHER_SITE,
        "giovani",
        json!({ "sport_2": " sport" }),
        &[("spazi", 7), ("lavoro", 6), ("sport_2", 5)],
    );
    let results = app.sync_sessions(&[first.clone(), second]).await;
    assert!(
        results.iter().all(|r| r.status == ItemStatus::Stored),
        "{results:?}"
    );

    let summary = app.admin_json("/api/guides/ascolto/themes").await;
    let (a, b) = (SITE, OTHER_SITE);
    let expected = json!({
        "guide": "ascolto",
        "threshold": 5,
        "sessions": 2,
        "themes": [
            {
                "id": "spazi", "label": "Spazi e luoghi", "new": false,
                "total": 13,
                "by_site": { a: 6, b: 7 },
                "by_group_type": { "giovani": 7, "studenti": 6 },
                "quotes": [{
                    "session": first["id"], "site": a, "participant": "P1", "prompt": "manca",
                    "text": "Non c'è un posto nostro",
                }],
            },
            {
                // 2 is below 5; the 6 beside it would give it away from the total of 8.
                "id": "lavoro", "label": "Lavoro", "new": false,
                "total": 8,
                "by_site": { a: "<5", b: "<5" },
                "by_group_type": { "giovani": "<5", "studenti": "<5" },
                "quotes": [],
            },
            {
                "id": "scuola", "label": "Scuola", "new": false,
                "total": 0,
                "by_site": { a: 0, b: 0 },
                "by_group_type": { "giovani": 0, "studenti": 0 },
                "quotes": [],
            },
            {
                // Hidden so that the 2 of lavoro cannot be worked out from each site's total.
                "label": "Sport", "new": true,
                "total": 10,
                "by_site": { a: "<5", b: "<5" },
                "by_group_type": { "giovani": "<5", "studenti": "<5" },
                "quotes": [],
            },
        ],
        "all": {
            "total": 31,
            "by_site": { a: 13, b: 18 },
            "by_group_type": { "giovani": 18, "studenti": 13 },
        },
    });
    assert_eq!(summary, expected, "{summary:#}");
    assert_nothing_recoverable(&summary);

    // A coordinator may raise the threshold, never lower it.
    let raised = app.admin_json("/api/guides/ascolto/themes?min=10").await;
    assert_eq!(raised["threshold"], 10);
    assert_eq!(raised["themes"][0]["by_site"][a], "<10");
    assert_eq!(raised["themes"][0]["total"], 13);
    assert_nothing_recoverable(&raised);
    let res = app
        .get("/api/guides/ascolto/themes?min=3", Some(&app.admin_token))
        .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("min=3"), "{body}");
    let res = app
        .get(
            "/api/guides/ascolto/themes?min=many",
            Some(&app.admin_token),
        )
        .await;
    assert_eq!(res.status(), 400);

    // One site: its sessions only.
    let path = format!("/api/guides/ascolto/themes?site={b}");
    let one = app.admin_json(&path).await;
    assert_eq!(
        (one["site"].as_str(), &one["sessions"]),
        (Some(b), &json!(1))
    );
    assert_eq!(one["themes"][0]["total"], 7);
    assert_eq!(one["all"]["by_site"], json!({ b: 18 }));
    assert_nothing_recoverable(&one);
}

#[tokio::test]
async fn random_sessions_never_give_a_hidden_count_away() {
    let app = spawn_collector().await;
    let sites = [SITE, OTHER_SITE, "ambito-5/melzo"];
    let groups = ["studenti", "giovani", "operatori"];
    let themes = ["spazi", "lavoro", "scuola", "sport"];
    // A fixed pseudo-random sequence, so a failure can be replayed.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n) as usize
    };
    let sessions: Vec<Value> = (0..12)
        .map(|_| {
            let tags: Vec<(&str, usize)> = themes.iter().map(|&t| (t, next(8))).collect();
            tagged(
                sites[next(3)],
                groups[next(3)],
                json!({ "sport": "Sport" }),
                &tags,
            )
        })
        .collect();
    let results = app.sync_sessions(&sessions).await;
    assert!(
        results.iter().all(|r| r.status == ItemStatus::Stored),
        "{results:?}"
    );
    let summary = app.admin_json("/api/guides/ascolto/themes").await;
    assert_eq!(summary["sessions"], 12);
    assert_nothing_recoverable(&summary);
    for min in [6, 9, 20] {
        let summary = app
            .admin_json(&format!("/api/guides/ascolto/themes?min={min}"))
            .await;
        assert_nothing_recoverable(&summary);
    }
}

/// What `token` gets at `path`: the status and the body as text.
async fn read_as(app: &TestCollector, path: &str, token: &str) -> (u16, String) {
    let res = app.get(path, Some(token)).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn guides_follow_the_roles_and_scopes_of_survey_results() {
    let app = spawn_collector().await;
    let (here, there) = two_sessions(&app).await;
    let local = app.add_user("carla", "coordinator", &[], &[SITE]).await;
    let elsewhere = app
        .add_user("dario", "coordinator", &["giovani"], &[])
        .await;
    let viewer = app.add_user("vera", "viewer", &[], &[]).await;
    // A scope may name the guide itself.
    let by_guide = app.add_user("elena", "viewer", &["ascolto"], &[]).await;
    let (status, _) = read_as(&app, "/api/guides/ascolto/themes", &by_guide).await;
    assert_eq!(status, 200);

    // A coordinator assigned one school sees that school's session only, everywhere.
    let (status, body) = read_as(&app, "/api/guides/ascolto/sessions", &local).await;
    assert_eq!(status, 200, "{body}");
    let listed: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["id"], here["id"]);
    let (status, notes) = read_as(&app, "/api/guides/ascolto/notes.csv", &local).await;
    assert_eq!(status, 200, "{notes}");
    assert!(notes.contains("Mancano spazi il sabato"), "{notes}");
    assert!(!notes.contains("più corsi"), "another site's note: {notes}");
    let (status, _) = read_as(&app, &format!("/api/sessions/{}", id(&there)), &local).await;
    assert_eq!(
        status, 404,
        "another site's session is as unknown as one never sent"
    );
    let (status, _) = read_as(&app, &format!("/api/sessions/{}", id(&here)), &local).await;
    assert_eq!(status, 200);
    let asked = format!("/api/guides/ascolto/themes?site={OTHER_SITE}");
    let (status, body) = read_as(&app, &asked, &local).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains(OTHER_SITE),
        "the refusal names the site: {body}"
    );

    // A coordinator assigned other surveys does not see the guide.
    let (status, _) = read_as(&app, "/api/guides/ascolto/sessions", &elsewhere).await;
    assert_eq!(status, 403);
    let (status, _) = read_as(&app, "/api/guides/ascolto/themes", &elsewhere).await;
    assert_eq!(status, 403);

    // A viewer gets the theme summary without what participants said, and no raw rows.
    let (status, body) = read_as(&app, "/api/guides/ascolto/themes", &viewer).await;
    assert_eq!(status, 200, "{body}");
    let summary: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(summary["sessions"], 2);
    let themes = summary["themes"].as_array().unwrap();
    assert!(!themes.is_empty());
    assert!(themes.iter().all(|t| t["quotes"] == json!([])), "{summary}");
    assert!(!body.contains("Non c'è niente da fare qui"), "{body}");
    let full = app.admin_json("/api/guides/ascolto/themes").await;
    assert!(
        full.to_string().contains("Non c'è niente da fare qui"),
        "coordinators and admins do get sample quotes: {full}"
    );
    for path in [
        "/api/guides/ascolto/notes.csv",
        "/api/guides/ascolto/sessions",
    ] {
        let (status, _) = read_as(&app, path, &viewer).await;
        assert_eq!(status, 403, "{path}");
    }

    // Every download is in the audit log, with who made it.
    let log = app.admin_json("/api/audit?limit=1000").await.to_string();
    assert!(
        log.contains("user:carla") && log.contains("ascolto/notes.csv"),
        "{log}"
    );
}
