//! The facilitator's focus-group screens, the focus entry point (`/focus/`, bin `voci-focus`):
//! its root ([`FocusApp`]), the start form, then the session (roster, prompt and timer, quotes,
//! notes, theme tags, tables, the end), one component per concern. They read
//! [`crate::focus::FocusState`] and call its actions; the rules live in [`crate::focus`].

mod end;
mod notes;
mod prompt;
mod quotes;
mod roster;
mod start;
mod tables;
mod themes;

use std::cell::Cell;
use std::time::Duration;

use crate::components::{Show, StatusBar, attrs::GlobalAttributes, effect, memo};
use leptos::prelude::*;

use super::{button, click, text};
use crate::browser;
use crate::catalog::CatalogState;
use crate::focus::{FocusState, use_focus};
use crate::i18n::{self, FocusKey, Key, UiLang};
use crate::state::{AppState, use_app};

/// A focus-group text that follows the language switch (the focus entry's own closure type:
/// the PWA's [`text`] reads only the app's texts).
fn ft(lang: RwSignal<UiLang>, key: FocusKey) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || i18n::focus(lang.get(), key)
}

/// The focus entry's root: the app state as in the PWA (language, the kept catalog, the outbox
/// and its sync, so sessions are sent from here too), the status bar, and the focus-group
/// screen with the session in progress reopened. While a classroom kiosk session runs it does
/// not open at all and goes to `/`: a student must not reach it by its address.
#[component]
pub fn FocusApp() -> impl IntoView {
    let app = AppState::provide();
    if app.kiosk.with_untracked(Option::is_some) {
        let _ = window().location().replace("/");
        return ().into_any();
    }
    let focus = FocusState::provide(app);
    app.launch(None);
    effect(move || {
        let lang = app.lang.get();
        browser::set_document_language(lang.code(), lang.dir());
    });
    // The session in progress, once a catalog is known (the kept one at once, offline too).
    let reopened = Cell::new(false);
    effect(move || {
        app.catalog.with(|c| {
            if let CatalogState::Ready(c, _) = c
                && !reopened.replace(true)
            {
                focus.reopen(c);
            }
        });
    });
    view! {
        <StatusBar/>
        <main id="main">
            <FocusScreen/>
        </main>
    }
    .into_any()
}

/// The screen: the session in progress, the confirmation that it was queued, or the start form.
#[component]
pub fn FocusScreen() -> impl IntoView {
    let focus = use_focus();
    // The timers read `now`, moved once a second while this screen shows.
    if let Ok(ticker) = set_interval_with_handle(move || focus.tick(), Duration::from_secs(1)) {
        on_cleanup(move || ticker.clear());
    }
    let running = memo(move || focus.run.with(Option::is_some));
    crate::components::rv(move || {
        if running.get() {
            view! { <Session/> }.into_any()
        } else if focus.queued.get() {
            view! { <Queued/> }.into_any()
        } else {
            view! { <start::StartForm/> }.into_any()
        }
    })
}

/// The session in progress.
#[component]
fn Session() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    // Which session: the parts are built again only when this changes, so typing never
    // re-creates the field being typed in.
    let heading = memo(move || {
        focus.run.with(|r| {
            r.as_ref().map(|r| {
                let (g, s) = (r.guide(), r.session());
                let default = g.languages.first().cloned().unwrap_or_default();
                let title = g.title.get(lang.get().code(), &default).to_owned();
                let line = format!("{} · {} · {}", s.site, s.date, s.group_type);
                (title, line, !g.tables.is_empty())
            })
        })
    });
    let title = move || heading.get().map(|h| h.0);
    let line = move || heading.get().map(|h| h.1);
    let has_tables = move || heading.get().is_some_and(|h| h.2);
    view! {
        <section class="focus" data-testid="focus-session">
            <div class="runner-head">
                <h1>{crate::components::rv(title)}</h1>
                {button("secondary small", "focus-leave", ft(lang, FocusKey::Pause), click(move |_| focus.leave()))}
            </div>
            <p class="info" data-testid="focus-heading">{crate::components::rv(line)}</p>
            <Show when=move || focus.unsaved.get()>
                <p class="error" role="alert" data-testid="focus-unsaved">{ftx(lang, FocusKey::Unsaved)}</p>
            </Show>
            <roster::Roster/>
            <prompt::PromptPanel/>
            <quotes::QuoteCapture/>
            <notes::Notes/>
            <Show when=has_tables>
                <tables::Tables/>
            </Show>
            <end::EndPanel/>
        </section>
    }.into_any()
}

/// After the end: the session waits in the outbox.
#[component]
fn Queued() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    view! {
        <section class="thanks" data-testid="focus-queued">
            <p>{ftx(lang, FocusKey::Queued)}</p>
            {button("primary", "focus-home", text(lang, Key::BackHome), click(move |_| focus.go_home()))}
        </section>
    }.into_any()
}

/// [`ft`] as a finished child view, built out of line.
#[inline(never)]
fn ftx(lang: RwSignal<UiLang>, key: FocusKey) -> AnyView {
    ft(lang, key).into_any()
}
