//! Checks of answers against their questions: the same rules in the app and on the collector.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::QuestionId;
use crate::model::{Question, QuestionKind, Survey};
use crate::response::{Answer, Response};

/// What is wrong with one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// A required question has no answer.
    Required,
    /// The answer is not of the question's kind (a list for a single choice, text for a number).
    WrongType {
        expected: String,
    },
    /// The answer names a choice the question does not have.
    UnknownChoice {
        choice: String,
    },
    /// A multiple-choice answer names the same choice twice.
    RepeatedChoice {
        choice: String,
    },
    TooFewChoices {
        min: u32,
    },
    TooManyChoices {
        max: u32,
    },
    /// An integer question got a number with a fraction.
    NotWhole,
    BelowMin {
        min: String,
    },
    AboveMax {
        max: String,
    },
    TooLong {
        max: u32,
    },
    /// A date question got something that is not a real `YYYY-MM-DD` date.
    NotADate,
    /// The answer is to a question the survey does not have.
    UnknownQuestion,
    /// The answer is to a note, which takes none.
    NotAnswerable,
    /// The answer does not meet the question's constraint (its message says why).
    Constraint,
    /// The answer is to a question that was not shown, so it cannot have been given.
    NotRelevant,
    /// A calculated value differs from what the survey computes.
    Calculation {
        expected: String,
    },
    /// A read-only question's answer differs from its default (the respondent cannot change
    /// it, so the response was altered on the way).
    ReadOnly {
        expected: String,
    },
}

impl Problem {
    /// A stable code, for the app's translated messages.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::WrongType { .. } => "wrong_type",
            Self::UnknownChoice { .. } => "unknown_choice",
            Self::RepeatedChoice { .. } => "repeated_choice",
            Self::TooFewChoices { .. } => "too_few_choices",
            Self::TooManyChoices { .. } => "too_many_choices",
            Self::NotWhole => "not_whole",
            Self::BelowMin { .. } => "below_min",
            Self::AboveMax { .. } => "above_max",
            Self::TooLong { .. } => "too_long",
            Self::NotADate => "not_a_date",
            Self::UnknownQuestion => "unknown_question",
            Self::NotAnswerable => "not_answerable",
            Self::Constraint => "constraint",
            Self::NotRelevant => "not_relevant",
            Self::Calculation { .. } => "calculation",
            Self::ReadOnly { .. } => "read_only",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => write!(f, "an answer is required"),
            Self::WrongType { expected } => write!(f, "expected {expected}"),
            Self::UnknownChoice { choice } => write!(f, "{choice:?} is not one of its choices"),
            Self::RepeatedChoice { choice } => write!(f, "{choice:?} is chosen twice"),
            Self::TooFewChoices { min } => write!(f, "choose at least {min}"),
            Self::TooManyChoices { max } => write!(f, "choose at most {max}"),
            Self::NotWhole => write!(f, "expected a whole number"),
            Self::BelowMin { min } => write!(f, "must be at least {min}"),
            Self::AboveMax { max } => write!(f, "must be at most {max}"),
            Self::TooLong { max } => write!(f, "must be at most {max} characters long"),
            Self::NotADate => write!(f, "expected a date as YYYY-MM-DD"),
            Self::UnknownQuestion => write!(f, "the survey has no such question"),
            Self::NotAnswerable => write!(f, "a note takes no answer"),
            Self::Constraint => write!(f, "the answer does not meet the question's constraint"),
            Self::NotRelevant => write!(f, "the question was not shown, so it cannot be answered"),
            Self::Calculation { expected } => {
                write!(f, "the calculated value should be {expected:?}")
            }
            Self::ReadOnly { expected } if expected.is_empty() => {
                write!(f, "the question is read-only and takes no answer")
            }
            Self::ReadOnly { expected } => {
                write!(f, "the question is read-only: its answer is {expected:?}")
            }
        }
    }
}

