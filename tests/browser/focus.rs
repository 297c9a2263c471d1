//! The facilitator's focus-group session in real Chromium: the focus-group screens (their own
//! entry point, `/focus/`) opened online once from the app's home screen, then a whole session
//! offline (three participants, one without consent who cannot be quoted, notes
//! on two prompts, two quotes tagged with a guide theme and a theme typed on the spot, a reload
//! in the middle), queued in the outbox next to survey responses, and synced when the network
//! is back: the collector lists it, its CSVs hold what was typed, and the theme summary counts
//! the tags with small counts hidden. And a session sent again (a lost acknowledgement) is
//! stored once; that one is a co-programming meeting, with a row of its logical framework.
//! And a session that travels by file: exported from a tablet that never sees the network
//! again, imported with `voci import`. And the entry point's loading: a first load of the app
//! fetches none of its files, opened offline before it was ever cached it says to open it once
//! online, and during a classroom kiosk session it does not open.

use std::time::Duration;

use voci_core::guide::Guide;
use voci_core::outbox_file::OutboxFile;
use voci_tests::wait_for_download;

use super::*;

const GUIDE: &str = "traccia-protagonismo-giovanile";
const SESSION_PREFIX: &str = "voci.session.";
const GROUP_TYPE: &str = "Classe 4ª istituto tecnico";
const NEW_THEME: &str = "Trasporti serali";
/// The id the app gives the new theme (its label, lower case, accents and spaces gone).
const NEW_THEME_ID: &str = "trasporti_serali";
/// The co-programming guide, which has a table.
const TABLE_GUIDE: &str = "tavolo-coprogrammazione";

