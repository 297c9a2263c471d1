//! Chart geometry: horizontal bars for choice questions, one stacked bar for a Likert scale,
//! and the sentence that says what each chart shows (its `aria-label`). Plain numbers in and
//! out, tested on the host; `components::chart` turns them into SVG.
//!
//! A hidden count (`<5`) draws no bar: its place says `<5`. In a stacked bar, the hidden points
//! together are one grey segment (the rest of 100%, which the shown percentages already tell).
//! Arabic mirrors the charts: labels on the right, bars growing to the left.

use voci_core::results::Count;

use crate::i18n::{self, Key, Lang};

/// The width of every chart's `viewBox`; the SVG scales to its box.
pub const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 220.0;
const VALUE_WIDTH: f64 = 120.0;
const ROW: f64 = 30.0;
const BAR: f64 = 20.0;
const GAP: f64 = 8.0;
/// The longest label drawn in full; the table next to the chart has every label whole.
const LABEL_CHARS: usize = 30;
/// The height of a stacked bar.
pub const STACK_HEIGHT: f64 = 40.0;
/// Shades of a Likert scale, from its first point to its last (`seg-0` .. `seg-6` in CSS).
pub const SHADES: usize = 7;

/// One count to draw: a choice, or "no answer".
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub id: String,
    pub label: String,
    pub count: Count,
    /// Of the respondents, when the collector gave it.
    pub percent: Option<f64>,
}

impl Bar {
    /// The count as the table and the chart write it: `7 (58,3%)`, `7`, `<5`.
    pub fn value(&self, lang: Lang) -> String {
        match (&self.count, self.percent) {
            (Count::Shown(n), Some(p)) => format!("{n} ({})", i18n::percent(lang, p)),
            (Count::Shown(n), None) => n.to_string(),
            (Count::Hidden(h), _) => h.clone(),
        }
    }

    fn shown(&self) -> Option<u64> {
        self.count.shown()
    }
}

/// A text anchor, as SVG names it (the chart's own direction is always left to right).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    End,
}

impl Anchor {
    pub fn svg(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::End => "end",
        }
    }
}

/// One row of a bar chart, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub id: String,
    pub label: String,
    /// The label whole (the row's tooltip).
    pub full_label: String,
    pub label_x: f64,
    pub label_anchor: Anchor,
    /// The bar's top edge; the texts sit on `text_y`.
    pub y: f64,
    pub text_y: f64,
    pub bar_x: f64,
    /// Zero for a hidden count or a zero.
    pub bar_width: f64,
    pub value: String,
    pub value_x: f64,
    pub value_anchor: Anchor,
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub height: f64,
    pub rows: Vec<BarRow>,
    pub summary: String,
}

/// Horizontal bars, one per count, scaled to 100% of the respondents when every shown count
/// has its percentage, else to the largest count. `None` when no count is shown above zero
/// (nothing to draw: the table says it all).
pub fn bars(bars: &[Bar], lang: Lang) -> Option<BarChart> {
    let max = bars.iter().filter_map(Bar::shown).max().unwrap_or(0);
    if max == 0 {
        return None;
    }
    let by_percent = bars
        .iter()
        .all(|b| b.shown().is_none() || b.percent.is_some());
    let area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let rtl = lang.rtl();
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let fraction = match (b.shown(), b.percent) {
                (None, _) => 0.0,
                (Some(_), Some(p)) if by_percent => p / 100.0,
                (Some(n), _) => n as f64 / max as f64,
            };
            let width = (fraction.clamp(0.0, 1.0) * area).round();
            let y = i as f64 * ROW + (ROW - BAR) / 2.0;
            // Left to right: label | bar → value. Mirrored for Arabic.
            let (label_x, label_anchor, bar_x, value_x, value_anchor) = if rtl {
                let edge = WIDTH - LABEL_WIDTH;
                (
                    edge + GAP,
                    Anchor::Start,
                    edge - width,
                    edge - width - GAP / 2.0,
                    Anchor::End,
                )
            } else {
                (
                    LABEL_WIDTH - GAP,
                    Anchor::End,
                    LABEL_WIDTH,
                    LABEL_WIDTH + width + GAP / 2.0,
                    Anchor::Start,
                )
            };
            BarRow {
                id: b.id.clone(),
                label: shorten(&b.label),
                full_label: b.label.clone(),
                label_x,
                label_anchor,
                y,
                text_y: y + BAR * 0.75,
                bar_x,
                bar_width: width,
                value: b.value(lang),
                value_x,
                value_anchor,
                hidden: b.shown().is_none(),
            }
        })
        .collect();
    Some(BarChart {
        height: bars.len() as f64 * ROW,
        rows,
        summary: summary(lang, Key::BarChart, bars),
    })
}

