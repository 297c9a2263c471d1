//! The codebook of a survey: for each question its id, its label in every language, its type,
//! its choices with their codes, and its skip logic in words. Written as CSV rows or as
//! Markdown; researchers keep it beside the raw data.

use crate::expr::{BinOp, Expr, ExprKind, parse};
use crate::model::{Question, QuestionKind, Survey};

/// The codebook's CSV header: `question`, `section`, `type`, `label_<lang>` for each language,
/// `choices`, `required`, `shown_when`, `constraint`.
pub fn header(survey: &Survey) -> Vec<String> {
    let mut cols = vec!["question".to_owned(), "section".into(), "type".into()];
    cols.extend(survey.languages.iter().map(|l| format!("label_{l}")));
    cols.extend(["choices", "required", "shown_when", "constraint"].map(String::from));
    cols
}

/// One CSV row per question that is not a note, in the order of [`header`].
pub fn rows(survey: &Survey) -> Vec<Vec<String>> {
    entries(survey)
        .map(|(section, q)| {
            let mut row = vec![
                q.id.to_string(),
                section.to_owned(),
                q.kind.name().to_owned(),
            ];
            row.extend(
                survey
                    .languages
                    .iter()
                    .map(|l| q.label.get(l, survey.default_language()).to_owned()),
            );
            row.push(choices(survey, q, "; "));
            row.push(required(q));
            row.push(shown_when(survey, section, q));
            row.push(q.constraint.as_deref().map(in_words).unwrap_or_default());
            row
        })
        .collect()
}

