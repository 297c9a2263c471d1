//! One question: its label, hint, input for its kind, and its error message.
//!
//! Inputs show the answer held by the runner when they are built; after that the runner follows
//! the inputs (text fields are never overwritten while someone types in them).

use leptos::prelude::*;
use voci_core::{Answer, Choice, Question, QuestionId, QuestionKind, Text};

use super::tr;
use crate::i18n::{self, UiLang};
use crate::runner::{input_text, number_answer};
use crate::state::{AppState, use_app};

#[component]
pub fn QuestionView(question: Question, default: String) -> impl IntoView {
    let app = use_app();
    let id = question.id.to_string();
    let ctx = Ctx {
        app,
        qid: question.id.clone(),
        default,
        required: question.required && question.kind.takes_answer(),
    };
    let label = ctx.text(&question.label).into_any();
    let hint = question.hint.as_ref().map(|h| {
        let text = ctx.text(h);
        view! { <p class="hint" id=format!("q-{id}-hint")>{text}</p> }.into_any()
    });
    let body = match &question.kind {
        // Computed, never shown.
        QuestionKind::Calculate { .. } => ().into_any(),
        // The head of a grid: its rows follow as likert questions.
        QuestionKind::Matrix { .. } => {
            view! { <p class="note matrix-head">{label}</p> {hint} }.into_any()
        }
        // Not yet drawn by this version of the app (issue 3).
        QuestionKind::Ranking { .. } | QuestionKind::Acknowledge => {
            view! { <p class="note">{label}</p> {hint} }.into_any()
        }
        QuestionKind::Note => view! {
            <p class="note">{label}</p>
            {hint}
        }
        .into_any(),
        QuestionKind::Single { choices } => ctx.radios(label, hint, choices, false),
        QuestionKind::Likert { choices } => ctx.radios(label, hint, choices, true),
        QuestionKind::Multiple { choices, max, .. } => ctx.checkboxes(label, hint, choices, *max),
        QuestionKind::Integer { min, max } => {
            let limits = (min.map(|m| m.to_string()), max.map(|m| m.to_string()));
            ctx.number(label, hint, limits, "1", "numeric")
        }
        QuestionKind::Number { min, max } => {
            let limits = (min.map(|m| m.to_string()), max.map(|m| m.to_string()));
            ctx.number(label, hint, limits, "any", "decimal")
        }
        QuestionKind::Text { max_length } => ctx.text_input(label, hint, "text", *max_length),
        QuestionKind::LongText { max_length } => ctx.textarea(label, hint, *max_length),
        QuestionKind::Date => ctx.text_input(label, hint, "date", None),
    };
    view! {
        <div class="question" data-testid=format!("q-{id}")>
            {body}
        </div>
    }
}

/// What every part of one question needs.
#[derive(Clone)]
struct Ctx {
    app: AppState,
    qid: QuestionId,
    default: String,
    required: bool,
}

impl Ctx {
    fn id(&self) -> String {
        self.qid.to_string()
    }

    fn lang(&self) -> RwSignal<UiLang> {
        self.app.lang
    }

