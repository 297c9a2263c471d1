//! The screens and their parts. Components wire state to the page; the rules live elsewhere.
//!
//! Every distinct type a view holds (closure, handler, attribute, memo or signal value, view
//! shape) costs its own copy of Leptos's code in the download, so views share a few types
//! (see BENCHMARKS.md, app size):
//! - views: every `view!` ends in `.into_any()`; [`Show`] instead of Leptos's generic one;
//!   [`rv`] around a view closure kept in a variable or returned by a component;
//!   [`CollectAny::collect_any`] instead of `collect_view`; the parts below for the shapes
//!   that repeat ([`button`], [`option`], [`lang_button`], [`screen_head`], [`fact`]);
//! - texts: [`tx`] for a fixed interface text (or [`text`] where a closure is wanted), [`trx`]
//!   for a survey's or guide's text;
//! - attributes: [`r`] around a closure given to an attribute or property; `id`, `role`,
//!   `lang`, `aria-*` and the other names in [`attrs`] are written as usual once the file
//!   imports its traits; names Leptos types per element (`for`, `type`, `value`, ...) are
//!   written `{at("type", "checkbox")}`;
//! - events: `on:click=click(...)`, `on:input=ev(...)` (also `change`), `ev_submit`, `ev_key`;
//! - state: [`memo`] (an [`AnyMemo`]) instead of `Memo::new`, [`AnySignal`] for a screen's own
//!   values, [`effect`] instead of `Effect::new`.

pub(crate) mod attrs;
mod consent;
mod enrol;
mod erased;
mod focus;
mod home;
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

pub use attrs::at;
pub use consent::Consent;
pub use enrol::{EnrolApp, EnrolOffline, enrolment_panel};
pub use erased::{
    AnyMemo, AnySignal, CollectAny, Handler, R, click, effect, ev, ev_key, ev_submit, fixed, memo,
    r, rv,
};
pub use focus::FocusApp;
pub use home::{FocusOffline, Home};
pub use kiosk::KioskView;
pub use kiosk_setup::KioskSetup;
pub use runner::RunnerView;
pub use status::StatusScreen;
pub use status_bar::StatusBar;
pub use thanks::Thanks;

use leptos::prelude::*;
use voci_core::Text;

use crate::i18n::{self, Key, UiLang};
use crate::state::AppState;
use attrs::{AriaAttributes, GlobalAttributes};

/// A survey text in the interface language, else the survey's default.
pub fn tr(text: &Text, lang: UiLang, default: &str) -> String {
    text.get(lang.code(), default).to_owned()
}

// Small shared parts. Each returns one view type however often it is used, which keeps the
// WebAssembly small: every distinct view shape costs code of its own.

/// A fixed interface text that follows the language switch: one closure type for all of
/// them, so its view code exists once. (The focus-group screens have their own, `ft`, for
/// their texts: the PWA's download carries none of them.)
pub fn text(lang: RwSignal<UiLang>, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || i18n::t(lang.get(), key)
}

/// A button: class, testid, label and what a click does. One shape, built in one place, for
/// most of the app's buttons (the label a fixed text like [`text`]'s, a view or a string).
pub fn button(
    class: &'static str,
    testid: impl Into<String>,
    label: impl IntoView + 'static,
    on: Handler<web_sys::MouseEvent>,
) -> AnyView {
    button_any(class, testid.into(), label.into_any(), on)
}

#[inline(never)]
fn button_any(
    class: &'static str,
    testid: String,
    label: AnyView,
    on: Handler<web_sys::MouseEvent>,
) -> AnyView {
    view! { <button class=class data-testid=testid on:click=on>{label}</button> }.into_any()
}

/// A screen's title with the way back to the start.
pub fn screen_head(app: AppState, lang: UiLang, title: Key) -> AnyView {
    view! {
        <div class="runner-head">
            <h1>{i18n::t(lang, title)}</h1>
            {button("secondary small", "home", i18n::t(lang, Key::BackHome), click(move |_| app.go_home()))}
        </div>
    }
    .into_any()
}

/// An `<option>` of a select: its value, whether it is the one chosen, its label.
pub fn option(
    value: impl Into<String>,
    selected: R<bool>,
    label: impl IntoView + 'static,
) -> AnyView {
    option_any(value.into(), selected, label.into_any())
}

#[inline(never)]
fn option_any(value: String, selected: R<bool>, label: AnyView) -> AnyView {
    view! { <option {at("value", value)} {at("selected", selected)}>{label}</option> }.into_any()
}

/// A survey's (or guide's) text that follows the language switch, as a child view.
#[inline(never)]
pub fn trx(lang: RwSignal<UiLang>, text: Text, default: String) -> AnyView {
    (move || tr(&text, lang.get(), &default)).into_any()
}

/// A button that switches the interface language to `l`, pressed while `l` is on: the bar's
/// (code, with the name as title) and the kiosk welcome's (name, with its direction).
pub fn lang_button(
    app: AppState,
    l: UiLang,
    class: &'static str,
    testid: String,
    title: Option<&'static str>,
    dir: Option<&'static str>,
    label: String,
) -> AnyView {
    let lang = app.lang;
    view! {
        <button
            class=class
            data-testid=testid
            lang=l.code()
            title=title
            dir=dir
            aria-pressed=r(move || (lang.get() == l).to_string())
            on:click=click(move |_| app.set_lang(l))
        >
            {label}
        </button>
    }
    .into_any()
}

/// A line of text with its testid and a machine-readable value (`data-value`).
pub fn fact(class: &'static str, testid: String, value: String, text: String) -> impl IntoView {
    view! { <p class=class data-testid=testid data-value=value>{text}</p> }.into_any()
}

/// The condition of [`Show`]: one type for every call.
pub struct When(std::sync::Arc<dyn Fn() -> bool + Send + Sync>);

impl<F: Fn() -> bool + Send + Sync + 'static> From<F> for When {
    fn from(f: F) -> Self {
        When(std::sync::Arc::new(f))
    }
}

/// Leptos's `Show` without its type parameters, so its code exists once for the whole app
/// instead of once per use.
#[component]
pub fn Show(
    children: ChildrenFn,
    #[prop(into)] when: When,
    #[prop(optional, into)] fallback: ViewFn,
) -> impl IntoView {
    let when = when.0;
    let shown = memo(move || when());
    move || {
        if shown.get() {
            children()
        } else {
            fallback.run()
        }
    }
}

/// [`text`] as a finished child view, built out of line: one call at each use instead of the
/// view's construction inlined there.
#[inline(never)]
pub fn tx(lang: RwSignal<UiLang>, key: Key) -> AnyView {
    text(lang, key).into_any()
}
