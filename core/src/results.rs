//! Aggregated results of a survey, with small-cell suppression applied before anything leaves
//! the function: per question counts and percentages (single, multiple, Likert with its mean),
//! numbers with mean, median and quartiles, text answers (for coordinators), and cross-tabs of
//! two choice questions.
//!
//! Responses are added one at a time ([`Tally::add`]), so the caller can stream them from
//! storage; only a count per distinct number (for medians) and the first text answers are
//! kept. Tallies of consecutive parts merge ([`Tally::merge`]), so parts can be counted on
//! several cores.
//!
//! # Suppression
//!
//! Every count is a cell of a table whose lines add up (see [`crate::suppress`]):
//!
//! - single choice and Likert: one line, the choices and "no answer", adding up to the
//!   respondents;
//! - multiple choice: each choice is a line of its own, "chose it" and "did not", adding up to
//!   the respondents (so "all but 2 chose sport" is hidden like "2 chose sport");
//! - a cross-tab: rows × columns with their totals.
//!
//! Percentages are shown only beside shown counts of shown totals. A Likert mean is shown only
//! when no count of its distribution is hidden, and number statistics only over at least `k`
//! answers, so neither can be used to work a hidden count out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Question, QuestionKind, Survey};
use crate::response::{AnswerRef, Needed, Response, ResponseRef};
use crate::serde_lean::object_only;
use crate::suppress::{Cell, suppress};
use crate::text::Text;

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(
    SurveyResults,
    ChoiceCount,
    Stats,
    CrossTab,
    Axis,
    AxisChoice,
    Comparison,
    Side
);

/// A published count: a number, or hidden (shown as `"<5"` for threshold 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Count {
    Shown(u64),
    Hidden(String),
}

impl Count {
    fn of(cell: Cell, k: u64) -> Self {
        match cell {
            Cell::Shown(n) => Self::Shown(n),
            Cell::Suppressed => Self::Hidden(format!("<{k}")),
        }
    }

    pub fn shown(&self) -> Option<u64> {
        match self {
            Self::Shown(n) => Some(*n),
            Self::Hidden(_) => None,
        }
    }
}

/// How results are computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The threshold: counts from 1 to `min_count - 1` are hidden.
    pub min_count: u64,
    /// Whether text answers are listed (coordinators: yes; viewers: never).
    pub text_answers: bool,
    /// At most this many text answers per question are listed.
    pub text_limit: usize,
}

impl Options {
    pub fn new(min_count: u64, text_answers: bool) -> Self {
        Self {
            min_count,
            text_answers,
            text_limit: 500,
        }
    }
}

/// The results of a survey for one selection of responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SurveyResults {
    pub survey: String,
    pub threshold: u64,
    pub respondents: Count,
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub id: String,
    /// The question's type, as survey files name it.
    #[serde(rename = "type")]
    pub kind: String,
    pub label: Text,
    /// Respondents who answered it.
    pub answered: Count,
    #[serde(flatten)]
    pub detail: Detail,
}

/// What a question's result holds, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Detail {
    /// Single choice, Likert, multiple choice: a count per choice. `no_answer` is given for
    /// single and Likert (the line adds up to the respondents).
    Choices {
        choices: Vec<ChoiceCount>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        no_answer: Option<Count>,
        /// Likert only: the mean point (1 = first), when no count is hidden.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mean: Option<f64>,
    },
    /// Integer and number questions; statistics only over at least `threshold` answers.
    Numbers {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stats: Option<Stats>,
    },
    /// Text questions: the answers, for coordinators (none for viewers).
    Texts {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answers: Option<Vec<String>>,
        /// Whether more answers were given than listed.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        truncated: bool,
    },
    /// Dates, rankings, acknowledgements: only how many answered.
    Answered,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ChoiceCount {
    pub id: String,
    pub label: Text,
    pub count: Count,
    /// Of the respondents, when both counts are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Stats {
    pub mean: f64,
    pub median: f64,
    /// First and third quartiles (linear interpolation between closest ranks).
    pub q1: f64,
    pub q3: f64,
}

/// Adds responses up; [`Tally::finish`] makes the published results.
#[derive(Debug)]
pub struct Tally<'s> {
    survey: &'s Survey,
    respondents: u64,
    questions: Vec<QuestionTally<'s>>,
}

#[derive(Debug)]
struct QuestionTally<'s> {
    question: &'s Question,
    answered: u64,
    /// Per choice, in the question's order.
    choices: Vec<u64>,
    numbers: Numbers,
    texts: Vec<String>,
    texts_seen: u64,
}

