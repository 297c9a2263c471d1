//! The survey model: what the app runs and the collector validates against.
//!
//! Surveys reach the app as JSON of these types, already checked, so the app never parses TOML.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ChoiceId, QuestionId, SectionId, SurveyId};
use crate::response::Answer;
use crate::text::{Lang, Text};

/// One version of a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub id: SurveyId,
    /// The version responses record; the collector validates a response against its version.
    pub version: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The languages every text is given in; the first is the default.
    pub languages: Vec<Lang>,
    /// An anonymous survey keeps no exact times (the submission's date only) and the collector
    /// logs no addresses for it. Surveys are anonymous unless the file says otherwise.
    #[serde(default = "yes")]
    pub anonymous: bool,
    /// A consent (or, for minors, assent) text each respondent must accept before the questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Text>,
    /// Who may submit responses: anyone with the link, or only enrolled devices.
    #[serde(default)]
    pub collection: Collection,
    /// Aggregated results hide every count below this (small-cell suppression), and the
    /// counts that would give a hidden one away.
    #[serde(default = "default_min_count")]
    pub min_count: u32,
    /// Sections are pages: the app shows one section at a time.
    pub sections: Vec<Section>,
}

impl Survey {
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("it", String::as_str)
    }

    /// Every question, in order, across sections.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id.as_str() == id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: SectionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// When the whole page is shown (an expression); shown always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant: Option<String>,
    /// Asked once per instance (XLSForm's repeat: each member of a household), when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    pub questions: Vec<Question>,
}

/// How often a repeated section is asked. Its answers are one `Answer::Instances`
/// under the section's id, each instance holding the answers to the section's questions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Repeat {
    /// How many instances there are (an expression such as `${members}`); when absent the
    /// respondent adds and removes instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
}

fn yes() -> bool {
    true
}

/// Who may submit responses to a survey.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// Anyone with the link (a citizen survey); the collector limits how fast each client
    /// may submit.
    #[default]
    Open,
    /// Only devices an admin enrolled for this survey (they send their device token).
    Enrolled,
}

impl Collection {
    pub const NAMES: &'static [&'static str] = &["open", "enrolled"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "open" => Some(Self::Open),
            "enrolled" => Some(Self::Enrolled),
            _ => None,
        }
    }
}

/// The smallest count aggregated results show unless the survey says otherwise.
pub const DEFAULT_MIN_COUNT: u32 = 5;
/// The range a survey may set `min_count` in: below 3, suppression protects no one.
pub const MIN_COUNT_RANGE: std::ops::RangeInclusive<u32> = 3..=100;

fn default_min_count() -> u32 {
    DEFAULT_MIN_COUNT
}

/// Whether `b` is false, for `skip_serializing_if`.
fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
    #[serde(default)]
    pub required: bool,
    /// Required only when this expression holds (instead of `required = true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_if: Option<String>,
    /// What to tell the respondent when a required answer is missing (instead of the app's
    /// generic message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_message: Option<Text>,
    /// The answer a new response starts with, as XLSForm writes it: a choice code (codes
    /// separated by spaces for several), a number, a text, a date. See [`Question::default_answer`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Shown but not changed by the respondent: its answer is its `default` (or nothing).
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// When the question is shown (an expression); always when absent. An answer to a question
    /// that is not shown is not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant: Option<String>,
    /// A condition the answer must meet (`.` is the answer), checked only when answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    /// What to tell the respondent when the constraint fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint_message: Option<Text>,
    /// Which choices to offer (an expression over the choice's `filter` fields, such as
    /// `comune = ${comune}`); every choice when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_filter: Option<String>,
    /// Show the choices in a different order to each respondent (the codes do not change).
    #[serde(default, skip_serializing_if = "is_false")]
    pub randomize: bool,
    /// The matrix this question is a row of: rows follow their matrix and share its scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_of: Option<QuestionId>,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

