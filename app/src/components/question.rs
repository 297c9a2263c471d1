//! One question as the respondent sees it: its label, hint, the control for its kind, and its
//! message. Shown only while the survey's logic shows it.
//!
//! Controls show the answer held by the runner when they are built; after that the runner follows
//! them (text fields are never overwritten while someone types in them). Choice lists follow the
//! runner: a choice filter or a ranking move redraws them.
//!
//! Test ids: `q-<id>` the question; `q-<id>-<choice>` a radio or checkbox; `q-<id>-input` a
//! field or the acknowledge box; `q-<id>-<choice>-up` / `-down` a ranking's buttons, `q-<id>-keep`
//! to take a ranking as shown; `error-<id>` the message. A matrix row is a question of its own
//! (`q-<row>`, `q-<row>-<point>`).

use crate::components::{
    AnyMemo, AnySignal, CollectAny, R, Show, at,
    attrs::{AriaAttributes, GlobalAttributes},
    click, ev, fixed, memo, r, rv, tr, tx,
};
use leptos::prelude::*;
use voci_core::{Answer, Choice, Problem, Question, QuestionId, QuestionKind, Text, num};
use wasm_bindgen::JsCast;

use crate::i18n::{self, Key, UiLang};
use crate::runner::{Runner, input_text, number_answer};
use crate::state::{AppState, use_app};

/// A question, with the rows that follow it when it is a matrix.
#[component]
pub fn QuestionView(question: Question, rows: Vec<Question>, default: String) -> impl IntoView {
    let app = use_app();
    let id = question.id.to_string();
    let shown = memo(move || {
        app.runner
            .with(|r| r.as_ref().is_some_and(|r| r.shown(&id)))
    });
    let testid = format!("q-{}", question.id);
    let read_only = question.read_only;
    let body = move || {
        let ctx = Ctx::new(app, &question, &default);
        match &question.kind {
            QuestionKind::Note => {
                let hint = ctx.hint();
                view! { <p class="note">{ctx.text(&question.label)}</p> {hint} }.into_any()
            }
            QuestionKind::Calculate { .. } => ().into_any(),
            QuestionKind::Matrix { choices } => ctx.matrix(choices, &rows, &default),
            QuestionKind::Single { .. } | QuestionKind::Likert { .. } => ctx.radios("choices"),
            QuestionKind::Multiple { max, .. } => ctx.checkboxes(*max),
            QuestionKind::Ranking { .. } => ctx.ranking(),
            QuestionKind::Acknowledge => ctx.acknowledge(),
            QuestionKind::Integer { min, max } => ctx.field(Field::Number {
                min: min.map(|m| m.to_string()),
                max: max.map(|m| m.to_string()),
                step: "1".into(),
                mode: "numeric",
            }),
            QuestionKind::Number { min, max } => ctx.field(Field::Number {
                min: min.map(num::format),
                max: max.map(num::format),
                step: "any".into(),
                mode: "decimal",
            }),
            QuestionKind::Range { min, max, step } => ctx.field(Field::Number {
                min: Some(num::format(*min)),
                max: Some(num::format(*max)),
                step: num::format(*step),
                mode: "decimal",
            }),
            QuestionKind::Text { max_length } => ctx.field(Field::Line("text", *max_length)),
            QuestionKind::LongText { max_length } => ctx.field(Field::Lines(*max_length)),
            // Date inputs give `YYYY-MM-DD`, time inputs `HH:MM`, datetime-local
            // `YYYY-MM-DDTHH:MM`: what the core accepts.
            QuestionKind::Date => ctx.field(Field::Line("date", None)),
            QuestionKind::Time => ctx.field(Field::Line("time", None)),
            QuestionKind::DateTime => ctx.field(Field::Line("datetime-local", None)),
        }
    };
    view! {
        <Show when=move || shown.get()>
            <div class="question" data-testid=testid.clone()>
                // A read-only question shows its answer in controls that cannot change it.
                {if read_only {
                    view! { <fieldset class="read-only" {at("disabled", true)}>{untrack(&body)}</fieldset> }.into_any()
                } else {
                    untrack(&body)
                }}
            </div>
        </Show>
    }.into_any()
}

