//! The home screen: where we are (site picker), which survey to run for one respondent, the
//! way into a classroom (kiosk) session and into focus groups (a link to their own entry point,
//! `/focus/`), the export, and the ways to the status screen (with refused responses) and the
//! coordinators' results area (where an admin also imports a tablet's exported file). Also the
//! message shown at `/focus/` when those screens were never cached and the device is offline
//! (one view with `/enrol`'s, [`needs_network`]).

use crate::components::{
    CollectAny, Show, at, attrs::GlobalAttributes, button, click, ev, option, r, rv, text, trx, tx,
};
use leptos::prelude::*;
use voci_core::{SiteId, SiteTree, Survey};

use crate::catalog::{CatalogState, Source};
use crate::i18n::Key;
use crate::state::{FOCUS_PATH, Notice, use_app};
use crate::storage::{self, LocalStore, Store};

#[component]
pub fn Home() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let body = rv(move || {
        match app.catalog.get() {
        CatalogState::Loading => {
            view! { <p class="info">{tx(lang, Key::Loading)}</p> }.into_any()
        }
        CatalogState::Missing => view! {
            <div class="notice" role="alert" data-testid="catalog-missing">
                <p>{tx(lang, Key::CatalogMissing)}</p>
                <button class="primary" on:click=click(move |_| app.refresh_catalog())>
                    {tx(lang, Key::Retry)}
                </button>
            </div>
        }
        .into_any(),
        CatalogState::Ready(catalog, source) => view! {
            {(source == Source::Kept)
                .then(|| view! { <p class="info">{tx(lang, Key::OfflineCopy)}</p> }.into_any())}
            <SitePicker sites=catalog.sites.clone()/>
            <SurveyList surveys=catalog.current().into_iter().cloned().collect()/>
            <FocusLink has_guides=catalog.has_guides()/>
            <div class="kiosk-entry">
                {button("primary", "open-kiosk", text(lang, Key::KioskOpen), click(move |_| app.open_kiosk_setup()))}
            </div>
        }
        .into_any(),
    }
    });
    view! {
        <section class="home">
            {body}
            <Show when=move || { app.sync.outbox.get() + app.sync.attention.get() > 0 }>
                <div class="export">
                    {button("secondary", "export-outbox", text(lang, Key::ExportOutbox), click(move |_| app.export_outbox()))}
                    <p class="hint">{tx(lang, Key::ExportHint)}</p>
                </div>
            </Show>
            <Attention/>
            <nav class="links">
                {button("secondary", "open-status", text(lang, Key::OpenStatus), click(move |_| app.open_status()))}
                <a {at("href", "/results/")} class="link" data-testid="open-results">{tx(lang, Key::OpenResults)}</a>
            </nav>
        </section>
    }.into_any()
}

#[component]
pub(super) fn SitePicker(sites: SiteTree) -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let options = sites
        .flatten()
        .into_iter()
        .map(|(depth, site)| {
            let id = site.id.clone();
            let selected = r(move || app.site.with(|s| s.as_ref() == Some(&id)));
            let indent = "\u{a0}\u{a0}\u{a0}".repeat(depth);
            option(
                site.id.to_string(),
                selected,
                format!("{indent}{}", site.name),
            )
        })
        .collect_any();
    view! {
        <div class="field">
            <label {at("for", "site-select")}>{tx(lang, Key::Site)}</label>
            <select
                id="site-select"
                data-testid="site-select"
                on:change=ev(move |ev| app.set_site(SiteId::parse(event_target_value(&ev)).ok()))
            >
                {option("", r(move || app.site.with(Option::is_none)), tx(lang, Key::ChooseSite))}
                {options}
            </select>
        </div>
    }
    .into_any()
}

#[component]
fn SurveyList(surveys: Vec<Survey>) -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let empty = surveys.is_empty();
    let buttons = surveys
        .into_iter()
        .map(|s| {
            let default = s.default_language().to_owned();
            let (title, description) = (s.title.clone(), s.description.clone());
            let d = default.clone();
            let id = s.id.clone();
            view! {
                <li>
                    <button
                        class="survey"
                        data-testid=format!("survey-{}", s.id)
                        on:click=click(move |_| app.start(&id))
                    >
                        <span class="title">{trx(lang, title, default)}</span>
                        {description.map(|text| view! {
                            <span class="description">{trx(lang, text, d)}</span>
                        }.into_any())}
                    </button>
                </li>
            }
            .into_any()
        })
        .collect_any();
    view! {
        <h1 class="section-title">{tx(lang, Key::Surveys)}</h1>
        <Show when=move || app.notice.get() == Some(Notice::SiteRequired)>
            <p class="error" role="alert" data-testid="site-required">
                {tx(lang, Key::SiteRequired)}
            </p>
        </Show>
        {empty.then(|| view! { <p class="info">{tx(lang, Key::NoSurveys)}</p> }.into_any())}
        <ul class="surveys">{buttons}</ul>
    }
    .into_any()
}

/// Responses the collector refused: counted here, listed with the reason on the status screen.
#[component]
fn Attention() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let count = app.sync.attention;
    view! {
        <Show when=move || { count.get() > 0 }>
            <section class="attention">
                <p>
                    {tx(lang, Key::Attention)}" "
                    <span class="count" data-testid="attention-count">{r(move || count.get().to_string())}</span>
                </p>
                <p class="hint">{tx(lang, Key::AttentionBody)}</p>
            </section>
        </Show>
    }.into_any()
}

/// The way into focus groups: a link to their own entry point, which starts a session or
/// resumes the one in progress (kept in `voci.focus.draft`). Shown when there are guides or a
/// session to resume.
#[component]
fn FocusLink(has_guides: bool) -> impl IntoView {
    let lang = use_app().lang;
    let in_progress = LocalStore.get(storage::FOCUS_DRAFT_KEY).is_some();
    let label = if in_progress {
        Key::FocusResume
    } else {
        Key::FocusNew
    };
    (in_progress || has_guides)
        .then(|| {
            view! {
                <section class="focus-entry">
                    <h2>{tx(lang, Key::FocusGroups)}</h2>
                    <a {at("href", FOCUS_PATH)} class="focus-open" data-testid="focus-open">
                        <span class="title">{tx(lang, label)}</span>
                    </a>
                </section>
            }
            .into_any()
        })
        .into_any()
}

/// At `/focus/`, offline, when the focus-group screens were never cached: they must be opened
/// once online. The service worker answers such a visit with this app (ARCHITECTURE.md).
#[component]
pub fn FocusOffline() -> impl IntoView {
    needs_network(Key::FocusGroups, Key::FocusOffline, "focus-offline")
}

/// What an address served by another entry point says when the service worker answered it
/// with this app for want of the network (`/focus/`, `/enrol`): its title, why, the way home.
/// One view for all of them.
pub fn needs_network(title: Key, why: Key, testid: &'static str) -> AnyView {
    let lang = use_app().lang;
    view! {
        <section class="notice" role="alert" data-testid=testid>
            <h1>{tx(lang, title)}</h1>
            <p>{tx(lang, why)}</p>
            <a {at("href", "/")} class="link" data-testid="home">{tx(lang, Key::BackHome)}</a>
        </section>
    }
    .into_any()
}
