//! Enrolling this tablet as a collection device: the screen (the code typed, or brought by the
//! admin's link `/enrol?code=...`) and the enrolment's panel on the status screen.
//!
//! What the code and the collector's answers mean is `crate::enrol`'s.

use leptos::callback::Callback;
use leptos::prelude::*;

use super::{action, fact, screen_head};
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
    let code = RwSignal::new(enrol::code_from_query(&search).unwrap_or_default());
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = Callback::new(move |()| {
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
    });
    let home = Callback::new(move |()| app.go_home());
    let field = move |label: Key, testid: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{move || i18n::t(lang.get(), label)}</span>
                <input
                    type="text"
                    data-testid=testid
                    autocomplete="off"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </label>
        }
    };
    view! {
        <section class="enrol" data-testid="enrol-screen">
            {move || screen_head(lang.get(), Key::EnrolTitle, home)}
            <p class="hint">{move || i18n::t(lang.get(), Key::EnrolIntro)}</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                submit.run(());
            }>
                {field(Key::EnrolCode, "enrol-code", code)}
                {field(Key::EnrolName, "enrol-name", name)}
                <button class="primary" type="submit" data-testid="enrol-submit" disabled=move || busy.get()>
                    {move || i18n::t(lang.get(), Key::EnrolSubmit)}
                </button>
            </form>
            {move || problem.get().map(|p| fact("notice", "enrol-error".into(), String::new(), p))}
        </section>
    }
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
    let open = Callback::new(move |()| app.screen.set(Screen::Enrol));
    view! {
        <section class="enrolment">
            {fact("", "enrolment".into(), state.to_owned(), text)}
            {surveys}
            <div class="actions">
                {action("secondary", "enrol-open", i18n::t(l, label).to_owned(), open)}
            </div>
        </section>
    }
}
