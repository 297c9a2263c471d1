//! The survey's logic in real Chromium, on the core engine the collector checks with: the youth
//! survey's skip logic (a non-student never sees the school page, and its columns stay empty),
//! the age constraint's message blocking the page, at most three problems, "other" with its
//! text, the agreement grid, a ranking moved with the keyboard, a randomised order that stays
//! the same across a reload; and the help-desk log's relevance, accepted by the collector.
//!
//! Test ids the runner adds for these (next to `q-<id>`, `q-<id>-<choice>`, `q-<id>-input`,
//! `error-<id>`, `next`, `back`, `submit`, `page-label`):
//!
//! - `page`: the questions of the page on screen, with `data-section` = the section's id;
//! - a matrix row is a question of its own: `q-<row>` (a radio group whose legend is the row's
//!   label) and `q-<row>-<point>`; the matrix is `q-<matrix>`;
//! - a ranking: `q-<id>-<choice>` the item (`data-rank` its place, from 1), `q-<id>-<choice>-up`
//!   and `-down` its buttons, `q-<id>-keep` to take the order as shown;
//! - an acknowledge box: `q-<id>-input`.

use std::time::Duration;

use thirtyfour::prelude::*;
use voci_tests::{Browser, Collector, spawn_collector};

use super::*;

const HELP_DESK_LOG: &str = "scheda-sportello";

/// Opens the app at `site` and starts `survey`.
async fn start(b: &Browser, collector: &Collector, site: &str, survey: &str) {
    b.driver.goto(&collector.url).await.expect("open the app");
    choose_site(b, site).await;
    b.click(&format!("survey-{survey}")).await;
    b.accept_consent().await;
}

/// Answers pages as respondent `who` until `section` is on screen.
async fn go_to(b: &Browser, survey: &Survey, section: &str, who: usize) {
    loop {
        let on = current_section(b, survey).await;
        if on.id.as_str() == section {
            return;
        }
        answer_page(b, on, who).await;
        next_page(b, on).await;
    }
}

/// The one response in the survey's CSV, by column name.
async fn only_row(
    collector: &Collector,
    survey: &str,
) -> std::collections::BTreeMap<String, String> {
    let rows = collector.csv(survey).await;
    assert_eq!(rows.len(), 2, "a header and one response: {rows:?}");
    rows[0]
        .iter()
        .cloned()
        .zip(rows[1].iter().cloned())
        .collect()
}

