//! The bar on every screen: how many responses wait, how sending goes, and the language switch.

use crate::components::{
    Show,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, lang_button, r, text, tx,
};
use leptos::prelude::*;

use crate::i18n::{self, Key, UiLang};
use crate::state::use_app;

#[component]
pub fn StatusBar() -> impl IntoView {
    let app = use_app();
    let sync = app.sync;
    let lang = app.lang;
    let status = move || i18n::sync_status(lang.get(), &sync.state.get(), sync.outbox.get());
    let languages = UiLang::ALL.map(|l| {
        let (testid, label) = (format!("lang-{}", l.code()), l.code().to_ascii_uppercase());
        lang_button(app, l, "lang", testid, Some(l.name()), None, label)
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
                {button("secondary small", "sync-now", text(lang, Key::SyncNow), click(move |_| sync.trigger()))}
            </Show>
            <span class="langs" role="group" aria-label=r(text(lang, Key::Language))>
                {languages}
            </span>
        </header>
    }.into_any()
}
