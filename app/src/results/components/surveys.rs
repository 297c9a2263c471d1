//! The surveys the signed-in user may read: one button per survey (its newest version), and
//! for admins the import of a tablet's exported file.

use leptos::prelude::*;

use super::import::Import;
use super::{failure_view, tr};
use crate::api::Role;
use crate::i18n::{self, Key};
use crate::query;
use crate::state::{Load, use_area};

#[component]
pub fn SurveyList() -> impl IntoView {
    let area = use_area();
    let lang = area.lang;
    let body = move || {
        let l = lang.get();
        let assigned = area.user().map(|u| u.scope().surveys).unwrap_or_default();
        area.catalog.with(|c| match c {
            Load::Idle | Load::Loading => {
                view! { <p class="info" role="status">{i18n::t(l, Key::Loading)}</p> }.into_any()
            }
            Load::Failed(f) => failure_view(l, f, "catalog-error"),
            Load::Ready(catalog) => {
                let surveys = query::current(&catalog.surveys, &assigned);
                if surveys.is_empty() {
                    return view! { <p class="info" data-testid="no-surveys">{i18n::t(l, Key::NoSurveys)}</p> }
                        .into_any();
                }
                let items = surveys
                    .into_iter()
                    .map(|s| {
                        let default = s.default_language();
                        let id = s.id.to_string();
                        let open = id.clone();
                        view! {
                            <li>
                                <button
                                    class="survey"
                                    data-testid=format!("open-{id}")
                                    on:click=move |_| area.open(open.clone())
                                >
                                    <span class="title">{tr(&s.title, l, default)}</span>
                                    {s.description.as_ref().map(|d| view! {
                                        <span class="description">{tr(d, l, default)}</span>
                                    })}
                                </button>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="surveys">{items}</ul> }.into_any()
            }
        })
    };
    view! {
        <section data-testid="survey-list">
            <h1 tabindex="-1">{move || i18n::t(lang.get(), Key::SurveysTitle)}</h1>
            {body}
            {move || area.user().is_some_and(|u| u.role == Role::Admin).then(|| view! { <Import/> })}
            <p><a class="link" href="/">{move || i18n::t(lang.get(), Key::BackToApp)}</a></p>
        </section>
    }
}
