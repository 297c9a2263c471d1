//! The native survey file: a questionnaire in TOML (see `docs/survey-format.md`).

use std::collections::HashMap;

use super::{Fields, Node, NodeValue, Reader};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::engine::Engine;
use crate::ids::{ChoiceId, IdError, QuestionId, SectionId, SurveyId};
use crate::model::{
    Choice, Collection, DEFAULT_MIN_COUNT, MIN_COUNT_RANGE, Question, QuestionKind, Repeat,
    Section, Survey,
};

const SURVEY_KEYS: &[&str] = &[
    "kind",
    "anonymous",
    "consent",
    "collection",
    "min_count",
    "id",
    "version",
    "title",
    "description",
    "languages",
    "list",
    "section",
    "question",
];
const LIST_KEYS: &[&str] = &["id", "choices"];
const SECTION_KEYS: &[&str] = &[
    "id",
    "title",
    "relevant",
    "repeat",
    "repeat_count",
    "question",
];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "type",
    "label",
    "hint",
    "required",
    "required_message",
    "default",
    "read_only",
    "choices",
    "min",
    "max",
    "max_length",
    "relevant",
    "constraint",
    "constraint_message",
    "choice_filter",
    "calculation",
    "randomize",
    "other",
    "rows",
    "step",
];
const CHOICE_KEYS: &[&str] = &["id", "label", "filter"];

/// Reads a survey file. Returns the survey when there is no error, and every diagnostic found.
///
/// `file` is only used to name the file in diagnostics.
pub fn parse_survey(file: &str, text: &str) -> (Option<Survey>, Vec<Diagnostic>) {
    let mut r = Reader::new(file, text);
    let survey = r
        .parse_toml(text)
        .and_then(|root| read_survey(&mut r, &root));
    let survey = survey.filter(|_| !r.has_errors());
    (survey, r.diagnostics)
}

pub(super) fn id_error(what: &str, id: &str, e: &IdError) -> String {
    format!("{what} id \"{id}\" {e}")
}

fn read_survey(r: &mut Reader<'_>, root: &Node) -> Option<Survey> {
    let f = r.table(root, "the survey", SURVEY_KEYS)?;
    let id = r.string(&f, "id").and_then(|(s, span)| {
        SurveyId::parse(s.clone())
            .map_err(|e| r.error(span.start, id_error("survey", &s, &e)))
            .ok()
    });
    let version = r.string(&f, "version").and_then(|(s, span)| {
        if s.trim().is_empty() || s.contains(char::is_whitespace) {
            r.error(
                span.start,
                "\"version\" must be a word such as \"2026.1\" (no spaces)",
            );
            None
        } else {
            Some(s)
        }
    });
    let languages = read_languages(r, &f);
    let title = match f.get("title") {
        Some(n) => r.text(n, "title", &languages),
        None => {
            r.error(
                f.span.start,
                "the survey has no \"title\" (add title = { it = \"...\" })",
            );
            None
        }
    };
    let description = f
        .get("description")
        .and_then(|n| r.text(n, "description", &languages));

    let lists = read_lists(r, &f, &languages);
    let mut seen_questions: HashMap<String, usize> = HashMap::new();
    let sections_node = r.list(&f, "section");
    let top_questions = r.list(&f, "question");
    let mut sections = Vec::new();
    if !sections_node.is_empty() && !top_questions.is_empty() {
        let at = f.key_span("question").map_or(0, |s| s.start);
        r.error(
            at,
            "the survey has both [[section]] and top-level [[question]]; put every question in a section ([[section.question]])",
        );
    } else if sections_node.is_empty() {
        let questions = read_questions(r, top_questions, &languages, &lists, &mut seen_questions);
        if top_questions.is_empty() {
            r.error(
                f.span.start,
                "the survey has no questions (add a [[section]] with [[section.question]])",
            );
        }
        sections.push(Section {
            id: SectionId::parse("main").expect("a valid id"),
            title: None,
            relevant: None,
            repeat: None,
            questions,
        });
    } else {
        let mut seen_sections: HashMap<String, usize> = HashMap::new();
        for node in sections_node {
            if let Some(s) = read_section(
                r,
                node,
                &languages,
                &lists,
                &mut seen_sections,
                &mut seen_questions,
            ) {
                sections.push(s);
            }
        }
    }
    let anonymous = r.opt_bool(&f, "anonymous").unwrap_or(true);
    let consent = f
        .get("consent")
        .and_then(|n| r.text(n, "consent", &languages));
    let collection = read_collection(r, &f);
    let min_count = read_min_count(r, &f);
    let survey = Survey {
        id: id?,
        version: version?,
        title: title?,
        description,
        languages,
        anonymous,
        consent,
        collection,
        min_count,
        sections,
    };
    if !r.has_errors() {
        check_logic(r, &survey);
    }
    Some(survey)
}