/// The codebook as a Markdown document.
pub fn markdown(survey: &Survey) -> String {
    let lang = survey.default_language();
    let mut out = format!(
        "# Codebook: {} ({}, version {})\n\nLanguages: {}. Columns of the CSV download: the \
         question id; a multiple choice also has one 0/1 column per choice, `question/choice`.\n",
        survey.title.get(lang, lang),
        survey.id,
        survey.version,
        survey.languages.join(", ")
    );
    for (section, q) in entries(survey) {
        out.push_str(&format!("\n## `{}` ({})\n\n", q.id, q.kind.name()));
        for l in &survey.languages {
            out.push_str(&format!("- {l}: {}\n", one_line(q.label.get(l, lang))));
        }
        out.push_str(&format!("- section: `{section}`\n"));
        let choices = choices(survey, q, "\n  - ");
        if !choices.is_empty() {
            out.push_str(&format!("- choices:\n  - {choices}\n"));
        }
        out.push_str(&format!("- required: {}\n", required(q)));
        let shown = shown_when(survey, section, q);
        if !shown.is_empty() {
            out.push_str(&format!("- shown when: {shown}\n"));
        }
        if let Some(c) = &q.constraint {
            out.push_str(&format!("- the answer must satisfy: {}\n", in_words(c)));
        }
        if let QuestionKind::Calculate { calculation } = &q.kind {
            out.push_str(&format!("- computed as: {}\n", in_words(calculation)));
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every question that has a column, with its section's id.
fn entries(survey: &Survey) -> impl Iterator<Item = (&str, &Question)> {
    survey.sections.iter().flat_map(|s| {
        s.questions
            .iter()
            .filter(|q| !matches!(q.kind, QuestionKind::Note | QuestionKind::Matrix { .. }))
            .map(move |q| (s.id.as_str(), q))
    })
}

/// `code = label` for each choice, in the survey's first language.
fn choices(survey: &Survey, q: &Question, sep: &str) -> String {
    let lang = survey.default_language();
    let list = match &q.kind {
        QuestionKind::Ranking { choices } => choices.as_slice(),
        kind => kind.choices(),
    };
    list.iter()
        .map(|c| format!("{} = {}", c.id, one_line(c.label.get(lang, lang))))
        .collect::<Vec<_>>()
        .join(sep)
}

fn required(q: &Question) -> String {
    match (&q.required_if, q.required) {
        (Some(e), _) => format!("when {}", in_words(e)),
        (None, true) => "yes".to_owned(),
        (None, false) => "no".to_owned(),
    }
}

/// The question's and its section's conditions, in words; empty when always shown.
fn shown_when(survey: &Survey, section: &str, q: &Question) -> String {
    let section_rule = survey
        .sections
        .iter()
        .find(|s| s.id.as_str() == section)
        .and_then(|s| s.relevant.as_deref());
    [section_rule, q.relevant.as_deref()]
        .into_iter()
        .flatten()
        .map(in_words)
        .collect::<Vec<_>>()
        .join(", and ")
}

/// An expression in words: `${ruolo} = 'studente'` is `ruolo is "studente"`. An expression
/// that does not parse (checked surveys have none) is given as written.
pub fn in_words(expression: &str) -> String {
    parse(expression).map_or_else(|_| expression.to_owned(), |e| words(&e, 0))
}

/// `outer` is the precedence of the operator around `e`: lower binds looser.
fn words(e: &Expr, outer: u8) -> String {
    match &e.kind {
        ExprKind::Number(n) => crate::num::format(*n),
        ExprKind::Str(s) => format!("\"{s}\""),
        ExprKind::Ref(name) => name.clone(),
        ExprKind::Current => "the answer".to_owned(),
        ExprKind::Parent => "this repeat".to_owned(),
        ExprKind::Field(name) => format!("the choice's {name}"),
        ExprKind::Neg(inner) => format!("-{}", words(inner, 9)),
        ExprKind::Binary(op, l, r) => {
            let (text, prec) = match op {
                BinOp::Or => ("or", 1),
                BinOp::And => ("and", 2),
                BinOp::Eq => ("is", 3),
                BinOp::Ne => ("is not", 3),
                BinOp::Lt => ("is less than", 4),
                BinOp::Le => ("is at most", 4),
                BinOp::Gt => ("is more than", 4),
                BinOp::Ge => ("is at least", 4),
                BinOp::Add => ("+", 5),
                BinOp::Sub => ("-", 5),
                BinOp::Mul => ("×", 6),
                BinOp::Div => ("÷", 6),
                BinOp::Mod => ("mod", 6),
            };
            let s = format!("{} {text} {}", words(l, prec), words(r, prec + 1));
            if prec < outer { format!("({s})") } else { s }
        }
        ExprKind::Call(name, args) => match (name.as_str(), args.as_slice()) {
            ("selected", [field, choice]) => {
                format!("{} includes {}", words(field, 7), words(choice, 7))
            }
            ("not", [inner]) => format!("not ({})", words(inner, 0)),
            ("count-selected", [field]) => {
                format!("the number of choices in {}", words(field, 7))
            }
            ("position", [inner]) if inner.kind == ExprKind::Parent => {
                "the number of this repeat".to_owned()
            }
            _ => format!(
                "{name}({})",
                args.iter()
                    .map(|a| words(a, 0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    }
}

#[cfg(all(test, feature = "files"))]
mod tests {
    use super::*;
    use crate::files::parse_survey;

    const SURVEY: &str = r#"id = "s"
version = "2"
languages = ["it", "en"]
title = { it = "Giovani", en = "Youth" }

[[section]]
id = "chi"

[[section.question]]
id = "ruolo"
type = "single"
label = { it = "Chi sei?", en = "Who are you?" }
required = true
choices = [{ id = "studente", label = { it = "Studente", en = "Student" } }, { id = "altro", label = { it = "Altro", en = "Other" } }]

[[section]]
id = "scuola"
relevant = "${ruolo} = 'studente'"

[[section.question]]
id = "classe"
type = "integer"
label = { it = "Che classe?", en = "Which year?" }
relevant = "${ruolo} != 'altro' and (${classe_nota} = 'si' or selected(${temi}, 'scuola'))"
constraint = ". >= 1 and . <= 5"

[[section.question]]
id = "classe_nota"
type = "text"
label = { it = "Nota", en = "Note" }

[[section.question]]
id = "temi"
type = "multiple"
label = { it = "Temi", en = "Topics" }
choices = [{ id = "scuola", label = { it = "Scuola", en = "School" } }]
"#;

    fn survey() -> Survey {
        let (s, d) = parse_survey("s.toml", SURVEY);
        s.unwrap_or_else(|| panic!("{d:?}"))
    }

    #[test]
    fn skip_logic_in_words() {
        assert_eq!(in_words("${ruolo} = 'studente'"), "ruolo is \"studente\"");
        assert_eq!(
            in_words("${a} = 1 and (${b} > 2 or not(selected(${c}, 'x')))"),
            "a is 1 and (b is more than 2 or not (c includes \"x\"))"
        );
        assert_eq!(in_words(". <= 5"), "the answer is at most 5");
        assert_eq!(
            in_words("position(..) > 1"),
            "the number of this repeat is more than 1"
        );
        assert_eq!(in_words("(("), "((");
    }

    #[test]
    fn csv_rows_have_every_language_the_choices_and_the_conditions() {
        let s = survey();
        assert_eq!(
            header(&s),
            [
                "question",
                "section",
                "type",
                "label_it",
                "label_en",
                "choices",
                "required",
                "shown_when",
                "constraint"
            ]
        );
        let rows = rows(&s);
        assert_eq!(
            rows[0],
            [
                "ruolo",
                "chi",
                "single",
                "Chi sei?",
                "Who are you?",
                "studente = Studente; altro = Altro",
                "yes",
                "",
                ""
            ]
        );
        assert_eq!(
            rows[1][7],
            "ruolo is \"studente\", and ruolo is not \"altro\" and (classe_nota is \"si\" or temi includes \"scuola\")"
        );
        assert_eq!(
            rows[1][8],
            "the answer is at least 1 and the answer is at most 5"
        );
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn markdown_lists_each_question() {
        let md = markdown(&survey());
        assert!(md.starts_with("# Codebook: Giovani (s, version 2)"), "{md}");
        assert!(
            md.contains("## `ruolo` (single)\n\n- it: Chi sei?\n- en: Who are you?\n"),
            "{md}"
        );
        assert!(
            md.contains("  - studente = Studente\n  - altro = Altro\n"),
            "{md}"
        );
        assert!(
            md.contains("- shown when: ruolo is \"studente\", and"),
            "{md}"
        );
    }
}
