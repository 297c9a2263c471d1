//! A survey written as a native file (`docs/survey-format.md`): what `voci convert` makes of
//! an XLSForm, so a researcher can move to the text format.
//!
//! The file reads back as the very same [`Survey`]. Keys come in a fixed order (id, type,
//! texts, logic, limits, choices), texts in the order of `languages`, and a choice list that
//! several questions share is written once as a `[[list]]` named after its first question.
//! A survey the format cannot say exactly (such as a matrix row with a logic of its own) is a
//! [`WriteError`] naming the question, never a file that would read back as something else.

use std::fmt::Write as _;

use crate::model::{
    Choice, Collection, DEFAULT_MIN_COUNT, Question, QuestionKind, Section, Survey,
};
use crate::text::Text;

/// Why a survey cannot be written as a native file without changing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// A matrix row (a likert question with `row_of`) differs from what the native `rows`
    /// give: the matrix's scale, its `required` and `relevant`, and nothing else.
    #[error(
        "the matrix row \"{row}\" has {what} of its own, which a matrix's rows cannot have in the native format (they share the matrix's)"
    )]
    MatrixRow { row: String, what: &'static str },
    /// A question whose `row_of` names no matrix just before it.
    #[error("\"{row}\" is a row of \"{matrix}\", which does not come right before it")]
    StrayRow { row: String, matrix: String },
    /// A key the question's type does not take in the native format.
    #[error(
        "\"{question}\" is a {kind} question with \"{key}\", which the native format allows only on other types"
    )]
    Key {
        question: String,
        kind: &'static str,
        key: &'static str,
    },
    /// An empty text, which the native format refuses.
    #[error("the {key} of \"{owner}\" is empty in \"{lang}\"")]
    EmptyText {
        owner: String,
        key: &'static str,
        lang: String,
    },
    /// A section without questions, which the native format refuses.
    #[error("the section \"{0}\" has no questions")]
    EmptySection(String),
}

/// Writes `survey` as a native TOML file that reads back as the same survey.
pub fn write_survey(survey: &Survey) -> Result<String, Vec<WriteError>> {
    let mut w = Writer {
        out: String::new(),
        langs: &survey.languages,
        errors: Vec::new(),
        lists: shared_lists(survey),
    };
    w.survey(survey);
    if w.errors.is_empty() {
        Ok(w.out)
    } else {
        Err(w.errors)
    }
}

struct Writer<'a> {
    out: String,
    langs: &'a [String],
    errors: Vec<WriteError>,
    /// Choice lists used by more than one question: (list id, choices).
    lists: Vec<(String, &'a [Choice])>,
}

/// The choices of each question that has a list of its own (a matrix's scale included).
fn choice_lists(q: &Question) -> Option<&[Choice]> {
    match &q.kind {
        QuestionKind::Single { choices }
        | QuestionKind::Multiple { choices, .. }
        | QuestionKind::Likert { choices }
        | QuestionKind::Ranking { choices }
        | QuestionKind::Matrix { choices } => Some(choices),
        _ => None,
    }
}

/// The choice lists at least two questions share, named after the first question using each.
/// A matrix's rows carry its scale and are written with it, so they are not counted.
fn shared_lists(survey: &Survey) -> Vec<(String, &[Choice])> {
    let mut seen: Vec<(String, &[Choice], usize)> = Vec::new();
    for q in survey.questions().filter(|q| q.row_of.is_none()) {
        let Some(choices) = choice_lists(q) else {
            continue;
        };
        match seen.iter_mut().find(|(_, c, _)| *c == choices) {
            Some((_, _, n)) => *n += 1,
            None => seen.push((q.id.to_string(), choices, 1)),
        }
    }
    seen.into_iter()
        .filter(|(_, _, n)| *n > 1)
        .map(|(id, c, _)| (id, c))
        .collect()
}