/// `collection = "open" | "enrolled"`; open when absent.
fn read_collection(r: &mut Reader<'_>, f: &Fields<'_>) -> Collection {
    let Some((name, span)) = f
        .get("collection")
        .and_then(|n| r.as_string(n, "collection"))
    else {
        return Collection::default();
    };
    Collection::parse(&name).unwrap_or_else(|| {
        r.error(
            span.start,
            format!(
                "unknown collection {name:?} ({}expected one of: {})",
                did_you_mean(&name, Collection::NAMES)
                    .map(|s| format!("did you mean \"{s}\"? "))
                    .unwrap_or_default(),
                Collection::NAMES.join(", ")
            ),
        );
        Collection::default()
    })
}

/// `min_count = 10`: the survey's small-cell threshold; 5 when absent.
fn read_min_count(r: &mut Reader<'_>, f: &Fields<'_>) -> u32 {
    let Some(n) = r.opt_int(f, "min_count") else {
        return DEFAULT_MIN_COUNT;
    };
    match u32::try_from(n) {
        Ok(n) if MIN_COUNT_RANGE.contains(&n) => n,
        _ => {
            let at = f.get("min_count").map_or(0, |node| node.span.start);
            r.error(
                at,
                format!(
                    "\"min_count\" must be a whole number from {} to {}",
                    MIN_COUNT_RANGE.start(),
                    MIN_COUNT_RANGE.end()
                ),
            );
            DEFAULT_MIN_COUNT
        }
    }
}

/// Builds the survey's engine to check its expressions as a whole (references, choice codes,
/// cycles) and reports each problem at the expression's place in the file.
fn check_logic(r: &mut Reader<'_>, survey: &Survey) {
    let Err(errors) = Engine::new(survey) else {
        return;
    };
    for e in errors {
        let site = r
            .expressions
            .iter()
            .find(|x| x.owner == e.owner && x.key == e.field.key())
            .map(|x| (x.value_start, x.key));
        let (at, key) = site.unwrap_or((0, e.field.key()));
        // The expression's text starts after the opening quote.
        let at = at + 1 + e.offset.unwrap_or(0);
        r.error(
            at,
            format!("in \"{key}\" of \"{}\": {}", e.owner, e.message),
        );
    }
}

/// An expression field: checked for syntax here, for meaning once the whole survey is read.
fn read_expression(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    owner: Option<&str>,
    key: &'static str,
) -> Option<String> {
    let (src, span) = match f.get(key)?.value {
        NodeValue::Str(ref s) => (s.clone(), f.get(key)?.span.clone()),
        _ => {
            r.as_string(f.get(key)?, key);
            return None;
        }
    };
    if let Err(e) = crate::expr::parse(&src) {
        r.error(
            span.start + 1 + e.offset,
            format!("in \"{key}\": {}", e.message),
        );
        return None;
    }
    if let Some(owner) = owner {
        r.expressions.push(super::ExpressionSite {
            owner: owner.to_owned(),
            key,
            value_start: span.start,
        });
    }
    Some(src)
}

pub(super) fn read_languages(r: &mut Reader<'_>, f: &Fields<'_>) -> Vec<String> {
    let Some(node) = f.get("languages") else {
        r.error(
            f.span.start,
            "the survey has no \"languages\" (add languages = [\"it\", \"en\"]; the first is the default)",
        );
        return vec!["it".into()];
    };
    let NodeValue::Array(items) = &node.value else {
        r.error(
            node.span.start,
            "\"languages\" must be a list such as [\"it\", \"en\"]",
        );
        return vec!["it".into()];
    };
    let mut langs: Vec<String> = Vec::new();
    for item in items {
        let Some((code, span)) = r.as_string(item, "languages") else {
            continue;
        };
        let valid = (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase());
        if !valid {
            r.error(span.start, format!("\"{code}\" is not a language code (use two or three lower-case letters: it, en, ar)"));
        } else if langs.contains(&code) {
            r.error(span.start, format!("language \"{code}\" is listed twice"));
        } else {
            langs.push(code);
        }
    }
    if langs.is_empty() {
        r.error(
            node.span.start,
            "\"languages\" is empty (list at least one, such as [\"it\"])",
        );
        langs.push("it".into());
    }
    langs
}

