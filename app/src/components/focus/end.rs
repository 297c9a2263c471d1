//! The end of the session: ask before ending, show what the core's check found, and the way
//! to discard the session altogether.

use crate::components::{CollectAny, Show, attrs::GlobalAttributes, button, click, text};
use leptos::prelude::*;

use super::{ft, ftx};
use crate::focus::use_focus;
use crate::i18n::{FocusKey, Key};
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
            .map(|e| view! { <li>{e.to_string()}</li> }.into_any())
            .collect_any()
    };
    view! {
        <section class="focus-end">
            <Show when=move || focus.end_problems.with(|p| !p.is_empty())>
                <div class="error" role="alert" data-testid="focus-problems">
                    <p>{ftx(lang, FocusKey::Problems)}</p>
                    <ul>{crate::components::rv(problems)}</ul>
                </div>
            </Show>
            <Show
                when=move || focus.ending.get()
                fallback=move || view! {
                    <nav class="pager">
                        {button("danger", "focus-discard", ft(lang, FocusKey::Discard), click(move |_| focus.discard()))}
                        <span class="spacer"></span>
                        {button("primary", "focus-end", ft(lang, FocusKey::End), click(move |_| focus.ending.set(true)))}
                    </nav>
                }.into_any()
            >
                <div class="notice" data-testid="focus-end-confirm">
                    <p>{ftx(lang, FocusKey::ConfirmEnd)}</p>
                    <div class="actions">
                        {button("primary", "focus-end-yes", ft(lang, FocusKey::EndYes), click(move |_| focus.end()))}
                        {button("secondary", "focus-end-cancel", text(lang, Key::Cancel), click(move |_| focus.ending.set(false)))}
                    </div>
                </div>
            </Show>
        </section>
    }.into_any()
}
