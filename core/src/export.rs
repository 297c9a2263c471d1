//! The column layout of a survey's CSV: one row per response, one column per question.
//!
//! A multiple-choice question gives one column with the chosen codes (space-separated, as ODK
//! does) and one 0/1 column per choice named `question/choice`; a ranking gives the codes in
//! order and each choice's rank (1 = first) in `question/choice`. Notes and matrix heads give
//! no column (a matrix's rows are questions of their own).
//!
//! A repeated section gives one column in the main file, named by its id, with the number of
//! instances; its questions are in a file of their own (as ODK Central does): one row per
//! instance, the section's question columns, then `PARENT_KEY` (the response's id, the main
//! file's `response_id`) and `KEY` (`<response_id>/<repeat>[n]`, n from 1).

use std::borrow::Cow;
use std::fmt::Write;

use crate::ids::QuestionId;
use crate::model::{Question, QuestionKind, Section, Survey};
use crate::response::{Answer, AnswerMap, AnswerRef, Needed, Response, ResponseRef};

/// Columns every export starts with, before the questions.
pub const FIXED_COLUMNS: [&str; 7] = [
    "response_id",
    "survey_version",
    "site",
    "group",
    "language",
    "started_at",
    "submitted_at",
];

/// The columns a repeat's file ends with: the response an instance belongs to, and the
/// instance's own key.
pub const REPEAT_KEY_COLUMNS: [&str; 2] = ["PARENT_KEY", "KEY"];

/// The header row for `survey`.
pub fn header(survey: &Survey) -> Vec<String> {
    let mut cols: Vec<String> = FIXED_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    for section in &survey.sections {
        if section.repeat.is_some() {
            cols.push(section.id.to_string());
        } else {
            section.questions.iter().for_each(|q| columns(q, &mut cols));
        }
    }
    cols
}

/// A question's columns (none for a note or a matrix head).
fn columns(q: &Question, cols: &mut Vec<String>) {
    match &q.kind {
        QuestionKind::Note | QuestionKind::Matrix { .. } => {}
        QuestionKind::Multiple { choices, .. } | QuestionKind::Ranking { choices } => {
            cols.push(q.id.to_string());
            cols.extend(choices.iter().map(|c| format!("{}/{}", q.id, c.id)));
        }
        _ => cols.push(q.id.to_string()),
    }
}

/// What the cells of choice questions hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Values {
    /// The choices' codes (`studente`), space-separated for several: the foundation format.
    Codes,
    /// The choices' labels in this language (or the survey's first), `; `-separated for
    /// several. The 0/1 and rank columns stay numbers.
    Labels(String),
}

/// For each column of [`header`], whether it holds text a respondent typed (or a group name
/// a youth worker typed): the cells a download must neutralise against spreadsheet formulas.
pub fn free_text_columns(survey: &Survey) -> Vec<bool> {
    let mut mask: Vec<bool> = FIXED_COLUMNS.iter().map(|c| *c == "group").collect();
    for section in &survey.sections {
        if section.repeat.is_some() {
            mask.push(false);
        } else {
            section
                .questions
                .iter()
                .for_each(|q| free_text(q, &mut mask));
        }
    }
    mask
}

fn free_text(q: &Question, mask: &mut Vec<bool>) {
    match &q.kind {
        QuestionKind::Note | QuestionKind::Matrix { .. } => {}
        QuestionKind::Multiple { choices, .. } | QuestionKind::Ranking { choices } => {
            mask.extend(std::iter::repeat_n(false, choices.len() + 1));
        }
        QuestionKind::Text { .. }
        | QuestionKind::LongText { .. }
        | QuestionKind::Calculate { .. } => mask.push(true),
        _ => mask.push(false),
    }
}

/// One response's cells, in the order of [`header`]. Unanswered questions give empty cells.
pub fn row(survey: &Survey, response: &Response) -> Vec<String> {
    row_with(survey, response, &Values::Codes)
}

/// [`row`], with the choices as `values` says.
pub fn row_with(survey: &Survey, response: &Response, values: &Values) -> Vec<String> {
    let mut record = Record::default();
    write_row(
        survey,
        &response.to_ref(&needed(survey)),
        values,
        &mut record,
    );
    record.to_vec()
}

/// The answers a row needs, for reading responses with ([`ResponseRef::read`]).
pub fn needed(survey: &Survey) -> Needed<'_> {
    Needed::new(sources(survey).map(|source| match source {
        Source::Repeat(section) => section.id.as_str(),
        Source::Question(q) => q.id.as_str(),
    }))
}

