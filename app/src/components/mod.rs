//! The screens and their parts. Components wire state to the page; the rules live elsewhere.
//!
//! Every distinct closure or component type a view holds costs its own copy of Leptos's
//! render code in the download, so views share a few types (see BENCHMARKS.md, app size):
//! [`Show`] instead of Leptos's generic one, [`rv`] around a view closure kept in a variable
//! or returned by a component, [`r`] around an attribute or text closure made outside
//! `view!`, [`CollectAny::collect_any`] instead of `collect_view`, `.into_any()` at the end
//! of an optional child, [`memo`] instead of `Memo::new`, [`tx`] for a fixed interface text.

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
    let shown = ArcMemo::new(move |_| when());
    move || {
        if shown.get() {
            children()
        } else {
            fallback.run()
        }
    }
}

/// A reactive value of one shared type per `T` (Render/AttributeValue code instantiated once).
pub type R<T> = std::sync::Arc<dyn Fn() -> T + Send + Sync>;
/// Erases a reactive closure into [`R`].
pub fn r<T: 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> R<T> {
    std::sync::Arc::new(f)
}
/// A reactive view of one shared type.
pub type RV = std::sync::Arc<std::sync::Mutex<dyn FnMut() -> AnyView + Send>>;
/// Erases a view-returning closure into [`RV`].
pub fn rv<V: IntoView + 'static>(f: impl Fn() -> V + Send + 'static) -> RV {
    std::sync::Arc::new(std::sync::Mutex::new(move || f().into_any()))
}

/// `collect_view` into one shared list type (`Vec<AnyView>`) instead of one per item type.
pub trait CollectAny {
    /// Collects the views of an iterator as `Vec<AnyView>`.
    fn collect_any(self) -> Vec<AnyView>;
}

impl<I> CollectAny for I
where
    I: Iterator,
    I::Item: IntoView + 'static,
{
    fn collect_any(self) -> Vec<AnyView> {
        self.map(IntoAny::into_any).collect()
    }
}

/// `Memo::new(move |_| f())` with the memo's code built once per value type, not per closure.
pub fn memo<T: PartialEq + Send + Sync + 'static>(
    f: impl Fn() -> T + Send + Sync + 'static,
) -> Memo<T> {
    memo_dyn(std::sync::Arc::new(f))
}

#[inline(never)]
fn memo_dyn<T: PartialEq + Send + Sync + 'static>(f: R<T>) -> Memo<T> {
    Memo::new(move |_| f())
}

/// [`text`] as a finished child view, built out of line: one call at each use instead of the
/// view's construction inlined there.
#[inline(never)]
pub fn tx(lang: RwSignal<UiLang>, key: Key) -> AnyView {
    text(lang, key).into_any()
}
