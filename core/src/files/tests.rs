//! The parser's diagnostics on broken files: each case is a file and the one error it must give.

use super::{parse_sites, parse_survey};

const HEAD: &str = r#"id = "s"
version = "1"
languages = ["it", "en"]
title = { it = "Titolo", en = "Title" }
"#;

/// A valid question, so the cases differ from a valid file in one place only.
const Q: &str = r#"
[[question]]
id = "ok"
type = "text"
label = { it = "Testo", en = "Text" }
"#;

/// Parses `HEAD + body` and returns its diagnostics as `line:column: message`.
fn diags(body: &str) -> Vec<String> {
    let src = format!("{HEAD}{body}");
    let (survey, diags) = parse_survey("x.toml", &src);
    if diags.iter().any(|d| d.is_error()) {
        assert!(survey.is_none(), "a file with errors gives no survey");
    }
    diags
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect()
}

#[test]
fn broken_survey_files() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "wrong type",
            "[[question]]\nid = \"a\"\ntype = \"singel\"\nlabel = { it = \"A\", en = \"A\" }\n",
            "7:8: unknown question type \"singel\" (did you mean \"single\"? expected one of: single, multiple, likert, integer, number, text, long_text, date, note, calculate, ranking, acknowledge, matrix, time, datetime, range)",
        ),
        (
            "unknown key",
            "[[question]]\nid = \"a\"\ntype = \"text\"\nlable = { it = \"A\", en = \"A\" }\n",
            "8:1: unknown key \"lable\" in a question (did you mean \"label\"?)",
        ),
        (
            "duplicate question id",
            &format!("{Q}{Q}"),
            "12:6: duplicate question id \"ok\" (question ids must be unique in a survey)",
        ),
        (
            "missing label",
            "[[question]]\nid = \"a\"\ntype = \"text\"\n",
            "5:1: this question has no \"label\" (add label = { it = \"...\" })",
        ),
        (
            "bad toml",
            "[[question]]\nid = \"a\ntype = \"text\"\n",
            "6:8: this is not valid TOML: invalid basic string, expected `\"`",
        ),
        (
            "missing translation",
            "[[question]]\nid = \"a\"\ntype = \"text\"\nlabel = { it = \"A\" }\n",
            "8:9: \"label\" has no text in en (add en = \"...\")",
        ),
        (
            "unknown language",
            "[[question]]\nid = \"a\"\ntype = \"text\"\nlabel = { it = \"A\", en = \"A\", fr = \"A\" }\n",
            "8:31: \"fr\" is not one of the survey's languages (it, en)",
        ),
        (
            "duplicate choice",
            "[[question]]\nid = \"a\"\ntype = \"single\"\nlabel = { it = \"A\", en = \"A\" }\nchoices = [\n  { id = \"x\", label = { it = \"X\", en = \"X\" } },\n  { id = \"x\", label = { it = \"Y\", en = \"Y\" } },\n]\n",
            "11:10: duplicate choice id \"x\"",
        ),
        (
            "choices without list",
            "[[question]]\nid = \"a\"\ntype = \"likert\"\nlabel = { it = \"A\", en = \"A\" }\nchoices = \"acordo\"\n",
            "9:11: no [[list]] has id \"acordo\"",
        ),
        (
            "key of another type",
            "[[question]]\nid = \"a\"\ntype = \"text\"\nlabel = { it = \"A\", en = \"A\" }\nmin = 3\n",
            "9:1: \"min\" does not apply to a question of type text",
        ),
        (
            "min above max",
            "[[question]]\nid = \"a\"\ntype = \"integer\"\nlabel = { it = \"A\", en = \"A\" }\nmin = 30\nmax = 11\n",
            "9:7: \"min\" (30) is greater than \"max\" (11)",
        ),
        (
            "bad id",
            "[[question]]\nid = \"età\"\ntype = \"text\"\nlabel = { it = \"A\", en = \"A\" }\n",
            "6:6: question id \"età\" may contain only letters a-z, digits, '-' and '_' (found 'à')",
        ),
        (
            "required note",
            "[[question]]\nid = \"a\"\ntype = \"note\"\nrequired = true\nlabel = { it = \"A\", en = \"A\" }\n",
            "8:1: a note or a calculation takes no answer, so it cannot be required",
        ),
        (
            "wrong value type",
            "[[question]]\nid = \"a\"\ntype = \"text\"\nrequired = 1\nlabel = { it = \"A\", en = \"A\" }\n",
            "8:12: \"required\" must be true or false, found an integer",
        ),
        (
            "bare word in an expression",
            "[[question]]\nid = \"a\"\ntype = \"text\"\nrequired = \"yes\"\nlabel = { it = \"A\", en = \"A\" }\n",
            "8:13: in \"required\" of \"a\": unknown word 'yes': write ${yes} for a question",
        ),
        (
            "expression syntax",
            &format!("{Q}relevant = \"${{ok}} = \"\n"),
            "10:21: in \"relevant\": the expression ends too early",
        ),
        (
            "unknown reference",
            &format!(
                "{Q}[[question]]\nid = \"b\"\ntype = \"text\"\nlabel = {{ it = \"B\", en = \"B\" }}\nrelevant = \"${{ko}} != ''\"\n"
            ),
            "14:13: in \"relevant\" of \"b\": no question is named \"ko\" (did you mean ${ok}?)",
        ),
        (
            "unknown choice code",
            "[[question]]\nid = \"r\"\ntype = \"single\"\nlabel = { it = \"A\", en = \"A\" }\nchoices = [{ id = \"studente\", label = { it = \"S\", en = \"S\" } }]\n[[question]]\nid = \"s\"\ntype = \"text\"\nlabel = { it = \"B\", en = \"B\" }\nrelevant = \"${r} = 'stdente'\"\n",
            "14:13: in \"relevant\" of \"s\": 'stdente' is not a choice of ${r} (did you mean 'studente'?",
        ),
        (
            "cycle",
            "[[question]]\nid = \"a\"\ntype = \"calculate\"\ncalculation = \"${b} + 1\"\n[[question]]\nid = \"b\"\ntype = \"calculate\"\ncalculation = \"${a} + 1\"\n",
            "8:16: in \"calculation\" of \"a\": this expression depends on itself through a cycle: a (calculation) → b (calculation)",
        ),
        (
            "self reference",
            &format!("{Q}relevant = \"${{ok}} = 'x'\"\n"),
            "10:13: in \"relevant\" of \"ok\": this expression depends on itself",
        ),
        (
            "constraint outside a constraint",
            &format!("{Q}relevant = \". > 3\"\n"),
            "10:13: in \"relevant\" of \"ok\": '.' (the answer being checked) can only be used in a constraint",
        ),
        (
            "pattern outside the portable subset",
            &format!("{Q}constraint = 'regex(., \"a(?i)b\")'\n"),
            "10:26: in \"constraint\" of \"ok\": regex() pattern: only (?: ) groups are portable",
        ),
        (
            "number that is not a number",
            &format!("{Q}relevant = \"${{ok}} > 1.2.3\"\n"),
            "10:21: in \"relevant\": \"1.2.3\" is not a number",
        ),
        ("no questions", "", "1:1: the survey has no questions"),
    ];
    for (name, body, want) in cases {
        let got = diags(body);
        assert!(
            got.iter().any(|g| g.starts_with(want)),
            "case {name:?}: expected a diagnostic starting with\n  {want}\ngot\n  {}",
            got.join("\n  ")
        );
    }
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let got = diags(
        "[[question]]\nid = \"a\"\ntype = \"singel\"\nlabel = { it = \"A\", en = \"A\" }\n\n[[question]]\nid = \"a\"\ntype = \"text\"\nlable = \"x\"\n",
    );
    assert!(got.len() >= 3, "{got:#?}");
}

