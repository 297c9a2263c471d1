//! One question's result: its table (always), its chart (choices: bars; Likert: a stacked
//! bar and the mean), number statistics, or the written answers, which viewers never get
//! from the collector (the screen says so).

use leptos::prelude::*;
use voci_core::results::{ChoiceCount, Count, Detail, QuestionResult, Stats};

use super::{chart as draw, count, tr};
use crate::chart::Bar;
use crate::i18n::{self, Key, Lang};

/// The bars of a choice question: its choices, and "no answer" when the collector gave it
/// (single choice and Likert), as a share of `respondents` when both are shown.
pub fn choice_bars(
    choices: &[ChoiceCount],
    no_answer: Option<&Count>,
    respondents: &Count,
    lang: Lang,
    default: &str,
) -> (Vec<Bar>, Option<Bar>) {
    let bars = choices
        .iter()
        .map(|c| Bar {
            id: c.id.clone(),
            label: tr(&c.label, lang, default),
            count: c.count.clone(),
            percent: c.percent,
        })
        .collect();
    let none = no_answer.map(|c| Bar {
        id: "no_answer".to_owned(),
        label: i18n::t(lang, Key::NoAnswer).to_owned(),
        count: c.clone(),
        percent: match (c.shown(), respondents.shown()) {
            (Some(n), Some(total)) if total > 0 => {
                Some((1000.0 * n as f64 / total as f64).round() / 10.0)
            }
            _ => None,
        },
    });
    (bars, none)
}

/// The question's block: heading, how many answered, then its kind's figures.
pub fn question(q: &QuestionResult, respondents: &Count, lang: Lang, default: &str) -> AnyView {
    let id = q.id.clone();
    let label = tr(&q.label, lang, default);
    let body = match &q.detail {
        Detail::Choices {
            choices,
            no_answer,
            mean,
        } => {
            let (bars, none) = choice_bars(choices, no_answer.as_ref(), respondents, lang, default);
            let chart = if q.kind == "likert" {
                match crate::chart::stacked(&bars, none.as_ref(), lang) {
                    Some(s) => draw::stacked(s, format!("q-{id}-chart"), lang),
                    None => draw::none(lang, format!("q-{id}-chart-none")),
                }
            } else {
                let mut all = bars.clone();
                all.extend(none.clone());
                draw::for_bars(&all, lang, format!("q-{id}-chart"))
            };
            let mut rows = bars;
            rows.extend(none);
            let mean = mean.map(|m| {
                let text = format!(
                    "{}: {} (1 = {})",
                    i18n::t(lang, Key::Mean),
                    i18n::number(lang, m),
                    choices
                        .first()
                        .map(|c| tr(&c.label, lang, default))
                        .unwrap_or_default()
                );
                view! { <p class="mean" data-testid=format!("q-{id}-mean") data-value=m.to_string()>{text}</p> }
            });
            view! {
                <div class="figures">
                    <div class="chart-box">{chart}</div>
                    {table(&id, &label, &rows, lang)}
                </div>
                {mean}
            }
            .into_any()
        }
        Detail::Numbers { stats } => numbers(&id, &label, stats.as_ref(), lang),
        Detail::Texts { answers, truncated } => texts(&id, answers.as_deref(), *truncated, lang),
        Detail::Answered => {
            view! { <p class="hint">{i18n::t(lang, Key::OnlyAnswered)}</p> }.into_any()
        }
    };
    view! {
        <section class="question-result" data-testid=format!("q-{}", q.id) data-type=q.kind.clone()>
            <h3 dir="auto">{label}</h3>
            <p class="answered">
                {i18n::t(lang, Key::Answered)}": "
                <span data-testid=format!("q-{}-answered", q.id)>{count(&q.answered)}</span>
            </p>
            {body}
        </section>
    }
    .into_any()
}

/// Choice, count, percentage: the chart's figures as a table.
fn table(id: &str, label: &str, rows: &[Bar], lang: Lang) -> AnyView {
    let body = rows
        .iter()
        .map(|b| {
            let percent = b.percent.map(|p| i18n::percent(lang, p)).unwrap_or_default();
            let hidden = b.count.shown().is_none();
            view! {
                <tr data-testid=format!("q-{id}-row-{}", b.id)>
                    <th scope="row" dir="auto">{b.label.clone()}</th>
                    <td class="num" class:hidden-count=hidden data-testid=format!("q-{id}-count-{}", b.id)>
                        {count(&b.count)}
                    </td>
                    <td class="num">{percent}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="counts" data-testid=format!("q-{id}-table")>
            <caption class="sr-only">{label.to_owned()}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n::t(lang, Key::Choice)}</th>
                    <th scope="col" class="num">{i18n::t(lang, Key::Count)}</th>
                    <th scope="col" class="num">{i18n::t(lang, Key::Percent)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

fn numbers(id: &str, label: &str, stats: Option<&Stats>, lang: Lang) -> AnyView {
    let Some(s) = stats else {
        return view! { <p class="hint" data-testid=format!("q-{id}-no-stats")>{i18n::t(lang, Key::TooFewNumbers)}</p> }
            .into_any();
    };
    let rows = [
        (Key::Mean, "mean", s.mean),
        (Key::Q1, "q1", s.q1),
        (Key::Median, "median", s.median),
        (Key::Q3, "q3", s.q3),
    ]
    .map(|(key, name, value)| {
        view! {
            <tr>
                <th scope="row">{i18n::t(lang, key)}</th>
                <td class="num" data-testid=format!("q-{id}-{name}")>{i18n::number(lang, value)}</td>
            </tr>
        }
    });
    view! {
        <table class="counts" data-testid=format!("q-{id}-stats")>
            <caption class="sr-only">{label.to_owned()}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n::t(lang, Key::Statistic)}</th>
                    <th scope="col" class="num">{i18n::t(lang, Key::Value)}</th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().collect_view()}</tbody>
        </table>
    }
    .into_any()
}

fn texts(id: &str, answers: Option<&[String]>, truncated: bool, lang: Lang) -> AnyView {
    match answers {
        None => view! {
            <p class="notice" data-testid=format!("q-{id}-texts-hidden")>
                {i18n::t(lang, Key::TextHiddenForViewers)}
            </p>
        }
        .into_any(),
        Some([]) => view! {
            <p class="hint" data-testid=format!("q-{id}-texts-none")>{i18n::t(lang, Key::NoTextAnswers)}</p>
        }
        .into_any(),
        Some(list) => {
            let items = list
                .iter()
                .map(|a| view! { <li dir="auto">{a.clone()}</li> })
                .collect_view();
            view! {
                <ul class="texts" data-testid=format!("q-{id}-texts")>{items}</ul>
                {truncated.then(|| view! { <p class="hint">{i18n::t(lang, Key::Truncated)}</p> })}
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use voci_core::Text;

    #[test]
    fn no_answer_is_a_share_of_the_respondents_when_both_are_shown() {
        let choices = [ChoiceCount {
            id: "si".into(),
            label: Text::one("it", "Sì"),
            count: Count::Shown(15),
            percent: Some(75.0),
        }];
        let (bars, none) = choice_bars(
            &choices,
            Some(&Count::Shown(5)),
            &Count::Shown(20),
            Lang::En,
            "it",
        );
        assert_eq!(bars[0].label, "Sì");
        assert_eq!(none.as_ref().and_then(|b| b.percent), Some(25.0));
        let (_, hidden) = choice_bars(
            &choices,
            Some(&Count::Hidden("<5".into())),
            &Count::Shown(20),
            Lang::En,
            "it",
        );
        assert_eq!(hidden.and_then(|b| b.percent), None);
    }
}