/// Where a row's cells after the fixed ones come from, in order: the questions, and for a
/// repeated section its number of instances.
enum Source<'s> {
    Repeat(&'s Section),
    Question(&'s Question),
}

fn sources(survey: &Survey) -> impl Iterator<Item = Source<'_>> {
    survey.sections.iter().flat_map(|section| {
        let repeat = section.repeat.is_some();
        let questions = if repeat {
            &[][..]
        } else {
            &section.questions[..]
        };
        repeat
            .then_some(Source::Repeat(section))
            .into_iter()
            .chain(questions.iter().map(Source::Question))
    })
}

/// Writes the cells of [`row_with`] into `record` (cleared first), for an export of many
/// responses with one record reused from row to row. `response` was read with the answers
/// [`needed`] gives for `survey`.
pub fn write_row(
    survey: &Survey,
    response: &ResponseRef<'_>,
    values: &Values,
    record: &mut Record,
) {
    record.clear();
    for fixed in [
        Some(&response.id),
        Some(&response.version),
        Some(&response.site),
        response.group.as_ref(),
        Some(&response.language),
        response.started_at.as_ref(),
        Some(&response.submitted_at),
    ] {
        record.push(fixed.map_or("", |c| c.as_ref()));
    }
    let cells_of = Cells { survey, values };
    for (source, answer) in sources(survey).zip(response.answers.iter()) {
        match (source, answer) {
            (Source::Question(q), answer) => cells_of.push(q, answer, record),
            (Source::Repeat(_), Some(count)) => cell(count, record),
            (Source::Repeat(_), None) => record.end_cell(),
        }
    }
}

/// A row's cells in one buffer, reused from row to row so that writing a row allocates
/// nothing once the buffer has grown (as `csv::StringRecord` does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
}

impl Record {
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Adds a cell.
    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.end_cell();
    }

    /// Ends the cell written so far into `text` (an empty one if nothing was).
    fn end_cell(&mut self) {
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cells, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start..end])
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

/// The repeated section `repeat` of `survey`, if it is one.
pub fn repeat<'s>(survey: &'s Survey, repeat: &str) -> Option<&'s Section> {
    survey
        .sections
        .iter()
        .find(|s| s.repeat.is_some() && s.id.as_str() == repeat)
}

/// The header row of a repeat's file: its questions' columns, then [`REPEAT_KEY_COLUMNS`].
pub fn repeat_header(section: &Section) -> Vec<String> {
    let mut cols = Vec::new();
    section.questions.iter().for_each(|q| columns(q, &mut cols));
    cols.extend(REPEAT_KEY_COLUMNS.iter().map(|c| (*c).to_owned()));
    cols
}

/// [`free_text_columns`] for a repeat's file.
pub fn repeat_free_text_columns(section: &Section) -> Vec<bool> {
    let mut mask = Vec::new();
    section
        .questions
        .iter()
        .for_each(|q| free_text(q, &mut mask));
    mask.extend([false, false]);
    mask
}

/// The rows of a repeat's file for one response: one per instance, in order.
pub fn repeat_rows(
    survey: &Survey,
    section: &Section,
    response: &Response,
    values: &Values,
) -> Vec<Vec<String>> {
    let instances: &[AnswerMap] = QuestionId::parse(section.id.as_str())
        .ok()
        .and_then(|id| match response.answers.get(&id) {
            Some(Answer::Instances(v)) => Some(v.as_slice()),
            _ => None,
        })
        .unwrap_or_default();
    let cells_of = Cells { survey, values };
    let mut record = Record::default();
    instances
        .iter()
        .enumerate()
        .map(|(k, instance)| {
            record.clear();
            for q in &section.questions {
                let answer = instance.get(&q.id).map(Answer::to_ref);
                cells_of.push(q, answer.as_ref(), &mut record);
            }
            record.push(response.id.as_str());
            record.push(&format!("{}/{}[{}]", response.id, section.id, k + 1));
            record.to_vec()
        })
        .collect()
}

/// Writes answers into cells, with choices as `values` says.
struct Cells<'a> {
    survey: &'a Survey,
    values: &'a Values,
}

