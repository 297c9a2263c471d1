//! A respondent's answers: what the app queues and the collector stores.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{QuestionId, ResponseId, SiteId, SurveyId};
use crate::text::Lang;

/// One completed questionnaire.
///
/// Its JSON is canonical (fields in a fixed order, answers sorted by question id), so the
/// collector can tell a resent response (same bytes) from a conflicting one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub id: ResponseId,
    pub survey: SurveyId,
    /// The survey version it was answered with.
    pub version: String,
    pub site: SiteId,
    pub language: Lang,
    /// When the respondent finished, as the device's clock said: RFC 3339, or only the date
    /// (`YYYY-MM-DD`) for an anonymous survey.
    pub submitted_at: String,
    /// When the respondent started (RFC 3339); never recorded for an anonymous survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// The class or group the youth worker named when starting the session ("3B", "Gruppo 1").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub answers: BTreeMap<QuestionId, Answer>,
}

impl Response {
    /// The canonical JSON the collector compares resent responses by.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("a response always serialises")
    }
}

/// One answer. The question says how to read it: a choice id and a text are both strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Number(serde_json::Number),
    Text(String),
    Choices(Vec<String>),
    /// The answers of a repeated section, under the section's id: one map per instance (one
    /// member of a household), each holding the answers to the section's questions.
    Instances(Vec<BTreeMap<QuestionId, Answer>>),
}

impl Answer {
    /// Whether the answer counts as not given (empty text, no choices).
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(s) => s.trim().is_empty(),
            Answer::Choices(c) => c.is_empty(),
            Answer::Instances(i) => i.is_empty(),
            Answer::Number(_) => false,
        }
    }
}