async fn value(b: &Browser, testid: &str) -> String {
    b.by_testid(testid)
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

async fn attr(b: &Browser, testid: &str, name: &str) -> String {
    b.by_testid(testid)
        .await
        .attr(name)
        .await
        .expect("attr")
        .unwrap_or_default()
}

/// Waits until the element's text contains `want`.
async fn wait_contains(b: &Browser, testid: &str, want: &str) {
    let script = format!(
        "const el = document.querySelector('[data-testid=\"{testid}\"]');\
         return el !== null && el.textContent.includes({});",
        serde_json::to_string(want).expect("a string")
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while b.js(&script).await.as_bool() != Some(true) {
        assert!(
            std::time::Instant::now() < deadline,
            "data-testid={testid} never showed {want:?}: {:?}",
            b.text(testid).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks an element of the home screen, again if it was drawn anew between being found and
/// being clicked (the home screen is drawn again when the catalog's refresh settles).
async fn click_on_home(b: &Browser, id: &str) {
    for _ in 0..20 {
        if b.by_testid(id).await.click().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{id} could not be clicked");
}

/// Whether the service worker keeps the focus entry's files (its page, script, WebAssembly and
/// styles) for offline use.
const FOCUS_CACHED: &str = "return (async () => {\
       for (const name of await caches.keys()) {\
         if (!name.startsWith('voci-focus-')) continue;\
         const urls = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);\
         if (urls.includes('/focus/') && ['.js', '.wasm', '.css'].every((x) =>\
               urls.some((u) => u.startsWith('/focus/') && u.endsWith(x)))) return true;\
       }\
       return false;\
     })();";

/// From the app's home screen, online: the focus-group screens opened (`/focus/`), and kept by
/// the service worker for offline use.
async fn open_focus_online(b: &Browser) {
    click_on_home(b, "focus-open").await;
    b.by_testid("focus-begin").await;
    let path = b.js("return location.pathname;").await;
    assert_eq!(path, "/focus/", "the focus entry has its own address");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while b.js(FOCUS_CACHED).await.as_bool() != Some(true) {
        assert!(
            std::time::Instant::now() < deadline,
            "the service worker never kept the focus-group screens"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// On the focus entry's start form: the form filled in and the session started.
async fn start_session(b: &Browser, guide: &str, site: &str) {
    b.select("focus-guide", guide).await;
    b.select("focus-site", site).await;
    b.type_into("focus-group-type", GROUP_TYPE).await;
    b.type_into("focus-facilitator", "MR").await;
    b.type_into("focus-co-facilitator", "LB").await;
    b.click("focus-begin").await;
    b.by_testid("focus-session").await;
}

/// Adds a note on the prompt on screen, with the given theme toggles.
async fn note(b: &Browser, text: &str, themes: &[&str]) {
    b.type_into("note-text", text).await;
    for t in themes {
        b.click(&format!("theme-note-{t}")).await;
    }
    b.click("add-note").await;
    wait_contains(b, "notes-here", text).await;
}

/// Quotes `who` on the prompt on screen, tagged with `theme`.
async fn quote(b: &Browser, who: &str, text: &str, theme: &str) {
    b.click(&format!("quote-{who}")).await;
    b.type_into("quote-text", text).await;
    b.click(&format!("theme-quote-{theme}")).await;
    b.click("save-quote").await;
    wait_contains(b, "quotes-here", text).await;
}

async fn end_session(b: &Browser) {
    b.click("focus-end").await;
    b.click("focus-end-yes").await;
    b.by_testid("focus-queued").await;
}

/// The column `name` of CSV rows (header first), for every row after the header.
fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = rows[0]
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

fn themes_of(guide: &Guide) -> (String, String, String) {
    let t = |i: usize| guide.themes[i].id.to_string();
    (t(0), t(1), t(2))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_focus_group_run_offline_reaches_the_collector_with_its_themes() {
    let guide = voci_tests::sample_guide(GUIDE);
    let prompts: Vec<String> = guide.prompts().map(|p| p.id.to_string()).collect();
    assert!(prompts.len() >= 2, "the test needs two prompts");
    assert!(guide.consent.is_some(), "the youth guide asks for consent");
    let (theme, other_theme, untagged) = themes_of(&guide);
    let field = &guide.participant_fields[0];
    let choice = |i: usize| field.choices[i % field.choices.len()].id.to_string();
    let site = a_school();
    let collector = spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);

    // Online once: the app, the guides and the service worker arrive; the facilitator opens
    // the focus-group screens, which the worker keeps.
    b.driver.goto(&net.url).await.expect("open the app");
    b.by_testid("focus-open").await;
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;
    open_focus_online(&b).await;

    // Offline from here: the focus-group screens start from the worker's caches, guides
    // included.
    net.off();
    b.set_offline(true).await;
    b.driver.refresh().await.expect("reload offline");
    start_session(&b, GUIDE, &site).await;

    // The roster: three participants by code, the guide's fields, consent from two of them.
    for _ in 0..3 {
        b.click("add-participant").await;
    }
    for (i, code) in ["P1", "P2", "P3"].iter().enumerate() {
        b.select(&format!("participant-{code}-{}", field.id), &choice(i))
            .await;
    }
    b.click("consent-P1").await;
    b.click("consent-P2").await;
    let p3 = b.by_testid("quote-P3").await;
    assert!(
        !p3.is_enabled().await.expect("enabled state"),
        "P3 did not consent and cannot be quoted"
    );
    assert!(
        !b.text("quote-blocked-P3").await.is_empty(),
        "with the reason"
    );
    assert!(
        b.by_testid("quote-P1")
            .await
            .is_enabled()
            .await
            .expect("enabled state")
    );

    // The first prompt, its timer against its suggested minutes, a note and a quote tagged
    // with a guide theme.
    assert_eq!(attr(&b, "prompt-text", "data-value").await, prompts[0]);
    let minutes = guide
        .prompts()
        .next()
        .and_then(|p| p.minutes)
        .expect("suggested minutes");
    let timer = b.text("prompt-timer").await;
    assert!(timer.contains(&format!("{minutes:02}:00")), "{timer}");
    note(&b, "Si ritrovano al parco dopo la scuola", &[&theme]).await;
    quote(&b, "P1", "In paese non c'è niente per noi", &theme).await;

    // A reload mid-way, with a note half typed: nothing is lost.
    let half = "Bozza: il centro giovani chiude presto";
    b.type_into("note-text", half).await;
    b.driver.refresh().await.expect("reload mid-session");
    b.by_testid("focus-session").await;
    assert_eq!(attr(&b, "prompt-text", "data-value").await, prompts[0]);
    wait_contains(&b, "notes-here", "Si ritrovano al parco").await;
    wait_contains(&b, "quotes-here", "In paese non c'è niente per noi").await;
    assert_eq!(
        value(&b, "note-text").await,
        half,
        "the half-typed note is back"
    );
    assert_eq!(
        value(&b, &format!("participant-P2-{}", field.id)).await,
        choice(1)
    );
    assert!(b.is_ticked("consent-P1").await);
    assert!(!b.is_ticked("consent-P3").await);
    assert!(
        !b.by_testid("quote-P3")
            .await
            .is_enabled()
            .await
            .expect("enabled state")
    );
    b.click(&format!("theme-note-{other_theme}")).await;
    b.click("add-note").await;
    wait_contains(&b, "notes-here", half).await;

    // The second prompt: a note and a quote tagged with a theme typed on the spot.
    b.click("prompt-next").await;
    b.wait_js(
        "the second prompt",
        &format!(
            "document.querySelector('[data-testid=prompt-text]').dataset.value === '{}'",
            prompts[1]
        ),
        wait,
    )
    .await;
    assert!(
        b.by_testid("notes-here")
            .await
            .text()
            .await
            .expect("text")
            .is_empty()
    );
    b.type_into("note-text", "Senza autobus la sera non si esce")
        .await;
    b.type_into("new-theme-note", NEW_THEME).await;
    b.click("add-theme-note").await;
    assert_eq!(
        attr(&b, &format!("theme-note-{NEW_THEME_ID}"), "aria-pressed").await,
        "true",
        "the typed theme tags the note"
    );
    b.click("add-note").await;
    wait_contains(&b, "notes-here", "Senza autobus").await;
    quote(&b, "P2", "L'ultimo autobus passa alle otto", NEW_THEME_ID).await;

    // The end: checked, queued with the responses, nothing at the collector yet.
    end_session(&b).await;
    b.wait_text("outbox-count", "1", wait).await;
    let queued = b.local_storage(SESSION_PREFIX).await;
    assert_eq!(queued.len(), 1, "one session in the outbox: {queued:?}");
    let sessions = format!("/api/guides/{GUIDE}/sessions");
    assert_eq!(collector.admin_json(&sessions).await, serde_json::json!([]));

    // The network is back: the outbox drains by itself.
    net.on();
    b.set_offline(false).await;
    b.wait_text("outbox-count", "0", Duration::from_secs(90))
        .await;
    assert!(b.local_storage(SESSION_PREFIX).await.is_empty());

    // At the collector: the session under its guide, as typed.
    let listed = collector.admin_json(&sessions).await;
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), 1, "{listed:?}");
    let s = &listed[0];
    assert_eq!(s["site"], site.as_str());
    assert_eq!(s["group_type"], GROUP_TYPE);
    assert_eq!(s["facilitator"], "MR");
    assert_eq!(
        (
            s["participants"].as_u64(),
            s["notes"].as_u64(),
            s["quotes"].as_u64()
        ),
        (Some(3), Some(3), Some(2))
    );
    let id = s["id"].as_str().expect("an id");
    let record = collector.admin_json(&format!("/api/sessions/{id}")).await;
    assert_eq!(record["new_themes"][NEW_THEME_ID], NEW_THEME);
    assert_eq!(record["co_facilitator"], "LB");

    let notes = collector
        .admin_csv(&format!("/api/guides/{GUIDE}/notes.csv"))
        .await;
    assert_eq!(
        column(&notes, "text"),
        [
            "Si ritrovano al parco dopo la scuola",
            half,
            "Senza autobus la sera non si esce"
        ]
    );
    assert_eq!(
        column(&notes, "prompt"),
        [prompts[0].clone(), prompts[0].clone(), prompts[1].clone()]
    );
    assert_eq!(
        column(&notes, "themes"),
        [theme.as_str(), other_theme.as_str(), NEW_THEME_ID]
    );
    let quotes = collector
        .admin_csv(&format!("/api/guides/{GUIDE}/quotes.csv"))
        .await;
    assert_eq!(
        column(&quotes, "text"),
        [
            "In paese non c'è niente per noi",
            "L'ultimo autobus passa alle otto"
        ]
    );
    assert_eq!(column(&quotes, "participant"), ["P1", "P2"]);
    assert_eq!(
        column(&quotes, "prompt"),
        [prompts[0].clone(), prompts[1].clone()]
    );
    let roster = collector
        .admin_csv(&format!("/api/guides/{GUIDE}/roster.csv"))
        .await;
    assert_eq!(column(&roster, "code"), ["P1", "P2", "P3"]);
    assert_eq!(column(&roster, "consent"), ["yes", "yes", "no"]);
    assert_eq!(
        column(&roster, field.id.as_str()),
        [choice(0), choice(1), choice(2)]
    );

    // The theme summary. Tags: the guide theme twice (a note, a quote), another guide theme
    // once, the new theme twice: five in all, at one site and one group type. Every count of a
    // theme is from 1 to 4, so each is hidden as "<5" (each theme's row then holds two hidden
    // counts, its site's and its total, and each column at least two); the total of 5 is shown.
    // Untagged themes count 0, which is shown.
    let summary = collector
        .admin_json(&format!("/api/guides/{GUIDE}/themes"))
        .await;
    assert_eq!(summary["sessions"], 1);
    let themes = summary["themes"].as_array().expect("themes");
    let row = |pick: &dyn Fn(&serde_json::Value) -> bool| {
        themes
            .iter()
            .find(|t| pick(t))
            .unwrap_or_else(|| panic!("no such theme in {themes:?}"))
            .clone()
    };
    for id in [&theme, &other_theme] {
        let t = row(&|t| t["id"] == id.as_str());
        assert_eq!(t["total"], "<5", "{t}");
        assert_eq!(t["by_site"][&site], "<5", "{t}");
        assert_eq!(t["by_group_type"][GROUP_TYPE], "<5", "{t}");
    }
    let typed = row(&|t| t["label"] == NEW_THEME);
    assert_eq!(typed["new"], true);
    assert_eq!(typed["total"], "<5");
    assert_eq!(row(&|t| t["id"] == untagged.as_str())["total"], 0);
    assert_eq!(summary["all"]["total"], 5);
    assert_eq!(summary["all"]["by_site"][&site], 5);
    assert_eq!(summary["all"]["by_group_type"][GROUP_TYPE], 5);
    // Sample quotes come from participants who consented.
    let sample = &row(&|t| t["id"] == theme.as_str())["quotes"][0];
    assert_eq!(sample["participant"], "P1");
    assert_eq!(sample["text"], "In paese non c'è niente per noi");

    b.quit().await;
    collector.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_sent_again_after_a_lost_acknowledgement_is_stored_once() {
    let site = a_school();
    let collector = spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);
    b.driver.goto(&net.url).await.expect("open the app");
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;
    open_focus_online(&b).await;

    // A short meeting with a row of the logical framework, ended offline so that its queued
    // copy can be read (the focus-group screens send it themselves once the network is back).
    let guide = voci_tests::sample_guide(TABLE_GUIDE);
    let table = &guide.tables[0];
    let (t, col) = (table.id.as_str(), table.columns[0].id.as_str());
    net.off();
    b.set_offline(true).await;
    start_session(&b, TABLE_GUIDE, &site).await;
    b.click("add-participant").await;
    b.click("consent-P1").await;
    note(&b, "Una sola nota", &[]).await;
    b.click(&format!("add-row-{t}")).await;
    b.type_into(&format!("cell-{t}-0-{col}"), "Pochi posti in accoglienza")
        .await;
    end_session(&b).await;
    let queued = b.local_storage(SESSION_PREFIX).await;
    let (key, copy) = queued.into_iter().next().expect("the session is queued");

    net.on();
    b.set_offline(false).await;
    b.wait_text("outbox-count", "0", Duration::from_secs(90))
        .await;
    let sessions = format!("/api/guides/{TABLE_GUIDE}/sessions");
    let listed = collector.admin_json(&sessions).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let id = listed[0]["id"].as_str().expect("an id");
    let record = collector.admin_json(&format!("/api/sessions/{id}")).await;
    assert_eq!(record["tables"][t][0][col], "Pochi posti in accoglienza");

    // The device never heard the collector's answer: the session is still in its outbox.
    b.js(&format!(
        "localStorage.setItem({}, {}); return true;",
        serde_json::to_string(&key).expect("a string"),
        serde_json::to_string(&copy).expect("a string"),
    ))
    .await;
    b.driver.refresh().await.expect("reload");
    // Sent again on start: the collector already has it, so it leaves the outbox and nothing
    // needs attention.
    b.wait_js(
        "the resent session to leave the outbox",
        &format!(
            "localStorage.getItem({}) === null",
            serde_json::to_string(&key).expect("a string")
        ),
        wait,
    )
    .await;
    b.wait_text("outbox-count", "0", wait).await;
    assert!(b.local_storage("voci.attention.").await.is_empty());
    assert_eq!(
        collector
            .admin_json(&sessions)
            .await
            .as_array()
            .map(Vec::len),
        Some(1),
        "stored once"
    );
    let notes = collector
        .admin_csv(&format!("/api/guides/{TABLE_GUIDE}/notes.csv"))
        .await;
    assert_eq!(column(&notes, "text"), ["Una sola nota"]);

    b.quit().await;
    collector.stop().await;
}

/// A tablet without a network: the facilitator's session is exported to a file (the only thing
/// waiting, so the export and the clear-data warning are about it), the coordinator imports the
/// file with `voci import` (twice: stored once); when the tablet does get a network, its copy
/// is acknowledged as already there; an admin's import in the results area counts the session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_travels_by_file_from_an_offline_tablet_to_the_collector() {
    let guide = voci_tests::sample_guide(GUIDE);
    let (theme, _, _) = themes_of(&guide);
    let field = &guide.participant_fields[0];
    let site = a_school();
    let collector = spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let downloads = tempfile::tempdir().expect("a download folder");
    let b = Browser::start_with_downloads(downloads.path()).await;
    let wait = Duration::from_secs(30);
    b.driver.goto(&net.url).await.expect("open the app");
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;
    open_focus_online(&b).await;

    // Offline for good: a short session, ended and queued.
    net.off();
    b.set_offline(true).await;
    start_session(&b, GUIDE, &site).await;
    for code in ["P1", "P2"] {
        b.click("add-participant").await;
        let choice = field.choices[0].id.as_str();
        b.select(&format!("participant-{code}-{}", field.id), choice)
            .await;
    }
    b.click("consent-P1").await;
    note(&b, "Il campetto è chiuso d'estate", &[&theme]).await;
    quote(&b, "P1", "D'estate non sappiamo dove andare", &theme).await;
    // Paused before it ends (back to the app's home screen, offline): clearing the device would
    // lose it too, and says so.
    b.click("focus-leave").await;
    b.by_testid("focus-open").await;
    assert_eq!(b.js("return location.pathname;").await, "/");
    assert_eq!(
        b.text("focus-open").await,
        "Riprendi il focus group in corso",
        "the home screen offers to resume it"
    );
    b.click("open-status").await;
    b.click("clear-data").await;
    let in_progress = b.by_testid("clear-drafts").await;
    assert_eq!(
        in_progress
            .attr("data-value")
            .await
            .expect("attr")
            .as_deref(),
        Some("1")
    );
    b.click("clear-cancel").await;
    b.click("home").await;
    click_on_home(&b, "focus-open").await;
    b.by_testid("focus-session").await;
    end_session(&b).await;
    b.wait_text("outbox-count", "1", wait).await;
    let queued = b.local_storage(SESSION_PREFIX).await;
    assert_eq!(queued.len(), 1, "{queued:?}");
    let copy: serde_json::Value =
        serde_json::from_str(queued.values().next().expect("the session")).expect("JSON");
    b.click("focus-home").await;

    // Only the session waits, and the home screen offers the export.
    assert!(b.local_storage("voci.outbox.").await.is_empty());
    b.by_testid("export-outbox").await;
    // Clearing the device warns about it and offers the export first, which saves it.
    b.click("open-status").await;
    b.click("clear-data").await;
    let warning = b.by_testid("clear-warning").await;
    assert_eq!(
        warning.attr("data-value").await.expect("attr").as_deref(),
        Some("1")
    );
    b.click("clear-export").await;
    let file = wait_for_download(downloads.path(), "voci-outbox-", wait).await;
    b.click("clear-cancel").await;
    let text = std::fs::read_to_string(&file).expect("the exported file");
    let exported = OutboxFile::parse(&text).expect("a valid outbox file");
    assert_eq!((exported.version, exported.count), (2, 0));
    assert_eq!(exported.sessions.len(), 1);
    assert_eq!(
        serde_json::to_value(&exported.sessions[0]).expect("JSON"),
        copy,
        "the file holds the queued session, unchanged"
    );

    // The coordinator imports it: stored once, even when imported twice.
    let out = outbox::voci_import(&collector, &file).await;
    assert!(
        out.contains("sessions: 1 stored, 0 duplicate, 0 conflict, 0 invalid"),
        "{out}"
    );
    let out = outbox::voci_import(&collector, &file).await;
    assert!(
        out.contains("sessions: 0 stored, 1 duplicate, 0 conflict, 0 invalid"),
        "{out}"
    );
    let id = copy["id"].as_str().expect("an id");
    let sessions = format!("/api/guides/{GUIDE}/sessions");
    let listed = collector.admin_json(&sessions).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["id"], id);
    let record = collector.admin_json(&format!("/api/sessions/{id}")).await;
    assert_eq!(record, copy, "stored as the tablet recorded it");
    let quotes = collector
        .admin_csv(&format!("/api/guides/{GUIDE}/quotes.csv"))
        .await;
    assert_eq!(
        column(&quotes, "text"),
        ["D'estate non sappiamo dove andare"]
    );

    // The tablet finds a network after all: the session is already there, so it leaves the
    // outbox and needs no attention.
    net.on();
    b.set_offline(false).await;
    b.wait_text("outbox-count", "0", Duration::from_secs(90))
        .await;
    assert!(b.local_storage(SESSION_PREFIX).await.is_empty());
    assert!(b.local_storage("voci.attention.").await.is_empty());
    let listed = collector.admin_json(&sessions).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    // An admin's import in the results area counts the file's sessions on a line of their own.
    super::results::import_in_results_area(&b, &collector, &file).await;
    assert_eq!(
        b.text("import-sessions").await,
        "Sessioni di focus group: 0 nuove, 1 già presenti, 0 in conflitto, 0 non valide."
    );
    assert!(
        !b.exists("import-responses").await,
        "the file has no responses"
    );

    b.quit().await;
    collector.stop().await;
}

/// The focus-group screens are their own entry point: the app's first load (and the service
/// worker's install) fetches none of their files; opened offline before they were ever kept,
/// `/focus/` says, in the interface language, to open them once online; and while a classroom
/// kiosk session runs, their address leads back to the kiosk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_focus_entry_is_out_of_the_first_load_and_says_when_it_needs_the_network() {
    let collector = spawn_collector().await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);
    b.driver.goto(&net.url).await.expect("open the app");
    b.by_testid("focus-open").await;
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;

    // What the first load fetched: the app's files, none of the focus entry's; and the
    // worker's caches hold none of them either.
    super::assert_first_load_leaves_out(&b, "/focus").await;
    assert_eq!(attr(&b, "focus-open", "href").await, "/focus/");

    // Offline, never opened: a clear message in the interface language, and the way home.
    b.click("lang-en").await;
    net.off();
    b.set_offline(true).await;
    b.driver
        .goto(&format!("{}/focus/", net.url))
        .await
        .expect("open /focus/ offline");
    wait_contains(
        &b,
        "focus-offline",
        "The focus-group screens need to be opened once while online",
    )
    .await;
    assert!(!b.exists("focus-begin").await);
    let mut audit = super::a11y::Audit::new();
    audit
        .check(&b, "focus-group screens offline, never opened")
        .await;
    audit.assert_clean();
    b.click("home").await;
    b.by_testid("focus-open").await;
    assert_eq!(b.js("return location.pathname;").await, "/");

    // Online again, a youth worker starts a classroom session: /focus/ does not open.
    net.on();
    b.set_offline(false).await;
    b.driver.refresh().await.expect("reload online");
    super::kiosk::start_session(&b, &a_school(), "it").await;
    super::kiosk::an_entry_leads_back_to_the_kiosk(&b, &net.url, "/focus/", "focus-begin").await;

    b.quit().await;
    collector.stop().await;
}

/// Copies a folder and everything in it.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a readable folder") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("a copy");
        }
    }
}

