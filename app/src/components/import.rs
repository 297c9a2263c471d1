//! The coordinator's import screen: an outbox file and the admin token go to the collector,
//! which stores each response and focus-group session once and says what it did.

use crate::components::{
    AnySignal, CollectAny, at,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, ev, fixed, screen_head,
};
use leptos::prelude::*;

use crate::i18n::{self, Key, UiLang};
use crate::import::{self, Outcome};
use crate::state::use_app;

#[component]
pub fn ImportScreen() -> impl IntoView {
    let app = use_app();
    let file = NodeRef::<leptos::html::Input>::new();
    let token = AnySignal::new(String::new());
    let outcome = AnySignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let submit = move || {
        let Some(input) = file.get_untracked() else {
            return;
        };
        let token = token.get_untracked();
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            outcome.set(Some(import::run(&input, &token).await));
            busy.set(false);
        });
    };
    let result = move || {
        let l = app.lang.get();
        match (busy.get(), outcome.get()) {
            (true, _) => view! { <p>{i18n::t(l, Key::Importing)}</p> }.into_any(),
            (false, Some(o)) => outcome_view(l, o),
            (false, None) => ().into_any(),
        }
    };
    // Drawn again only when the language changes (the chosen file is then chosen again).
    let form = move || {
        let l = app.lang.get();
        view! {
            {screen_head(app, l, Key::ImportTitle)}
            <p class="hint">{i18n::t(l, Key::ImportHint)}</p>
            <div class="field">
                <label {at("for", "import-file")}>{i18n::t(l, Key::ImportFile)}</label>
                <input
                    {at("type", "file")}
                    id="import-file"
                    data-testid="import-file"
                    {at("accept", ".json,application/json")}
                    node_ref=file
                />
            </div>
            <div class="field">
                <label {at("for", "import-token")}>{i18n::t(l, Key::ImportToken)}</label>
                <input
                    {at("type", "password")}
                    id="import-token"
                    data-testid="import-token"
                    {at("autocomplete", "off")}
                    prop:value=fixed(token.get_untracked())
                    on:input=ev(move |ev| token.set(event_target_value(&ev)))
                />
            </div>
            {button("primary", "import-submit", i18n::t(l, Key::ImportSubmit), click(move |_| submit()))}
        }.into_any()
    };
    view! {
        <section class="import" data-testid="import-screen">
            {crate::components::rv(form)}
            <div class="result" data-testid="import-result" role="status" aria-live="polite">
                {crate::components::rv(result)}
            </div>
        </section>
    }
    .into_any()
}

fn outcome_view(lang: UiLang, outcome: Outcome) -> AnyView {
    let text = match outcome {
        Outcome::Done(s) => {
            let problems = s
                .problems
                .into_iter()
                .map(|p| {
                    let kind = if p.session { "session " } else { "" };
                    view! { <li>{format!("{kind}{} {}: {}", p.id, p.status, p.error)}</li> }
                        .into_any()
                })
                .collect_any();
            let (r, c) = (s.responses, s.sessions);
            // A line for each kind the file had (the responses' alone for an empty file).
            let responses = (r.total() > 0 || c.total() == 0).then(|| {
                let text = i18n::import_counts(lang, r.stored, r.duplicate, r.conflict, r.invalid);
                view! { <p data-testid="import-responses">{text}</p> }.into_any()
            });
            let sessions = (c.total() > 0).then(|| {
                let text =
                    i18n::import_session_counts(lang, c.stored, c.duplicate, c.conflict, c.invalid);
                view! { <p data-testid="import-sessions">{text}</p> }.into_any()
            });
            return view! {
                <div data-outcome="done">{responses}{sessions}</div>
                <ul>{problems}</ul>
            }
            .into_any();
        }
        Outcome::NoFile => i18n::t(lang, Key::ImportNoFile).to_owned(),
        Outcome::NoToken => i18n::t(lang, Key::ImportNoToken).to_owned(),
        Outcome::BadToken => i18n::t(lang, Key::ImportBadToken).to_owned(),
        Outcome::Offline => i18n::t(lang, Key::ImportOffline).to_owned(),
        Outcome::Refused(message) => i18n::import_refused(lang, &message),
    };
    view! { <p class="error" data-outcome="error">{text}</p> }.into_any()
}
