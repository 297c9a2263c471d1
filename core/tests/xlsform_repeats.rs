//! Repeats, from an XLSForm to a checked response: instances as `Answer::Instances` under
//! the repeat's id, `repeat_count`, the logic inside each instance, `position(..)`,
//! `count()`, `sum()`, `max()` and `indexed-repeat()` over the instances.

use serde_json::{Value, json};
use voci_core::engine::Engine;
use voci_core::{Answer, Response, Survey, xlsform};

/// A household: how many members, then a repeat asking each one's name, age and (from 16)
/// job, with the member's number and whether they are an adult computed; after it, the
/// total and largest age, the number of members and the first member's name.
const HOUSEHOLD: &str = "\
survey,type,name,label,relevant,constraint,calculation,repeat_count
,integer,members,How many people live with you?,,. >= 0 and . <= 8,,
,begin repeat,member,Member,,,,${members}
,calculate,number,,,,position(..),
,text,name,Name,,,,
,integer,age,Age,,. < 120,,
,text,job,Job,${age} >= 16,,,
,calculate,adult,,,,\"if(${age} >= 18, 'yes', 'no')\",
,end repeat,,,,,,
,calculate,total_age,,,,sum(${age}),
,calculate,oldest,,,,max(${age}),
,calculate,how_many,,,,count(${member}),
,calculate,first,,,,\"indexed-repeat(${name}, ${member}, 1)\",
,note,thanks,Thank you,,,,
settings,form_id,version
,household,1
";

fn survey(form: &str) -> Survey {
    let (survey, diagnostics) = xlsform::parse_xlsform("household.csv", form.as_bytes());
    survey.unwrap_or_else(|| panic!("{diagnostics:#?}"))
}

fn response(answers: Value) -> Response {
    serde_json::from_value(json!({
        "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40", "survey": "household", "version": "1",
        "site": "a/b", "language": "und", "submitted_at": "2026-11-23", "answers": answers
    }))
    .unwrap()
}

/// A household of an adult who works and a child, as the app would send it.
fn two_members() -> Value {
    json!({
        "members": 2,
        "member": [
            { "number": "1", "name": "Ada", "age": 40, "job": "nurse", "adult": "yes" },
            { "number": "2", "name": "Bo", "age": 9, "adult": "no" }
        ],
        "total_age": "49", "oldest": "40", "how_many": "2", "first": "Ada"
    })
}

/// The problems as `question#instance: code`.
fn problems(engine: &Engine, answers: Value) -> Vec<String> {
    match engine.check_response(&response(answers)) {
        Ok(()) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| match e.instance {
                Some(n) => format!("{}#{n}: {}", e.question, e.problem.code()),
                None => format!("{}: {}", e.question, e.problem.code()),
            })
            .collect(),
    }
}

#[test]
fn the_repeat_is_a_repeated_section_whose_instances_are_one_answer() {
    let s = survey(HOUSEHOLD);
    let member = s
        .sections
        .iter()
        .find(|sec| sec.id.as_str() == "member")
        .unwrap();
    assert_eq!(
        member.repeat.as_ref().unwrap().count.as_deref(),
        Some("${members}")
    );
    // An array of objects is a repeat's instances; an array of codes stays choices.
    let r = response(two_members());
    let instances = match &r.answers[&voci_core::QuestionId::parse("member").unwrap()] {
        Answer::Instances(v) => v,
        other => panic!("{other:?}"),
    };
    assert_eq!(instances.len(), 2);
    let codes: Answer = serde_json::from_value(json!(["a", "b"])).unwrap();
    assert_eq!(codes, Answer::Choices(vec!["a".into(), "b".into()]));
    // The canonical JSON keeps the instances in order and their answers sorted.
    assert!(r.canonical_json().contains(
        r#""member":[{"adult":"yes","age":40,"job":"nurse","name":"Ada","number":"1"},"#
    ));
}