#[test]
fn diagnostics_display_as_file_line_column() {
    let (_, d) = parse_survey(
        "surveys/x.toml",
        &format!(
            "{HEAD}[[question]]\nid = \"a\"\ntype = \"singel\"\nlabel = {{ it = \"A\", en = \"A\" }}\n"
        ),
    );
    assert!(
        d[0].to_string()
            .starts_with("surveys/x.toml:7:8: unknown question type \"singel\""),
        "{}",
        d[0]
    );
}

#[test]
fn a_valid_file_gives_the_model() {
    let src = format!(
        "{HEAD}[[list]]\nid = \"acc\"\nchoices = [{{ id = \"1\", label = {{ it = \"No\", en = \"No\" }} }}, {{ id = \"2\", label = {{ it = \"Sì\", en = \"Yes\" }} }}]\n\n[[section]]\nid = \"p1\"\n[[section.question]]\nid = \"l\"\ntype = \"likert\"\nrequired = true\nlabel = {{ it = \"A\", en = \"A\" }}\nchoices = \"acc\"\n[[section.question]]\nid = \"m\"\ntype = \"multiple\"\nmax = 1\nlabel = {{ it = \"B\", en = \"B\" }}\nchoices = \"acc\"\n"
    );
    let (survey, diags) = parse_survey("x.toml", &src);
    assert!(diags.is_empty(), "{diags:?}");
    let survey = survey.unwrap();
    assert_eq!(survey.languages, ["it", "en"]);
    assert_eq!(survey.sections.len(), 1);
    let l = survey.question("l").unwrap();
    assert!(l.required);
    assert_eq!(l.kind.choices().len(), 2);
    assert_eq!(l.kind.choices()[1].label.get("en", "it"), "Yes");
    assert!(matches!(
        survey.question("m").unwrap().kind,
        crate::QuestionKind::Multiple { max: Some(1), .. }
    ));
    // The JSON the app receives reads back to the same model.
    let json = serde_json::to_string(&survey).unwrap();
    assert_eq!(
        serde_json::from_str::<crate::Survey>(&json).unwrap(),
        survey
    );
}