/// What a segment of a stacked bar stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shade {
    /// The scale's point, as one of [`SHADES`] shades from the first point to the last.
    Point(usize),
    NoAnswer,
    /// The hidden counts together.
    Hidden,
}

impl Shade {
    /// The CSS class that colours it.
    pub fn class(self) -> String {
        match self {
            Self::Point(i) => format!("seg seg-{i}"),
            Self::NoAnswer => "seg seg-none".to_owned(),
            Self::Hidden => "seg seg-hidden".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub id: String,
    pub label: String,
    pub x: f64,
    pub width: f64,
    pub shade: Shade,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stacked {
    pub segments: Vec<Segment>,
    pub summary: String,
}

/// One bar of 100% of the respondents: a segment per scale point, then "no answer", then the
/// hidden counts together. `None` when no percentage is shown.
pub fn stacked(points: &[Bar], no_answer: Option<&Bar>, lang: Lang) -> Option<Stacked> {
    if points.iter().all(|b| b.percent.is_none()) {
        return None;
    }
    let n = points.len();
    let shade = |i: usize| {
        if n <= 1 {
            0
        } else {
            (i * (SHADES - 1) + (n - 1) / 2) / (n - 1)
        }
    };
    let mut parts: Vec<(&Bar, Shade)> = points
        .iter()
        .enumerate()
        .map(|(i, b)| (b, Shade::Point(shade(i))))
        .collect();
    if let Some(b) = no_answer {
        parts.push((b, Shade::NoAnswer));
    }
    let shown: f64 = parts.iter().filter_map(|(b, _)| b.percent).sum();
    let mut segments = Vec::new();
    let mut at = 0.0;
    let mut place = |id: &str, label: &str, percent: f64, shade: Shade, value: String| {
        let width = percent.clamp(0.0, 100.0) / 100.0 * WIDTH;
        if width <= 0.0 {
            return;
        }
        let x = if lang.rtl() { WIDTH - at - width } else { at };
        at += width;
        segments.push(Segment {
            id: id.to_owned(),
            label: label.to_owned(),
            x,
            width,
            shade,
            value,
        });
    };
    for (b, shade) in &parts {
        if let Some(p) = b.percent {
            place(&b.id, &b.label, p, *shade, b.value(lang));
        }
    }
    let hidden: Vec<&Bar> = parts
        .iter()
        .filter(|(b, _)| b.percent.is_none())
        .map(|(b, _)| *b)
        .collect();
    // Rounded percentages may leave a sliver: only a hidden count earns a segment.
    if hidden.iter().any(|b| b.shown().is_none()) && shown < 99.95 {
        let value = i18n::percent(lang, 100.0 - shown);
        place(
            "hidden",
            i18n::t(lang, Key::HiddenSegment),
            100.0 - shown,
            Shade::Hidden,
            value,
        );
    }
    let mut all: Vec<Bar> = points.to_vec();
    all.extend(no_answer.cloned());
    Some(Stacked {
        segments,
        summary: summary(lang, Key::StackedChart, &all),
    })
}

/// `Bar chart: Student 7 (58.3%); Other <5.`
pub fn summary(lang: Lang, kind: Key, bars: &[Bar]) -> String {
    let parts: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.value(lang)))
        .collect();
    format!("{}: {}.", i18n::t(lang, kind), parts.join("; "))
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(id: &str, count: Count, percent: Option<f64>) -> Bar {
        Bar {
            id: id.into(),
            label: id.to_uppercase(),
            count,
            percent,
        }
    }

    fn hidden() -> Count {
        Count::Hidden("<5".into())
    }

    #[test]
    fn bars_are_scaled_to_the_respondents_and_hidden_ones_are_not_drawn() {
        let chart = bars(
            &[
                bar("a", Count::Shown(7), Some(50.0)),
                bar("b", Count::Shown(7), Some(50.0)),
                bar("c", hidden(), None),
            ],
            Lang::En,
        )
        .expect("a chart");
        let area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        assert_eq!(chart.rows[0].bar_width, (area / 2.0).round());
        assert_eq!(chart.rows[0].bar_x, LABEL_WIDTH);
        assert_eq!(chart.rows[2].bar_width, 0.0);
        assert!(chart.rows[2].hidden);
        assert_eq!(chart.rows[2].value, "<5");
        assert_eq!(chart.rows[0].value, "7 (50.0%)");
        assert_eq!(chart.height, 3.0 * ROW);
        assert_eq!(chart.summary, "Bar chart: A 7 (50.0%); B 7 (50.0%); C <5.");
    }

    #[test]
    fn without_percentages_the_largest_count_fills_the_bar() {
        let chart = bars(
            &[
                bar("a", Count::Shown(10), None),
                bar("b", Count::Shown(5), None),
            ],
            Lang::It,
        )
        .expect("a chart");
        assert_eq!(chart.rows[0].bar_width, 2.0 * chart.rows[1].bar_width);
    }

    #[test]
    fn nothing_shown_draws_nothing() {
        assert_eq!(bars(&[bar("a", hidden(), None)], Lang::En), None);
        assert_eq!(
            bars(&[bar("a", Count::Shown(0), Some(0.0))], Lang::En),
            None
        );
    }

    #[test]
    fn arabic_mirrors_the_bars() {
        let b = [bar("a", Count::Shown(5), Some(100.0))];
        let ltr = bars(&b, Lang::En).unwrap().rows.remove(0);
        let rtl = bars(&b, Lang::Ar).unwrap().rows.remove(0);
        assert_eq!(rtl.bar_width, ltr.bar_width);
        assert_eq!(rtl.bar_x + rtl.bar_width, WIDTH - ltr.bar_x);
        assert_eq!(
            (ltr.label_anchor, rtl.label_anchor),
            (Anchor::End, Anchor::Start)
        );
    }

    #[test]
    fn a_likert_bar_adds_up_to_the_whole_with_the_hidden_points_together() {
        let points = [
            bar("no", hidden(), None),
            bar("poco", hidden(), None),
            bar("si", Count::Shown(12), Some(60.0)),
        ];
        let none = bar("none", Count::Shown(5), Some(25.0));
        let s = stacked(&points, Some(&none), Lang::En).expect("a bar");
        let shades: Vec<Shade> = s.segments.iter().map(|g| g.shade).collect();
        assert_eq!(
            shades,
            [Shade::Point(SHADES - 1), Shade::NoAnswer, Shade::Hidden]
        );
        let total: f64 = s.segments.iter().map(|g| g.width).sum();
        assert!((total - WIDTH).abs() < 1e-9);
        assert_eq!(s.segments[2].value, "15.0%");
        assert!(
            s.summary
                .starts_with("Stacked bar: NO <5; POCO <5; SI 12 (60.0%)")
        );
        // Mirrored: the first segment starts at the right edge.
        let r = stacked(&points, Some(&none), Lang::Ar).unwrap();
        assert_eq!(r.segments[0].x + r.segments[0].width, WIDTH);
    }

    #[test]
    fn scale_points_spread_over_the_shades() {
        let five: Vec<Bar> = (0..5)
            .map(|i| bar(&i.to_string(), Count::Shown(5), Some(20.0)))
            .collect();
        let s = stacked(&five, None, Lang::En).unwrap();
        let shades: Vec<Shade> = s.segments.iter().map(|g| g.shade).collect();
        assert_eq!(shades.first(), Some(&Shade::Point(0)));
        assert_eq!(shades.last(), Some(&Shade::Point(SHADES - 1)));
        assert_eq!(s.segments.len(), 5, "no hidden segment when all add up");
    }

    #[test]
    fn long_labels_are_shortened_on_the_chart_only() {
        let long = "a".repeat(40);
        let chart = bars(
            &[Bar {
                id: "x".into(),
                label: long.clone(),
                count: Count::Shown(5),
                percent: None,
            }],
            Lang::En,
        )
        .unwrap();
        assert_eq!(chart.rows[0].label.chars().count(), LABEL_CHARS);
        assert_eq!(chart.rows[0].full_label, long);
    }
}
