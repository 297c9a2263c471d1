//! The way into focus groups from the home screen: start one, or resume the one in progress.

use crate::components::{Show, click, memo};
use leptos::prelude::*;

use super::{ft, ftx};
use crate::catalog::CatalogState;
use crate::focus::use_focus;
use crate::i18n::FocusKey;
use crate::state::use_app;

#[component]
pub fn FocusEntry() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let in_progress = memo(move || focus.run.with(Option::is_some));
    let has_guides = move || {
        app.catalog.with(|c| match c {
            CatalogState::Ready(c, _) => !c.guides.is_empty(),
            _ => false,
        })
    };
    view! {
        <Show when=move || in_progress.get() || has_guides()>
            <section class="focus-entry">
                <h2>{ftx(lang, FocusKey::Groups)}</h2>
                <button class="survey" data-testid="focus-open" on:click=click(move |_| focus.open())>
                    <span class="title">
                        {move || if in_progress.get() {
                            ft(lang, FocusKey::Resume)()
                        } else {
                            ft(lang, FocusKey::New)()
                        }}
                    </span>
                </button>
            </section>
        </Show>
    }.into_any()
}
