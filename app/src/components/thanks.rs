//! The thank-you screen: the kiosk's way to the next respondent.

use leptos::prelude::*;

use crate::i18n::{self, Key};
use crate::state::use_app;

#[component]
pub fn Thanks() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    view! {
        <section class="thanks" data-testid="thanks">
            <h1>{move || i18n::t(lang.get(), Key::Thanks)}</h1>
            <p>{move || i18n::t(lang.get(), Key::ThanksBody)}</p>
            <button class="primary" data-testid="next-respondent" on:click=move |_| app.next_respondent()>
                {move || i18n::t(lang.get(), Key::NextRespondent)}
            </button>
            <p>
                <a href="#" class="link" data-testid="home" on:click=move |ev| {
                    ev.prevent_default();
                    app.go_home();
                }>{move || i18n::t(lang.get(), Key::BackHome)}</a>
            </p>
        </section>
    }
}
