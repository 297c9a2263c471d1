//! Enrolling this tablet as a collection device: the enrol entry point's root and screen
//! (`/enrol`, bin `voci-enrol`: the code typed, or brought by the admin's link
//! `/enrol?code=...`), and the PWA's parts: the enrolment's panel on the status screen, and the
//! message shown at `/enrol` when the network is down.
//!
//! What the code and the collector's answers mean is `crate::enrol`'s.

use leptos::prelude::*;

use crate::browser;
use crate::components::{
    AnySignal, StatusBar, at, attrs::GlobalAttributes, ev, ev_submit, fact, r, tx,
};
use crate::enrol::{self, Enrolled};
use crate::i18n::{self, Key, UiLang};
use crate::net;
use crate::state::{AppState, use_app};
use crate::storage::LocalStore;

/// The enrol entry's root: the app state as in the PWA (language, the outbox's count in the
/// status bar), the enrol screen, and nothing of the runner. While a classroom kiosk session
/// runs it does not open at all and goes to `/`: a student must not reach it by its address.
#[component]
pub fn EnrolApp() -> impl IntoView {
    let app = AppState::provide();
    if app.kiosk.with_untracked(Option::is_some) {
        go_home();
        return ().into_any();
    }
    crate::components::effect(move || {
        let lang = app.lang.get();
        browser::set_document_language(lang.code(), lang.dir());
    });
    view! {
        <StatusBar/>
        <main id="main">
            <EnrolScreen/>
        </main>
    }
    .into_any()
}

/// To the PWA at `/`, in place of this address: neither a reload nor the browser's back
/// button brings the link (and its code) again.
fn go_home() {
    let _ = window().location().replace("/");
}

#[component]
pub fn EnrolScreen() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let search = window().location().search().unwrap_or_default();
    let code = AnySignal::new(enrol::code_from_query(&search).unwrap_or_default());
    let name = AnySignal::new(String::new());
    let problem = AnySignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move || {
        let l = lang.get_untracked();
        let Some(typed) = enrol::normalise_code(&code.get_untracked()) else {
            problem.set(Some(i18n::t(l, Key::EnrolBadCode).to_owned()));
            return;
        };
        busy.set(true);
        problem.set(None);
        let body = enrol::request_body(&typed, &name.get_untracked());
        leptos::task::spawn_local(async move {
            let outcome = net::post_json(enrol::ENROL_URL, &body)
                .await
                .map(|r| enrol::classify(r.status, &r.body, r.retry_after));
            busy.set(false);
            let key = match outcome {
                // Enrolled: the PWA, which sends the queued answers as it starts.
                Ok(Enrolled::Done(e)) => match enrol::save(&LocalStore, &e) {
                    Ok(()) => return go_home(),
                    Err(_) => Key::StorageFull,
                },
                Ok(Enrolled::Refused(_)) => Key::EnrolRefused,
                Ok(Enrolled::TooMany(_)) => Key::EnrolTooMany,
                Ok(Enrolled::Failed(_)) => Key::EnrolFailed,
                Err(net::Offline) => Key::EnrolOffline,
            };
            problem.set(Some(i18n::t(lang.get_untracked(), key).to_owned()));
        });
    };
    let field = move |label: Key, testid: &'static str, value: AnySignal<String>| {
        view! {
            <label class="field">
                <span>{tx(lang, label)}</span>
                <input
                    {at("type", "text")}
                    data-testid={testid}
                    {at("autocomplete", "off")}
                    prop:value=r(move || value.get())
                    on:input=ev(move |ev| value.set(event_target_value(&ev)))
                />
            </label>
        }
        .into_any()
    };
    view! {
        <section class="enrol" data-testid="enrol-screen">
            <div class="runner-head">
                <h1>{tx(lang, Key::EnrolTitle)}</h1>
                <a {at("href", "/")} class="link" data-testid="home">{tx(lang, Key::BackHome)}</a>
            </div>
            <p class="hint">{tx(lang, Key::EnrolIntro)}</p>
            <form on:submit=ev_submit(move |ev| {
                ev.prevent_default();
                submit();
            })>
                {field(Key::EnrolCode, "enrol-code", code)}
                {field(Key::EnrolName, "enrol-name", name)}
                <button class="primary" {at("type", "submit")} data-testid="enrol-submit" {at("disabled", r(move || busy.get()))}>
                    {tx(lang, Key::EnrolSubmit)}
                </button>
            </form>
            {move || problem.get().map(|p| fact("notice", "enrol-error".into(), String::new(), p))}
        </section>
    }.into_any()
}

/// The status screen's part: whether this tablet is enrolled, as what, for which surveys, and
/// the way to enrol (again): a link to the enrol entry point.
pub fn enrolment_panel(l: UiLang) -> impl IntoView + use<> {
    let kept = enrol::load(&LocalStore);
    let (state, text) = match &kept {
        None => ("none", i18n::t(l, Key::EnrolNone).to_owned()),
        Some(e) if e.revoked => ("revoked", i18n::t(l, Key::EnrolRevoked).to_owned()),
        Some(e) => (
            "enrolled",
            format!("{} {}", i18n::t(l, Key::EnrolledAs), e.device.name),
        ),
    };
    let surveys = kept.map(|e| e.device.surveys.join(", ")).map(|s| {
        let text = format!("{}: {s}", i18n::t(l, Key::EnrolSurveys));
        fact("hint", "enrolment-surveys".into(), s, text)
    });
    let label = if state == "none" {
        Key::EnrolTitle
    } else {
        Key::EnrolAgain
    };
    view! {
        <section class="enrolment">
            {fact("", "enrolment".into(), state.to_owned(), text)}
            {surveys}
            <div class="actions">
                <a {at("href", enrol::ENROL_PATH)} class="link" data-testid="enrol-open">{i18n::t(l, label)}</a>
            </div>
        </section>
    }
    .into_any()
}

/// At `/enrol` with the network down: the service worker answered with the PWA (the enrol
/// entry is never kept offline), which says that enrolling needs the network, and the way home.
#[component]
pub fn EnrolOffline() -> impl IntoView {
    super::home::needs_network(Key::EnrolTitle, Key::EnrolOffline, "enrol-offline")
}
