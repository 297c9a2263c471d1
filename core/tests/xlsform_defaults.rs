//! The columns `required_message`, `default` and `read_only`, from an XLSForm (and a native
//! file) to the model, the engine (a new response starts with the defaults) and the
//! collector's check (a read-only answer is its default; a missing required answer is told
//! in the survey's own words).

use serde_json::{Value, json};
use voci_core::engine::Engine;
use voci_core::files::{parse_survey, write_survey};
use voci_core::{Answer, Problem, QuestionId, Response, Severity, Survey, Text, xlsform};

const FORM: &str = "\
survey,type,name,label::English (en),label::Italiano (it),required,required_message::English (en),required_message::Italiano (it),default,read_only
,text,school,School,Scuola,,,,IC Mascagni,yes
,integer,age,Age,Età,yes,Please give your age,Indica la tua età,,
,select_one yn,consent,Consent?,Consenso?,,,,yes,
,select_multiple topics,topics,Topics,Temi,,,,sport music,
,time,start_time,Start,Inizio,,,,09:30:00,
,date,when,When,Quando,,,,today(),
,note,welcome,Welcome,Benvenuti,,,,,yes
,begin repeat,member,Member,Membro,,,,,
,text,role,Role,Ruolo,,,,child,
,end repeat,,,,,,,,
choices,list_name,name,label::English (en),label::Italiano (it)
,yn,yes,Yes,Sì
,yn,no,No,No
,topics,sport,Sport,Sport
,topics,music,Music,Musica
settings,form_id,version
,defaults,1
";

fn form() -> (Survey, Vec<voci_core::Diagnostic>) {
    let (survey, diagnostics) = xlsform::parse_xlsform("defaults.csv", FORM.as_bytes());
    (
        survey.unwrap_or_else(|| panic!("{diagnostics:#?}")),
        diagnostics,
    )
}

fn response(answers: Value) -> Response {
    serde_json::from_value(json!({
        "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40", "survey": "defaults", "version": "1",
        "site": "a/b", "language": "en", "submitted_at": "2026-11-23", "answers": answers
    }))
    .unwrap()
}

#[test]
fn the_three_columns_become_the_model() {
    let (survey, diagnostics) = form();
    let q = |id: &str| survey.question(id).unwrap().clone();
    assert_eq!(q("school").default.as_deref(), Some("IC Mascagni"));
    assert!(q("school").read_only);
    assert!(!q("age").read_only);
    let message = q("age")
        .required_message
        .expect("age has a required_message");
    assert_eq!(message.get("en", "en"), "Please give your age");
    assert_eq!(message.get("it", "en"), "Indica la tua età");
    assert_eq!(q("consent").default.as_deref(), Some("yes"));
    assert_eq!(q("topics").default.as_deref(), Some("sport music"));
    // Voci keeps minutes: pyxform's 09:30:00 is 09:30.
    assert_eq!(q("start_time").default.as_deref(), Some("09:30"));
    // A note takes no answer, so it is not read-only.
    assert!(!q("welcome").read_only);
    // A dynamic default is left out, with a warning at its cell.
    assert_eq!(q("when").default, None);
    let warning = diagnostics
        .iter()
        .find(|d| d.message.contains("today()"))
        .expect("a warning for the dynamic default");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(
        (warning.sheet.as_deref(), warning.line, warning.column),
        (Some("survey"), 7, 9)
    );
    assert!(
        !diagnostics.iter().any(|d| d.is_error()),
        "{diagnostics:#?}"
    );
}

#[test]
fn a_new_response_starts_with_the_defaults_and_a_reopened_one_does_not() {
    let (survey, _) = form();
    let engine = Engine::new(&survey).unwrap();
    let sheet = engine.new_sheet(0);
    assert_eq!(
        engine.answer(&sheet, "school"),
        Some(&Answer::Text("IC Mascagni".into()))
    );
    assert_eq!(
        engine.answer(&sheet, "topics"),
        Some(&Answer::Choices(vec!["sport".into(), "music".into()]))
    );
    assert_eq!(
        engine.answer(&sheet, "start_time"),
        Some(&Answer::Text("09:30".into()))
    );
    assert_eq!(engine.answer(&sheet, "age"), None);
    // A repeat's instance starts with its questions' defaults.
    let member = survey
        .sections
        .iter()
        .position(|s| s.repeat.is_some())
        .unwrap();
    assert_eq!(
        engine
            .new_instance(member)
            .get(&QuestionId::parse("role").unwrap()),
        Some(&Answer::Text("child".into()))
    );
    // A draft's answers are its own: the sheet of a draft gets no default.
    let reopened = engine.sheet(&voci_core::AnswerMap::new(), 0);
    assert_eq!(engine.answer(&reopened, "school"), None);
}

#[test]
fn a_read_only_answer_must_be_its_default() {
    let (survey, _) = form();
    let engine = Engine::new(&survey).unwrap();
    let fine = json!({ "school": "IC Mascagni", "age": 14 });
    assert_eq!(engine.check_response(&response(fine)), Ok(()));
    for tampered in [
        json!({ "school": "IC Verdi", "age": 14 }),
        json!({ "age": 14 }),
    ] {
        let errors = engine.check_response(&response(tampered)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].question.as_str(), "school");
        assert_eq!(
            errors[0].problem,
            Problem::ReadOnly {
                expected: "IC Mascagni".into()
            }
        );
        assert!(errors[0].to_string().contains("read-only"));
    }
}

