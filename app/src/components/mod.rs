//! The screens and their parts. Components wire state to the page; the rules live elsewhere.

mod consent;
mod enrol;
mod focus;
mod home;
mod import;
mod kiosk;
mod kiosk_setup;
mod kiosk_worker;
mod question;
mod repeat;
mod runner;
mod status;
mod status_bar;
mod thanks;
mod welcome;

pub use consent::Consent;
pub use enrol::{EnrolScreen, enrolment_panel};
pub use focus::{FocusEntry, FocusScreen};
pub use home::Home;
pub use import::ImportScreen;
pub use kiosk::KioskView;
pub use kiosk_setup::KioskSetup;
pub use runner::RunnerView;
pub use status::StatusScreen;
pub use status_bar::StatusBar;
pub use thanks::Thanks;

use leptos::callback::Callback;
use leptos::prelude::*;
use voci_core::Text;

use crate::i18n::{self, Key, UiLang};

/// A survey text in the interface language, else the survey's default.
pub fn tr(text: &Text, lang: UiLang, default: &str) -> String {
    text.get(lang.code(), default).to_owned()
}

// Small shared parts. Each returns one view type however often it is used, which keeps the
// WebAssembly small: every distinct view shape costs code of its own.

/// A fixed interface text that follows the language switch.
pub fn text(lang: RwSignal<UiLang>, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || i18n::t(lang.get(), key)
}

/// A button with its testid.
pub fn action(
    class: &'static str,
    testid: &'static str,
    label: String,
    run: Callback<()>,
) -> impl IntoView + use<> {
    view! {
        <button class=class data-testid=testid on:click=move |_| run.run(())>{label}</button>
    }
}

/// A button whose label follows the language switch (`text` or a focus-group text): one shape
/// for the many buttons of the app, built in one place.
pub fn button(
    class: &'static str,
    testid: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    run: Callback<()>,
) -> AnyView {
    view! {
        <button class=class data-testid=testid on:click=move |_| run.run(())>{label}</button>
    }
    .into_any()
}

/// A screen's title with the way back to the start.
pub fn screen_head(lang: UiLang, title: Key, home: Callback<()>) -> impl IntoView + use<> {
    view! {
        <div class="runner-head">
            <h1>{i18n::t(lang, title)}</h1>
            {action("secondary small", "home", i18n::t(lang, Key::BackHome).to_owned(), home)}
        </div>
    }
}

/// A line of text with its testid and a machine-readable value (`data-value`).
pub fn fact(class: &'static str, testid: String, value: String, text: String) -> impl IntoView {
    view! { <p class=class data-testid=testid data-value=value>{text}</p> }
}
