//! The cross-tab of any two single-choice or Likert questions, with the filters applied: a
//! table of counts with its totals, suppressed at the collector as one table.

use leptos::prelude::*;
use voci_core::results::CrossTab;
use voci_core::{QuestionKind, Survey};

use super::{count, failure_view, tr};
use crate::api;
use crate::i18n::{self, Key, Lang};
use crate::query::Selection;
use crate::state::{Load, use_area};

#[component]
pub fn Crosstab(survey: Survey, selection: Signal<Selection>) -> impl IntoView {
    let area = use_area();
    let lang = area.lang;
    let default = survey.default_language().to_owned();
    let questions: Vec<(String, voci_core::Text)> = survey
        .questions()
        .filter(|q| {
            matches!(
                q.kind,
                QuestionKind::Single { .. } | QuestionKind::Likert { .. }
            )
        })
        .map(|q| (q.id.to_string(), q.label.clone()))
        .collect();
    let t = move |key| move || i18n::t(lang.get(), key);
    if questions.len() < 2 {
        return view! {
            <section class="crosstab" data-testid="crosstab">
                <h2>{t(Key::CrosstabTitle)}</h2>
                <p class="hint">{t(Key::NeedTwoChoiceQuestions)}</p>
            </section>
        }
        .into_any();
    }
    let rows = RwSignal::new(questions[0].0.clone());
    let columns = RwSignal::new(questions[1].0.clone());
    let table = RwSignal::new(Load::<CrossTab>::Idle);
    let id = survey.id.to_string();
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, r, c, sel) = (
            id.clone(),
            rows.get_untracked(),
            columns.get_untracked(),
            selection.get_untracked(),
        );
        table.set(Load::Loading);
        leptos::task::spawn_local(async move {
            match api::crosstab(&id, &r, &c, &sel).await {
                Ok(t) => table.set(Load::Ready(t)),
                Err(f) => area.failed(f, |f| table.set(Load::Failed(f))),
            }
        });
    };
    let picker = move |id: &'static str, key: Key, value: RwSignal<String>| {
        let default = default.clone();
        let options = questions
            .iter()
            .map(|(q, label)| {
                let (q, label, default) = (q.clone(), label.clone(), default.clone());
                let this = q.clone();
                view! {
                    <option value=q selected=move || value.with(|v| *v == this)>
                        {move || tr(&label, lang.get(), &default)}
                    </option>
                }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for=id>{t(key)}</label>
                <select id=id data-testid=id on:change=move |ev| value.set(event_target_value(&ev))>
                    {options}
                </select>
            </div>
        }
    };
    let result = move || {
        let l = lang.get();
        table.with(|t| match t {
            Load::Idle => ().into_any(),
            Load::Loading => view! { <p class="info">{i18n::t(l, Key::Loading)}</p> }.into_any(),
            Load::Failed(f) => failure_view(l, f, "crosstab-error"),
            Load::Ready(t) => grid(t, l),
        })
    };
    view! {
        <section class="crosstab" data-testid="crosstab">
            <h2>{t(Key::CrosstabTitle)}</h2>
            <p class="hint">{t(Key::CrosstabHint)}</p>
            <form on:submit=run>
                <div class="pair">
                    {picker("crosstab-rows", Key::Rows, rows)}
                    {picker("crosstab-columns", Key::Columns, columns)}
                </div>
                <button class="primary" type="submit" data-testid="crosstab-run">{t(Key::ShowCrosstab)}</button>
            </form>
            <div role="status" aria-live="polite">{result}</div>
        </section>
    }
    .into_any()
}

/// The cross-tab as a table, totals last.
fn grid(t: &CrossTab, lang: Lang) -> AnyView {
    // The labels come in the survey's languages; the first is the fallback.
    let fallback = t.rows.label.0.keys().next().cloned().unwrap_or_default();
    let label = |text: &voci_core::Text| tr(text, lang, &fallback);
    let total = i18n::t(lang, Key::Total);
    let head = t
        .columns
        .choices
        .iter()
        .map(|c| view! { <th scope="col" class="num">{label(&c.label)}</th> })
        .collect_view();
    let body = t
        .rows
        .choices
        .iter()
        .zip(&t.cells)
        .zip(&t.row_totals)
        .map(|((r, cells), row_total)| {
            let cells = t
                .columns
                .choices
                .iter()
                .zip(cells)
                .map(|(c, n)| {
                    view! {
                        <td class="num" data-testid=format!("ct-{}-{}", r.id, c.id)>{count(n)}</td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{label(&r.label)}</th>
                    {cells}
                    <td class="num total">{count(row_total)}</td>
                </tr>
            }
        })
        .collect_view();
    let column_totals = t
        .column_totals
        .iter()
        .map(|n| view! { <td class="num total">{count(n)}</td> })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="counts crosstab-table" data-testid="crosstab-table">
                <caption>{format!("{} × {}", label(&t.rows.label), label(&t.columns.label))}</caption>
                <thead>
                    <tr>
                        <td></td>
                        {head}
                        <th scope="col" class="num">{total}</th>
                    </tr>
                </thead>
                <tbody>
                    {body}
                    <tr class="totals">
                        <th scope="row">{total}</th>
                        {column_totals}
                        <td class="num total" data-testid="ct-total">{count(&t.total)}</td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