pub(super) fn read_lists(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    langs: &[String],
) -> HashMap<String, Vec<Choice>> {
    let mut lists = HashMap::new();
    for node in r.list(f, "list") {
        let Some(lf) = r.table(node, "a [[list]]", LIST_KEYS) else {
            continue;
        };
        let Some((id, span)) = r.string(&lf, "id") else {
            continue;
        };
        let choices = match lf.get("choices") {
            Some(n) => read_choices(r, n, langs),
            None => {
                r.error(lf.span.start, format!("list \"{id}\" has no \"choices\""));
                continue;
            }
        };
        if lists.insert(id.clone(), choices).is_some() {
            r.error(
                span.start,
                format!("duplicate list id \"{id}\" (each [[list]] needs its own id)"),
            );
        }
    }
    lists
}

fn read_section(
    r: &mut Reader<'_>,
    node: &Node,
    langs: &[String],
    lists: &HashMap<String, Vec<Choice>>,
    seen_sections: &mut HashMap<String, usize>,
    seen_questions: &mut HashMap<String, usize>,
) -> Option<Section> {
    let f = r.table(node, "a [[section]]", SECTION_KEYS)?;
    let id = r.string(&f, "id").and_then(|(s, span)| {
        if seen_sections.insert(s.clone(), span.start).is_some() {
            r.error(
                span.start,
                format!("duplicate section id \"{s}\" (section ids must be unique)"),
            );
        }
        SectionId::parse(s.clone())
            .map_err(|e| r.error(span.start, id_error("section", &s, &e)))
            .ok()
    });
    let title = f.get("title").and_then(|n| r.text(n, "title", langs));
    let nodes = r.list(&f, "question");
    if nodes.is_empty() {
        r.error(
            f.span.start,
            "this section has no questions (add [[section.question]] under it)",
        );
    }
    let relevant = read_expression(r, &f, id.as_ref().map(SectionId::as_str), "relevant");
    let repeat = read_repeat(r, &f, id.as_ref(), seen_questions);
    let questions = read_questions(r, nodes, langs, lists, seen_questions);
    Some(Section {
        id: id?,
        title,
        relevant,
        repeat,
        questions,
    })
}

/// `repeat = true` (the respondent adds instances) or `repeat_count = "${n}"`. A repeated
/// section's answers are kept under its id, so the id is also taken among question ids.
fn read_repeat(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    id: Option<&SectionId>,
    seen_questions: &mut HashMap<String, usize>,
) -> Option<Repeat> {
    let flagged = r.opt_bool(f, "repeat");
    let count = read_expression(r, f, id.map(SectionId::as_str), "repeat_count");
    if flagged == Some(false) && f.get("repeat_count").is_some() {
        let at = f.key_span("repeat").map_or(f.span.start, |s| s.start);
        r.error(at, "\"repeat_count\" is given but \"repeat\" is false");
    }
    if flagged != Some(true) && f.get("repeat_count").is_none() {
        return None;
    }
    if let Some(id) = id
        && seen_questions
            .insert(id.to_string(), f.span.start)
            .is_some()
    {
        r.error(
            f.span.start,
            format!("a repeated section's id is also a question id: \"{id}\" is taken"),
        );
    }
    Some(Repeat { count })
}

fn read_questions(
    r: &mut Reader<'_>,
    nodes: &[Node],
    langs: &[String],
    lists: &HashMap<String, Vec<Choice>>,
    seen: &mut HashMap<String, usize>,
) -> Vec<Question> {
    nodes
        .iter()
        .filter_map(|n| read_question(r, n, langs, lists, seen))
        .flatten()
        .collect()
}