#[test]
fn a_missing_required_answer_is_told_in_the_surveys_words() {
    let (survey, _) = form();
    let engine = Engine::new(&survey).unwrap();
    let errors = engine
        .check_response(&response(json!({ "school": "IC Mascagni" })))
        .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].problem, Problem::Required);
    // The survey's default language is the first of its label columns.
    assert_eq!(errors[0].message.as_deref(), Some("Please give your age"));
    assert_eq!(
        errors[0].to_string(),
        "question \"age\": Please give your age (an answer is required)"
    );
}

#[test]
fn the_form_converted_to_a_native_file_reads_back_the_same() {
    let (survey, _) = form();
    let text = write_survey(&survey).unwrap();
    assert!(text.contains("read_only = true"), "{text}");
    assert!(text.contains("default = \"sport music\""), "{text}");
    let (back, diagnostics) = parse_survey("defaults.toml", &text);
    assert_eq!(back.as_ref(), Some(&survey), "{diagnostics:#?}\n{text}");
}

const HEAD: &str = r#"id = "s"
version = "1"
languages = ["it", "en"]
title = { it = "Titolo", en = "Title" }

[[list]]
id = "yn"
choices = [{ id = "si", label = { it = "Sì", en = "Yes" } }, { id = "no", label = { it = "No", en = "No" } }]
"#;

/// Parses `HEAD + body`: the survey, and the errors as `line:column: message`.
fn native(body: &str) -> (Option<Survey>, Vec<String>) {
    let (survey, diagnostics) = parse_survey("x.toml", &format!("{HEAD}{body}"));
    let errors = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    (survey, errors)
}

#[test]
fn the_native_format_reads_the_three_keys() {
    let (survey, errors) = native(
        r#"
[[question]]
id = "eta"
type = "integer"
label = { it = "Età", en = "Age" }
required = true
required_message = { it = "Indica la tua età", en = "Please give your age" }
default = 14

[[question]]
id = "consenso"
type = "single"
choices = "yn"
label = { it = "Consenso", en = "Consent" }
default = "si"
read_only = true
"#,
    );
    assert_eq!(errors, Vec::<String>::new());
    let survey = survey.unwrap();
    let eta = survey.question("eta").unwrap();
    assert_eq!(
        eta.required_message.as_ref().map(|t| t.get("it", "it")),
        Some("Indica la tua età")
    );
    assert_eq!(eta.default.as_deref(), Some("14"));
    assert_eq!(eta.default_answer(), Some(Answer::Number(14.into())));
    let consenso = survey.question("consenso").unwrap();
    assert!(consenso.read_only);
    assert_eq!(consenso.default.as_deref(), Some("si"));
    let text = write_survey(&survey).unwrap();
    assert_eq!(parse_survey("x.toml", &text).0, Some(survey));
}

#[test]
fn native_errors_point_at_the_value() {
    let cases: &[(&str, &str)] = &[
        (
            "[[question]]\nid = \"a\"\ntype = \"single\"\nchoices = \"yn\"\nlabel = { it = \"A\", en = \"A\" }\ndefault = \"forse\"\n",
            "14:11: \"default\" \"forse\" is not an answer this question takes: \"forse\" is not one of its choices",
        ),
        (
            "[[question]]\nid = \"a\"\ntype = \"integer\"\nlabel = { it = \"A\", en = \"A\" }\ndefault = \"tanti\"\n",
            "13:11: \"default\" \"tanti\" is not an answer this question takes: expected a number",
        ),
        (
            "[[question]]\nid = \"a\"\ntype = \"date\"\nlabel = { it = \"A\", en = \"A\" }\ndefault = \"2026-02-30\"\n",
            "13:11: \"default\" \"2026-02-30\" is not an answer this question takes: expected a date as YYYY-MM-DD",
        ),
        (
            "[[question]]\nid = \"a\"\ntype = \"text\"\nlabel = { it = \"A\", en = \"A\" }\nrequired_message = { it = \"Su\", en = \"Come on\" }\n",
            "13:1: \"required_message\" is given but the question is not \"required\"",
        ),
        (
            "[[question]]\nid = \"a\"\ntype = \"note\"\nlabel = { it = \"A\", en = \"A\" }\nread_only = true\n",
            "13:1: a note or a calculation takes no answer, so \"read_only\" does not apply",
        ),
    ];
    for (body, want) in cases {
        let (survey, errors) = native(body);
        assert!(survey.is_none(), "{body}");
        assert_eq!(errors, vec![want.to_string()], "{body}");
    }
}

#[test]
fn a_required_message_is_kept_per_language() {
    let (survey, _) = form();
    let age = survey.question("age").unwrap();
    let want = Text(voci_core::VecMap::from([
        ("en".to_owned(), "Please give your age".to_owned()),
        ("it".to_owned(), "Indica la tua età".to_owned()),
    ]));
    assert_eq!(age.required_message.as_ref(), Some(&want));
}
