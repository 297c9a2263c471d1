//! A survey's consent (for minors, assent) text, before any answer exists: agreeing starts the
//! questions, declining ends this respondent with nothing saved.

use crate::components::{
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, text, trx, tx,
};
use leptos::prelude::*;
use voci_core::Survey;

use crate::i18n::Key;
use crate::state::use_app;

#[component]
pub fn Consent(survey: Survey) -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let default = survey.default_language().to_owned();
    let d = default.clone();
    let title = survey.title.clone();
    let consent = survey.consent.clone().unwrap_or_default();
    view! {
        <section class="consent" data-testid="consent" aria-labelledby="consent-title">
            <p class="survey-name">{trx(lang, title, default)}</p>
            <h1 id="consent-title">{tx(lang, Key::ConsentTitle)}</h1>
            <p class="consent-text" data-testid="consent-text">{trx(lang, consent, d)}</p>
            <div class="actions">
                {button("primary", "consent-accept", text(lang, Key::ConsentYes), click(move |_| app.accept_consent()))}
                {button("secondary", "consent-decline", text(lang, Key::ConsentNo), click(move |_| app.decline_consent()))}
            </div>
        </section>
    }.into_any()
}