impl Writer<'_> {
    fn line(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.out, "{} = {value}", bare_or_quoted(key));
    }

    fn survey(&mut self, s: &Survey) {
        self.line("id", &string(s.id.as_str()));
        self.line("version", &string(&s.version));
        let langs: Vec<String> = s.languages.iter().map(|l| string(l)).collect();
        self.line("languages", &format!("[{}]", langs.join(", ")));
        let owner = s.id.as_str();
        self.text(owner, "title", &s.title);
        if let Some(d) = &s.description {
            self.text(owner, "description", d);
        }
        if !s.anonymous {
            self.line("anonymous", "false");
        }
        if let Some(c) = &s.consent {
            self.text(owner, "consent", c);
        }
        if s.collection != Collection::default() {
            let name = match s.collection {
                Collection::Open => "open",
                Collection::Enrolled => "enrolled",
            };
            self.line("collection", &string(name));
        }
        if s.min_count != DEFAULT_MIN_COUNT {
            self.line("min_count", &s.min_count.to_string());
        }
        let lists = std::mem::take(&mut self.lists);
        for (id, choices) in &lists {
            self.out.push_str("\n[[list]]\n");
            self.line("id", &string(id));
            let value = self.choices(id, choices);
            self.line("choices", &value);
        }
        self.lists = lists;
        let single_page = match s.sections.as_slice() {
            [only] => {
                only.id.as_str() == "main"
                    && only.title.is_none()
                    && only.relevant.is_none()
                    && only.repeat.is_none()
            }
            _ => false,
        };
        if single_page {
            self.questions(&s.sections[0], "[[question]]");
        } else {
            for section in &s.sections {
                self.section(section);
            }
        }
    }

    fn section(&mut self, s: &Section) {
        self.out.push_str("\n[[section]]\n");
        self.line("id", &string(s.id.as_str()));
        if let Some(t) = &s.title {
            self.text(s.id.as_str(), "title", t);
        }
        if let Some(r) = &s.relevant {
            self.line("relevant", &string(r));
        }
        if let Some(repeat) = &s.repeat {
            self.line("repeat", "true");
            if let Some(count) = &repeat.count {
                self.line("repeat_count", &string(count));
            }
        }
        self.questions(s, "[[section.question]]");
    }

    fn questions(&mut self, s: &Section, header: &str) {
        if s.questions.is_empty() {
            self.errors.push(WriteError::EmptySection(s.id.to_string()));
        }
        let mut i = 0;
        while i < s.questions.len() {
            let q = &s.questions[i];
            if let Some(matrix) = &q.row_of {
                self.errors.push(WriteError::StrayRow {
                    row: q.id.to_string(),
                    matrix: matrix.to_string(),
                });
                i += 1;
                continue;
            }
            let rows: Vec<&Question> = s.questions[i + 1..]
                .iter()
                .take_while(|r| r.row_of.as_ref() == Some(&q.id))
                .collect();
            let _ = write!(self.out, "\n{header}\n");
            self.question(q, &rows);
            i += 1 + rows.len();
        }
    }

    fn question(&mut self, q: &Question, rows: &[&Question]) {
        let id = q.id.as_str();
        self.line("id", &string(id));
        self.line("type", &string(q.kind.name()));
        // A calculation's label is optional (and empty when the file had none).
        let hidden = matches!(q.kind, QuestionKind::Calculate { .. });
        if !(hidden && q.label.0.is_empty()) {
            self.text(id, "label", &q.label);
        }
        if let Some(h) = &q.hint {
            self.text(id, "hint", h);
        }
        if let Some(r) = &q.required_if {
            self.line("required", &string(r));
        } else if q.required {
            self.line("required", "true");
        }
        // A required_message means something (and reads back) only on a required question.
        if let Some(m) = &q.required_message
            && (q.required || q.required_if.is_some())
        {
            self.text(id, "required_message", m);
        }
        if let Some(d) = &q.default {
            self.line("default", &string(d));
        }
        if q.read_only && q.kind.takes_answer() {
            self.line("read_only", "true");
        }
        if let Some(r) = &q.relevant {
            self.line("relevant", &string(r));
        }
        if let Some(c) = &q.constraint {
            self.line("constraint", &string(c));
        }
        if let Some(m) = &q.constraint_message {
            self.text(id, "constraint_message", m);
        }
        if let Some(f) = &q.choice_filter {
            self.line("choice_filter", &string(f));
        }
        self.kind(q);
        if q.randomize {
            if matches!(
                q.kind,
                QuestionKind::Single { .. }
                    | QuestionKind::Multiple { .. }
                    | QuestionKind::Ranking { .. }
            ) {
                self.line("randomize", "true");
            } else {
                self.errors.push(WriteError::Key {
                    question: id.to_owned(),
                    kind: q.kind.name(),
                    key: "randomize",
                });
            }
        }
        if let QuestionKind::Matrix { choices } = &q.kind {
            self.matrix_rows(q, choices, rows);
        }
    }

    /// The limits and choices of the question's type, and a calculation's expression.
    fn kind(&mut self, q: &Question) {
        let id = q.id.as_str();
        match &q.kind {
            QuestionKind::Multiple { choices, min, max } => {
                if let Some(min) = min {
                    self.line("min", &min.to_string());
                }
                if let Some(max) = max {
                    self.line("max", &max.to_string());
                }
                self.choices_key(id, choices);
            }
            QuestionKind::Single { choices }
            | QuestionKind::Likert { choices }
            | QuestionKind::Ranking { choices }
            | QuestionKind::Matrix { choices } => self.choices_key(id, choices),
            QuestionKind::Integer { min, max } => {
                if let Some(min) = min {
                    self.line("min", &min.to_string());
                }
                if let Some(max) = max {
                    self.line("max", &max.to_string());
                }
            }
            QuestionKind::Number { min, max } => {
                if let Some(min) = min {
                    self.line("min", &float(*min));
                }
                if let Some(max) = max {
                    self.line("max", &float(*max));
                }
            }
            QuestionKind::Range { min, max, step } => {
                self.line("min", &float(*min));
                self.line("max", &float(*max));
                self.line("step", &float(*step));
            }
            QuestionKind::Text { max_length } | QuestionKind::LongText { max_length } => {
                if let Some(n) = max_length {
                    self.line("max_length", &n.to_string());
                }
            }
            QuestionKind::Calculate { calculation } => {
                self.line("calculation", &string(calculation));
            }
            QuestionKind::Date
            | QuestionKind::Time
            | QuestionKind::DateTime
            | QuestionKind::Note
            | QuestionKind::Acknowledge => {}
        }
    }

    /// `choices = "list"` for a shared list, else the choices in place.
    fn choices_key(&mut self, owner: &str, choices: &[Choice]) {
        let shared = self
            .lists
            .iter()
            .find(|(_, c)| *c == choices)
            .map(|(id, _)| id.clone());
        let value = match shared {
            Some(list) => string(&list),
            None => self.choices(owner, choices),
        };
        self.line("choices", &value);
    }

    /// A matrix's rows, written like choices; each must be what the native `rows` make: a
    /// likert question on the matrix's scale, required and shown as the matrix is.
    fn matrix_rows(&mut self, head: &Question, scale: &[Choice], rows: &[&Question]) {
        let mut written = Vec::new();
        for row in rows {
            let differs = |what: &'static str| WriteError::MatrixRow {
                row: row.id.to_string(),
                what,
            };
            let same_logic = row.required == head.required
                && row.required_if == head.required_if
                && row.relevant == head.relevant;
            let nothing_else = row.hint.is_none()
                && row.constraint.is_none()
                && row.constraint_message.is_none()
                && row.choice_filter.is_none()
                && !row.randomize
                && row.required_message.is_none()
                && row.default.is_none()
                && !row.read_only;
            let on_scale =
                matches!(&row.kind, QuestionKind::Likert { choices } if choices == scale);
            match (same_logic, nothing_else, on_scale) {
                (false, _, _) => self.errors.push(differs("a required or relevant")),
                (_, false, _) => self.errors.push(differs(
                    "a hint, constraint, choice filter, randomize, default or read_only",
                )),
                (_, _, false) => self.errors.push(differs("a scale")),
                (true, true, true) => written.push(Choice::new(
                    crate::ChoiceId::parse(row.id.as_str()).expect("a question id is a choice id"),
                    row.label.clone(),
                )),
            }
        }
        let value = self.choices(head.id.as_str(), &written);
        self.line("rows", &value);
    }

    /// `[{ id = "...", label = ... }, ...]`, a choice a line.
    fn choices(&mut self, owner: &str, choices: &[Choice]) -> String {
        let mut out = String::from("[\n");
        for c in choices {
            let _ = write!(out, "  {{ id = {}, label = ", string(c.id.as_str()));
            out.push_str(&self.inline_text(owner, "choice label", &c.label));
            if !c.filter.is_empty() {
                let fields: Vec<String> = c
                    .filter
                    .iter()
                    .map(|(k, v)| format!("{} = {}", bare_or_quoted(k), string(v)))
                    .collect();
                let _ = write!(out, ", filter = {{ {} }}", fields.join(", "));
            }
            out.push_str(" },\n");
        }
        out.push(']');
        out
    }

    /// `key = "..."` in a one-language survey, else `key.it = "..."` a line per language.
    fn text(&mut self, owner: &str, key: &'static str, text: &Text) {
        self.check_text(owner, key, text);
        if let [only] = self.langs
            && text.0.len() == 1
            && let Some(s) = text.0.get(only)
        {
            self.line(key, &string(s));
            return;
        }
        for (lang, s) in in_order(self.langs, text) {
            let _ = writeln!(self.out, "{key}.{} = {}", bare_or_quoted(lang), string(s));
        }
    }

    /// A text inside a choice: a plain string or `{ it = "...", en = "..." }`.
    fn inline_text(&mut self, owner: &str, key: &'static str, text: &Text) -> String {
        self.check_text(owner, key, text);
        if let [only] = self.langs
            && text.0.len() == 1
            && let Some(s) = text.0.get(only)
        {
            return string(s);
        }
        let parts: Vec<String> = in_order(self.langs, text)
            .map(|(lang, s)| format!("{} = {}", bare_or_quoted(lang), string(s)))
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    fn check_text(&mut self, owner: &str, key: &'static str, text: &Text) {
        for (lang, s) in &text.0 {
            if s.trim().is_empty() {
                self.errors.push(WriteError::EmptyText {
                    owner: owner.to_owned(),
                    key,
                    lang: lang.clone(),
                });
            }
        }
    }
}

/// A text's entries: the survey's languages first, in their order, then any other it has.
fn in_order<'t>(
    langs: &'t [String],
    text: &'t Text,
) -> impl Iterator<Item = (&'t String, &'t String)> {
    let listed = langs.iter().filter_map(|l| text.0.get_key_value(l));
    let others = text.0.iter().filter(move |(l, _)| !langs.contains(l));
    listed.chain(others)
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key as written: bare when it may be (`comune`), else quoted.
fn bare_or_quoted(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { key.to_owned() } else { string(key) }
}

/// A TOML float that reads back as the same `f64` (`1.0`, `0.5`, `1e21`).
fn float(x: f64) -> String {
    if x.is_nan() {
        "nan".to_owned()
    } else {
        format!("{x:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_keys_are_escaped() {
        assert_eq!(string("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
        assert_eq!(string("\u{7}"), r#""\u0007""#);
        assert_eq!(bare_or_quoted("comune"), "comune");
        assert_eq!(bare_or_quoted("età"), "\"età\"");
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(0.1), "0.1");
        assert_eq!(float(1e21), "1e21");
    }
}