/// A problem with the answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerError {
    pub question: QuestionId,
    /// For a question of a repeat: the instance (from 1) the answer is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<usize>,
    #[serde(flatten)]
    pub problem: Problem,
    /// The survey's own words for this problem (its `required_message` or
    /// `constraint_message`, in the survey's default language), when it has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl AnswerError {
    pub fn new(question: QuestionId, problem: Problem) -> Self {
        Self {
            question,
            instance: None,
            problem,
            message: None,
        }
    }

    /// The same problem, told in the survey's own words.
    pub fn with_message(self, message: Option<String>) -> Self {
        Self { message, ..self }
    }

    /// The same problem, in instance `n` (from 1) of a repeat.
    pub fn in_instance(self, n: usize) -> Self {
        Self {
            instance: Some(n),
            ..self
        }
    }
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "question {:?}", self.question.as_str())?;
        if let Some(n) = self.instance {
            write!(f, " (instance {n})")?;
        }
        match &self.message {
            Some(m) => write!(f, ": {m} ({})", self.problem),
            None => write!(f, ": {}", self.problem),
        }
    }
}

/// Checks a question's `default` against its kind, as if it were an answer (one that is not
/// a number where a number is needed is `WrongType`).
pub fn check_default(q: &Question) -> Result<(), Problem> {
    if q.default.as_deref().is_none_or(|d| d.trim().is_empty()) {
        return Ok(());
    }
    let Some(answer) = q.default_answer() else {
        return Err(Problem::WrongType {
            expected: "a number".into(),
        });
    };
    check_answer_as(q, false, Some(&answer))
}

/// Checks one question's answer (`None` or an empty answer: not answered).
pub fn check_answer(q: &Question, answer: Option<&Answer>) -> Result<(), Problem> {
    check_answer_as(q, q.required, answer)
}

