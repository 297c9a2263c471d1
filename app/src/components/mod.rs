//! The screens and their parts. Components wire state to the page; the rules live elsewhere.

mod home;
mod question;
mod runner;
mod status_bar;
mod thanks;

pub use home::Home;
pub use runner::RunnerView;
pub use status_bar::StatusBar;
pub use thanks::Thanks;

use voci_core::Text;

use crate::i18n::UiLang;

/// A survey text in the interface language, else the survey's default.
pub fn tr(text: &Text, lang: UiLang, default: &str) -> String {
    text.get(lang.code(), default).to_owned()
}
