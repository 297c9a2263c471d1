//! Numbers and `regex()` in real Chromium, where the app reads and writes numbers with the
//! browser's `parseFloat` and `String()` and matches patterns with its `RegExp`, while the
//! collector uses Rust's parser and formatter and regex-lite: a decimal's bound is written
//! without an exponent, a pattern's `\s` is the collector's (a no-break space is not a
//! space), and what the app accepted the collector stores as it was typed.

use std::time::Duration;

use voci_tests::{Browser, root, spawn_collector_with};

use super::*;

const FORM: &str = "misure";

/// A decimal whose smallest value JavaScript writes `5e-7`, and a code checked by a pattern
/// with `\s`, `\d`, a count and a class.
const MEASURES: &str = r#"
id = "misure"
version = "1"
languages = ["it", "en"]
title.it = "Misure"
title.en = "Measures"

[[section]]
id = "misure"
title = { it = "Misure", en = "Measures" }

[[section.question]]
id = "dose"
type = "number"
required = true
min = 5e-7
max = 2.5
label.it = "Dose (g)"
label.en = "Dose (g)"

[[section.question]]
id = "codice"
type = "text"
required = true
label.it = "Codice del campione"
label.en = "Sample code"
constraint = 'regex(., "^[A-Z]{2}\s?\d{3}$")'
constraint_message.it = "Due lettere maiuscole e tre cifre"
constraint_message.en = "Two capital letters and three digits"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decimals_and_patterns_read_in_the_browser_as_the_collector_reads_them() {
    let surveys = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(
        root().join("surveys/sites.toml"),
        surveys.path().join("sites.toml"),
    )
    .expect("copy sites.toml");
    std::fs::write(surveys.path().join("misure.toml"), MEASURES).expect("write the survey");
    let collector = spawn_collector_with(surveys.path()).await;
    let b = Browser::start().await;
    let wait = Duration::from_secs(30);

    b.driver.goto(&collector.url).await.expect("open the app");
    choose_site(&b, &a_school()).await;
    b.click(&format!("survey-{FORM}")).await;
    b.accept_consent().await;

    // The bounds are written out in full, in the input and in the message.
    let dose = b.by_testid("q-dose-input").await;
    assert_eq!(
        dose.attr("min").await.unwrap().as_deref(),
        Some("0.0000005")
    );
    assert_eq!(dose.attr("max").await.unwrap().as_deref(), Some("2.5"));
    b.type_into("q-dose-input", "0.0000001").await;
    b.type_into("q-codice-input", "ab123").await;
    b.click("submit").await;
    b.wait_text("error-dose", "Il valore minimo è 0.0000005.", wait)
        .await;
    b.wait_text("error-codice", "Due lettere maiuscole e tre cifre", wait)
        .await;

    // A no-break space is not one of the pattern's spaces, in the app as at the collector.
    b.type_into("q-dose-input", "1.75").await;
    b.type_into("q-codice-input", "AB\u{a0}123").await;
    b.click("submit").await;
    b.wait_text("error-codice", "Due lettere maiuscole e tre cifre", wait)
        .await;
    assert!(!b.exists("error-dose").await, "1.75 is within the bounds");

    b.type_into("q-codice-input", "AB 123").await;
    b.click("submit").await;
    b.wait_text("outbox-count", "0", wait).await;

    // The collector, with Rust's parser and regex-lite, accepted and stored the same answers.
    let rows = collector.csv(FORM).await;
    let column = |name: &str| rows[0].iter().position(|c| c == name).expect(name);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][column("dose")], "1.75");
    assert_eq!(rows[1][column("codice")], "AB 123");

    b.quit().await;
    collector.stop().await;
}