/// [`check_answer`], with the question `required` or not whatever its own `required` says.
pub(crate) fn check_answer_as(
    q: &Question,
    required: bool,
    answer: Option<&Answer>,
) -> Result<(), Problem> {
    let Some(answer) = answer.filter(|a| !a.is_empty()) else {
        return if required && q.kind.takes_answer() {
            Err(Problem::Required)
        } else {
            Ok(())
        };
    };
    match (&q.kind, answer) {
        (QuestionKind::Note | QuestionKind::Calculate { .. } | QuestionKind::Matrix { .. }, _) => {
            Err(Problem::NotAnswerable)
        }
        (QuestionKind::Acknowledge, Answer::Text(t)) if t == "OK" => Ok(()),
        (QuestionKind::Acknowledge, _) => Err(Problem::WrongType {
            expected: "OK".into(),
        }),
        (QuestionKind::Ranking { choices }, Answer::Choices(order)) => {
            for (i, c) in order.iter().enumerate() {
                if !choices.iter().any(|ch| ch.id.as_str() == c) {
                    return Err(Problem::UnknownChoice { choice: c.clone() });
                }
                if order[..i].contains(c) {
                    return Err(Problem::RepeatedChoice { choice: c.clone() });
                }
            }
            if order.len() == choices.len() {
                Ok(())
            } else {
                Err(Problem::WrongType {
                    expected: "every choice, in order".into(),
                })
            }
        }
        (QuestionKind::Ranking { .. }, _) => Err(Problem::WrongType {
            expected: "every choice, in order".into(),
        }),
        (QuestionKind::Single { choices } | QuestionKind::Likert { choices }, Answer::Text(c)) => {
            if choices.iter().any(|ch| ch.id.as_str() == c) {
                Ok(())
            } else {
                Err(Problem::UnknownChoice { choice: c.clone() })
            }
        }
        (QuestionKind::Single { .. } | QuestionKind::Likert { .. }, _) => Err(Problem::WrongType {
            expected: "one choice".into(),
        }),
        (QuestionKind::Multiple { choices, min, max }, Answer::Choices(picked)) => {
            for (i, c) in picked.iter().enumerate() {
                if !choices.iter().any(|ch| ch.id.as_str() == c) {
                    return Err(Problem::UnknownChoice { choice: c.clone() });
                }
                if picked[..i].contains(c) {
                    return Err(Problem::RepeatedChoice { choice: c.clone() });
                }
            }
            let n = u32::try_from(picked.len()).unwrap_or(u32::MAX);
            match (min, max) {
                (Some(min), _) if n < *min => Err(Problem::TooFewChoices { min: *min }),
                (_, Some(max)) if n > *max => Err(Problem::TooManyChoices { max: *max }),
                _ => Ok(()),
            }
        }
        (QuestionKind::Multiple { .. }, _) => Err(Problem::WrongType {
            expected: "a list of choices".into(),
        }),
        (QuestionKind::Integer { min, max }, Answer::Number(n)) => {
            let v = n.as_i64().ok_or(Problem::NotWhole)?;
            check_bounds(v, *min, *max, |b| b.to_string())
        }
        (QuestionKind::Number { min, max }, Answer::Number(n)) => {
            let v = n.as_f64().ok_or(Problem::WrongType {
                expected: "a number".into(),
            })?;
            check_bounds(v, *min, *max, crate::num::format)
        }
        (QuestionKind::Integer { .. } | QuestionKind::Number { .. }, _) => {
            Err(Problem::WrongType {
                expected: "a number".into(),
            })
        }
        (
            QuestionKind::Text { max_length } | QuestionKind::LongText { max_length },
            Answer::Text(t),
        ) => match max_length {
            Some(max) if t.chars().count() > *max as usize => Err(Problem::TooLong { max: *max }),
            _ => Ok(()),
        },
        (QuestionKind::Text { .. } | QuestionKind::LongText { .. }, _) => Err(Problem::WrongType {
            expected: "text".into(),
        }),
        (QuestionKind::Date, Answer::Text(d)) if is_date(d) => Ok(()),
        (QuestionKind::Date, _) => Err(Problem::NotADate),
        (QuestionKind::Time, Answer::Text(t)) if is_time(t) => Ok(()),
        (QuestionKind::Time, _) => Err(Problem::WrongType {
            expected: "a time as HH:MM".into(),
        }),
        (QuestionKind::DateTime, Answer::Text(t)) if is_datetime(t) => Ok(()),
        (QuestionKind::DateTime, _) => Err(Problem::WrongType {
            expected: "a date and time as YYYY-MM-DDTHH:MM".into(),
        }),
        (QuestionKind::Range { min, max, step }, Answer::Number(n)) => {
            let v = n.as_f64().ok_or(Problem::WrongType {
                expected: "a number".into(),
            })?;
            check_bounds(v, Some(*min), Some(*max), crate::num::format)?;
            let steps = (v - min) / step;
            if *step > 0.0 && (steps - steps.round()).abs() > 1e-9 {
                return Err(Problem::WrongType {
                    expected: format!(
                        "a value in steps of {} from {}",
                        crate::num::format(*step),
                        crate::num::format(*min)
                    ),
                });
            }
            Ok(())
        }
        (QuestionKind::Range { .. }, _) => Err(Problem::WrongType {
            expected: "a number".into(),
        }),
    }
}

/// `v` within `min` and `max`, the bound it passes written by `text` (for a number, the one
/// formatter of [`crate::num`]).
fn check_bounds<T: PartialOrd>(
    v: T,
    min: Option<T>,
    max: Option<T>,
    text: fn(T) -> String,
) -> Result<(), Problem> {
    match (min, max) {
        (Some(min), _) if v < min => Err(Problem::BelowMin { min: text(min) }),
        (_, Some(max)) if v > max => Err(Problem::AboveMax { max: text(max) }),
        _ => Ok(()),
    }
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Whether `s` is a time of day written `HH:MM` or `HH:MM:SS` (24-hour).
pub fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    let two = |i: usize, max: u32| {
        s.get(i..i + 2)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|v| v <= max)
    };
    match b.len() {
        5 => b[2] == b':' && two(0, 23) && two(3, 59),
        8 => b[2] == b':' && b[5] == b':' && two(0, 23) && two(3, 59) && two(6, 59),
        _ => false,
    }
}

