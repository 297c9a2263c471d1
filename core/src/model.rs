//! The survey model: what the app runs and the collector validates against.
//!
//! Surveys reach the app as JSON of these types, already checked, so the app never parses TOML.

use serde::{Deserialize, Deserializer, Serialize};

use crate::VecMap;
use crate::ids::{ChoiceId, QuestionId, SectionId, SurveyId};
use crate::response::Answer;
use crate::serde_lean::{object_only, variant};
use crate::text::{Lang, Text};

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(Survey, Section, Repeat, Choice);

/// One version of a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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
#[serde(remote = "Self")]
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
#[serde(remote = "Self")]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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

// The names `Serialize` writes, read by the reader all such enums share (`serde_lean`).
impl<'de> Deserialize<'de> for Collection {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let all = [Self::Open, Self::Enrolled];
        variant(d, "Collection", Self::NAMES).map(|i| all[i])
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

/// Read from JSON through [`wire::QuestionWire`] (one flat record, then the kind's fields
/// picked by `type`): the same JSON as the derived form, without serde's buffering of
/// `flatten` and internally tagged enums, which the app's download pays for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "wire::QuestionWire")]
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
                    Err(_) => serde_json::Number::from_f64(crate::num::parse(raw)?)?,
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

/// What kind of answer a question takes, with the limits of that kind. Written as the
/// question's `type` and the kind's fields beside the question's own; read as part of
/// [`Question`].
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    #[serde(rename = "datetime")]
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
#[serde(remote = "Self")]
pub struct Choice {
    pub id: ChoiceId,
    pub label: Text,
    /// Extra fields a `choice_filter` can test, such as `comune = "melzo"` on a school.
    #[serde(default, skip_serializing_if = "VecMap::is_empty")]
    pub filter: VecMap<String, String>,
}

impl Choice {
    pub fn new(id: ChoiceId, label: Text) -> Self {
        Self {
            id,
            label,
            filter: VecMap::new(),
        }
    }
}

/// How a [`Question`] is read from JSON: every field any kind may have, then the kind.
mod wire {
    use serde::Deserialize;
    use serde_json::Number;

    use super::{Choice, Question, QuestionKind};
    use crate::ids::QuestionId;
    use crate::serde_lean::read_unit_variants;
    use crate::text::Text;

    /// The kinds, read by their JSON names.
    #[derive(Clone, Copy)]
    enum Kind {
        Single,
        Multiple,
        Likert,
        Integer,
        Number,
        Text,
        LongText,
        Date,
        Time,
        DateTime,
        Range,
        Note,
        Calculate,
        Ranking,
        Acknowledge,
        Matrix,
    }

    // The names `QuestionKind` is written with, read by the reader all such enums share
    // (`serde_lean`). `datetime` was written `date_time` before it took its file name (an
    // app's kept catalog).
    read_unit_variants!(Kind {
        Single = "single",
        Multiple = "multiple",
        Likert = "likert",
        Integer = "integer",
        Number = "number",
        Text = "text",
        LongText = "long_text",
        Date = "date",
        Time = "time",
        DateTime = "date_time",
        DateTime = "datetime",
        Range = "range",
        Note = "note",
        Calculate = "calculate",
        Ranking = "ranking",
        Acknowledge = "acknowledge",
        Matrix = "matrix",
    });

    // Read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
    crate::serde_lean::object_only!(de: QuestionWire);

    #[derive(Deserialize)]
    #[serde(remote = "Self")]
    pub struct QuestionWire {
        id: QuestionId,
        label: Text,
        #[serde(default)]
        hint: Option<Text>,
        #[serde(default)]
        required: bool,
        #[serde(default)]
        required_if: Option<String>,
        #[serde(default)]
        required_message: Option<Text>,
        #[serde(default)]
        default: Option<String>,
        #[serde(default)]
        read_only: bool,
        #[serde(default)]
        relevant: Option<String>,
        #[serde(default)]
        constraint: Option<String>,
        #[serde(default)]
        constraint_message: Option<Text>,
        #[serde(default)]
        choice_filter: Option<String>,
        #[serde(default)]
        randomize: bool,
        #[serde(default)]
        row_of: Option<QuestionId>,
        #[serde(rename = "type")]
        kind: Kind,
        #[serde(default)]
        choices: Option<Vec<Choice>>,
        #[serde(default)]
        min: Option<Number>,
        #[serde(default)]
        max: Option<Number>,
        #[serde(default)]
        step: Option<Number>,
        #[serde(default)]
        max_length: Option<u32>,
        #[serde(default)]
        calculation: Option<String>,
    }

    fn missing(field: &str) -> String {
        format!("missing field `{field}`")
    }

    /// A bound as the kind needs it; `what` names the type in the error.
    fn bound<T>(
        n: Option<Number>,
        field: &str,
        what: &str,
        read: impl Fn(&Number) -> Option<T>,
    ) -> Result<Option<T>, String> {
        n.map(|n| read(&n).ok_or_else(|| format!("`{field}` must be {what}, not {n}")))
            .transpose()
    }

    fn whole(n: Option<Number>, field: &str) -> Result<Option<i64>, String> {
        bound(n, field, "a whole number", Number::as_i64)
    }

    fn count(n: Option<Number>, field: &str) -> Result<Option<u32>, String> {
        bound(n, field, "a count", |n| {
            n.as_u64().and_then(|n| u32::try_from(n).ok())
        })
    }

    fn decimal(n: Option<Number>, field: &str) -> Result<Option<f64>, String> {
        bound(n, field, "a number", Number::as_f64)
    }

    impl TryFrom<QuestionWire> for Question {
        type Error = String;

