//! The root component: provides the state, starts the app, and shows the current screen.

use leptos::prelude::*;

use crate::components::{Home, ImportScreen, RunnerView, StatusBar, StatusScreen, Thanks};
use crate::state::{AppState, Screen};

#[component]
pub fn App() -> impl IntoView {
    let app = AppState::provide();
    app.boot();
    let screen = move || match app.screen.get() {
        Screen::Home => view! { <Home/> }.into_any(),
        Screen::Running => view! { <RunnerView/> }.into_any(),
        Screen::Thanks { .. } => view! { <Thanks/> }.into_any(),
        Screen::Status => view! { <StatusScreen/> }.into_any(),
        Screen::Import => view! { <ImportScreen/> }.into_any(),
    };
    view! {
        <StatusBar/>
        <main id="main">{screen}</main>
    }
}