/// Whether `s` is a date and a time written `YYYY-MM-DDTHH:MM` (seconds, and a zone such as
/// `Z` or `+01:00`, may follow).
pub fn is_datetime(s: &str) -> bool {
    let Some((date, time)) = s.split_once('T') else {
        return false;
    };
    let time = time
        .strip_suffix('Z')
        .or_else(|| {
            let cut = time.len().checked_sub(6)?;
            let zone = time.get(cut..)?;
            (zone.starts_with(['+', '-']) && is_time(&zone[1..])).then(|| &time[..cut])
        })
        .unwrap_or(time);
    let time = time.split_once('.').map_or(time, |(t, _)| t);
    is_date(date) && is_time(time)
}

/// What is wrong with a response's times (`submitted_at`, `started_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// The field: `submitted_at` or `started_at`.
    pub field: &'static str,
    pub problem: TimeProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeProblem {
    /// An anonymous survey keeps the day only: a time of day is refused.
    ExactInAnonymous { given: String },
    /// Neither a date (`YYYY-MM-DD`) nor a date and time (RFC 3339).
    NotATime { given: String },
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            TimeProblem::ExactInAnonymous { given } => write!(
                f,
                "{}: the survey is anonymous, so it records the date only (YYYY-MM-DD), not an exact time ({given:?})",
                self.field
            ),
            TimeProblem::NotATime { given } => write!(
                f,
                "{}: {given:?} is not a date (YYYY-MM-DD) or a date and time (RFC 3339)",
                self.field
            ),
        }
    }
}

/// Checks a response's times against its survey: an anonymous survey keeps no exact time
/// (`submitted_at` is a date, `started_at` a date or absent); any other keeps a date or a date
/// and time.
pub fn check_times(survey: &Survey, response: &Response) -> Result<(), TimeError> {
    let fields = [
        ("submitted_at", Some(&response.submitted_at)),
        ("started_at", response.started_at.as_ref()),
    ];
    for (field, value) in fields {
        let Some(given) = value else { continue };
        let problem = if is_date(given) {
            continue;
        } else if !is_datetime(given) {
            TimeProblem::NotATime {
                given: given.clone(),
            }
        } else if survey.anonymous {
            TimeProblem::ExactInAnonymous {
                given: given.clone(),
            }
        } else {
            continue;
        };
        return Err(TimeError { field, problem });
    }
    Ok(())
}