/// The names of the service worker's focus-group caches.
async fn focus_caches(b: &Browser) -> Vec<String> {
    let names = b
        .js("return caches.keys().then((n) => n.filter((x) => x.startsWith('voci-focus-')));")
        .await;
    serde_json::from_value(names).expect("cache names")
}

/// A new version of the app (a new service worker) reaches a tablet whose facilitator kept the
/// focus-group screens: the new worker keeps them too, so they still open offline afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_of_the_app_keeps_the_focus_group_screens_offline() {
    let app = tempfile::tempdir().expect("a folder for the app");
    copy_dir(&voci_tests::dist_dir(), app.path());
    let collector =
        voci_tests::spawn_collector_serving(&voci_tests::root().join("surveys"), app.path()).await;
    let net = NetSwitch::start(collector.addr).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);
    b.driver.goto(&net.url).await.expect("open the app");
    b.wait_js(
        "the service worker",
        "navigator.serviceWorker && navigator.serviceWorker.controller",
        wait,
    )
    .await;
    open_focus_online(&b).await;
    let before = focus_caches(&b).await;
    assert_eq!(before.len(), 1, "{before:?}");

    // The collector now serves a new version of the worker (its version string changed).
    let sw = app.path().join("sw.js");
    let text = std::fs::read_to_string(&sw).expect("sw.js");
    let old = before[0].trim_start_matches("voci-focus-");
    assert!(text.contains(old), "the worker names its version");
    std::fs::write(&sw, text.replace(old, "0123456789abcdef")).expect("a new worker");
    for copy in ["sw.js.gz", "sw.js.br"] {
        let _ = std::fs::remove_file(app.path().join(copy));
    }
    b.js("return navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => true);")
        .await;
    let deadline = std::time::Instant::now() + wait;
    loop {
        let names = focus_caches(&b).await;
        if names == ["voci-focus-0123456789abcdef"] && b.js(FOCUS_CACHED).await == true {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new worker did not take over the focus-group screens: {names:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Offline: the focus-group screens still open, reload included.
    net.off();
    b.set_offline(true).await;
    b.driver.refresh().await.expect("reload offline");
    b.by_testid("focus-begin").await;
    assert!(!b.exists("focus-offline").await);

    b.quit().await;
    collector.stop().await;
}
