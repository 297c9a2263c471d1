//! An XLSForm's `default`, `read_only` and `required_message` in real Chromium: a new
//! response starts with the defaults, the read-only school is shown in a control that cannot
//! be changed, a missing age is asked for in the survey's own words, and the response the
//! collector stores has the read-only answer.

use std::time::Duration;

use voci_tests::{Browser, root, spawn_collector_with};

use super::*;

const FORM: &str = "classe";

/// pyxform's one-file CSV form, in Italian and English.
const CLASS: &str = "\
survey,type,name,label::Italiano (it),label::English (en),required,required_message::Italiano (it),required_message::English (en),default,read_only
,text,scuola,Scuola,School,,,,IC Mascagni,yes
,select_one ruoli,ruolo,Chi sei?,Who are you?,,,,studente,
,integer,eta,Quanti anni hai?,How old are you?,yes,Dicci quanti anni hai,Tell us your age,,
choices,list_name,name,label::Italiano (it),label::English (en)
,ruoli,studente,Studente,Student
,ruoli,genitore,Genitore,Parent
settings,form_id,version,default_language
,classe,1,Italiano (it)
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defaults_fill_the_form_a_read_only_answer_cannot_change_and_the_required_message_is_the_surveys()
 {
    let surveys = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(
        root().join("surveys/sites.toml"),
        surveys.path().join("sites.toml"),
    )
    .expect("copy sites.toml");
    std::fs::write(surveys.path().join("classe.csv"), CLASS).expect("write the form");
    let collector = spawn_collector_with(surveys.path()).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);

    b.driver.goto(&collector.url).await.expect("open the app");
    choose_site(&b, &a_school()).await;
    b.click(&format!("survey-{FORM}")).await;
    b.accept_consent().await;

    // The school is filled in and cannot be changed; its label stays on screen.
    let school = b.by_testid("q-scuola-input").await;
    assert_eq!(
        school.prop("value").await.expect("value").as_deref(),
        Some("IC Mascagni")
    );
    assert!(
        !school.is_enabled().await.expect("enabled state"),
        "a read-only answer's control is disabled"
    );
    assert!(b.text("q-scuola").await.starts_with("Scuola"));
    // The role starts as its default, and can be changed.
    assert!(b.is_ticked("q-ruolo-studente").await);
    b.click("q-ruolo-genitore").await;
    assert!(b.is_ticked("q-ruolo-genitore").await);

    // The missing age is asked for in the survey's words, in the respondent's language.
    b.click("submit").await;
    b.wait_text("error-eta", "Dicci quanti anni hai", wait)
        .await;
    b.click("lang-en").await;
    b.wait_text("error-eta", "Tell us your age", wait).await;
    b.type_into("q-eta-input", "14").await;
    b.click("submit").await;
    b.wait_text("outbox-count", "0", wait).await;

    let rows = collector.csv(FORM).await;
    let column = |name: &str| rows[0].iter().position(|c| c == name).expect(name);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][column("scuola")], "IC Mascagni");
    assert_eq!(rows[1][column("ruolo")], "genitore");
    assert_eq!(rows[1][column("eta")], "14");

    b.quit().await;
    collector.stop().await;
}
