//! One survey's results: the filters, how many respondents they select, every question's
//! table and chart, the downloads, the cross-tab and the T0/T1 comparison.

use leptos::callback::Callback;
use leptos::prelude::*;
use voci_core::results::SurveyResults;

use super::compare::Compare;
use super::crosstab::Crosstab;
use super::downloads::Downloads;
use super::filters::{Filters, SiteOption};
use super::question::question;
use super::{count, failure_view, tr};
use crate::api;
use crate::i18n::{self, Key};
use crate::query::{self, Selection};
use crate::state::{Load, use_area};

#[component]
pub fn SurveyView(id: String) -> impl IntoView {
    let area = use_area();
    let lang = area.lang;
    let user = area.user();
    let scope = user.as_ref().map(|u| u.scope()).unwrap_or_default();
    let sees_raw = user.as_ref().is_some_and(|u| u.role.sees_raw());
    let found = area.catalog.with_untracked(|c| match c {
        Load::Ready(c) => {
            let survey = query::current(&c.surveys, &scope.surveys)
                .into_iter()
                .find(|s| s.id.as_str() == id)
                .cloned();
            let sites: Vec<SiteOption> = query::allowed_sites(&c.sites, &scope.sites)
                .into_iter()
                .map(|(depth, s)| (depth, s.id.to_string(), s.name.clone()))
                .collect();
            survey.map(|s| (s, query::versions(&c.surveys, &id), sites))
        }
        _ => None,
    });
    let back = move |_| area.close();
    let t = move |key| move || i18n::t(lang.get(), key);
    let Some((survey, versions, sites)) = found else {
        return view! {
            <section>
                <h1 tabindex="-1">{id}</h1>
                <button class="secondary" data-testid="back" on:click=back>{t(Key::BackToSurveys)}</button>
            </section>
        }
        .into_any();
    };
    let default = survey.default_language().to_owned();
    let selection = RwSignal::new(Selection::default());
    let results = RwSignal::new(Load::<SurveyResults>::Idle);
    let load = {
        let id = id.clone();
        move |sel: Selection| {
            let id = id.clone();
            results.set(Load::Loading);
            leptos::task::spawn_local(async move {
                match api::results(&id, &sel).await {
                    Ok(r) => results.set(Load::Ready(r)),
                    Err(f) => area.failed(f, |f| results.set(Load::Failed(f))),
                }
            });
        }
    };
    load(Selection::default());
    let on_apply = Callback::new(move |sel: Selection| {
        selection.set(sel.clone());
        load(sel);
    });
    let title = survey.title.clone();
    let d = default.clone();
    let heading = move || tr(&title, lang.get(), &d);
    let d = default.clone();
    let body = move || {
        let l = lang.get();
        results.with(|r| match r {
            Load::Idle | Load::Loading => {
                view! { <p class="info" data-testid="results-loading">{i18n::t(l, Key::Loading)}</p> }
                    .into_any()
            }
            Load::Failed(f) => failure_view(l, f, "results-error"),
            Load::Ready(r) => {
                let questions = r
                    .questions
                    .iter()
                    .map(|q| question(q, &r.respondents, l, &d))
                    .collect_view();
                view! {
                    <p class="respondents">
                        {i18n::t(l, Key::Respondents)}": "
                        <strong data-testid="respondents">{count(&r.respondents)}</strong>
                    </p>
                    <div class="questions" data-testid="results" data-threshold=r.threshold>
                        {questions}
                    </div>
                }
                .into_any()
            }
        })
    };
    // One short line for screen readers when results arrive, not the whole page.
    let said = move || {
        let l = lang.get();
        results.with(|r| match r {
            Load::Idle | Load::Loading => i18n::t(l, Key::Loading).to_owned(),
            Load::Failed(f) => super::failure(l, f),
            Load::Ready(r) => format!(
                "{}: {}",
                i18n::t(l, Key::Respondents),
                count(&r.respondents)
            ),
        })
    };
    let versions_for_compare = versions.clone();
    view! {
        <section class="survey-results" data-testid="survey-view" data-survey=id.clone()>
            <div class="runner-head">
                <h1 tabindex="-1" dir="auto">{heading}</h1>
                <button class="secondary small" data-testid="back" on:click=back>{t(Key::BackToSurveys)}</button>
            </div>
            <Filters sites=sites versions=versions on_apply=on_apply/>
            <p class="hint">{t(Key::HiddenNote)}</p>
            <p class="sr-only" role="status" aria-live="polite">{said}</p>
            <div class="results" aria-busy=move || matches!(results.get(), Load::Loading).to_string()>
                {body}
            </div>
            <Downloads survey=id.clone() selection=selection.into() sees_raw=sees_raw/>
            <Crosstab survey=survey.clone() selection=selection.into()/>
            <Compare
                survey=id.clone()
                default_language=default
                versions=versions_for_compare
                selection=selection.into()
            />
        </section>
    }
    .into_any()
}
