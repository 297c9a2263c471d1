//! Charts as SVG: bars for choice questions, one stacked bar for a Likert scale. Each SVG is
//! `role="img"` with a sentence saying what it shows; the table next to it has every figure, so
//! the chart is never the only way to read them.

use leptos::prelude::*;

use crate::chart::{self, BarChart, STACK_HEIGHT, Stacked, WIDTH};
use crate::i18n::{self, Key, Lang};

/// A bar chart of placed rows (see [`chart::bars`]).
pub fn bars(chart: BarChart, testid: String) -> AnyView {
    let rows = chart
        .rows
        .into_iter()
        .map(|r| {
            let bar = (r.bar_width > 0.0).then(|| {
                view! {
                    <rect
                        class="bar"
                        x=r.bar_x
                        y=r.y
                        width=r.bar_width
                        height="20"
                        rx="3"
                        data-choice=r.id.clone()
                    />
                }
            });
            view! {
                <g class="row">
                    <text class="label" x=r.label_x y=r.text_y text-anchor=r.label_anchor.svg()>
                        {r.label}
                    </text>
                    {bar}
                    <text
                        class=if r.hidden { "value hidden" } else { "value" }
                        x=r.value_x
                        y=r.text_y
                        text-anchor=r.value_anchor.svg()
                    >
                        {r.value}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart bars"
            role="img"
            aria-label=chart.summary
            data-testid=testid
            viewBox=format!("0 0 {WIDTH} {}", chart.height)
            direction="ltr"
        >
            {rows}
        </svg>
    }
    .into_any()
}

/// One stacked bar and its legend (the legend repeats the table for sighted readers, so it
/// is hidden from screen readers, which read the SVG's label and the table).
pub fn stacked(chart: Stacked, testid: String, lang: Lang) -> AnyView {
    let segments = chart
        .segments
        .iter()
        .map(|s| {
            view! {
                <rect
                    class=s.shade.class()
                    x=s.x
                    y="0"
                    width=s.width
                    height=STACK_HEIGHT
                    data-choice=s.id.clone()
                />
            }
        })
        .collect_view();
    let legend = chart
        .segments
        .into_iter()
        .map(|s| {
            view! {
                <li>
                    <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">
                        <rect class=s.shade.class() x="0" y="0" width="10" height="10"/>
                    </svg>
                    {format!("{} {}", s.label, s.value)}
                </li>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart stacked"
            role="img"
            aria-label=chart.summary
            data-testid=testid
            viewBox=format!("0 0 {WIDTH} {STACK_HEIGHT}")
            direction="ltr"
        >
            {segments}
        </svg>
        <ul class="legend" aria-hidden="true" title=i18n::t(lang, Key::Legend)>{legend}</ul>
    }
    .into_any()
}

/// Said instead of a chart when nothing can be drawn.
pub fn none(lang: Lang, testid: String) -> AnyView {
    view! { <p class="hint" data-testid=testid>{i18n::t(lang, Key::NoChart)}</p> }.into_any()
}

/// A chart for counts, or why there is none.
pub fn for_bars(bars_in: &[chart::Bar], lang: Lang, testid: String) -> AnyView {
    match chart::bars(bars_in, lang) {
        Some(c) => bars(c, testid),
        None => none(lang, format!("{testid}-none")),
    }
}