fn read_question(
    r: &mut Reader<'_>,
    node: &Node,
    langs: &[String],
    lists: &HashMap<String, Vec<Choice>>,
    seen: &mut HashMap<String, usize>,
) -> Option<Vec<Question>> {
    let f = r.table(node, "a question", QUESTION_KEYS)?;
    let id = r.string(&f, "id").and_then(|(s, span)| {
        if seen.insert(s.clone(), span.start).is_some() {
            r.error(
                span.start,
                format!("duplicate question id \"{s}\" (question ids must be unique in a survey)"),
            );
        }
        QuestionId::parse(s.clone())
            .map_err(|e| r.error(span.start, id_error("question", &s, &e)))
            .ok()
    });
    let kind = read_kind(r, &f, langs, lists);
    let hidden = matches!(kind, Some(QuestionKind::Calculate { .. }));
    let label = match f.get("label") {
        Some(n) => r.text(n, "label", langs),
        // A calculation is never shown; its label is only for the codebook.
        None if hidden => Some(crate::Text::default()),
        None => {
            r.error(
                f.span.start,
                "this question has no \"label\" (add label = { it = \"...\" })",
            );
            None
        }
    };
    let hint = f.get("hint").and_then(|n| r.text(n, "hint", langs));
    let owner = id.as_ref().map(QuestionId::as_str);
    let (required, required_if) = match f.get("required").map(|n| &n.value) {
        Some(NodeValue::Str(_)) => (false, read_expression(r, &f, owner, "required")),
        _ => (r.opt_bool(&f, "required").unwrap_or(false), None),
    };
    let answerable = kind.as_ref().is_none_or(QuestionKind::takes_answer);
    // A matrix's `required` applies to each of its rows.
    let is_matrix = matches!(kind, Some(QuestionKind::Matrix { .. }));
    if (required || required_if.is_some()) && !answerable && !is_matrix {
        let at = f.key_span("required").map_or(f.span.start, |s| s.start);
        r.error(
            at,
            "a note or a calculation takes no answer, so it cannot be required",
        );
    }
    let required_message = f
        .get("required_message")
        .and_then(|n| r.text(n, "required_message", langs));
    if f.get("required_message").is_some() && f.get("required").is_none() {
        let at = f
            .key_span("required_message")
            .map_or(f.span.start, |s| s.start);
        r.error(
            at,
            "\"required_message\" is given but the question is not \"required\"",
        );
    }
    let read_only = r.opt_bool(&f, "read_only").unwrap_or(false);
    if f.get("read_only").is_some() && !answerable {
        let at = f.key_span("read_only").map_or(f.span.start, |s| s.start);
        r.error(
            at,
            "a note or a calculation takes no answer, so \"read_only\" does not apply",
        );
    }
    let default = read_default(r, &f);
    let relevant = read_expression(r, &f, owner, "relevant");
    let constraint = read_expression(r, &f, owner, "constraint");
    let constraint_message = f
        .get("constraint_message")
        .and_then(|n| r.text(n, "constraint_message", langs));
    if constraint_message.is_some() && constraint.is_none() && f.get("constraint").is_none() {
        let at = f
            .key_span("constraint_message")
            .map_or(f.span.start, |s| s.start);
        r.error(
            at,
            "\"constraint_message\" is given but there is no \"constraint\"",
        );
    }
    let choice_filter = read_expression(r, &f, owner, "choice_filter");
    if f.get("choice_filter").is_some() && kind.as_ref().is_some_and(|k| k.choices().is_empty()) {
        let at = f
            .key_span("choice_filter")
            .map_or(f.span.start, |s| s.start);
        r.error(
            at,
            "\"choice_filter\" applies only to questions with choices",
        );
    }
    if !answerable && f.get("constraint").is_some() {
        let at = f.key_span("constraint").map_or(f.span.start, |s| s.start);
        r.error(
            at,
            "a note or a calculation takes no answer, so it cannot have a constraint",
        );
    }
    let kind = match kind? {
        QuestionKind::Calculate { .. } => QuestionKind::Calculate {
            calculation: read_expression(r, &f, owner, "calculation")?,
        },
        other => other,
    };
    let randomize = r.opt_bool(&f, "randomize").unwrap_or(false);
    let other = f.get("other").and_then(|n| r.text(n, "other", langs));
    let question = Question {
        id: id?,
        label: label?,
        hint,
        required,
        required_if,
        required_message,
        default: default.as_ref().map(|(d, _)| d.clone()),
        read_only,
        relevant,
        constraint,
        constraint_message,
        choice_filter,
        randomize,
        row_of: None,
        kind,
    };
    let mut out = Vec::new();
    let rows = match &question.kind {
        QuestionKind::Matrix { choices } => matrix_rows(r, &f, &question, choices, langs, seen),
        _ => Vec::new(),
    };
    let follow_up = other.map(|label| other_specify(&question, label));
    let mut question = question;
    if let Some((choice, _)) = &follow_up {
        match &mut question.kind {
            QuestionKind::Single { choices } | QuestionKind::Multiple { choices, .. } => {
                choices.push(choice.clone())
            }
            _ => unreachable!("keys_for allows \"other\" on single and multiple only"),
        }
    }
    // Checked with the "other" choice in place, so `default = "other"` is one.
    if let Some((value, at)) = &default
        && let Err(p) = crate::validate::check_default(&question)
    {
        r.error(
            *at,
            format!("\"default\" {value:?} is not an answer this question takes: {p}"),
        );
    }
    out.push(question);
    out.extend(rows);
    out.extend(follow_up.map(|(_, q)| q));
    Some(out)
}

