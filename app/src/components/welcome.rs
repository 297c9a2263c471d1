//! The kiosk's welcome screen, what each respondent is handed: the survey's title, a language
//! picker among the survey's languages, and Start.

use crate::components::{
    CollectAny,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, lang_button, memo, text, trx, tx,
};
use leptos::prelude::*;
use voci_core::Survey;

use crate::i18n::{Key, UiLang};
use crate::state::use_app;

/// The interface languages a survey can be answered in (all of them if it shares none).
pub fn survey_languages(survey: &Survey) -> Vec<UiLang> {
    let shared: Vec<UiLang> = survey
        .languages
        .iter()
        .filter_map(|l| UiLang::parse(l))
        .collect();
    if shared.is_empty() {
        UiLang::ALL.to_vec()
    } else {
        shared
    }
}

#[component]
pub fn Welcome() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    // Only a change of survey builds the screen again, not a change of language (which would
    // take the focus away from the language just picked).
    let survey = memo(move || app.kiosk_survey());
    let body = move || {
        let Some(survey) = survey.get() else {
            return view! {
                <p class="info" data-testid="kiosk-unavailable">{tx(lang, Key::SurveyUnavailable)}</p>
            }
            .into_any();
        };
        let default = survey.default_language().to_owned();
        let d = default.clone();
        let (title, description) = (survey.title.clone(), survey.description.clone());
        let languages = survey_languages(&survey)
            .into_iter()
            .map(|l| {
                let testid = format!("welcome-lang-{}", l.code());
                lang_button(
                    app,
                    l,
                    "choice-lang",
                    testid,
                    None,
                    Some(l.dir()),
                    l.name().to_owned(),
                )
            })
            .collect_any();
        view! {
            <h1 data-testid="welcome-title">{trx(lang, title, default)}</h1>
            {description.map(|t| view! { <p class="description">{trx(lang, t, d)}</p> }.into_any())}
            <div class="welcome-langs" role="group" aria-labelledby="welcome-lang-label">
                <p id="welcome-lang-label" class="label">{tx(lang, Key::ChooseLanguage)}</p>
                <div class="options">{languages}</div>
            </div>
            {button("primary start", "start", text(lang, Key::Start), click(move |_| app.kiosk_begin()))}
        }
        .into_any()
    };
    view! { <section class="welcome" data-testid="welcome">{crate::components::rv(body)}</section> }
        .into_any()
}