/// Waits until the outbox has sent everything.
async fn sent(b: &Browser) {
    b.wait_text("outbox-count", "0", Duration::from_secs(30))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_student_skips_the_school_page_and_a_wrong_age_blocks_with_its_message() {
    let survey = load_survey();
    let collector = spawn_collector().await;
    let b = Browser::start().await;
    start(&b, &collector, &a_school(), SURVEY).await;
    go_to(&b, &survey, "profilo", 0).await;

    // A student of 40: the constraint's own message, next to the question, and no next page.
    b.click("q-ruolo-studente").await;
    set_value(&b, "q-eta-input", "40").await;
    b.click("q-comune-melzo").await;
    b.click("next").await;
    let message = survey
        .question("eta")
        .unwrap()
        .constraint_message
        .clone()
        .unwrap();
    assert_eq!(b.text("error-eta").await, message.get("it", "it"));
    let input = b.by_testid("q-eta-input").await;
    assert_eq!(
        input.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let described = input
        .attr("aria-describedby")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(described.contains("error-eta"), "{described}");
    assert_eq!(current_section(&b, &survey).await.id.as_str(), "profilo");
    // Fixed, the message goes and the page can be left: students get the school page.
    set_value(&b, "q-eta-input", "15").await;
    assert!(!b.exists("error-eta").await);
    next_page(
        &b,
        survey
            .sections
            .iter()
            .find(|s| s.id.as_str() == "profilo")
            .unwrap(),
    )
    .await;
    assert_eq!(current_section(&b, &survey).await.id.as_str(), "a_scuola");
    b.click("q-scuola-ic-mascagni").await;
    b.click("q-classe-media").await;

    // Back, and now not a student: the school page is skipped both ways and not counted.
    b.click("back").await;
    b.by_testid("q-ruolo").await;
    b.click("q-ruolo-giovane").await;
    let profilo = current_section(&b, &survey).await;
    next_page(&b, profilo).await;
    assert_eq!(current_section(&b, &survey).await.id.as_str(), "comunita");
    assert!(!b.exists("q-scuola").await);
    let pages = survey.sections.len() - 1;
    assert_eq!(b.text("page-label").await, format!("Pagina 3 di {pages}"));
    b.click("back").await;
    b.by_testid("q-ruolo").await;
    assert_eq!(current_section(&b, &survey).await.id.as_str(), "profilo");
    next_page(&b, profilo).await;
    let answered = answer_rest(&b, &survey, 1).await;
    assert!(!answered.iter().any(|s| s.id.as_str() == "a_scuola"));

    // The collector took it (it refuses answers to hidden questions): the school answers given
    // before the change of role were not sent, the calculation was, and only the date is kept.
    sent(&b).await;
    let row = only_row(&collector, SURVEY).await;
    assert_eq!(row["ruolo"], "giovane");
    assert_eq!(row["scuola"], "", "{row:?}");
    assert_eq!(row["classe"], "");
    assert_eq!(row["fascia_eta"], "14-17");
    assert_eq!(row["submitted_at"].len(), "2026-03-02".len(), "{row:?}");
    assert_eq!(row["started_at"], "");

    b.quit().await;
    collector.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_problems_at_most_other_written_in_a_grid_and_a_ranking() {
    let survey = load_survey();
    let collector = spawn_collector().await;
    let b = Browser::start().await;
    start(&b, &collector, &a_school(), SURVEY).await;

    // The agreement grid: a radio group per row, labelled by the row; each row is required.
    go_to(&b, &survey, "comunita", 1).await;
    let rows: Vec<&Question> = survey
        .questions()
        .filter(|q| {
            q.row_of
                .as_ref()
                .is_some_and(|m| m.as_str() == "comunita_griglia")
        })
        .collect();
    assert!(rows.len() >= 4);
    for (i, row) in rows.iter().enumerate() {
        let legend = b
            .by_testid(&format!("q-{}", row.id))
            .await
            .find(By::Css("fieldset[role=radiogroup] legend"))
            .await
            .expect("a legend")
            .text()
            .await
            .unwrap();
        // The row's label, and the mark of a required answer.
        assert_eq!(legend, format!("{} *", row.label.get("it", "it")));
        if i + 1 < rows.len() {
            b.click(&format!("q-{}-{}", row.id, i % 5 + 1)).await;
        }
    }
    let last = rows.last().unwrap();
    b.click("next").await;
    b.by_testid(&format!("error-{}", last.id)).await;
    b.click(&format!("q-{}-5", last.id)).await;
    let grid = current_section(&b, &survey).await;
    next_page(&b, grid).await;

    // At most three problems: a fourth tick is refused and says why.
    go_to(&b, &survey, "territorio", 1).await;
    for c in ["comunicazione", "dispersione", "lavoro"] {
        b.click(&format!("q-problemi-{c}")).await;
    }
    b.click("q-problemi-legalita").await;
    assert!(
        !b.is_ticked("q-problemi-legalita").await,
        "a fourth tick stays off"
    );
    assert_eq!(b.text("error-problemi").await, "Scegline al massimo 3.");
    // Another one instead, written in: its text is asked, and required.
    b.click("q-problemi-lavoro").await;
    assert!(!b.exists("error-problemi").await);
    assert!(!b.exists("q-problemi_other").await);
    b.click("q-problemi-other").await;
    b.click("next").await;
    assert_eq!(
        b.text("error-problemi_other").await,
        "Questa domanda richiede una risposta."
    );
    type_into(&b, "q-problemi_other-input", "i trasporti, la sera").await;
    next_page(&b, current_section(&b, &survey).await).await;

    // The follow-up appears only for those who would like to take part.
    go_to(&b, &survey, "coinvolgimento", 1).await;
    assert!(!b.exists("q-come_partecipare").await);
    b.click("q-disponibilita-3").await;
    b.click("q-come_partecipare-ricerca").await;

    // The ranking, in this respondent's own shuffled order, the same after a reload.
    let order = ranking_order(&b, "aiuti").await;
    let draft: serde_json::Value =
        serde_json::from_str(&b.local_storage("voci.draft").await["voci.draft"]).unwrap();
    let id = draft["id"].as_str().unwrap();
    let aiuti = survey.question("aiuti").unwrap();
    let QuestionKind::Ranking { choices } = &aiuti.kind else {
        panic!("aiuti is a ranking")
    };
    let shuffled: Vec<String> = aiuti
        .choice_order(id)
        .into_iter()
        .map(|i| choices[i].id.to_string())
        .collect();
    assert_eq!(order, shuffled, "the order is the respondent's own");
    b.driver.refresh().await.expect("reload");
    b.by_testid("q-aiuti").await;
    assert_eq!(
        ranking_order(&b, "aiuti").await,
        order,
        "stable across a reload"
    );
    assert!(b.is_ticked("q-come_partecipare-ricerca").await);

    // With the keyboard: the last item up one place; the focus stays on it.
    let moved = order.last().unwrap().clone();
    b.js(&format!(
        "document.querySelector('[data-testid=\"q-aiuti-{moved}-up\"]').focus(); return true;"
    ))
    .await;
    b.driver
        .active_element()
        .await
        .unwrap()
        .send_keys(Key::Enter)
        .await
        .unwrap();
    let n = order.len();
    let mut want = order.clone();
    want.swap(n - 1, n - 2);
    b.wait_js(
        "the item moved",
        &format!(
            "document.querySelector('[data-testid=\"q-aiuti-{moved}\"]').dataset.rank === '{}'",
            n - 1
        ),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(ranking_order(&b, "aiuti").await, want);
    let focused = b.js("return document.activeElement.id;").await;
    assert_eq!(focused, format!("q-aiuti-{moved}-up"));

    next_page(&b, current_section(&b, &survey).await).await;
    answer_rest(&b, &survey, 1).await;
    sent(&b).await;
    let row = only_row(&collector, SURVEY).await;
    for (i, r) in rows.iter().enumerate() {
        let want = if i + 1 < rows.len() { i % 5 + 1 } else { 5 };
        assert_eq!(row[r.id.as_str()], want.to_string(), "{}", r.id);
    }
    assert_eq!(row["problemi"], "comunicazione dispersione other");
    assert_eq!(row["problemi/other"], "1");
    assert_eq!(row["problemi/lavoro"], "0");
    assert_eq!(row["problemi_other"], "i trasporti, la sera");
    assert_eq!(row["come_partecipare"], "ricerca");
    assert_eq!(row["aiuti"], want.join(" "));
    assert_eq!(row[&format!("aiuti/{moved}")], (n - 1).to_string());

    b.quit().await;
    collector.stop().await;
}

/// A ranking's items as the page shows them, top first.
async fn ranking_order(b: &Browser, q: &str) -> Vec<String> {
    let prefix = format!("q-{q}-");
    let got = b
        .js(&format!(
            "return Array.from(document.querySelectorAll('[data-testid=\"q-{q}\"] li'))\
               .map(li => li.dataset.testid);"
        ))
        .await;
    serde_json::from_value::<Vec<String>>(got)
        .unwrap()
        .into_iter()
        .map(|t| t[prefix.len()..].to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_help_desk_log_follows_its_relevance_and_the_collector_accepts_it() {
    let survey = voci_tests::sample_survey(HELP_DESK_LOG);
    let desk = voci_tests::sample_sites()
        .flatten()
        .into_iter()
        .find(|(_, s)| s.kind == SiteKind::HelpDesk)
        .map(|(_, s)| s.id.to_string())
        .expect("sites.toml has a help desk");
    let collector = spawn_collector().await;
    let b = Browser::start().await;
    start(&b, &collector, &desk, HELP_DESK_LOG).await;

    set_value(&b, "q-data_contatto-input", "2026-01-15").await;
    b.click("q-ambito-monza").await;
    // The referring body only for referrals and consultations.
    assert!(!b.exists("q-ente").await);
    b.click("q-tipo_contatto-segnalazione").await;
    b.click("q-ente-scuola").await;
    b.click("q-tipo_contatto-utente").await;
    assert!(!b.exists("q-ente").await);
    next_page(&b, current_section(&b, &survey).await).await;

    b.click("q-area_richiesta-lavoro").await;
    b.click("q-nuova_richiesta-no").await;
    next_page(&b, current_section(&b, &survey).await).await;

    // The language of mediation, asked and required once a mediator took part.
    b.click("q-risposta-informazione").await;
    b.click("q-mediatore-si").await;
    b.click("next").await;
    b.by_testid("error-lingua_mediazione").await;
    b.click("q-lingua_mediazione-arabo").await;
    next_page(&b, current_section(&b, &survey).await).await;

    // The age band is required for a user at the desk.
    b.click("submit").await;
    b.by_testid("error-fascia_eta").await;
    b.click("q-fascia_eta-25-34").await;
    b.click("submit").await;
    b.by_testid("thanks").await;

    sent(&b).await;
    let row = only_row(&collector, HELP_DESK_LOG).await;
    assert_eq!(row["tipo_contatto"], "utente");
    assert_eq!(row["ente"], "", "the hidden answer was not sent");
    assert_eq!(row["lingua_mediazione"], "arabo");
    assert_eq!(row["fascia_eta"], "25-34");
    assert_eq!(row["data_contatto"], "2026-01-15");
    // Anonymous: the day, no time, no start.
    assert!(
        voci_core::validate::is_date(&row["submitted_at"]),
        "{row:?}"
    );
    assert_eq!(row["started_at"], "");

    b.quit().await;
    collector.stop().await;
}
