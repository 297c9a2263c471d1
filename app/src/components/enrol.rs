//! Enrolling this tablet as a collection device: the screen (the code typed, or brought by the
//! admin's link `/enrol?code=...`) and the enrolment's panel on the status screen.
//!
//! What the code and the collector's answers mean is `crate::enrol`'s.

use leptos::prelude::*;

use crate::components::{AnySignal, at, button, click, ev, ev_submit, fact, r, screen_head, tx};
use crate::enrol::{self, Enrolled};
use crate::i18n::{self, Key, UiLang};
use crate::net;
use crate::state::{AppState, Screen, use_app};
use crate::storage::LocalStore;

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
                Ok(Enrolled::Done(e)) => match enrol::save(&LocalStore, &e) {
                    Ok(()) => return enrolled(app),
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
            {move || screen_head(app, lang.get(), Key::EnrolTitle)}
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

/// After a successful enrolment: the link's address goes (a reload must not enrol again), the
/// queued answers go out, and the status screen shows the enrolment.
fn enrolled(app: AppState) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
    }
    app.sync.trigger();
    app.screen.set(Screen::Status);
}

/// The status screen's part: whether this tablet is enrolled, as what, for which surveys, and
/// the way to enrol (again).
pub fn enrolment_panel(app: AppState, l: UiLang) -> impl IntoView + use<> {
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
    let open = click(move |_| app.screen.set(Screen::Enrol));
    view! {
        <section class="enrolment">
            {fact("", "enrolment".into(), state.to_owned(), text)}
            {surveys}
            <div class="actions">
                {button("secondary", "enrol-open", i18n::t(l, label), open)}
            </div>
        </section>
    }
    .into_any()
}
