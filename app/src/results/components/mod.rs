//! The results area's screens and their parts. Components wire state to the page; geometry,
//! queries and texts live in `chart`, `query` and `i18n`.

mod app;
mod chart;
mod compare;
mod crosstab;
mod downloads;
mod filters;
mod import;
mod question;
mod sign_in;
mod survey;
mod surveys;

pub use app::App;

use leptos::prelude::*;
use voci_core::Text;
use voci_core::results::Count;

use crate::api::{Failure, Role};
use crate::i18n::{self, Key, Lang};

/// A survey text in the interface language, else the survey's default.
pub fn tr(text: &Text, lang: Lang, default: &str) -> String {
    text.get(lang.code(), default).to_owned()
}

/// A published count as the tables write it: `7`, or `<5` when hidden.
pub fn count(c: &Count) -> String {
    match c {
        Count::Shown(n) => n.to_string(),
        Count::Hidden(h) => h.clone(),
    }
}

/// A role's name in `lang`.
pub fn role(lang: Lang, role: Role) -> &'static str {
    i18n::t(
        lang,
        match role {
            Role::Viewer => Key::RoleViewer,
            Role::Coordinator => Key::RoleCoordinator,
            Role::Admin => Key::RoleAdmin,
        },
    )
}

/// Why a call failed, in words.
pub fn failure(lang: Lang, f: &Failure) -> String {
    match f {
        Failure::Offline => i18n::t(lang, Key::Offline).to_owned(),
        Failure::SignedOut => i18n::t(lang, Key::SessionEnded).to_owned(),
        Failure::RateLimited(secs) => i18n::locked_out(lang, *secs),
        Failure::Refused { status, message } if message.is_empty() => {
            format!("{} ({status}).", i18n::t(lang, Key::Failed))
        }
        Failure::Refused { status, message } => {
            format!("{} ({status}): {message}", i18n::t(lang, Key::Failed))
        }
    }
}

/// A failure shown where the thing would have been.
pub fn failure_view(lang: Lang, f: &Failure, testid: &'static str) -> AnyView {
    view! { <p class="error" role="alert" data-testid=testid>{failure(lang, f)}</p> }.into_any()
}

/// Moves the focus to the screen's heading once it is drawn (after sign-in, opening a survey,
/// going back), so keyboard and screen-reader users start at the top of what changed.
pub fn focus_heading() {
    request_animation_frame(|| {
        if let Ok(Some(h)) = document().query_selector("main h1") {
            use wasm_bindgen::JsCast;
            if let Ok(h) = h.dyn_into::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        }
    });
}