impl<'s> Tally<'s> {
    /// Results are laid out by `survey` (the latest version, usually); answers to questions
    /// or choices it no longer has are left out.
    pub fn new(survey: &'s Survey) -> Self {
        let questions = survey
            .questions()
            .filter(|q| q.kind.takes_answer())
            .map(|question| QuestionTally {
                question,
                answered: 0,
                choices: vec![0; question.kind.choices().len()],
                numbers: Numbers::default(),
                texts: Vec::new(),
                texts_seen: 0,
            })
            .collect();
        Self {
            survey,
            respondents: 0,
            questions,
        }
    }

    pub fn add(&mut self, response: &Response, options: &Options) {
        self.add_ref(&response.to_ref(&self.needed()), options);
    }

    /// The answers it counts, for reading responses with ([`ResponseRef::read`]).
    pub fn needed(&self) -> Needed<'s> {
        Needed::new(self.questions.iter().map(|q| q.question.id.as_str()))
    }

    /// [`Tally::add`], for a response read with [`Tally::needed`].
    pub fn add_ref(&mut self, response: &ResponseRef<'_>, options: &Options) {
        self.respondents += 1;
        for (q, answer) in self.questions.iter_mut().zip(response.answers.iter()) {
            let Some(answer) = answer else {
                continue;
            };
            if answer.is_empty() {
                continue;
            }
            q.answered += 1;
            let choices = q.question.kind.choices();
            match (&q.question.kind, answer) {
                (
                    QuestionKind::Single { .. } | QuestionKind::Likert { .. },
                    AnswerRef::Text(code),
                ) => {
                    if let Some(i) = choices.iter().position(|c| c.id.as_str() == code) {
                        q.choices[i] += 1;
                    }
                }
                (QuestionKind::Multiple { .. }, AnswerRef::Choices(codes)) => {
                    for (i, c) in choices.iter().enumerate() {
                        if codes.iter().any(|p| p == c.id.as_str()) {
                            q.choices[i] += 1;
                        }
                    }
                }
                (
                    QuestionKind::Integer { .. } | QuestionKind::Number { .. },
                    AnswerRef::Number(n),
                ) => {
                    if let Some(x) = n.as_f64() {
                        q.numbers.push(x);
                    }
                }
                (QuestionKind::Text { .. } | QuestionKind::LongText { .. }, AnswerRef::Text(t)) => {
                    q.texts_seen += 1;
                    if options.text_answers && q.texts.len() < options.text_limit {
                        q.texts.push(t.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds up `later`, a tally of the same survey over responses that came after this one's:
    /// the result is what adding them all one by one gives (the first text answers included).
    pub fn merge(&mut self, later: Tally<'s>, options: &Options) {
        self.respondents += later.respondents;
        for (q, l) in self.questions.iter_mut().zip(later.questions) {
            q.answered += l.answered;
            q.choices
                .iter_mut()
                .zip(&l.choices)
                .for_each(|(n, m)| *n += m);
            q.numbers.merge(l.numbers);
            q.texts_seen += l.texts_seen;
            let room = options.text_limit.saturating_sub(q.texts.len());
            q.texts.extend(l.texts.into_iter().take(room));
        }
    }

    /// The results, suppressed with `options.min_count`.
    pub fn finish(self, options: &Options) -> SurveyResults {
        let k = options.min_count;
        let respondents = self.respondents;
        let questions = self
            .questions
            .into_iter()
            .map(|q| q.finish(respondents, options))
            .collect();
        SurveyResults {
            survey: self.survey.id.to_string(),
            threshold: k,
            respondents: Count::of(suppress(&[vec![respondents]], k).total, k),
            questions,
        }
    }
}

impl QuestionTally<'_> {
    fn finish(self, respondents: u64, options: &Options) -> QuestionResult {
        let k = options.min_count;
        let kind = &self.question.kind;
        let choices = kind.choices();
        let unanswered = respondents - self.answered;
        // Answered and not: a line adding up to the respondents.
        let answered_line = suppress(&[vec![self.answered, unanswered]], k);
        let answered = Count::of(answered_line.cells[0][0], k);
        let total_shown = answered_line.total.shown();
        let percent = |cell: Cell| match (cell.shown(), total_shown) {
            (Some(n), Some(total)) if total > 0 => Some(round1(100.0 * n as f64 / total as f64)),
            _ => None,
        };
        let mut answered = answered;
        let detail = match kind {
            QuestionKind::Single { .. } | QuestionKind::Likert { .. } => {
                let mut line = self.choices.clone();
                line.push(unanswered);
                let t = suppress(&[line], k);
                let cells = &t.cells[0];
                let counts = choices
                    .iter()
                    .zip(cells)
                    .map(|(c, &cell)| ChoiceCount {
                        id: c.id.to_string(),
                        label: c.label.clone(),
                        count: Count::of(cell, k),
                        percent: percent(cell),
                    })
                    .collect();
                let any_hidden = cells.iter().any(|c| c.is_suppressed());
                let mean = (matches!(kind, QuestionKind::Likert { .. })
                    && !any_hidden
                    && self.answered >= k)
                    .then(|| {
                        let sum: u64 = self
                            .choices
                            .iter()
                            .enumerate()
                            .map(|(i, n)| (i as u64 + 1) * n)
                            .sum();
                        round2(sum as f64 / self.answered as f64)
                    });
                let no_answer = cells[choices.len()];
                // Answered is the respondents less "no answer", in this very line: shown only
                // when both are, or it would be a second total that gives a cell away.
                answered = match (no_answer.shown(), t.total.shown()) {
                    (Some(_), Some(_)) => Count::Shown(self.answered),
                    // A zero says no one, and is shown like every zero.
                    _ if self.answered == 0 => Count::Shown(0),
                    _ => Count::Hidden(format!("<{k}")),
                };
                Detail::Choices {
                    choices: counts,
                    no_answer: Some(Count::of(no_answer, k)),
                    mean,
                }
            }
            QuestionKind::Multiple { .. } => {
                let counts = choices
                    .iter()
                    .zip(&self.choices)
                    .map(|(c, &n)| {
                        let pair = suppress(&[vec![n, respondents - n]], k);
                        let cell = pair.cells[0][0];
                        ChoiceCount {
                            id: c.id.to_string(),
                            label: c.label.clone(),
                            count: Count::of(cell, k),
                            percent: percent(cell),
                        }
                    })
                    .collect();
                Detail::Choices {
                    choices: counts,
                    no_answer: None,
                    mean: None,
                }
            }
            QuestionKind::Integer { .. } | QuestionKind::Number { .. } => Detail::Numbers {
                stats: (self.numbers.len >= k && answered.shown().is_some())
                    .then(|| self.numbers.stats()),
            },
            QuestionKind::Text { .. } | QuestionKind::LongText { .. } => {
                let truncated = options.text_answers && self.texts_seen > self.texts.len() as u64;
                Detail::Texts {
                    answers: options.text_answers.then_some(self.texts),
                    truncated,
                }
            }
            _ => Detail::Answered,
        };
        QuestionResult {
            id: self.question.id.to_string(),
            kind: kind.name().to_owned(),
            label: self.question.label.clone(),
            answered,
            detail,
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Number answers as a count per distinct value, in order. Survey numbers (ages, counts,
/// amounts) repeat, so this stays small however many respondents answered.
#[derive(Debug, Default)]
struct Numbers {
    /// By [`order_key`] of the value.
    counts: BTreeMap<u64, u64>,
    len: u64,
}

impl Numbers {
    fn push(&mut self, x: f64) {
        *self.counts.entry(order_key(x)).or_default() += 1;
        self.len += 1;
    }

    fn merge(&mut self, other: Numbers) {
        for (key, n) in other.counts {
            *self.counts.entry(key).or_default() += n;
        }
        self.len += other.len;
    }

    /// The values in order, each as often as it was given.
    fn sorted(&self) -> impl Iterator<Item = f64> {
        self.counts
            .iter()
            .flat_map(|(&key, &n)| std::iter::repeat_n(value_of(key), n as usize))
    }

    /// The `i`th smallest value (from 0).
    fn nth(&self, i: u64) -> f64 {
        let mut below = 0;
        for (&key, &n) in &self.counts {
            below += n;
            if i < below {
                return value_of(key);
            }
        }
        unreachable!("i is less than the number of values")
    }

    /// Mean, median and quartiles of at least one value.
    fn stats(&self) -> Stats {
        // Added in order, one by one, as summing the sorted values does.
        let mean = self.sorted().fold(-0.0, |sum, x| sum + x) / self.len as f64;
        Stats {
            mean: round2(mean),
            median: self.quantile(0.5),
            q1: self.quantile(0.25),
            q3: self.quantile(0.75),
        }
    }

    /// The `p` quantile, interpolating between the closest ranks (the method spreadsheets'
    /// `QUARTILE.INC` and R's default use).
    fn quantile(&self, p: f64) -> f64 {
        let h = (self.len - 1) as f64 * p;
        let (lo, hi) = (h.floor() as u64, h.ceil() as u64);
        let (low, high) = (self.nth(lo), self.nth(hi));
        round2(low + (h - lo as f64) * (high - low))
    }
}

/// A key whose order as an integer is `f64::total_cmp`'s order of the values.
fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

fn value_of(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// A cross-tab of two single-choice or Likert questions, over the respondents who answered
/// both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct CrossTab {
    pub threshold: u64,
    pub rows: Axis,
    pub columns: Axis,
    /// Rows × columns.
    pub cells: Vec<Vec<Count>>,
    pub row_totals: Vec<Count>,
    pub column_totals: Vec<Count>,
    pub total: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Axis {
    pub question: String,
    pub label: Text,
    pub choices: Vec<AxisChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct AxisChoice {
    pub id: String,
    pub label: Text,
}

/// Why a cross-tab cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrossTabError {
    #[error("the survey has no question {0:?}")]
    Unknown(String),
    #[error(
        "{0:?} is not a single-choice or Likert question: a cross-tab needs two questions with one answer each"
    )]
    NotSingle(String),
}

/// Counts for a cross-tab, added a response at a time.
#[derive(Debug)]
pub struct CrossTally<'s> {
    rows: &'s Question,
    columns: &'s Question,
    counts: Vec<Vec<u64>>,
}

impl<'s> CrossTally<'s> {
    pub fn new(survey: &'s Survey, rows: &str, columns: &str) -> Result<Self, CrossTabError> {
        let find = |id: &str| {
            let q = survey
                .question(id)
                .ok_or_else(|| CrossTabError::Unknown(id.to_owned()))?;
            match q.kind {
                QuestionKind::Single { .. } | QuestionKind::Likert { .. } => Ok(q),
                _ => Err(CrossTabError::NotSingle(id.to_owned())),
            }
        };
        let (rows, columns) = (find(rows)?, find(columns)?);
        let counts = vec![vec![0; columns.kind.choices().len()]; rows.kind.choices().len()];
        Ok(Self {
            rows,
            columns,
            counts,
        })
    }

    pub fn add(&mut self, response: &Response) {
        self.add_ref(&response.to_ref(&self.needed()));
    }

    /// Its two questions' answers, for reading responses with ([`ResponseRef::read`]).
    pub fn needed(&self) -> Needed<'s> {
        Needed::new([self.rows.id.as_str(), self.columns.id.as_str()])
    }

    /// [`CrossTally::add`], for a response read with [`CrossTally::needed`].
    pub fn add_ref(&mut self, response: &ResponseRef<'_>) {
        let index = |q: &Question, place: usize| match response.answers.get(place) {
            Some(AnswerRef::Text(code)) => {
                q.kind.choices().iter().position(|c| c.id.as_str() == code)
            }
            _ => None,
        };
        if let (Some(r), Some(c)) = (index(self.rows, 0), index(self.columns, 1)) {
            self.counts[r][c] += 1;
        }
    }

    /// Adds up `later`, a cross-tab of the same questions over other responses.
    pub fn merge(&mut self, later: CrossTally<'s>) {
        for (row, more) in self.counts.iter_mut().zip(later.counts) {
            row.iter_mut().zip(more).for_each(|(n, m)| *n += m);
        }
    }

    pub fn finish(self, min_count: u64) -> CrossTab {
        let k = min_count;
        let t = suppress(&self.counts, k);
        let counts = |cells: &[Cell]| cells.iter().map(|&c| Count::of(c, k)).collect::<Vec<_>>();
        let axis = |q: &Question| Axis {
            question: q.id.to_string(),
            label: q.label.clone(),
            choices: q
                .kind
                .choices()
                .iter()
                .map(|c| AxisChoice {
                    id: c.id.to_string(),
                    label: c.label.clone(),
                })
                .collect(),
        };
        CrossTab {
            threshold: k,
            rows: axis(self.rows),
            columns: axis(self.columns),
            cells: t.cells.iter().map(|row| counts(row)).collect(),
            row_totals: counts(&t.row_totals),
            column_totals: counts(&t.column_totals),
            total: Count::of(t.total, k),
        }
    }
}

/// Two selections of the same survey side by side (two periods, two versions: T0 and T1),
/// each suppressed on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Comparison {
    pub a: Side,
    pub b: Side,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Side {
    /// How the side was selected, in words (`2026-01-01..2026-03-31`, `version 1`).
    pub label: String,
    pub results: SurveyResults,
}

#[cfg(all(test, feature = "files"))]
mod tests;