impl Question {
    /// The order to show the choices in: as written, or, when `randomize` is set, shuffled
    /// the same way every time for the same `seed` (the response's id), so a reload or a
    /// language switch does not reshuffle under the respondent's finger.
    pub fn choice_order(&self, seed: &str) -> Vec<usize> {
        let n = match &self.kind {
            QuestionKind::Ranking { choices } => choices.len(),
            kind => kind.choices().len(),
        };
        let mut order: Vec<usize> = (0..n).collect();
        if !self.randomize {
            return order;
        }
        // FNV-1a of seed and question id, then xorshift64 for a Fisher-Yates shuffle.
        let mut x = seed
            .bytes()
            .chain([0])
            .chain(self.id.as_str().bytes())
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            })
            | 1;
        for i in (1..n).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        order
    }

    /// The `default` as an answer of this question's kind: numbers for numeric kinds, the
    /// space-separated codes for several choices, the text itself otherwise. `None` when
    /// there is no default, or when it is not a number where a number is needed.
    pub fn default_answer(&self) -> Option<Answer> {
        let raw = self.default.as_deref()?.trim();
        if raw.is_empty() {
            return None;
        }
        Some(match &self.kind {
            QuestionKind::Multiple { .. } | QuestionKind::Ranking { .. } => {
                Answer::Choices(raw.split_whitespace().map(str::to_owned).collect())
            }
            QuestionKind::Integer { .. }
            | QuestionKind::Number { .. }
            | QuestionKind::Range { .. } => {
                let n = match raw.parse::<i64>() {
                    Ok(i) => serde_json::Number::from(i),
                    Err(_) => serde_json::Number::from_f64(raw.parse::<f64>().ok()?)?,
                };
                Answer::Number(n)
            }
            _ => Answer::Text(raw.to_owned()),
        })
    }

    /// A question with no logic: optional, always shown.
    pub fn new(id: QuestionId, label: Text, kind: QuestionKind) -> Self {
        Self {
            id,
            label,
            hint: None,
            required: false,
            required_if: None,
            required_message: None,
            default: None,
            read_only: false,
            relevant: None,
            constraint: None,
            constraint_message: None,
            choice_filter: None,
            randomize: false,
            row_of: None,
            kind,
        }
    }
}

/// What kind of answer a question takes, with the limits of that kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One choice from a list.
    Single { choices: Vec<Choice> },
    /// Any number of choices from a list, optionally between `min` and `max`.
    Multiple {
        choices: Vec<Choice>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// One point on an ordered scale (first = lowest); exports the point's code.
    Likert { choices: Vec<Choice> },
    /// A whole number.
    Integer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<i64>,
    },
    /// A decimal number.
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// One line of text.
    Text {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    /// Several lines of text.
    LongText {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A time of day, `HH:MM` (24-hour).
    Time,
    /// A date and a time of day, `YYYY-MM-DDTHH:MM`.
    DateTime,
    /// A number picked on a scale from `min` to `max` in steps of `step` (a slider).
    Range { min: f64, max: f64, step: f64 },
    /// Text shown to the respondent; takes no answer.
    Note,
    /// A hidden value computed from other answers, exported like an answer.
    Calculate { calculation: String },
    /// Every choice put in order, most important first; the answer lists all the codes.
    Ranking { choices: Vec<Choice> },
    /// A statement to accept (consent, assent); the answer is `OK`.
    Acknowledge,
    /// The head of an agreement grid: its label and scale. Its rows are the likert questions
    /// that follow it with `row_of` naming it. Takes no answer itself.
    Matrix { choices: Vec<Choice> },
}

impl QuestionKind {
    /// The names survey files use for the kinds, in the order documentation lists them.
    pub const NAMES: &'static [&'static str] = &[
        "single",
        "multiple",
        "likert",
        "integer",
        "number",
        "text",
        "long_text",
        "date",
        "note",
        "calculate",
        "ranking",
        "acknowledge",
        "matrix",
        "time",
        "datetime",
        "range",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Self::Single { .. } => "single",
            Self::Multiple { .. } => "multiple",
            Self::Likert { .. } => "likert",
            Self::Integer { .. } => "integer",
            Self::Number { .. } => "number",
            Self::Text { .. } => "text",
            Self::LongText { .. } => "long_text",
            Self::Date => "date",
            Self::Time => "time",
            Self::DateTime => "datetime",
            Self::Range { .. } => "range",
            Self::Note => "note",
            Self::Calculate { .. } => "calculate",
            Self::Ranking { .. } => "ranking",
            Self::Acknowledge => "acknowledge",
            Self::Matrix { .. } => "matrix",
        }
    }

    pub fn choices(&self) -> &[Choice] {
        match self {
            Self::Single { choices }
            | Self::Multiple { choices, .. }
            | Self::Likert { choices } => choices,
            _ => &[],
        }
    }

    /// Whether the respondent answers it (a note and a calculation do not).
    pub fn takes_answer(&self) -> bool {
        !matches!(
            self,
            Self::Note | Self::Calculate { .. } | Self::Matrix { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: ChoiceId,
    pub label: Text,
    /// Extra fields a `choice_filter` can test, such as `comune = "melzo"` on a school.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filter: BTreeMap<String, String>,
}

impl Choice {
    pub fn new(id: ChoiceId, label: Text) -> Self {
        Self {
            id,
            label,
            filter: BTreeMap::new(),
        }
    }
}
