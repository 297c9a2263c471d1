//! T0 / T1: two survey versions, or two periods that do not overlap, side by side at the
//! place chosen in the filters. Each side is suppressed on its own at the collector.

use leptos::prelude::*;
use voci_core::results::{Comparison, Detail, QuestionResult, Stats, SurveyResults};

use super::question::choice_bars;
use super::{count, failure_view, tr};
use crate::api;
use crate::chart::Bar;
use crate::i18n::{self, Key, Lang};
use crate::query::{self, Selection, field};
use crate::state::{Load, use_area};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Versions,
    Periods,
}

#[component]
pub fn Compare(
    survey: String,
    default_language: String,
    versions: Vec<String>,
    selection: Signal<Selection>,
) -> impl IntoView {
    let area = use_area();
    let lang = area.lang;
    let mode = RwSignal::new(if versions.len() >= 2 {
        Mode::Versions
    } else {
        Mode::Periods
    });
    let a_version = RwSignal::new(versions.first().cloned().unwrap_or_default());
    let b_version = RwSignal::new(versions.last().cloned().unwrap_or_default());
    let dates: [RwSignal<String>; 4] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let outcome = RwSignal::new(Load::<Comparison>::Idle);
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let comparison = match mode.get_untracked() {
            Mode::Versions => query::Comparison::Versions {
                a: a_version.get_untracked(),
                b: b_version.get_untracked(),
            },
            Mode::Periods => {
                let d = dates.map(|d| field(&d.get_untracked()));
                let [a0, a1, b0, b1] = d;
                query::Comparison::Periods {
                    a: (a0, a1),
                    b: (b0, b1),
                }
            }
        };
        let site = selection.get_untracked().site;
        let survey = survey.clone();
        outcome.set(Load::Loading);
        leptos::task::spawn_local(async move {
            match api::compare(&survey, &comparison, site.as_deref()).await {
                Ok(c) => outcome.set(Load::Ready(c)),
                Err(f) => area.failed(f, |f| outcome.set(Load::Failed(f))),
            }
        });
    };
    let t = move |key| move || i18n::t(lang.get(), key);
    let mode_choice = move |value: Mode, key: Key, testid: &'static str| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="compare-mode"
                    data-testid=testid
                    prop:checked=move || mode.get() == value
                    on:change=move |_| mode.set(value)
                />
                {t(key)}
            </label>
        }
    };
    let version_picker = move |id: &'static str, key: Key, value: RwSignal<String>| {
        let options = versions
            .iter()
            .map(|v| {
                let this = v.clone();
                view! { <option value=v.clone() selected=move || value.with(|x| *x == this)>{v.clone()}</option> }
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
    let date = move |id: &'static str, key: Key, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{t(key)}</label>
                <input
                    type="date"
                    id=id
                    data-testid=id
                    prop:value=move || value.get()
                    on:change=move |ev| value.set(event_target_value(&ev))
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };
    let [a_from, a_to, b_from, b_to] = dates;
    let sides = move || match mode.get() {
        Mode::Versions => view! {
            <div class="pair">
                {version_picker("compare-a-version", Key::SideA, a_version)}
                {version_picker("compare-b-version", Key::SideB, b_version)}
            </div>
        }
        .into_any(),
        Mode::Periods => view! {
            <fieldset class="side">
                <legend>{t(Key::SideA)}</legend>
                <div class="dates">
                    {date("compare-a-from", Key::From, a_from)}
                    {date("compare-a-to", Key::To, a_to)}
                </div>
            </fieldset>
            <fieldset class="side">
                <legend>{t(Key::SideB)}</legend>
                <div class="dates">
                    {date("compare-b-from", Key::From, b_from)}
                    {date("compare-b-to", Key::To, b_to)}
                </div>
            </fieldset>
        }
        .into_any(),
    };
    let result = move || {
        let l = lang.get();
        outcome.with(|o| match o {
            Load::Idle => ().into_any(),
            Load::Loading => view! { <p class="info">{i18n::t(l, Key::Loading)}</p> }.into_any(),
            Load::Failed(f) => failure_view(l, f, "compare-error"),
            Load::Ready(c) => side_by_side(c, l, &default_language),
        })
    };
    view! {
        <section class="compare" data-testid="compare">
            <h2>{t(Key::CompareTitle)}</h2>
            <p class="hint">{t(Key::CompareHint)}</p>
            <form on:submit=run>
                <fieldset class="modes">
                    <legend>{t(Key::CompareBy)}</legend>
                    {mode_choice(Mode::Versions, Key::CompareVersions, "compare-versions")}
                    {mode_choice(Mode::Periods, Key::ComparePeriods, "compare-periods")}
                </fieldset>
                {sides}
                <button class="primary" type="submit" data-testid="compare-run">{t(Key::CompareRun)}</button>
            </form>
            <div role="status" aria-live="polite" data-testid="compare-result">{result}</div>
        </section>
    }
}