/// The input of a question typed in rather than picked.
enum Field {
    Number {
        min: Option<String>,
        max: Option<String>,
        step: String,
        mode: &'static str,
    },
    /// An `<input>` of this type, with an optional length limit.
    Line(&'static str, Option<u32>),
    /// A `<textarea>`.
    Lines(Option<u32>),
}

/// What every part of one question needs.
#[derive(Clone)]
struct Ctx {
    app: AppState,
    question: Question,
    default: String,
}

impl Ctx {
    fn new(app: AppState, question: &Question, default: &str) -> Self {
        Self {
            app,
            question: question.clone(),
            default: default.to_owned(),
        }
    }

    fn id(&self) -> String {
        self.question.id.to_string()
    }

    fn qid(&self) -> QuestionId {
        self.question.id.clone()
    }

    fn lang(&self) -> RwSignal<UiLang> {
        self.app.lang
    }

    /// Reads the runner (`None` before one is running).
    fn read<T: 'static, F: Fn(&Runner) -> T + Send + Sync + 'static>(
        &self,
        f: F,
    ) -> impl Fn() -> Option<T> + Send + Sync + Clone + 'static + use<T, F> {
        let runner = self.app.runner;
        let f = std::sync::Arc::new(f);
        move || runner.with(|r| r.as_ref().map(|r| f(r)))
    }

    /// A survey text that follows the language switch.
    fn text(&self, text: &Text) -> R<String> {
        let (text, default, lang) = (text.clone(), self.default.clone(), self.lang());
        r(move || tr(&text, lang.get(), &default))
    }

    fn hint(&self) -> Option<impl IntoView + use<>> {
        let id = self.id();
        self.question.hint.as_ref().map(|h| {
            let text = self.text(h);
            view! { <p class="hint" id=format!("q-{id}-hint")>{text}</p> }.into_any()
        })
    }

    /// The answer as the runner holds it now, for building an input.
    fn initial(&self) -> String {
        let q = self.id();
        self.app
            .runner
            .with_untracked(|r| input_text(r.as_ref().and_then(|r| r.answer(&q))))
    }

    fn set(&self, answer: Option<Answer>) {
        let qid = self.qid();
        self.app.edit(move |r| r.set_answer(&qid, answer));
    }

    /// Checks the answer as the respondent leaves the field.
    fn touch(&self) {
        let qid = self.qid();
        self.app.edit(move |r| r.touch(&qid));
    }

    /// Whether an answer is needed now (required-if follows the other answers).
    fn required(&self) -> AnyMemo<bool> {
        let q = self.id();
        let read = self.read(move |r| r.required(&q));
        memo(move || read().unwrap_or(false))
    }

    fn label(&self, required: AnyMemo<bool>) -> impl IntoView + use<> {
        let text = self.text(&self.question.label);
        view! {
            {text}
            <Show when=move || required.get()>
                <span class="required" aria-hidden="true">" *"</span>
            </Show>
        }
        .into_any()
    }

    /// The problem shown for this question, if any (a memo, so the alert is not rebuilt on
    /// every keystroke).
    fn error(&self) -> AnyMemo<Option<Problem>> {
        let q = self.id();
        let read = self.read(move |r| r.error(&q).cloned());
        memo(move || read().flatten())
    }

    /// The message: the survey's own for a failed constraint or a missing required answer,
    /// else the app's.
    fn error_view(&self, error: AnyMemo<Option<Problem>>) -> impl IntoView + use<> {
        let (id, lang) = (self.id(), self.lang());
        let own = self.question.constraint_message.clone();
        let own_required = self.question.required_message.clone();
        let default = self.default.clone();
        let message = move || {
            error.get().map(|p| match (&p, &own, &own_required) {
                (Problem::Constraint, Some(m), _) | (Problem::Required, _, Some(m)) => {
                    tr(m, lang.get(), &default)
                }
                _ => i18n::problem(lang.get(), &p),
            })
        };
        rv(move || {
            message().map(|text| {
                view! {
                    <p class="error" role="alert" id=format!("error-{id}") data-testid=format!("error-{id}")>
                        {text}
                    </p>
                }.into_any()
            })
        })
    }

    fn described_by(&self) -> String {
        let id = self.id();
        if self.question.hint.is_some() {
            format!("q-{id}-hint error-{id}")
        } else {
            format!("error-{id}")
        }
    }

