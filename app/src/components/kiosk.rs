//! Kiosk mode's frame: the respondent's header (language, the youth worker's door) and the
//! screen for where the session is: welcome, consent, questions, thank you; or, behind the
//! PIN, the youth worker's screens.

use crate::components::{
    CollectAny, RunnerView, Show, Thanks,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click,
    consent::Consent,
    effect,
    kiosk_worker::{PinPrompt, SessionScreen},
    lang_button, memo, r, text, tx,
    welcome::{Welcome, survey_languages},
};
use leptos::html;
use leptos::prelude::*;

use crate::catalog::CatalogState;
use crate::i18n::{self, Key};
use crate::kiosk::Stage;
use crate::state::{Worker, use_app};

#[component]
pub fn KioskView() -> impl IntoView {
    let app = use_app();
    let stage = memo(move || app.kiosk.with(|k| k.as_ref().map(|k| k.stage())));
    let worker = app.worker;
    let screen = move || match (worker.get(), stage.get()) {
        (Worker::Prompt, _) => view! { <PinPrompt/> }.into_any(),
        (Worker::Unlocked, _) => view! { <SessionScreen/> }.into_any(),
        (Worker::Away, Some(Stage::Welcome) | None) => view! { <Welcome/> }.into_any(),
        (Worker::Away, Some(Stage::Consent)) => match app.kiosk_survey() {
            Some(survey) => view! { <Consent survey=survey/> }.into_any(),
            None => view! { <Unavailable/> }.into_any(),
        },
        (Worker::Away, Some(Stage::Questions)) => view! { <Questions/> }.into_any(),
        (Worker::Away, Some(Stage::Thanks)) => view! { <Thanks/> }.into_any(),
    };
    view! {
        <KioskBar/>
        <main id="main" class="kiosk" data-testid="kiosk">
            {crate::components::rv(screen)}
        </main>
    }
    .into_any()
}

/// The respondent's header: the language switch while they read or answer, and the way to
/// the youth worker's PIN prompt.
#[component]
fn KioskBar() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let answering = move || {
        app.worker.get() == Worker::Away
            && app.kiosk.with(|k| {
                k.as_ref()
                    .is_some_and(|k| matches!(k.stage(), Stage::Consent | Stage::Questions))
            })
    };
    let survey = memo(move || app.kiosk_survey());
    let languages = move || {
        survey
            .get()
            .map(|s| survey_languages(&s))
            .unwrap_or_default()
            .into_iter()
            .map(|l| {
                let (testid, label) = (format!("lang-{}", l.code()), l.code().to_ascii_uppercase());
                lang_button(app, l, "lang", testid, Some(l.name()), None, label)
            })
            .collect_any()
    };
    view! {
        <header class="bar kiosk-bar">
            <span class="brand">{i18n::t(i18n::UiLang::It, Key::AppTitle)}</span>
            <span class="spacer"></span>
            <Show when=answering>
                <span class="langs" role="group" aria-label=r(text(lang, Key::Language))>
                    {crate::components::rv(languages)}
                </span>
            </Show>
            <Show when=move || app.worker.get() == Worker::Away>
                {button("secondary small", "kiosk-worker", text(lang, Key::WorkerArea), click(move |_| app.open_pin()))}
            </Show>
        </header>
    }.into_any()
}

/// The questions, or the respondent's "stop and withdraw" confirmation in their place.
#[component]
fn Questions() -> impl IntoView {
    let app = use_app();
    let has_runner = memo(move || app.runner.with(Option::is_some));
    crate::components::rv(move || match (has_runner.get(), app.withdrawing.get()) {
        (false, _) => view! { <Unavailable/> }.into_any(),
        (true, false) => view! { <RunnerView/> }.into_any(),
        (true, true) => view! { <Withdraw/> }.into_any(),
    })
}

#[component]
fn Withdraw() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let stay: NodeRef<html::Button> = NodeRef::new();
    // The question is the only thing on screen: focus goes to the safe answer.
    effect(move || {
        if let Some(b) = stay.get() {
            let _ = b.focus();
        }
    });
    view! {
        <section
            class="withdraw"
            role="alertdialog"
            aria-labelledby="withdraw-ask"
            data-testid="withdraw"
        >
            <p id="withdraw-ask" class="ask">{tx(lang, Key::WithdrawAsk)}</p>
            <div class="actions">
                <button class="primary" node_ref=stay data-testid="withdraw-cancel" on:click=click(move |_| app.keep_answering())>
                    {tx(lang, Key::WithdrawNo)}
                </button>
                {button("danger", "withdraw-confirm", text(lang, Key::WithdrawYes), click(move |_| app.withdraw()))}
            </div>
        </section>
    }.into_any()
}

/// The session's survey is not (or not yet) on this device.
#[component]
fn Unavailable() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let loading = move || app.catalog.with(|c| matches!(c, CatalogState::Loading));
    view! {
        <p class="info" data-testid="kiosk-unavailable">
            {move || i18n::t(lang.get(), if loading() { Key::Loading } else { Key::SurveyUnavailable })}
        </p>
    }.into_any()
}