/// `default = "..."` (a number may be written bare): the value and where it starts.
fn read_default(r: &mut Reader<'_>, f: &Fields<'_>) -> Option<(String, usize)> {
    let node = f.get("default")?;
    match &node.value {
        NodeValue::Int(i) => Some((i.to_string(), node.span.start)),
        NodeValue::Float(x) => Some((x.to_string(), node.span.start)),
        _ => r
            .as_string(node, "default")
            .map(|(s, span)| (s, span.start)),
    }
}

/// The code of the "other" choice that `other = ...` adds.
pub const OTHER: &str = "other";

/// `other = { it = "Altro", en = "Other" }`: an "other" choice, and a text question
/// `<id>_other` shown (and required) when it is picked.
fn other_specify(q: &Question, label: crate::Text) -> (Choice, Question) {
    let id = QuestionId::parse(format!("{}_{OTHER}", q.id)).unwrap_or_else(|_| q.id.clone());
    let picked = format!("selected(${{{}}}, '{OTHER}')", q.id);
    let follow = Question {
        required_if: Some(picked.clone()),
        relevant: Some(match &q.relevant {
            Some(r) => format!("({r}) and {picked}"),
            None => picked,
        }),
        ..Question::new(
            id,
            label.clone(),
            QuestionKind::Text {
                max_length: Some(200),
            },
        )
    };
    (
        Choice::new(ChoiceId::parse(OTHER).expect("a valid id"), label),
        follow,
    )
}

/// A matrix's rows: `rows = [{ id = "...", label = ... }]`, each a likert question on the
/// matrix's scale, required and shown as the matrix is.
fn matrix_rows(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    head: &Question,
    scale: &[Choice],
    langs: &[String],
    seen: &mut HashMap<String, usize>,
) -> Vec<Question> {
    let Some(node) = f.get("rows") else {
        r.error(
            f.span.start,
            "a matrix needs \"rows\": rows = [{ id = \"...\", label = ... }, ...]",
        );
        return Vec::new();
    };
    // Rows are written like choices: an id and a label each.
    let rows = read_choices(r, node, langs);
    rows.into_iter()
        .filter_map(|row| {
            if seen.insert(row.id.to_string(), node.span.start).is_some() {
                r.error(
                    node.span.start,
                    format!(
                        "duplicate question id \"{}\" (a matrix row's id is a question id)",
                        row.id
                    ),
                );
                return None;
            }
            let id = QuestionId::parse(row.id.to_string()).ok()?;
            Some(Question {
                required: head.required,
                required_if: head.required_if.clone(),
                relevant: head.relevant.clone(),
                row_of: Some(head.id.clone()),
                ..Question::new(
                    id,
                    row.label,
                    QuestionKind::Likert {
                        choices: scale.to_vec(),
                    },
                )
            })
        })
        .collect()
}

