//! The bar on every screen: how many responses wait, how sending goes, and the language switch.

use crate::components::{Show, tx};
#[allow(unused_imports)]
use leptos::prelude::*;

use super::{button, text};
use crate::i18n::{self, Key, UiLang};
use crate::state::use_app;

#[component]
pub fn StatusBar() -> impl IntoView {
    let app = use_app();
    let sync = app.sync;
    let lang = app.lang;
    let status = move || i18n::sync_status(lang.get(), &sync.state.get(), sync.outbox.get());
    let languages = UiLang::ALL.map(|l| {
        view! {
            <button
                class="lang"
                data-testid=format!("lang-{}", l.code())
                lang=l.code()
                title=l.name()
                aria-pressed=move || (lang.get() == l).to_string()
                on:click=move |_| app.set_lang(l)
            >
                {l.code().to_ascii_uppercase()}
            </button>
        }
    });
    view! {
        <header class="bar">
            <span class="brand">{i18n::t(UiLang::It, Key::AppTitle)}</span>
            <span class="outbox">
                <span class="label">{tx(lang, Key::Queued)}</span>
                " "
                <span class="count" data-testid="outbox-count">{move || sync.outbox.get()}</span>
            </span>
            <span class="sync" data-testid="sync-status" role="status" aria-live="polite">{crate::components::rv(status)}</span>
            <Show when=move || { sync.outbox.get() > 0 }>
                {button("secondary small", "sync-now", text(lang, Key::SyncNow), Callback::new(move |()| sync.trigger()))}
            </Show>
            <span class="langs" role="group" aria-label=move || i18n::t(lang.get(), Key::Language)>
                {languages}
            </span>
        </header>
    }
}