#[test]
fn a_valid_household_passes_and_each_rule_is_checked_in_its_instance() {
    let engine = Engine::new(&survey(HOUSEHOLD)).unwrap();
    assert_eq!(problems(&engine, two_members()), Vec::<String>::new());

    let mut v = two_members();
    // The constraint holds in each instance: the second member's age breaks it.
    v["member"][1]["age"] = json!(130);
    v["member"][1]["job"] = json!("retired");
    v["member"][1]["adult"] = json!("yes");
    v["total_age"] = json!("170");
    v["oldest"] = json!("130");
    assert_eq!(problems(&engine, v), ["age#2: constraint"]);

    // Relevance inside an instance reads that instance's age.
    let mut v = two_members();
    v["member"][1]["job"] = json!("pupil");
    assert_eq!(problems(&engine, v), ["job#2: not_relevant"]);

    // position(..) is the instance's number; calculations are checked per instance.
    let mut v = two_members();
    v["member"][1]["number"] = json!("1");
    assert_eq!(problems(&engine, v), ["number#2: calculation"]);

    // sum(), max(), count() and indexed-repeat() read every instance.
    let mut v = two_members();
    v["total_age"] = json!("40");
    v["first"] = json!("Bo");
    assert_eq!(
        problems(&engine, v),
        ["total_age: calculation", "first: calculation"]
    );

    // repeat_count: as many instances as members.
    let mut v = two_members();
    v["members"] = json!(3);
    assert_eq!(problems(&engine, v), ["member: wrong_type"]);

    // A question of the repeat answered outside an instance, and an unknown one inside.
    let mut v = two_members();
    v["age"] = json!(40);
    v["member"][0]["shoe_size"] = json!(42);
    assert_eq!(
        problems(&engine, v),
        ["age: wrong_type", "shoe_size#1: unknown_question"]
    );
}

#[test]
fn an_open_ended_repeat_takes_any_number_of_instances_and_a_hidden_one_none() {
    let form = HOUSEHOLD.replace(
        ",begin repeat,member,Member,,,,${members}",
        ",begin repeat,member,Member,${members} > 0,,,",
    );
    let engine = Engine::new(&survey(&form)).unwrap();
    let mut three = two_members();
    three["member"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "number": "3", "name": "Cy", "age": 1, "adult": "no" }));
    three["total_age"] = json!("50");
    three["how_many"] = json!("3");
    assert_eq!(problems(&engine, three), Vec::<String>::new());
    // Nobody lives with the respondent: the repeat is not shown, so it has no instances.
    let none = json!({
        "members": 0, "member": [{ "number": "1", "name": "X", "age": 3, "adult": "no" }],
        "total_age": "3", "oldest": "3", "how_many": "1", "first": "X"
    });
    assert_eq!(problems(&engine, none), ["member: not_relevant"]);
    // The greatest of no ages is NaN (as ODK has it); their sum is 0.
    let empty = json!({ "members": 0, "total_age": "0", "oldest": "NaN", "how_many": "0" });
    assert_eq!(problems(&engine, empty), Vec::<String>::new());
}

#[test]
fn finishing_keeps_each_instance_s_shown_answers_and_calculations() {
    let engine = Engine::new(&survey(HOUSEHOLD)).unwrap();
    let mut given = response(two_members()).answers;
    // A job typed for the child before the age was corrected is not kept.
    let id = |s: &str| voci_core::QuestionId::parse(s).unwrap();
    if let Some(Answer::Instances(v)) = given.get_mut(&id("member")) {
        v[1].insert(id("job"), Answer::Text("pupil".into()));
        v[1].remove(&id("adult"));
    }
    let sheet = engine.sheet(&given, 20_780);
    let kept = engine.finish(&sheet);
    assert_eq!(kept, response(two_members()).answers);
    assert_eq!(engine.repeat_count(&sheet, 1), Some(2));
    let second = engine.instance_sheet(&sheet, 1, 1).unwrap();
    assert!(!engine.shown(&second, "job"));
    assert!(engine.instance_sheet(&sheet, 1, 2).is_none());
}