#[test]
fn broken_sites_files() {
    let cases: &[(&str, &str)] = &[
        (
            "[[district]]\nid = \"a\"\nname = \"A\"\n[[district.municipality]]\nid = \"m\"\nname = \"M\"\n[[district.municipality.site]]\nid = \"s\"\nname = \"S\"\nkind = \"scool\"\n",
            "10:8: unknown site kind \"scool\" (did you mean \"school\"?",
        ),
        (
            "[[district]]\nid = \"a\"\nname = \"A\"\n[[district]]\nid = \"a\"\nname = \"B\"\n",
            "5:6: duplicate site id \"a\"",
        ),
        (
            "[[district]]\nid = \"a\"\n",
            "1:1: a [[district]] has no \"name\"",
        ),
        (
            "[[district]]\nid = \"a\"\nname = \"A\"\nnome = \"x\"\n",
            "4:1: unknown key \"nome\" in a [[district]] (did you mean \"name\"?)",
        ),
    ];
    for (src, want) in cases {
        let (_, d) = parse_sites("sites.toml", src);
        let got: Vec<String> = d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        assert!(
            got.iter().any(|g| g.starts_with(want)),
            "expected {want}\ngot {got:#?}"
        );
    }
}

#[test]
fn sites_resolve_by_path() {
    let src = "[[district]]\nid = \"a5\"\nname = \"Ambito 5\"\n[[district.municipality]]\nid = \"melzo\"\nname = \"Melzo\"\n[[district.municipality.site]]\nid = \"ic\"\nname = \"IC\"\nkind = \"school\"\n";
    let (tree, d) = parse_sites("sites.toml", src);
    assert!(d.is_empty(), "{d:?}");
    let tree = tree.unwrap();
    let id = crate::SiteId::parse("a5/melzo/ic").unwrap();
    assert_eq!(tree.find(&id).unwrap().name, "IC");
    assert_eq!(tree.flatten().len(), 3);
}

#[test]
fn matrix_other_ranking_and_consent() {
    let src = format!(
        r#"{HEAD}consent = {{ it = "Accetto", en = "I agree" }}
anonymous = false
[[list]]
id = "acc"
choices = [{{ id = "1", label = {{ it = "No", en = "No" }} }}, {{ id = "2", label = {{ it = "Sì", en = "Yes" }} }}]
[[question]]
id = "griglia"
type = "matrix"
required = true
label = {{ it = "Quanto sei d'accordo?", en = "How much do you agree?" }}
choices = "acc"
rows = [
  {{ id = "g1", label = {{ it = "Uno", en = "One" }} }},
  {{ id = "g2", label = {{ it = "Due", en = "Two" }} }},
]
[[question]]
id = "temi"
type = "multiple"
randomize = true
label = {{ it = "Temi", en = "Topics" }}
choices = [{{ id = "lavoro", label = {{ it = "Lavoro", en = "Work" }} }}]
other = {{ it = "Altro", en = "Other" }}
[[question]]
id = "ordine"
type = "ranking"
label = {{ it = "Ordina", en = "Rank" }}
choices = [{{ id = "a", label = {{ it = "A", en = "A" }} }}, {{ id = "b", label = {{ it = "B", en = "B" }} }}]
[[question]]
id = "ok"
type = "acknowledge"
required = true
label = {{ it = "Ho capito", en = "I understand" }}
"#
    );
    let (survey, diags) = parse_survey("x.toml", &src);
    let survey = survey.unwrap_or_else(|| panic!("{diags:?}"));
    assert!(!survey.anonymous);
    assert_eq!(survey.consent.as_ref().unwrap().get("en", "it"), "I agree");
    let ids: Vec<&str> = survey.questions().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        ["griglia", "g1", "g2", "temi", "temi_other", "ordine", "ok"]
    );
    let g2 = survey.question("g2").unwrap();
    assert!(g2.required && g2.row_of.as_ref().unwrap().as_str() == "griglia");
    assert!(matches!(g2.kind, crate::QuestionKind::Likert { ref choices } if choices.len() == 2));
    let temi = survey.question("temi").unwrap();
    assert!(temi.randomize);
    assert_eq!(temi.kind.choices().last().unwrap().id.as_str(), "other");
    let other = survey.question("temi_other").unwrap();
    assert_eq!(
        other.relevant.as_deref(),
        Some("selected(${temi}, 'other')")
    );
    assert_eq!(
        other.required_if.as_deref(),
        Some("selected(${temi}, 'other')")
    );
    assert_eq!(
        crate::export::header(&survey)[crate::export::FIXED_COLUMNS.len()..],
        [
            "g1",
            "g2",
            "temi",
            "temi/lavoro",
            "temi/other",
            "temi_other",
            "ordine",
            "ordine/a",
            "ordine/b",
            "ok"
        ]
    );
}
