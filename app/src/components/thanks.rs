//! The thank-you screen: the way to the next respondent, who starts blank. In kiosk mode it
//! offers nothing else (no way home: that is behind the youth worker's PIN).

use crate::components::{at, button, click, text, tx};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::use_app;

#[component]
pub fn Thanks() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let kiosk = app.kiosk.with_untracked(Option::is_some);
    let body = if kiosk {
        Key::KioskThanksBody
    } else {
        Key::ThanksBody
    };
    view! {
        <section class="thanks" data-testid="thanks">
            <h1>{tx(lang, Key::Thanks)}</h1>
            <p>{tx(lang, body)}</p>
            {button("primary", "next-respondent", text(lang, Key::NextRespondent), click(move |_| app.next_respondent()))}
            {(!kiosk).then(|| view! {
                <p>
                    <a {at("href", "#")} class="link" data-testid="home" on:click=click(move |ev| {
                        ev.prevent_default();
                        app.go_home();
                    })>{tx(lang, Key::BackHome)}</a>
                </p>
            }.into_any())}
        </section>
    }.into_any()
}