impl Cells<'_> {
    /// What a choice's cell shows: its code, or its label.
    fn label<'c>(&'c self, q: &'c Question, code: &'c str) -> &'c str {
        match self.values {
            Values::Codes => code,
            Values::Labels(lang) => q
                .kind
                .choices()
                .iter()
                .chain(ranking_choices(&q.kind))
                .find(|c| c.id.as_str() == code)
                .map_or(code, |c| c.label.get(lang, self.survey.default_language())),
        }
    }

    /// The choices `codes` in one cell.
    fn join(&self, q: &Question, codes: &[Cow<'_, str>], record: &mut Record) {
        let sep = if *self.values == Values::Codes {
            " "
        } else {
            "; "
        };
        for (i, code) in codes.iter().enumerate() {
            if i > 0 {
                record.text.push_str(sep);
            }
            record.text.push_str(self.label(q, code));
        }
        record.end_cell();
    }

    /// The cells of question `q`'s columns for `answer`.
    fn push(&self, q: &Question, answer: Option<&AnswerRef<'_>>, record: &mut Record) {
        match &q.kind {
            QuestionKind::Note | QuestionKind::Matrix { .. } => {}
            QuestionKind::Ranking { choices } => {
                let order: &[Cow<'_, str>] = match answer {
                    Some(AnswerRef::Choices(p)) => p,
                    _ => &[],
                };
                self.join(q, order, record);
                // Each choice's rank, 1 = first.
                for c in choices {
                    if let Some(r) = order.iter().position(|p| p == c.id.as_str()) {
                        write!(record.text, "{}", r + 1).expect("a String takes any text");
                    }
                    record.end_cell();
                }
            }
            QuestionKind::Multiple { choices, .. } => {
                let picked: &[Cow<'_, str>] = match answer {
                    Some(AnswerRef::Choices(p)) => p,
                    _ => &[],
                };
                self.join(q, picked, record);
                for c in choices {
                    record.push(match answer {
                        None => "",
                        Some(_) if picked.iter().any(|p| p == c.id.as_str()) => "1",
                        Some(_) => "0",
                    });
                }
            }
            QuestionKind::Single { .. } | QuestionKind::Likert { .. } => match answer {
                Some(AnswerRef::Text(code)) => record.push(self.label(q, code)),
                Some(other) => cell(other, record),
                None => record.end_cell(),
            },
            _ => match answer {
                Some(answer) => cell(answer, record),
                None => record.end_cell(),
            },
        }
    }
}

fn ranking_choices(kind: &QuestionKind) -> &[crate::model::Choice] {
    match kind {
        QuestionKind::Ranking { choices } => choices,
        _ => &[],
    }
}

/// Writes `answer` as one cell.
fn cell(answer: &AnswerRef<'_>, record: &mut Record) {
    match answer {
        AnswerRef::Number(n) => write!(record.text, "{n}").expect("a String takes any text"),
        AnswerRef::Text(t) => record.text.push_str(t),
        AnswerRef::Choices(c) => {
            for (i, code) in c.iter().enumerate() {
                if i > 0 {
                    record.text.push(' ');
                }
                record.text.push_str(code);
            }
        }
        // A repeat's instances are in its own file; the main file has their number.
        AnswerRef::Instances(v) => {
            write!(record.text, "{}", v.len()).expect("a String takes any text")
        }
    }
    record.end_cell();
}

#[cfg(all(test, feature = "files"))]
mod tests {
    use super::*;
    use crate::files::parse_survey;

    #[test]
    fn multiple_choice_gives_a_column_per_choice() {
        let (survey, d) = parse_survey(
            "x.toml",
            r#"id = "s"
version = "1"
languages = ["it"]
title = "S"
[[question]]
id = "intro"
type = "note"
label = "Benvenuti"
[[question]]
id = "temi"
type = "multiple"
label = "Temi"
choices = [{ id = "lavoro", label = "Lavoro" }, { id = "scuola", label = "Scuola" }]
[[question]]
id = "eta"
type = "integer"
label = "Età"
"#,
        );
        let survey = survey.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(
            header(&survey)[FIXED_COLUMNS.len()..],
            ["temi", "temi/lavoro", "temi/scuola", "eta"]
        );
        let r: Response = serde_json::from_value(serde_json::json!({
            "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40", "survey": "s", "version": "1",
            "site": "a", "language": "it", "submitted_at": "2026-11-23T10:00:00Z",
            "answers": { "temi": ["scuola"], "eta": 16 }
        }))
        .unwrap();
        assert_eq!(
            row(&survey, &r)[FIXED_COLUMNS.len()..],
            ["scuola", "0", "1", "16"]
        );
        let blank = Response {
            answers: Default::default(),
            ..r.clone()
        };
        assert_eq!(
            row(&survey, &blank)[FIXED_COLUMNS.len()..],
            ["", "", "", ""]
        );
        let labelled = row_with(&survey, &r, &Values::Labels("it".into()));
        assert_eq!(labelled[FIXED_COLUMNS.len()..], ["Scuola", "0", "1", "16"]);
        let mask = free_text_columns(&survey);
        assert_eq!(mask.len(), header(&survey).len());
        assert_eq!(mask[FIXED_COLUMNS.len()..], [false, false, false, false]);
        assert!(mask[3], "the group column is typed text");
    }
}
