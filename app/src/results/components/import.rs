//! An admin's import of a tablet's exported file, under the survey list: the file goes to the
//! collector, which stores each response and focus-group session once and says what it did.
//! Signed in already, the admin types no token.

use leptos::prelude::*;

use super::failure;
use crate::i18n::{self, Key, Lang};
use crate::import::{self, Outcome};
use crate::state::use_area;

#[component]
pub fn Import() -> impl IntoView {
    let area = use_area();
    let lang = area.lang;
    let file = NodeRef::<leptos::html::Input>::new();
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let submit = move |_| {
        let Some(input) = file.get_untracked() else {
            return;
        };
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            match import::run(&input).await {
                // A 401 ends the login session here too (the sign-in form comes back).
                Outcome::Failed(f) => area.failed(f, |f| outcome.set(Some(Outcome::Failed(f)))),
                done => outcome.set(Some(done)),
            }
            busy.set(false);
        });
    };
    let result = move || {
        let l = lang.get();
        match (busy.get(), outcome.get()) {
            (true, _) => view! { <p>{i18n::t(l, Key::Importing)}</p> }.into_any(),
            (false, Some(o)) => outcome_view(l, o),
            (false, None) => ().into_any(),
        }
    };
    view! {
        <section class="import" data-testid="import-screen" aria-labelledby="import-title">
            <h2 id="import-title">{move || i18n::t(lang.get(), Key::ImportTitle)}</h2>
            <p class="hint">{move || i18n::t(lang.get(), Key::ImportHint)}</p>
            <div class="field">
                <label for="import-file">{move || i18n::t(lang.get(), Key::ImportFile)}</label>
                <input
                    type="file"
                    id="import-file"
                    data-testid="import-file"
                    accept=".json,application/json"
                    node_ref=file
                />
            </div>
            <button
                class="primary"
                data-testid="import-submit"
                disabled=move || busy.get()
                on:click=submit
            >
                {move || i18n::t(lang.get(), Key::ImportSubmit)}
            </button>
            <div class="result" data-testid="import-result" role="status" aria-live="polite">
                {result}
            </div>
        </section>
    }
}

fn outcome_view(lang: Lang, outcome: Outcome) -> AnyView {
    let text = match outcome {
        Outcome::Done(s) => {
            let problems = s
                .problems
                .into_iter()
                .map(|p| {
                    let kind = if p.session { "session " } else { "" };
                    view! { <li>{format!("{kind}{} {}: {}", p.id, p.status, p.error)}</li> }
                })
                .collect_view();
            let (r, c) = (s.responses, s.sessions);
            // A line for each kind the file had (the responses' alone for an empty file).
            let responses = (r.total() > 0 || c.total() == 0).then(|| {
                let text = i18n::import_counts(lang, false, &r);
                view! { <p data-testid="import-responses">{text}</p> }
            });
            let sessions = (c.total() > 0).then(|| {
                let text = i18n::import_counts(lang, true, &c);
                view! { <p data-testid="import-sessions">{text}</p> }
            });
            return view! {
                <div data-outcome="done">{responses}{sessions}</div>
                <ul>{problems}</ul>
            }
            .into_any();
        }
        Outcome::NoFile => i18n::t(lang, Key::ImportNoFile).to_owned(),
        Outcome::Refused(message) => i18n::import_refused(lang, &message),
        Outcome::Failed(f) => format!(
            "{} {}",
            failure(lang, &f),
            i18n::t(lang, Key::NothingImported)
        ),
    };
    view! { <p class="error" data-outcome="error">{text}</p> }.into_any()
}