    /// The choices offered now, in this respondent's order.
    fn offered(&self) -> AnyMemo<Vec<Choice>> {
        let q = self.question.clone();
        let read = self.read(move |r| r.choices(&q));
        memo(move || read().unwrap_or_default())
    }

    /// One choice from a list: single, likert, and each row of a matrix (`class` tells them
    /// apart).
    fn radios(&self, class: &'static str) -> AnyView {
        let (id, error, required) = (self.id(), self.error(), self.required());
        let offered = self.offered();
        let ctx = self.clone();
        let inputs = rv(move || {
            offered
                .get()
                .into_iter()
                .map(|c| {
                    let cid = c.id.to_string();
                    let input_id = format!("q-{}-{cid}", ctx.id());
                    let q = ctx.id();
                    let this = cid.clone();
                    let checked = ctx
                        .read(move |r| matches!(r.answer(&q), Some(Answer::Text(a)) if *a == this));
                    let pick = ctx.clone();
                    let choice = cid.clone();
                    let (label_for, testid) = (input_id.clone(), input_id.clone());
                    view! {
                        <label class="choice" {at("for", label_for)}>
                            <input
                                {at("type", "radio")}
                                id={testid}
                                {at("name", format!("q-{}", ctx.id()))}
                                {at("value", cid)}
                                data-testid=input_id
                                prop:checked=r(move || checked().unwrap_or(false))
                                on:change=ev(move |_| pick.set(Some(Answer::Text(choice.clone()))))
                            />
                            <span>{ctx.text(&c.label)}</span>
                        </label>
                    }
                    .into_any()
                })
                .collect_any()
        });
        let class =
            if matches!(self.question.kind, QuestionKind::Likert { .. }) && class == "choices" {
                "choices likert"
            } else {
                class
            };
        view! {
            <fieldset
                role="radiogroup"
                aria-describedby=self.described_by()
                aria-required=r(move || required.get().to_string())
                aria-invalid=r(move || error.with(Option::is_some).to_string())
            >
                <legend id=format!("q-{id}-label")>{self.label(required)}</legend>
                {self.hint()}
                <div class=class>{inputs}</div>
                {self.error_view(error)}
            </fieldset>
        }
        .into_any()
    }

    /// Any number of choices, up to the question's maximum: a tick beyond it is refused and
    /// the message says why.
    fn checkboxes(&self, max: Option<u32>) -> AnyView {
        let (error, required, lang) = (self.error(), self.required(), self.lang());
        let offered = self.offered();
        let ctx = self.clone();
        let inputs = rv(move || {
            offered
                .get()
                .into_iter()
                .map(|c| {
                    let cid = c.id.to_string();
                    let input_id = format!("q-{}-{cid}", ctx.id());
                    let q = ctx.id();
                    let this = cid.clone();
                    let checked = ctx.read(move |r| {
                        matches!(r.answer(&q), Some(Answer::Choices(a)) if a.contains(&this))
                    });
                    let tick = ctx.clone();
                    let choice = cid.clone();
                    let (label_for, testid) = (input_id.clone(), input_id.clone());
                    view! {
                        <label class="choice" {at("for", label_for)}>
                            <input
                                {at("type", "checkbox")}
                                id={testid}
                                {at("value", cid)}
                                data-testid=input_id
                                prop:checked=r(move || checked().unwrap_or(false))
                                on:change=ev(move |ev| {
                                    let on = event_target_checked(&ev);
                                    let qid = tick.qid();
                                    let mut taken = true;
                                    tick.app.edit(|r| taken = r.toggle_choice(&qid, &choice, on));
                                    if !taken {
                                        event_target::<web_sys::HtmlInputElement>(&ev).set_checked(false);
                                    }
                                })
                            />
                            <span>{ctx.text(&c.label)}</span>
                        </label>
                    }.into_any()
                })
                .collect_any()
        });
        let limit = max.map(|m| {
            view! { <p class="hint limit">{r(move || i18n::choose_at_most(lang.get(), m))}</p> }
                .into_any()
        });
        view! {
            <fieldset
                aria-describedby=self.described_by()
                aria-invalid=r(move || error.with(Option::is_some).to_string())
            >
                <legend>{self.label(required)}</legend>
                {self.hint()}
                {limit}
                <div class="choices">{inputs}</div>
                {self.error_view(error)}
            </fieldset>
        }
        .into_any()
    }