#[test]
fn repeat_functions_are_checked_where_they_are_written() {
    let cases = [
        (
            HOUSEHOLD.replace("sum(${age})", "position(..)"),
            "household.csv:survey!G10: in calculation of \"total_age\": position(..) is the number of a repeat's instance, so it can only be used by the questions of a repeat",
        ),
        (
            HOUSEHOLD.replace("sum(${age})", "${member} + 1"),
            "household.csv:survey!G10: in calculation of \"total_age\": ${member} is a repeat: count(${member}) is its number of instances",
        ),
        (
            HOUSEHOLD.replace(",position(..),", ",.. + 1,"),
            "household.csv:survey!G4: in calculation of \"number\": '..' (the repeat instance) can only be used as position(..)",
        ),
        (
            HOUSEHOLD.replace("count(${member}),", "count('x'),"),
            "household.csv:survey!G12: in calculation of \"how_many\": count() counts the instances of a repeat: count(${repeat})",
        ),
    ];
    for (form, want) in cases {
        let (survey, diagnostics) = xlsform::parse_xlsform("household.csv", form.as_bytes());
        assert!(survey.is_none());
        let got: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            got.iter().any(|d| d.starts_with(want)),
            "{want}\nnot in\n{}",
            got.join("\n")
        );
    }
}

#[test]
fn the_main_csv_counts_instances_and_the_repeat_csv_has_a_row_each() {
    use voci_core::export::{
        FIXED_COLUMNS, Values, header, repeat, repeat_free_text_columns, repeat_header,
        repeat_rows, row,
    };
    let s = survey(HOUSEHOLD);
    let r = response(two_members());
    let fixed = FIXED_COLUMNS.len();
    assert_eq!(
        header(&s)[fixed..],
        [
            "members",
            "member",
            "total_age",
            "oldest",
            "how_many",
            "first"
        ]
    );
    assert_eq!(row(&s, &r)[fixed..], ["2", "2", "49", "40", "2", "Ada"]);

    let member = repeat(&s, "member").unwrap();
    assert!(repeat(&s, "main").is_none(), "a page that is not a repeat");
    assert_eq!(
        repeat_header(member),
        ["number", "name", "age", "job", "adult", "PARENT_KEY", "KEY"]
    );
    let id = "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40";
    assert_eq!(
        repeat_rows(&s, member, &r, &Values::Codes),
        [
            vec![
                "1",
                "Ada",
                "40",
                "nurse",
                "yes",
                id,
                &format!("{id}/member[1]")
            ],
            vec!["2", "Bo", "9", "", "no", id, &format!("{id}/member[2]")],
        ]
    );
    assert_eq!(
        repeat_free_text_columns(member),
        [true, true, false, true, true, false, false]
    );
}

#[test]
fn a_native_file_says_repeats_too_and_its_count_is_checked_where_it_is_written() {
    use voci_core::files::{parse_survey, write_survey};
    let text = write_survey(&survey(HOUSEHOLD)).unwrap();
    assert!(
        text.contains("[[section]]\nid = \"member\"\ntitle = \"Member\"\nrepeat = true\nrepeat_count = \"${members}\"\n"),
        "{text}"
    );
    let broken = text.replace("\"${members}\"\n", "\"${membres}\"\n");
    let (survey, diagnostics) = parse_survey("h.toml", &broken);
    assert!(survey.is_none());
    let line = broken
        .lines()
        .position(|l| l.starts_with("repeat_count"))
        .unwrap()
        + 1;
    assert_eq!(
        diagnostics[0].to_string(),
        format!(
            "h.toml:{line}:17: in \"repeat_count\" of \"member\": no question is named \"membres\" (did you mean ${{members}}?)"
        )
    );
}
