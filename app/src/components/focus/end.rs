//! The end of the session: ask before ending, show what the core's check found, and the way
//! to discard the session altogether.

use leptos::prelude::*;

use super::ft;
use crate::focus::use_focus;
use crate::i18n::{self, FocusKey, Key};
use crate::state::use_app;

#[component]
pub fn EndPanel() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let problems = move || {
        focus
            .end_problems
            .get()
            .into_iter()
            .map(|e| view! { <li>{e.to_string()}</li> })
            .collect_view()
    };
    view! {
        <section class="focus-end">
            <Show when=move || focus.end_problems.with(|p| !p.is_empty())>
                <div class="error" role="alert" data-testid="focus-problems">
                    <p>{ft(lang, FocusKey::Problems)}</p>
                    <ul>{problems}</ul>
                </div>
            </Show>
            <Show
                when=move || focus.ending.get()
                fallback=move || view! {
                    <nav class="pager">
                        <button class="danger" data-testid="focus-discard" on:click=move |_| focus.discard()>
                            {ft(lang, FocusKey::Discard)}
                        </button>
                        <span class="spacer"></span>
                        <button class="primary" data-testid="focus-end" on:click=move |_| focus.ending.set(true)>
                            {ft(lang, FocusKey::End)}
                        </button>
                    </nav>
                }
            >
                <div class="notice" data-testid="focus-end-confirm">
                    <p>{ft(lang, FocusKey::ConfirmEnd)}</p>
                    <div class="actions">
                        <button class="primary" data-testid="focus-end-yes" on:click=move |_| focus.end()>
                            {ft(lang, FocusKey::EndYes)}
                        </button>
                        <button class="secondary" data-testid="focus-end-cancel" on:click=move |_| focus.ending.set(false)>
                            {move || i18n::t(lang.get(), Key::Cancel)}
                        </button>
                    </div>
                </div>
            </Show>
        </section>
    }
}