    /// A grid of statements on one scale: the scale once as column heads (for sighted users on
    /// a wide screen), then a radio group per row labelled by the row.
    fn matrix(&self, scale: &[Choice], rows: &[Question], default: &str) -> AnyView {
        let heads = scale
            .iter()
            .map(|c| view! { <span>{self.text(&c.label)}</span> }.into_any())
            .collect_any();
        let rows = rows
            .iter()
            .map(|row| {
                let ctx = Ctx::new(self.app, row, default);
                view! { <div class="matrix-row" data-testid=format!("q-{}", row.id)>{ctx.radios("choices matrix-points")}</div> }.into_any()
            })
            .collect_any();
        view! {
            <fieldset class="matrix">
                <legend>{self.text(&self.question.label)}</legend>
                {self.hint()}
                <div class="matrix-scale" aria-hidden="true">{heads}</div>
                {rows}
            </fieldset>
        }
        .into_any()
    }

    /// Every item put in order with up and down buttons (keyboard and touch alike); the
    /// respondent's order is the answer. Focus follows the moved item, and its new place is
    /// announced.
    fn ranking(&self) -> AnyView {
        let (id, error, required, lang) = (self.id(), self.error(), self.required(), self.lang());
        let question = self.question.clone();
        let read = self.read(move |r| r.ranking(&question));
        let items = memo(move || read().unwrap_or_default());
        let q = id.clone();
        let answered = self.read(move |r| r.answer(&q).is_some());
        let said = AnySignal::new(String::new());
        let ctx = self.clone();
        let list = rv(move || {
            let all = items.get();
            let n = all.len();
            all.into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let cid = c.id.to_string();
                    let base = format!("q-{}-{cid}", ctx.id());
                    let label = ctx.text(&c.label);
                    let button = |delta: isize, key: Key, arrow: &'static str, off: bool| {
                        let (mv, choice, label) = (ctx.clone(), cid.clone(), label.clone());
                        let name = r(move || format!("{}: {}", i18n::t(lang.get(), key), label()));
                        let bid = format!("{base}-{}", if delta < 0 { "up" } else { "down" });
                        view! {
                            <button {at("type", "button")} class="rank-move" id=bid.clone() data-testid=bid
                                aria-label={name} {at("disabled", off)}
                                on:click=click(move |_| mv.move_item(&choice, delta, n, said))>
                                {arrow}
                            </button>
                        }.into_any()
                    };
                    view! {
                        <li class="rank-item" data-testid=base.clone() data-rank=(i + 1).to_string()>
                            <span class="rank-pos" aria-hidden="true">{i + 1}</span>
                            <span class="rank-label">{label.clone()}</span>
                            {button(-1, Key::RankUp, "▲", i == 0)}
                            {button(1, Key::RankDown, "▼", i + 1 == n)}
                        </li>
                    }.into_any()
                })
                .collect_any()
        });
        let keep = self.clone();
        view! {
            <fieldset
                aria-describedby=self.described_by()
                aria-invalid=r(move || error.with(Option::is_some).to_string())
            >
                <legend>{self.label(required)}</legend>
                {self.hint()}
                <p class="hint">{tx(lang, Key::RankHint)}</p>
                <ol class="ranking">{list}</ol>
                <Show when=move || !answered().unwrap_or(true)>
                    <button {at("type", "button")} class="secondary small" data-testid=format!("q-{id}-keep")
                        on:click={click({
                            let keep = keep.clone();
                            move |_| {
                                let qid = keep.qid();
                                keep.app.edit(|r| r.keep_order(&qid));
                            }
                        })}>
                        {tx(lang, Key::RankKeep)}
                    </button>
                </Show>
                <p class="visually-hidden" aria-live="polite">{r(move || said.get())}</p>
                {self.error_view(error)}
            </fieldset>
        }
        .into_any()
    }

    /// Moves a ranking item, then puts the focus back on it and says where it went.
    fn move_item(&self, choice: &str, delta: isize, n: usize, said: AnySignal<String>) {
        let qid = self.qid();
        let mut to = None;
        self.app.edit(|r| to = r.move_item(&qid, choice, delta));
        let Some(to) = to else { return };
        let label = match &self.question.kind {
            QuestionKind::Ranking { choices } => choices
                .iter()
                .find(|c| c.id.as_str() == choice)
                .map(|c| tr(&c.label, self.lang().get_untracked(), &self.default)),
            _ => None,
        }
        .unwrap_or_default();
        said.set(i18n::rank_moved(
            self.lang().get_untracked(),
            &label,
            to + 1,
            n,
        ));
        // The list was drawn again: focus the same button on the moved item, or its other
        // button once it reached an end.
        let dir = match (delta < 0, to) {
            (true, 0) => "down",
            (true, _) => "up",
            (false, t) if t + 1 == n => "up",
            (false, _) => "down",
        };
        let target = format!("q-{}-{choice}-{dir}", self.id());
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&target)
                && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = el.focus();
            }
        });
    }

    /// A statement to accept: a box to tick, whose answer is `OK`.
    fn acknowledge(&self) -> AnyView {
        let (id, error, required) = (self.id(), self.error(), self.required());
        let q = id.clone();
        let checked = self.read(move |r| r.answer(&q).is_some());
        let ctx = self.clone();
        view! {
            <div class="acknowledge">
                <label class="choice" {at("for", format!("q-{id}-input"))}>
                    <input
                        {at("type", "checkbox")}
                        id=format!("q-{id}-input")
                        data-testid=format!("q-{id}-input")
                        prop:checked=r(move || checked().unwrap_or(false))
                        aria-describedby=self.described_by()
                        aria-required=r(move || required.get().to_string())
                        aria-invalid=r(move || error.with(Option::is_some).to_string())
                        on:change=ev(move |ev| {
                            let ok = event_target_checked(&ev);
                            ctx.set(ok.then(|| Answer::Text("OK".into())));
                        })
                    />
                    <span>{self.label(required)}</span>
                </label>
                {self.hint()}
                {self.error_view(error)}
            </div>
        }
        .into_any()
    }

    /// A number, a line of text, a date or time, or several lines: one labelled input.
    fn field(&self, field: Field) -> AnyView {
        let (id, error, required) = (self.id(), self.error(), self.required());
        let input_id = format!("q-{id}-input");
        let label = view! { <label {at("for", input_id.clone())}>{self.label(required)}</label> }
            .into_any();
        let (set, touch) = (self.clone(), self.clone());
        let control = match field {
            Field::Number {
                min,
                max,
                step,
                mode,
            } => {
                let kind = if matches!(self.question.kind, QuestionKind::Range { .. }) {
                    "range"
                } else {
                    "number"
                };
                view! {
                    <input {at("type", kind)} id=input_id.clone() data-testid={input_id.clone()} {at("step", step)}
                        inputmode={mode} {at("min", min)} {at("max", max)} prop:value=fixed(self.initial())
                        aria-describedby=self.described_by()
                        aria-required=r(move || required.get().to_string())
                        aria-invalid=r(move || error.with(Option::is_some).to_string())
                        on:input=ev(move |ev| set.set(number_answer(&event_target_value(&ev))))
                        on:change=ev(move |_| touch.touch())
                    />
                }
                .into_any()
            }
            Field::Line(kind, max_length) => view! {
                <input {at("type", kind)} id=input_id.clone() data-testid={input_id.clone()}
                    {at("maxlength", max_length.map(|m| m.to_string()))} prop:value=fixed(self.initial())
                    aria-describedby=self.described_by()
                    aria-required=r(move || required.get().to_string())
                    aria-invalid=r(move || error.with(Option::is_some).to_string())
                    on:input=ev(move |ev| set.set(Some(Answer::Text(event_target_value(&ev)))))
                    on:change=ev(move |_| touch.touch())
                />
            }
            .into_any(),
            Field::Lines(max_length) => view! {
                <textarea id=input_id.clone() data-testid={input_id.clone()} {at("rows", "4")}
                    {at("maxlength", max_length.map(|m| m.to_string()))} prop:value=fixed(self.initial())
                    aria-describedby=self.described_by()
                    aria-required=r(move || required.get().to_string())
                    aria-invalid=r(move || error.with(Option::is_some).to_string())
                    on:input=ev(move |ev| set.set(Some(Answer::Text(event_target_value(&ev)))))
                    on:change=ev(move |_| touch.touch())
                ></textarea>
            }
            .into_any(),
        };
        view! {
            {label}
            {self.hint()}
            {control}
            {self.error_view(error)}
        }
        .into_any()
    }
}