    /// A survey text that follows the language switch.
    fn text(&self, text: &Text) -> impl Fn() -> String + Send + Sync + Clone + 'static {
        let (text, default, lang) = (text.clone(), self.default.clone(), self.lang());
        move || tr(&text, lang.get(), &default)
    }

    /// The answer as the runner holds it now, for building an input.
    fn initial(&self) -> String {
        let q = self.id();
        self.app
            .runner
            .with_untracked(|r| input_text(r.as_ref().and_then(|r| r.answer(&q))))
    }

    fn set(&self, answer: Option<Answer>) {
        let qid = self.qid.clone();
        self.app.edit(move |r| r.set_answer(&qid, answer));
    }

    fn required_mark(&self) -> impl IntoView + use<> {
        self.required
            .then(|| view! { <span class="required" aria-hidden="true">" *"</span> })
    }

    /// The problem shown for this question, if any (a memo, so the alert is not rebuilt on
    /// every keystroke).
    fn error(&self) -> Memo<Option<voci_core::Problem>> {
        let (runner, q) = (self.app.runner, self.id());
        Memo::new(move |_| runner.with(|r| r.as_ref().and_then(|r| r.error(&q).cloned())))
    }

    fn error_view(&self, error: Memo<Option<voci_core::Problem>>) -> impl IntoView + use<> {
        let (id, lang) = (self.id(), self.lang());
        move || {
            error.get().map(|p| {
                view! {
                    <p class="error" role="alert" id=format!("error-{id}") data-testid=format!("error-{id}")>
                        {move || i18n::problem(lang.get(), &p)}
                    </p>
                }
            })
        }
    }

    fn described_by(&self, has_hint: bool) -> String {
        let id = self.id();
        if has_hint {
            format!("q-{id}-hint error-{id}")
        } else {
            format!("error-{id}")
        }
    }

    fn radios(
        &self,
        label: AnyView,
        hint: Option<AnyView>,
        choices: &[Choice],
        likert: bool,
    ) -> AnyView {
        let id = self.id();
        let error = self.error();
        let described = self.described_by(hint.is_some());
        let inputs = choices
            .iter()
            .map(|c| {
                let cid = c.id.to_string();
                let input_id = format!("q-{id}-{cid}");
                let (label_for, testid) = (input_id.clone(), input_id.clone());
                let (runner, q, this_choice) = (self.app.runner, id.clone(), cid.clone());
                let checked = move || {
                    runner.with(|r| {
                        matches!(r.as_ref().and_then(|r| r.answer(&q)), Some(Answer::Text(a)) if *a == this_choice)
                    })
                };
                let ctx = self.clone();
                let choice = cid.clone();
                view! {
                    <label class="choice" for=label_for>
                        <input
                            type="radio"
                            id=input_id
                            name=format!("q-{id}")
                            value=cid
                            data-testid=testid
                            prop:checked=checked
                            on:change=move |_| ctx.set(Some(Answer::Text(choice.clone())))
                        />
                        <span>{self.text(&c.label)}</span>
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset
                role="radiogroup"
                aria-describedby=described
                aria-required=self.required.to_string()
                aria-invalid=move || error.with(Option::is_some).to_string()
            >
                <legend>{label}{self.required_mark()}</legend>
                {hint}
                <div class=if likert { "choices likert" } else { "choices" }>{inputs}</div>
                {self.error_view(error)}
            </fieldset>
        }
        .into_any()
    }

    fn checkboxes(
        &self,
        label: AnyView,
        hint: Option<AnyView>,
        choices: &[Choice],
        max: Option<u32>,
    ) -> AnyView {
        let id = self.id();
        let error = self.error();
        let described = self.described_by(hint.is_some());
        let lang = self.lang();
        let inputs = choices
            .iter()
            .map(|c| {
                let cid = c.id.to_string();
                let input_id = format!("q-{id}-{cid}");
                let (label_for, testid) = (input_id.clone(), input_id.clone());
                let (runner, q, this_choice) = (self.app.runner, id.clone(), cid.clone());
                let checked = move || {
                    runner.with(|r| {
                        matches!(r.as_ref().and_then(|r| r.answer(&q)), Some(Answer::Choices(a)) if a.contains(&this_choice))
                    })
                };
                let q = id.clone();
                let full = move || runner.with(|r| r.as_ref().is_some_and(|r| r.at_max(&q)));
                let checked_now = checked.clone();
                let ctx = self.clone();
                let choice = cid.clone();
                view! {
                    <label class="choice" for=label_for>
                        <input
                            type="checkbox"
                            id=input_id
                            value=cid
                            data-testid=testid
                            prop:checked=checked
                            prop:disabled=move || full() && !checked_now()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let qid = ctx.qid.clone();
                                ctx.app.edit(|r| r.toggle_choice(&qid, &choice, on));
                            }
                        />
                        <span>{self.text(&c.label)}</span>
                    </label>
                }
            })
            .collect_view();
        let limit = max.map(|m| {
            view! { <p class="hint limit">{move || i18n::choose_at_most(lang.get(), m)}</p> }
        });
        view! {
            <fieldset
                aria-describedby=described
                aria-invalid=move || error.with(Option::is_some).to_string()
            >
                <legend>{label}{self.required_mark()}</legend>
                {hint}
                {limit}
                <div class="choices">{inputs}</div>
                {self.error_view(error)}
            </fieldset>
        }
        .into_any()
    }

    fn number(
        &self,
        label: AnyView,
        hint: Option<AnyView>,
        (min, max): (Option<String>, Option<String>),
        step: &'static str,
        inputmode: &'static str,
    ) -> AnyView {
        let id = self.id();
        let error = self.error();
        let ctx = self.clone();
        view! {
            <label for=format!("q-{id}-input")>{label}{self.required_mark()}</label>
            {hint}
            <input
                type="number"
                id=format!("q-{id}-input")
                data-testid=format!("q-{id}-input")
                step=step
                inputmode=inputmode
                min=min
                max=max
                prop:value=self.initial()
                aria-describedby=self.described_by(true)
                aria-required=self.required.to_string()
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:input=move |ev| ctx.set(number_answer(&event_target_value(&ev)))
            />
            {self.error_view(error)}
        }
        .into_any()
    }

    /// One-line text and dates (`YYYY-MM-DD`, which is what a date input gives).
    fn text_input(
        &self,
        label: AnyView,
        hint: Option<AnyView>,
        kind: &'static str,
        max_length: Option<u32>,
    ) -> AnyView {
        let id = self.id();
        let error = self.error();
        let ctx = self.clone();
        view! {
            <label for=format!("q-{id}-input")>{label}{self.required_mark()}</label>
            {hint}
            <input
                type=kind
                id=format!("q-{id}-input")
                data-testid=format!("q-{id}-input")
                maxlength=max_length.map(|m| m.to_string())
                prop:value=self.initial()
                aria-describedby=self.described_by(true)
                aria-required=self.required.to_string()
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:input=move |ev| ctx.set(Some(Answer::Text(event_target_value(&ev))))
            />
            {self.error_view(error)}
        }
        .into_any()
    }

    fn textarea(&self, label: AnyView, hint: Option<AnyView>, max_length: Option<u32>) -> AnyView {
        let id = self.id();
        let error = self.error();
        let ctx = self.clone();
        view! {
            <label for=format!("q-{id}-input")>{label}{self.required_mark()}</label>
            {hint}
            <textarea
                id=format!("q-{id}-input")
                data-testid=format!("q-{id}-input")
                rows="4"
                maxlength=max_length.map(|m| m.to_string())
                prop:value=self.initial()
                aria-describedby=self.described_by(true)
                aria-required=self.required.to_string()
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:input=move |ev| ctx.set(Some(Answer::Text(event_target_value(&ev))))
            ></textarea>
            {self.error_view(error)}
        }
        .into_any()
    }
}