/// Checks every answer of a response against the survey it names: required answers given,
/// every answer valid for its question and its constraint, no answer to a question the
/// survey's logic did not show, calculations as computed.
///
/// Returns all problems, in question order, so a client can show them together. Building the
/// engine parses the survey's expressions; a caller checking many responses should build one
/// [`Engine`](crate::engine::Engine) and call its `check_response`.
pub fn check_response(survey: &Survey, response: &Response) -> Result<(), Vec<AnswerError>> {
    match crate::engine::Engine::new(survey) {
        Ok(engine) => engine.check_response(response),
        // A survey that was checked always builds; one that was not is refused whole.
        Err(errors) => Err(errors
            .into_iter()
            .map(|e| {
                AnswerError::new(
                    QuestionId::parse(e.owner)
                        .unwrap_or_else(|_| QuestionId::parse("survey").expect("valid")),
                    Problem::Calculation {
                        expected: e.message,
                    },
                )
            })
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::Choice;
    use crate::text::Text;

    fn q(kind: QuestionKind, required: bool) -> Question {
        Question {
            required,
            ..Question::new(
                QuestionId::parse("q").unwrap(),
                Text::one("it", "Domanda"),
                kind,
            )
        }
    }

    fn choices(ids: &[&str]) -> Vec<Choice> {
        ids.iter()
            .map(|id| Choice::new(crate::ChoiceId::parse(*id).unwrap(), Text::one("it", id)))
            .collect()
    }

    fn answer(v: serde_json::Value) -> Answer {
        serde_json::from_value(v).unwrap()
    }

    /// A question kind, whether it is required, the answer given, and the expected problem code.
    type Case = (
        QuestionKind,
        bool,
        Option<serde_json::Value>,
        Result<(), &'static str>,
    );

    /// A slider from 0 to 10 in steps of 2.
    fn range() -> QuestionKind {
        QuestionKind::Range {
            min: 0.0,
            max: 10.0,
            step: 2.0,
        }
    }

    #[test]
    fn answers_against_their_questions() {
        let single = QuestionKind::Single {
            choices: choices(&["a", "b"]),
        };
        let multi = QuestionKind::Multiple {
            choices: choices(&["a", "b", "c", "d"]),
            min: Some(1),
            max: Some(3),
        };
        let age = QuestionKind::Integer {
            min: Some(11),
            max: Some(35),
        };
        let text = QuestionKind::Text {
            max_length: Some(5),
        };
        let cases: Vec<Case> = vec![
            (single.clone(), true, Some(json!("a")), Ok(())),
            (single.clone(), true, None, Err("required")),
            (single.clone(), true, Some(json!("")), Err("required")),
            (single.clone(), false, None, Ok(())),
            (
                single.clone(),
                false,
                Some(json!("z")),
                Err("unknown_choice"),
            ),
            (single.clone(), false, Some(json!(["a"])), Err("wrong_type")),
            (multi.clone(), false, Some(json!(["a", "c"])), Ok(())),
            (
                multi.clone(),
                false,
                Some(json!(["a", "b", "c", "d"])),
                Err("too_many_choices"),
            ),
            (
                multi.clone(),
                false,
                Some(json!(["a", "a"])),
                Err("repeated_choice"),
            ),
            (multi.clone(), false, Some(json!("a")), Err("wrong_type")),
            (multi.clone(), true, Some(json!([])), Err("required")),
            (age.clone(), true, Some(json!(15)), Ok(())),
            (age.clone(), true, Some(json!(15.5)), Err("not_whole")),
            (age.clone(), true, Some(json!(10)), Err("below_min")),
            (age.clone(), true, Some(json!(36)), Err("above_max")),
            (age.clone(), true, Some(json!("15")), Err("wrong_type")),
            (
                QuestionKind::Number {
                    min: Some(0.5),
                    max: None,
                },
                true,
                Some(json!(0.75)),
                Ok(()),
            ),
            (text.clone(), false, Some(json!("ciao")), Ok(())),
            (text.clone(), false, Some(json!("perché")), Err("too_long")),
            (QuestionKind::Date, true, Some(json!("2024-02-29")), Ok(())),
            (
                QuestionKind::Date,
                true,
                Some(json!("2023-02-29")),
                Err("not_a_date"),
            ),
            (
                QuestionKind::Date,
                true,
                Some(json!("23/11/2026")),
                Err("not_a_date"),
            ),
            (QuestionKind::Time, true, Some(json!("08:30")), Ok(())),
            (QuestionKind::Time, true, Some(json!("23:59:59")), Ok(())),
            (
                QuestionKind::Time,
                true,
                Some(json!("24:00")),
                Err("wrong_type"),
            ),
            (
                QuestionKind::Time,
                true,
                Some(json!("8:30")),
                Err("wrong_type"),
            ),
            (
                QuestionKind::DateTime,
                true,
                Some(json!("2026-11-23T08:30")),
                Ok(()),
            ),
            (
                QuestionKind::DateTime,
                true,
                Some(json!("2026-11-23T08:30:00.000+01:00")),
                Ok(()),
            ),
            (
                QuestionKind::DateTime,
                true,
                Some(json!("2026-11-23")),
                Err("wrong_type"),
            ),
            (range(), true, Some(json!(4)), Ok(())),
            (range(), true, Some(json!(5)), Err("wrong_type")),
            (range(), true, Some(json!(12)), Err("above_max")),
            (range(), true, Some(json!("4")), Err("wrong_type")),
            (QuestionKind::Note, false, None, Ok(())),
            (
                QuestionKind::Note,
                false,
                Some(json!("x")),
                Err("not_answerable"),
            ),
        ];
        for (kind, required, given, want) in cases {
            let a = given.clone().map(answer);
            let got = check_answer(&q(kind.clone(), required), a.as_ref()).map_err(|p| p.code());
            assert_eq!(
                got,
                want,
                "{} required={required} answer={given:?}",
                kind.name()
            );
        }
    }

    #[test]
    fn a_response_reports_every_problem() {
        let survey = Survey {
            id: crate::SurveyId::parse("s").unwrap(),
            version: "1".into(),
            title: Text::one("it", "S"),
            description: None,
            languages: vec!["it".into()],
            anonymous: true,
            consent: None,
            collection: Default::default(),
            min_count: crate::model::DEFAULT_MIN_COUNT,
            sections: vec![crate::Section {
                id: crate::SectionId::parse("p").unwrap(),
                title: None,
                relevant: None,
                repeat: None,
                questions: vec![q(
                    QuestionKind::Integer {
                        min: None,
                        max: Some(3),
                    },
                    true,
                )],
            }],
        };
        let response: Response = serde_json::from_value(json!({
            "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40",
            "survey": "s", "version": "1", "site": "a/b", "language": "it",
            "submitted_at": "2026-11-23T10:00:00Z",
            "answers": { "q": 4, "ghost": "x" }
        }))
        .unwrap();
        let errors = check_response(&survey, &response).unwrap_err();
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.question.as_str(), e.problem.code()))
            .collect();
        assert_eq!(codes, [("ghost", "unknown_question"), ("q", "above_max")]);
        assert_eq!(errors[1].to_string(), "question \"q\": must be at most 3");
    }

    #[test]
    fn an_anonymous_response_keeps_the_date_only() {
        let mut survey = Survey {
            anonymous: true,
            ..serde_json::from_value(json!({
                "id": "s", "version": "1", "title": {"it": "S"}, "languages": ["it"],
                "sections": []
            }))
            .unwrap()
        };
        let mut response: Response = serde_json::from_value(json!({
            "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40", "survey": "s", "version": "1",
            "site": "a/b", "language": "it", "submitted_at": "2026-03-02", "answers": {}
        }))
        .unwrap();
        assert_eq!(check_times(&survey, &response), Ok(()));
        response.started_at = Some("2026-03-02".into());
        assert_eq!(check_times(&survey, &response), Ok(()));
        response.submitted_at = "2026-03-02T10:15:00+01:00".into();
        let e = check_times(&survey, &response).unwrap_err();
        assert_eq!(e.field, "submitted_at");
        assert!(
            e.to_string()
                .starts_with("submitted_at: the survey is anonymous"),
            "{e}"
        );
        response.submitted_at = "2026-03-02".into();
        response.started_at = Some("2026-03-02T10:05:00.000Z".into());
        assert_eq!(
            check_times(&survey, &response).unwrap_err().field,
            "started_at"
        );

        survey.anonymous = false;
        assert_eq!(
            check_times(&survey, &response),
            Ok(()),
            "may record the time"
        );
        response.submitted_at = "ieri".into();
        assert!(matches!(
            check_times(&survey, &response),
            Err(TimeError {
                field: "submitted_at",
                problem: TimeProblem::NotATime { .. }
            })
        ));
    }

    #[test]
    fn randomized_choices_keep_their_order_per_respondent() {
        let mut q = q(
            QuestionKind::Single {
                choices: choices(&["a", "b", "c", "d", "e", "f"]),
            },
            false,
        );
        assert_eq!(
            q.choice_order("r1"),
            [0, 1, 2, 3, 4, 5],
            "in order unless randomize"
        );
        q.randomize = true;
        let first = q.choice_order("r1");
        assert_eq!(
            q.choice_order("r1"),
            first,
            "the same respondent sees the same order"
        );
        let mut sorted = first.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3, 4, 5], "a permutation");
        let orders: std::collections::BTreeSet<Vec<usize>> =
            (0..20).map(|i| q.choice_order(&format!("r{i}"))).collect();
        assert!(orders.len() > 10, "respondents see different orders");
    }

    #[test]
    fn unknown_fields_in_a_response_are_refused() {
        let r = serde_json::from_value::<Response>(json!({
            "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40", "survey": "s", "version": "1",
            "site": "a", "language": "it", "submitted_at": "x", "answers": {}, "extra": 1
        }));
        assert!(r.is_err());
    }
}