        fn try_from(w: QuestionWire) -> Result<Self, String> {
            let choices = || w.choices.clone().ok_or_else(|| missing("choices"));
            let (min, max) = (w.min.clone(), w.max.clone());
            let kind = match w.kind {
                Kind::Single => QuestionKind::Single {
                    choices: choices()?,
                },
                Kind::Multiple => QuestionKind::Multiple {
                    choices: choices()?,
                    min: count(min, "min")?,
                    max: count(max, "max")?,
                },
                Kind::Likert => QuestionKind::Likert {
                    choices: choices()?,
                },
                Kind::Integer => QuestionKind::Integer {
                    min: whole(min, "min")?,
                    max: whole(max, "max")?,
                },
                Kind::Number => QuestionKind::Number {
                    min: decimal(min, "min")?,
                    max: decimal(max, "max")?,
                },
                Kind::Text => QuestionKind::Text {
                    max_length: w.max_length,
                },
                Kind::LongText => QuestionKind::LongText {
                    max_length: w.max_length,
                },
                Kind::Date => QuestionKind::Date,
                Kind::Time => QuestionKind::Time,
                Kind::DateTime => QuestionKind::DateTime,
                Kind::Range => QuestionKind::Range {
                    min: decimal(min, "min")?.ok_or_else(|| missing("min"))?,
                    max: decimal(max, "max")?.ok_or_else(|| missing("max"))?,
                    step: decimal(w.step.clone(), "step")?.ok_or_else(|| missing("step"))?,
                },
                Kind::Note => QuestionKind::Note,
                Kind::Calculate => QuestionKind::Calculate {
                    calculation: w
                        .calculation
                        .clone()
                        .ok_or_else(|| missing("calculation"))?,
                },
                Kind::Ranking => QuestionKind::Ranking {
                    choices: choices()?,
                },
                Kind::Acknowledge => QuestionKind::Acknowledge,
                Kind::Matrix => QuestionKind::Matrix {
                    choices: choices()?,
                },
            };
            Ok(Question {
                id: w.id,
                label: w.label,
                hint: w.hint,
                required: w.required,
                required_if: w.required_if,
                required_message: w.required_message,
                default: w.default,
                read_only: w.read_only,
                relevant: w.relevant,
                constraint: w.constraint,
                constraint_message: w.constraint_message,
                choice_filter: w.choice_filter,
                randomize: w.randomize,
                row_of: w.row_of,
                kind,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: QuestionKind) -> Question {
        let id = QuestionId::try_from("q".to_owned()).unwrap();
        Question::new(id, Text::one("it", "Domanda"), kind)
    }

    fn choices() -> Vec<Choice> {
        let id = ChoiceId::try_from("a".to_owned()).unwrap();
        vec![Choice::new(id, Text::one("it", "A"))]
    }

    #[test]
    fn every_kind_reads_back_from_its_json() {
        let kinds = [
            QuestionKind::Single { choices: choices() },
            QuestionKind::Multiple {
                choices: choices(),
                min: Some(1),
                max: Some(3),
            },
            QuestionKind::Likert { choices: choices() },
            QuestionKind::Integer {
                min: Some(-9_007_199_254_740_993),
                max: Some(120),
            },
            QuestionKind::Number {
                min: Some(0.5),
                max: None,
            },
            QuestionKind::Text {
                max_length: Some(80),
            },
            QuestionKind::LongText { max_length: None },
            QuestionKind::Date,
            QuestionKind::Time,
            QuestionKind::DateTime,
            QuestionKind::Range {
                min: 0.0,
                max: 10.0,
                step: 0.5,
            },
            QuestionKind::Note,
            QuestionKind::Calculate {
                calculation: "${a} + 1".into(),
            },
            QuestionKind::Ranking { choices: choices() },
            QuestionKind::Acknowledge,
            QuestionKind::Matrix { choices: choices() },
        ];
        assert_eq!(kinds.len(), QuestionKind::NAMES.len());
        for kind in kinds {
            let mut q = question(kind);
            q.required_if = Some("${b} = 1".into());
            q.randomize = true;
            let json = serde_json::to_value(&q).unwrap();
            assert_eq!(json["type"], q.kind.name(), "the type is the file's name");
            let back: Question = serde_json::from_value(json).unwrap();
            assert_eq!(back, q);
        }
    }

    #[test]
    fn wrong_kind_fields_are_refused_with_the_field() {
        let read = |json: &str| {
            serde_json::from_str::<Question>(json)
                .unwrap_err()
                .to_string()
        };
        let head = r#""id": "q", "label": {"it": "D"}"#;
        assert!(read(&format!(r#"{{{head}, "type": "single"}}"#)).contains("`choices`"));
        assert!(
            read(&format!(
                r#"{{{head}, "type": "range", "min": 0, "max": 1}}"#
            ))
            .contains("`step`")
        );
        assert!(read(&format!(r#"{{{head}, "type": "integer", "min": 1.5}}"#)).contains("`min`"));
        assert!(
            read(&format!(
                r#"{{{head}, "type": "multiple", "choices": [], "max": -1}}"#
            ))
            .contains("`max`")
        );
        assert!(read(&format!(r#"{{{head}, "type": "slider"}}"#)).contains("slider"));
        assert!(read(&format!(r#"{{{head}}}"#)).contains("`type`"));
    }

    #[test]
    fn fields_of_other_kinds_are_ignored_and_the_old_datetime_name_read() {
        let q: Question = serde_json::from_str(
            r#"{"id": "q", "label": {"it": "D"}, "type": "date_time", "choices": [], "min": 2}"#,
        )
        .unwrap();
        assert_eq!(q.kind, QuestionKind::DateTime);
    }
}
