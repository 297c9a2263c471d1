//! The survey model: what the app runs and the collector validates against.
//!
//! Surveys reach the app as JSON of these types, already checked, so the app never parses TOML.

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
    #[serde(flatten)]
    pub kind: QuestionKind,
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

    /// Whether the kind takes an answer at all (a note does not).
    pub fn takes_answer(&self) -> bool {
        !matches!(self, Self::Note)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: ChoiceId,
    pub label: Text,
}
