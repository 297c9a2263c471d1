//! The PWA's root component: provides the state, starts the app, and shows the current screen,
//! or the kiosk while a classroom session runs. The document's `lang` and `dir` follow the
//! interface language (Arabic is right to left). The focus-group screens and the enrolment
//! screen are not among its screens: they are their own entry points at `/focus/`
//! (`components::FocusApp`) and `/enrol` (`components::EnrolApp`).

use crate::components::attrs::GlobalAttributes;
use crate::components::memo;
use leptos::prelude::*;

use crate::browser;
use crate::components::{
    Consent, EnrolOffline, FocusOffline, Home, KioskSetup, KioskView, RunnerView, StatusBar,
    StatusScreen, Thanks,
};
use crate::state::{AppState, Screen};

#[component]
pub fn App() -> impl IntoView {
    let app = AppState::provide();
    app.boot();
    crate::components::effect(move || {
        let lang = app.lang.get();
        browser::set_document_language(lang.code(), lang.dir());
    });
    let screen = move || match app.screen.get() {
        Screen::Home => view! { <Home/> }.into_any(),
        Screen::Running => view! { <RunnerView/> }.into_any(),
        Screen::Thanks { .. } => view! { <Thanks/> }.into_any(),
        Screen::Status => view! { <StatusScreen/> }.into_any(),
        Screen::FocusOffline => view! { <FocusOffline/> }.into_any(),
        Screen::Consent { survey } => match app.survey(&survey) {
            Some(survey) => view! { <Consent survey=survey/> }.into_any(),
            None => view! { <Home/> }.into_any(),
        },
        Screen::KioskSetup => view! { <KioskSetup/> }.into_any(),
        Screen::EnrolOffline => view! { <EnrolOffline/> }.into_any(),
    };
    // A memo: the session changes at every step, the tree only when kiosk mode starts or ends.
    let in_kiosk = memo(move || app.kiosk.with(Option::is_some));
    crate::components::rv(move || {
        if in_kiosk.get() {
            view! { <KioskView/> }.into_any()
        } else {
            view! {
                <StatusBar/>
                <main id="main">{crate::components::rv(screen)}</main>
            }
            .into_any()
        }
    })
}
