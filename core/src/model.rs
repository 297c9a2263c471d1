//! The survey model: what the app runs and the collector validates against.
//!
//! Surveys reach the app as JSON of these types, already checked, so the app never parses TOML.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ChoiceId, QuestionId, SectionId, SurveyId};
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
    pub questions: Vec<Question>,
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
    #[serde(flatten)]
    pub kind: QuestionKind,
}

impl Question {
    /// A question with no logic: optional, always shown.
    pub fn new(id: QuestionId, label: Text, kind: QuestionKind) -> Self {
        Self {
            id,
            label,
            hint: None,
            required: false,
            required_if: None,
            relevant: None,
            constraint: None,
            constraint_message: None,
            choice_filter: None,
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
    /// Text shown to the respondent; takes no answer.
    Note,
    /// A hidden value computed from other answers, exported like an answer.
    Calculate { calculation: String },
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
            Self::Note => "note",
            Self::Calculate { .. } => "calculate",
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
        !matches!(self, Self::Note | Self::Calculate { .. })
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