/// Which optional keys each question type accepts.
fn keys_for(kind: &str) -> &'static [&'static str] {
    match kind {
        "single" => &["choices", "other", "randomize"],
        "likert" => &["choices"],
        "multiple" => &["choices", "min", "max", "other", "randomize"],
        "ranking" => &["choices", "randomize"],
        "range" => &["min", "max", "step"],
        "matrix" => &["choices", "rows"],
        "integer" | "number" => &["min", "max"],
        "text" | "long_text" => &["max_length"],
        "calculate" => &["calculation"],
        _ => &[],
    }
}

fn read_kind(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    langs: &[String],
    lists: &HashMap<String, Vec<Choice>>,
) -> Option<QuestionKind> {
    let (kind, span) = r.string(f, "type")?;
    if !QuestionKind::NAMES.contains(&kind.as_str()) {
        let hint = match did_you_mean(&kind, QuestionKind::NAMES) {
            Some(s) => format!("did you mean \"{s}\"? "),
            None => String::new(),
        };
        r.error(
            span.start,
            format!(
                "unknown question type \"{kind}\" ({hint}expected one of: {})",
                QuestionKind::NAMES.join(", ")
            ),
        );
        return None;
    }
    for key in [
        "choices",
        "min",
        "max",
        "step",
        "max_length",
        "calculation",
        "other",
        "randomize",
        "rows",
    ] {
        if f.get(key).is_some() && !keys_for(&kind).contains(&key) {
            let at = f.key_span(key).map_or(f.span.start, |s| s.start);
            r.error(
                at,
                format!("\"{key}\" does not apply to a question of type {kind}"),
            );
        }
    }
    let choices = |r: &mut Reader<'_>| -> Option<Vec<Choice>> {
        match f.get("choices") {
            None => {
                r.error(
                    f.span.start,
                    format!(
                        "a {kind} question needs \"choices\" (a list, or the id of a [[list]])"
                    ),
                );
                None
            }
            Some(Node {
                value: NodeValue::Str(list),
                span,
            }) => match lists.get(list) {
                Some(c) => Some(c.clone()),
                None => {
                    let names: Vec<&str> = lists.keys().map(String::as_str).collect();
                    let hint = did_you_mean(list, &names)
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                        .unwrap_or_default();
                    r.error(span.start, format!("no [[list]] has id \"{list}\"{hint}"));
                    None
                }
            },
            Some(n) => Some(read_choices(r, n, langs)),
        }
    };
    let kind = match kind.as_str() {
        "single" => QuestionKind::Single {
            choices: choices(r)?,
        },
        "likert" => {
            let choices = choices(r)?;
            if choices.len() < 2 {
                r.error(f.span.start, "a likert scale needs at least two points");
            }
            QuestionKind::Likert { choices }
        }
        "multiple" => {
            let choices = choices(r)?;
            let min = count(r, f, "min");
            let max = count(r, f, "max");
            check_range(r, f, min, max);
            if let Some(max) = max.filter(|m| *m as usize > choices.len()) {
                let at = f.key_span("max").map_or(f.span.start, |s| s.start);
                r.error(
                    at,
                    format!(
                        "\"max\" is {max} but the question has only {} choices",
                        choices.len()
                    ),
                );
            }
            QuestionKind::Multiple { choices, min, max }
        }
        "integer" => {
            let min = r.opt_int(f, "min");
            let max = r.opt_int(f, "max");
            check_range(r, f, min, max);
            QuestionKind::Integer { min, max }
        }
        "number" => {
            let min = r.opt_float(f, "min");
            let max = r.opt_float(f, "max");
            check_range(r, f, min, max);
            QuestionKind::Number { min, max }
        }
        "text" => QuestionKind::Text {
            max_length: count(r, f, "max_length"),
        },
        "long_text" => QuestionKind::LongText {
            max_length: count(r, f, "max_length"),
        },
        "date" => QuestionKind::Date,
        "time" => QuestionKind::Time,
        "datetime" => QuestionKind::DateTime,
        "range" => {
            let min = r.opt_float(f, "min");
            let max = r.opt_float(f, "max");
            let step = r.opt_float(f, "step").unwrap_or(1.0);
            let (Some(min), Some(max)) = (min, max) else {
                r.error(
                    f.span.start,
                    "a range needs \"min\" and \"max\" (and may have \"step\", 1 when absent)",
                );
                return None;
            };
            check_range(r, f, Some(min), Some(max));
            if step <= 0.0 || !step.is_finite() {
                let at = f.get("step").map_or(f.span.start, |n| n.span.start);
                r.error(at, "\"step\" must be a number above 0");
            }
            QuestionKind::Range { min, max, step }
        }
        "acknowledge" => QuestionKind::Acknowledge,
        "ranking" => {
            let choices = choices(r)?;
            if choices.len() < 2 {
                r.error(
                    f.span.start,
                    "a ranking needs at least two choices to put in order",
                );
            }
            QuestionKind::Ranking { choices }
        }
        "matrix" => {
            let choices = choices(r)?;
            if choices.len() < 2 {
                r.error(f.span.start, "a matrix's scale needs at least two points");
            }
            QuestionKind::Matrix { choices }
        }
        "calculate" => {
            if f.get("calculation").is_none() {
                r.error(f.span.start, "a calculate question needs \"calculation\" (an expression such as \"${a} + ${b}\")");
                return None;
            }
            // Read with the other expressions, once the question's id is known.
            QuestionKind::Calculate {
                calculation: String::new(),
            }
        }
        _ => QuestionKind::Note,
    };
    Some(kind)
}

