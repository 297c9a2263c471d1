//! The root: the bar (who is signed in, sign out, languages) and the screen: sign-in, the
//! survey list, or one survey's results. The document's `lang` and `dir` follow the language.

use leptos::prelude::*;

use super::sign_in::SignIn;
use super::survey::SurveyView;
use super::surveys::SurveyList;
use super::{focus_heading, role};
use crate::i18n::{self, Key, Lang};
use crate::state::{Area, Session};

#[component]
pub fn App() -> impl IntoView {
    let area = Area::provide();
    area.boot();
    Effect::new(move |_| {
        let lang = area.lang.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
            let _ = html.set_attribute("dir", lang.dir());
        }
        document().set_title(i18n::t(lang, Key::Title));
    });
    // Redrawn when someone signs in or out, or another survey opens; not at each keystroke.
    let signed_in = Memo::new(move |_| area.session.with(|s| matches!(s, Session::SignedIn(_))));
    let checking = Memo::new(move |_| area.session.with(|s| matches!(s, Session::Checking)));
    let survey = Memo::new(move |_| area.survey.get());
    // The language is read by each text, not here: switching it keeps filters and results.
    let screen = move || {
        if checking.get() {
            let text = move || i18n::t(area.lang.get(), Key::Loading);
            return view! { <p class="info" role="status">{text}</p> }.into_any();
        }
        if !signed_in.get() {
            return view! { <SignIn/> }.into_any();
        }
        focus_heading();
        match survey.get() {
            Some(id) => view! { <SurveyView id=id/> }.into_any(),
            None => view! { <SurveyList/> }.into_any(),
        }
    };
    view! {
        <Bar/>
        <main id="main" class="results-area">{screen}</main>
    }
}

/// The top bar: the area's name, who is signed in and the way out, the language switch.
#[component]
fn Bar() -> impl IntoView {
    let area = crate::state::use_area();
    let lang = area.lang;
    let who = move || {
        let l = lang.get();
        area.session.with(|s| match s {
            Session::SignedIn(u) => {
                let text = i18n::signed_in_as(l, &u.name, role(l, u.role));
                view! {
                    <span class="who" data-testid="signed-in" data-role=format!("{:?}", u.role).to_lowercase()>
                        {text}
                    </span>
                    <button class="secondary small" data-testid="sign-out" on:click=move |_| area.sign_out()>
                        {i18n::t(l, Key::SignOut)}
                    </button>
                }
                .into_any()
            }
            _ => ().into_any(),
        })
    };
    let languages = Lang::ALL.map(|l| {
        view! {
            <button
                class="lang"
                data-testid=format!("lang-{}", l.code())
                lang=l.code()
                title=l.name()
                aria-pressed=move || (lang.get() == l).to_string()
                on:click=move |_| area.set_lang(l)
            >
                {l.code().to_uppercase()}
            </button>
        }
    });
    view! {
        <header class="bar">
            <span class="brand">{move || i18n::t(lang.get(), Key::Title)}</span>
            <span class="spacer"></span>
            {who}
            <span class="langs" role="group" aria-label=move || i18n::t(lang.get(), Key::Language)>
                {languages}
            </span>
        </header>
    }
}
