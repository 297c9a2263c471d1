//! A repeated section: its instances, each a group of the section's questions answered on its
//! own, with "add another" and "remove this one" when the respondent decides how many (a
//! `repeat_count` sets them instead).
//!
//! The questions inside are the ordinary [`QuestionView`], keyed per instance
//! (`<question>--<n>`, see [`crate::runner::instance_key`]), so their test ids are
//! `q-<question>--<n>...`. Test ids: `instance-<n>` an instance (from 1), `instance-<n>-remove`
//! its remove button, `instance-add` the add button.

use crate::components::{
    CollectAny, at, attrs::GlobalAttributes, click, memo, question::QuestionView, tr,
};
use leptos::prelude::*;
use voci_core::{Question, QuestionKind, Section};
use wasm_bindgen::JsCast;

use crate::browser;
use crate::i18n::{self, InstanceAction};
use crate::runner::Runner;
use crate::state::use_app;

#[component]
pub fn RepeatView(index: usize, section: Section, default: String) -> impl IntoView {
    let app = use_app();
    let (lang, runner) = (app.lang, app.runner);
    let count = memo(move || runner.with(|r| r.as_ref().map_or(0, |r| r.instance_count(index))));
    let fixed = runner.with_untracked(|r| r.as_ref().is_some_and(|r| r.fixed_count(index)));
    let name = {
        let (title, id, default) = (
            section.title.clone(),
            section.id.to_string(),
            default.clone(),
        );
        memo(move || {
            title
                .as_ref()
                .map_or_else(|| id.clone(), |t| tr(t, lang.get(), &default))
        })
    };
    let questions = section.questions;
    let instances = move || {
        let n = count.get();
        (0..n)
            .map(|k| {
                let legend = move || i18n::instance_of(lang.get(), &name.get(), k + 1, n);
                let drawn = questions
                    .iter()
                    .filter(|q| {
                        q.row_of.is_none() && !matches!(q.kind, QuestionKind::Calculate { .. })
                    })
                    .map(|q| {
                        let rows: Vec<Question> = questions
                            .iter()
                            .filter(|row| row.row_of.as_ref() == Some(&q.id))
                            .map(|row| Runner::instance_question(row, k))
                            .collect();
                        let question = Runner::instance_question(q, k);
                        view! { <QuestionView question rows default=default.clone()/> }.into_any()
                    })
                    .collect_any();
                let remove = move |_| {
                    let ask = i18n::instance_action(lang.get_untracked(), InstanceAction::Confirm, &legend());
                    if browser::confirm(&ask) {
                        let mut removed = false;
                        app.edit(|r| removed = r.remove_instance(index, k));
                        if removed {
                            focus_later("instance-add".to_owned());
                        }
                    }
                };
                view! {
                    <fieldset class="instance" id=format!("instance-{}", k + 1) tabindex="-1"
                        data-testid=format!("instance-{}", k + 1)>
                        <legend>{crate::components::rv(legend)}</legend>
                        {drawn}
                        {(!fixed).then(|| view! {
                            <button {at("type", "button")} class="secondary small"
                                data-testid=format!("instance-{}-remove", k + 1) on:click=click(remove)>
                                {move || i18n::instance_action(lang.get(), InstanceAction::Remove, &legend())}
                            </button>
                        }.into_any())}
                    </fieldset>
                }.into_any()
            })
            .collect_any()
    };
    let add = move |_| {
        let mut added = false;
        app.edit(|r| added = r.add_instance(index));
        if added {
            // The new instance's group takes the focus, so a screen reader says which it is.
            focus_later(format!("instance-{}", count.get_untracked()));
        }
    };
    view! {
        <div class="repeat">
            {crate::components::rv(instances)}
            {(!fixed).then(|| view! {
                <button {at("type", "button")} class="secondary" id="instance-add" data-testid="instance-add"
                    on:click=click(add)>
                    {move || i18n::instance_action(lang.get(), InstanceAction::Add, &name.get())}
                </button>
            }.into_any())}
        </div>
    }
    .into_any()
}

/// Focuses the element with this id once the page is drawn again.
fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id)
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    });
}