fn count(r: &mut Reader<'_>, f: &Fields<'_>, key: &str) -> Option<u32> {
    let v = r.opt_int(f, key)?;
    match u32::try_from(v) {
        Ok(n) if n > 0 => Some(n),
        _ => {
            let at = f.get(key).map_or(f.span.start, |n| n.span.start);
            r.error(at, format!("\"{key}\" must be a whole number above 0"));
            None
        }
    }
}

fn check_range<T: PartialOrd + std::fmt::Display>(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    min: Option<T>,
    max: Option<T>,
) {
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        let at = f.get("min").map_or(f.span.start, |n| n.span.start);
        r.error(
            at,
            format!("\"min\" ({min}) is greater than \"max\" ({max})"),
        );
    }
}

pub(super) fn read_choices(r: &mut Reader<'_>, node: &Node, langs: &[String]) -> Vec<Choice> {
    let NodeValue::Array(items) = &node.value else {
        r.error(
            node.span.start,
            format!(
                "\"choices\" must be a list of {{ id = \"...\", label = ... }}, found {}",
                node.value.type_name()
            ),
        );
        return Vec::new();
    };
    if items.is_empty() {
        r.error(node.span.start, "\"choices\" is empty");
    }
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.table(item, "a choice", CHOICE_KEYS) else {
            continue;
        };
        let id = r.string(&f, "id").and_then(|(s, span)| {
            if seen.contains(&s) {
                r.error(
                    span.start,
                    format!("duplicate choice id \"{s}\" (choice ids must be unique in a list)"),
                );
            }
            seen.push(s.clone());
            ChoiceId::parse(s.clone())
                .map_err(|e| r.error(span.start, id_error("choice", &s, &e)))
                .ok()
        });
        let label = match f.get("label") {
            Some(n) => r.text(n, "label", langs),
            None => {
                r.error(f.span.start, "this choice has no \"label\"");
                None
            }
        };
        let filter = f
            .get("filter")
            .map(|n| read_filter(r, n))
            .unwrap_or_default();
        if let (Some(id), Some(label)) = (id, label) {
            out.push(Choice { id, label, filter });
        }
    }
    out
}

/// A choice's filter fields: `filter = { comune = "melzo" }`.
fn read_filter(r: &mut Reader<'_>, node: &Node) -> crate::VecMap<String, String> {
    let NodeValue::Table(entries) = &node.value else {
        r.error(
            node.span.start,
            "\"filter\" must be a table such as { comune = \"melzo\" }",
        );
        return Default::default();
    };
    entries
        .iter()
        .filter_map(|e| match &e.node.value {
            NodeValue::Str(v) => Some((e.key.clone(), v.clone())),
            NodeValue::Int(i) => Some((e.key.clone(), i.to_string())),
            other => {
                r.error(
                    e.node.span.start,
                    format!(
                        "filter field \"{}\" must be a text or a number, found {}",
                        e.key,
                        other.type_name()
                    ),
                );
                None
            }
        })
        .collect()
}