/// Every question with T0 and T1 in adjacent columns.
fn side_by_side(c: &Comparison, lang: Lang, default: &str) -> AnyView {
    let (a, b) = (&c.a.results, &c.b.results);
    let heads = format!(
        "{} — {}: {} · {} — {}: {}",
        i18n::t(lang, Key::SideA),
        c.a.label,
        count(&a.respondents),
        i18n::t(lang, Key::SideB),
        c.b.label,
        count(&b.respondents),
    );
    let questions = a
        .questions
        .iter()
        .filter_map(|qa| {
            let qb = b.questions.iter().find(|q| q.id == qa.id)?;
            Some(pair(qa, qb, a, b, lang, default, (&c.a.label, &c.b.label)))
        })
        .collect_view();
    view! {
        <p class="respondents" data-testid="compare-respondents">{heads}</p>
        {questions}
    }
    .into_any()
}

fn pair(
    qa: &QuestionResult,
    qb: &QuestionResult,
    a: &SurveyResults,
    b: &SurveyResults,
    lang: Lang,
    default: &str,
    labels: (&str, &str),
) -> AnyView {
    let rows: Vec<(String, String, String, String, String)> = match (&qa.detail, &qb.detail) {
        (
            Detail::Choices {
                choices: ca,
                no_answer: na,
                ..
            },
            Detail::Choices {
                choices: cb,
                no_answer: nb,
                ..
            },
        ) => {
            let (mut bars_a, none_a) = choice_bars(ca, na.as_ref(), &a.respondents, lang, default);
            let (mut bars_b, none_b) = choice_bars(cb, nb.as_ref(), &b.respondents, lang, default);
            bars_a.extend(none_a);
            bars_b.extend(none_b);
            bars_a
                .iter()
                .map(|x| {
                    let y = bars_b.iter().find(|y| y.id == x.id);
                    let (n, p) = cells(Some(x), lang);
                    let (m, q) = cells(y, lang);
                    (x.label.clone(), n, p, m, q)
                })
                .collect()
        }
        (Detail::Numbers { stats: sa }, Detail::Numbers { stats: sb }) => {
            let stat = |s: &Option<Stats>, f: fn(&Stats) -> f64| {
                s.as_ref()
                    .map(|s| i18n::number(lang, f(s)))
                    .unwrap_or_default()
            };
            let mean: fn(&Stats) -> f64 = |s| s.mean;
            let median: fn(&Stats) -> f64 = |s| s.median;
            [(Key::Mean, mean), (Key::Median, median)]
                .into_iter()
                .map(|(key, f)| {
                    (
                        i18n::t(lang, key).to_owned(),
                        stat(sa, f),
                        String::new(),
                        stat(sb, f),
                        String::new(),
                    )
                })
                .collect()
        }
        _ => vec![(
            i18n::t(lang, Key::Answered).to_owned(),
            count(&qa.answered),
            String::new(),
            count(&qb.answered),
            String::new(),
        )],
    };
    let body = rows
        .into_iter()
        .map(|(label, n, p, m, q)| {
            view! {
                <tr>
                    <th scope="row" dir="auto">{label}</th>
                    <td class="num">{n}</td>
                    <td class="num">{p}</td>
                    <td class="num">{m}</td>
                    <td class="num">{q}</td>
                </tr>
            }
        })
        .collect_view();
    let (la, lb) = labels;
    view! {
        <section class="question-result" data-testid=format!("compare-q-{}", qa.id)>
            <h3 dir="auto">{tr(&qa.label, lang, default)}</h3>
            <div class="table-scroll">
                <table class="counts">
                    <thead>
                        <tr>
                            <td></td>
                            <th scope="col" class="num">{format!("T0 {la}")}</th>
                            <th scope="col" class="num">"%"</th>
                            <th scope="col" class="num">{format!("T1 {lb}")}</th>
                            <th scope="col" class="num">"%"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// A count and its percentage, as table cells.
fn cells(bar: Option<&Bar>, lang: Lang) -> (String, String) {
    match bar {
        Some(b) => (
            count(&b.count),
            b.percent
                .map(|p| i18n::percent(lang, p))
                .unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    }
}
