//! The youth worker's side of a kiosk session: the PIN prompt, then the session screen (how
//! many completed, how many wait to be sent; resume or end).

use crate::components::{
    AnySignal, at,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, effect, ev_submit, r, text, tr, tx,
};
use leptos::html;
use leptos::prelude::*;

use crate::browser;
use crate::catalog::CatalogState;
use crate::i18n::{self, Key};
use crate::kiosk::{PIN_MAX, Stage, Unlock};
use crate::state::use_app;

#[component]
pub fn PinPrompt() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let input: NodeRef<html::Input> = NodeRef::new();
    // A lockout still running (say, after a reload) is said at once.
    let locked = app.kiosk.with_untracked(|k| {
        k.as_ref()
            .and_then(|k| k.locked_for(browser::now_ms()))
            .map(|seconds| Unlock::Locked { seconds })
    });
    let outcome = AnySignal::new(locked);
    effect(move || {
        if let Some(i) = input.get() {
            let _ = i.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(i) = input.get_untracked() else {
            return;
        };
        let result = app.unlock(&i.value());
        i.set_value("");
        if result != Unlock::Open {
            outcome.set(Some(result));
            let _ = i.focus();
        }
    };
    let message = move || {
        outcome.get().and_then(|o| match o {
            Unlock::Open => None,
            Unlock::Wrong { tries_left } => Some(i18n::pin_wrong(lang.get(), tries_left)),
            Unlock::Locked { seconds } => Some(i18n::locked_out(lang.get(), seconds)),
        })
    };
    view! {
        <section class="pin" data-testid="pin-prompt">
            <h1>{tx(lang, Key::PinPromptTitle)}</h1>
            <p class="hint">{tx(lang, Key::PinPromptHint)}</p>
            <form on:submit=ev_submit(submit)>
                <div class="field">
                    <label {at("for", "worker-pin")}>{tx(lang, Key::WorkerPin)}</label>
                    <input
                        id="worker-pin"
                        {at("type", "password")}
                        inputmode="numeric"
                        {at("autocomplete", "off")}
                        {at("maxlength", PIN_MAX.to_string())}
                        data-testid="worker-pin"
                        aria-describedby="pin-message"
                        aria-invalid=r(move || outcome.with(Option::is_some).to_string())
                        node_ref=input
                    />
                    <p id="pin-message" class="pin-message" role="alert" data-testid="pin-message">
                        {move || message().map(|m| view! { <span class="error">{m}</span> }.into_any())}
                    </p>
                </div>
                <div class="actions">
                    <button {at("type", "submit")} class="primary" data-testid="unlock">{tx(lang, Key::Unlock)}</button>
                    <button {at("type", "button")} class="secondary" data-testid="pin-cancel" on:click=click(move |_| app.resume_kiosk())>
                        {tx(lang, Key::BackToSurvey)}
                    </button>
                </div>
            </form>
        </section>
    }.into_any()
}

#[component]
pub fn SessionScreen() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let sync = app.sync;
    let Some(session) = app.kiosk.get_untracked() else {
        return ().into_any();
    };
    let settings = session.settings().clone();
    let survey = app.survey(&settings.survey);
    let survey_title = move || {
        survey.as_ref().map_or_else(
            || settings.survey.to_string(),
            |s| tr(&s.title, lang.get(), s.default_language()),
        )
    };
    let site_name = app.catalog.with_untracked(|c| match c {
        CatalogState::Ready(c, _) => c.sites.find(&settings.site).map(|s| s.name.clone()),
        _ => None,
    });
    let site = site_name.unwrap_or_else(|| settings.site.to_string());
    let group = settings.group.clone().unwrap_or_else(|| "—".to_owned());
    let completed = move || app.kiosk.with(|k| k.as_ref().map_or(0, |k| k.completed()));
    let answering = session.stage() == Stage::Questions;
    let status = move || i18n::sync_status(lang.get(), &sync.state.get(), sync.outbox.get());
    view! {
        <section class="session" data-testid="kiosk-session">
            <h1>{tx(lang, Key::SessionTitle)}</h1>
            <dl class="facts">
                <dt>{tx(lang, Key::Survey)}</dt>
                <dd>{crate::components::rv(survey_title)}</dd>
                <dt>{tx(lang, Key::Site)}</dt>
                <dd>{site}</dd>
                <dt>{tx(lang, Key::Group)}</dt>
                <dd data-testid="kiosk-group-label">{group}</dd>
                <dt>{tx(lang, Key::Completed)}</dt>
                <dd data-testid="kiosk-completed">{crate::components::rv(completed)}</dd>
                <dt>{tx(lang, Key::Waiting)}</dt>
                <dd data-testid="kiosk-outbox">{move || sync.outbox.get()}</dd>
            </dl>
            <p class="info" role="status" data-testid="sync-status">{crate::components::rv(status)}</p>
            {answering.then(|| view! { <p class="notice" data-testid="kiosk-in-progress">{tx(lang, Key::InProgress)}</p> }.into_any())}
            <div class="actions">
                {button("primary", "kiosk-resume", text(lang, Key::Resume), click(move |_| app.resume_kiosk()))}
                {button("danger", "kiosk-end", text(lang, Key::EndSession), click(move |_| app.end_kiosk()))}
            </div>
        </section>
    }
    .into_any()
}
