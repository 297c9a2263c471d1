//! Expressions and their values, XLSForm's edge cases included.

use std::collections::HashMap;

use super::*;

struct Answers {
    values: HashMap<&'static str, Value>,
    current: Value,
}

impl Env for Answers {
    fn answer(&self, name: &str) -> Value {
        self.values.get(name).cloned().unwrap_or_else(Value::empty)
    }
    fn current(&self) -> Value {
        self.current.clone()
    }
    fn today(&self) -> i64 {
        // 2026-11-23
        20_780
    }
}

fn env() -> Answers {
    let s = |v: &str| Value::Str(v.into());
    Answers {
        values: HashMap::from([
            ("eta", Value::Num(15.0)),
            ("ruolo", s("studente")),
            ("problemi", s("lavoro dad legalita")),
            ("vuoto", s("")),
            ("nome", s("Aisha")),
            ("testo_num", s("12")),
            ("nascita", s("2010-05-01")),
            ("fratelli", Value::Num(2.0)),
            ("decimale", Value::Num(2.5)),
        ]),
        current: Value::Num(15.0),
    }
}

/// (expression, the value as XPath's string() of the result)
const CASES: &[(&str, &str)] = &[
    // literals and arithmetic
    ("1", "1"),
    ("1.5", "1.5"),
    (".5", "0.5"),
    ("'ciao'", "ciao"),
    ("\"ciao\"", "ciao"),
    ("1 + 2 * 3", "7"),
    ("(1 + 2) * 3", "9"),
    ("10 div 4", "2.5"),
    ("10 mod 4", "2"),
    ("-7 mod 3", "-1"),
    ("1 div 0", "Infinity"),
    ("-1 div 0", "-Infinity"),
    ("0 div 0", "NaN"),
    ("-${eta}", "-15"),
    ("- - 3", "3"),
    ("2 - 3 - 4", "-5"),
    ("12 div 2 div 3", "2"),
    ("${eta} + 1", "16"),
    ("${testo_num} + 1", "13"),
    ("${nome} + 1", "NaN"),
    ("${vuoto} + 1", "NaN"),
    ("${decimale} * 2", "5"),
    // comparisons
    ("${eta} = 15", "true"),
    // `../name` is an older way to write ${name}.
    ("../eta = 15", "true"),
    ("${eta} = '15'", "true"),
    ("${eta} != 15", "false"),
    ("${eta} > 14", "true"),
    ("${eta} >= 15", "true"),
    ("${eta} < 15", "false"),
    ("${eta} <= 15", "true"),
    ("${testo_num} > 9", "true"),
    ("${testo_num} > '9'", "true"),
    ("'abc' = 'abc'", "true"),
    ("'abc' != 'abd'", "true"),
    ("'abc' < 'abd'", "false"),
    ("${ruolo} = 'studente'", "true"),
    ("${ruolo} != 'studente'", "false"),
    ("${vuoto} = ''", "true"),
    ("${vuoto} != ''", "false"),
    ("${vuoto} = 0", "false"),
    ("${vuoto} != 0", "true"),
    ("${vuoto} > 0", "false"),
    ("${vuoto} < 0", "false"),
    ("${manca} = ''", "true"),
    ("1 = true()", "true"),
    ("0 = false()", "true"),
    ("'' = false()", "true"),
    ("'x' = true()", "true"),
    ("1 < 2 = true()", "true"),
    // logic
    ("${eta} > 10 and ${eta} < 18", "true"),
    ("${eta} > 18 or ${ruolo} = 'studente'", "true"),
    ("${eta} > 18 and ${ruolo} = 'studente'", "false"),
    ("not(${eta} > 18)", "true"),
    ("not(${vuoto})", "true"),
    ("true() and false() or true()", "true"),
    ("true() or false() and false()", "true"),
    ("boolean('')", "false"),
    ("boolean('0')", "true"),
    ("boolean(0)", "false"),
    // choices
    ("selected(${problemi}, 'dad')", "true"),
    ("selected(${problemi}, 'scuola')", "false"),
    ("selected(${problemi}, 'da')", "false"),
    ("selected(${ruolo}, 'studente')", "true"),
    ("selected(${vuoto}, 'x')", "false"),
    ("count-selected(${problemi})", "3"),
    ("count-selected(${vuoto})", "0"),
    ("count-selected(${problemi}) <= 3", "true"),
    ("selected-at(${problemi}, 1)", "dad"),
    ("selected-at(${problemi}, 7)", ""),
    // text
    ("string-length(${nome})", "5"),
    ("string-length('perché')", "6"),
    ("string-length(${vuoto})", "0"),
    ("concat(${nome}, ' (', ${eta}, ')')", "Aisha (15)"),
    ("concat()", ""),
    ("contains(${nome}, 'ish')", "true"),
    ("starts-with(${nome}, 'Ai')", "true"),
    ("ends-with(${nome}, 'ha')", "true"),
    ("substr('abcdef', 1, 3)", "bc"),
    ("substr('abcdef', 4)", "ef"),
    ("substr('abcdef', -1, 2)", "ab"),
    ("substr('abcdef', 4, 99)", "ef"),
    ("substr('abcdef', number('x'))", "abcdef"),
    ("substr('abcdef', 2, number('x'))", ""),
    ("string(0.1 + 0.2)", "0.30000000000000004"),
    ("string(0.0000001 * 3)", "0.0000003"),
    ("concat(1 div 3, '')", "0.3333333333333333"),
    ("number('+2.5')", "2.5"),
    ("number(' 2.5 ')", "2.5"),
    ("number('2.5e3')", "NaN"),
    ("number('inf')", "NaN"),
    ("number('.5')", "0.5"),
    ("normalize-space('  a   b ')", "a b"),
    ("regex(${nome}, '^[A-Z][a-z]+$')", "true"),
    ("regex('20133', '^[0-9]{5}$')", "true"),
    ("regex('2013', '^[0-9]{5}$')", "false"),
    ("regex('x', '(')", "false"),
    ("string(${eta})", "15"),
    ("string(1 div 0)", "Infinity"),
    // numbers
    ("number('3.5')", "3.5"),
    ("number('abc')", "NaN"),
    ("number('')", "NaN"),
    ("int(3.9)", "3"),
    ("int(-3.9)", "-3"),
    ("round(2.5)", "3"),
    ("round(-2.5)", "-2"),
    ("round(3.14159, 2)", "3.14"),
    ("floor(-1.5)", "-2"),
    ("ceiling(1.2)", "2"),
    ("abs(-4)", "4"),
    ("pow(2, 10)", "1024"),
    ("min(3, 1, 2)", "1"),
    ("max(3, ${eta}, 2)", "15"),
    ("max(3, ${vuoto})", "NaN"),
    ("sum(${fratelli})", "2"),
    // conditionals
    ("if(${eta} < 18, 'minore', 'adulto')", "minore"),
    ("if(${vuoto}, 'sì', 'no')", "no"),
    ("coalesce(${vuoto}, 'n.d.')", "n.d."),
    ("coalesce(${nome}, 'n.d.')", "Aisha"),
    // the current answer
    (". >= 11 and . <= 35", "true"),
    (". > 15", "false"),
    // dates
    ("today()", "2026-11-23"),
    ("date('2026-01-31')", "2026-01-31"),
    ("date('2026-02-30')", ""),
    ("today() - date('2026-11-01')", "22"),
    ("${nascita} < today()", "true"),
    ("today() > '2026-11-22'", "true"),
    ("int((today() - date(${nascita})) div 365.25)", "16"),
    ("date(0)", "1970-01-01"),
    ("date(today() + 8)", "2026-12-01"),
    ("date('2024-02-29') + 1 = date('2024-03-01')", "true"),
];

#[test]
fn expressions_and_their_values() {
    assert!(CASES.len() >= 80, "the table keeps at least 80 cases");
    let env = env();
    let mut failures = Vec::new();
    for (src, want) in CASES {
        match parse(src) {
            Ok(e) => {
                let got = e.eval(&env).to_str();
                if got != *want {
                    failures.push(format!("{src}: expected {want:?}, got {got:?}"));
                }
            }
            Err(err) => failures.push(format!("{src}: does not parse: {err}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn parse_errors_say_where() {
    let cases = [
        ("${eta} >", 8, "ends too early"),
        ("(1 + 2", 0, "'(' is not closed"),
        ("and 3", 0, "'and' needs something before it"),
        ("${eta", 0, "no closing }"),
        ("'abc", 0, "no closing '"),
        ("1 2", 2, "missing operator"),
        ("${eta} ! 3", 7, "'!' must be followed by '='"),
        ("concat('a' 'b')", 0, "not closed with ')'"),
        ("", 0, "empty"),
        ("${} = 1", 0, "empty reference"),
        ("3 # 4", 2, "unexpected character '#'"),
    ];
    for (src, offset, msg) in cases {
        let err = parse(src).expect_err(src);
        assert!(err.message.contains(msg), "{src}: {:?}", err.message);
        assert_eq!(err.offset, offset, "{src}: {}", err.message);
    }
}

#[test]
fn checks_against_a_survey() {
    let ruolo: &[&str] = &["studente", "giovane"];
    let problemi: &[&str] = &["lavoro", "dad"];
    let lookup = |name: &str| -> Option<RefInfo<'_>> {
        match name {
            "ruolo" => Some(RefInfo::OneOf(ruolo)),
            "problemi" => Some(RefInfo::ManyOf(problemi)),
            "eta" => Some(RefInfo::Value),
            _ => None,
        }
    };
    let names = ["ruolo", "problemi", "eta"];
    let messages = |src: &str, current: bool| -> Vec<String> {
        check(
            &parse(src).unwrap(),
            &lookup,
            &names,
            if current {
                Place::Constraint
            } else {
                Place::Condition
            },
        )
        .into_iter()
        .map(|e| e.message)
        .collect()
    };
    assert!(
        messages(
            "${ruolo} = 'studente' and selected(${problemi}, 'dad')",
            false
        )
        .is_empty()
    );
    assert_eq!(
        messages("${ruol} = 'x'", false),
        ["no question is named \"ruol\" (did you mean ${ruolo}?)"]
    );
    assert_eq!(
        messages("${ruolo} = 'stdente'", false),
        [
            "'stdente' is not a choice of ${ruolo} (did you mean 'studente'? its choices: studente, giovane)"
        ]
    );
    assert_eq!(
        messages("selected(${problemi}, 'scuola')", false),
        ["'scuola' is not a choice of ${problemi} (its choices: lavoro, dad)"]
    );
    assert_eq!(
        messages("${problemi} = 'dad'", false),
        [
            "${problemi} is a multiple choice: use selected(${problemi}, 'dad') instead of comparing it with 'dad'"
        ]
    );
    assert_eq!(
        messages("selected(${eta}, '1')", false),
        ["selected() needs a choice question, and ${eta} is not one"]
    );
    assert_eq!(
        messages("coalese(${eta}, 1)", false),
        ["unknown function coalese() (did you mean coalesce()?)"]
    );
    assert_eq!(
        messages("if(${eta} > 1, 2)", false),
        ["if() takes 3 argument(s), not 2"]
    );
    assert_eq!(
        messages(". > 3", false),
        ["'.' (the answer being checked) can only be used in a constraint"]
    );
    assert!(messages(". > 3", true).is_empty());
    assert_eq!(
        messages("eta > 3", false),
        [
            "unknown word 'eta': write ${eta} for a question, 'eta' for a text, or eta(...) for a function"
        ]
    );
    let filter = check(
        &parse("comune = ${ruolo}").unwrap(),
        &lookup,
        &names,
        Place::ChoiceFilter,
    );
    assert!(filter.is_empty(), "{filter:?}");
}

#[test]
fn a_regex_pattern_is_checked_where_it_stands() {
    let lookup = |_: &str| Some(RefInfo::Value);
    let errors = |src: &str| check(&parse(src).unwrap(), &lookup, &[], Place::Constraint);
    assert!(errors("regex(., '^[A-Z]{2}\\s?\\d{3}$')").is_empty());
    // A pattern that is not a literal is not checked: it is only known when answering.
    assert!(errors("regex(., concat('(?i)', 'a'))").is_empty());
    let src = "regex(., '[a-z&&[^aeiou]]')";
    let found = errors(src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .message
            .starts_with("regex() pattern: '&&' in a class is not portable"),
        "{}",
        found[0].message
    );
    assert_eq!(&src[found[0].span.clone()], "&&");
}

#[test]
fn references_are_listed_once() {
    let e = parse("${a} + ${b} * ${a} > count-selected(${c})").unwrap();
    assert_eq!(e.references(), ["a", "b", "c"]);
    assert!(!e.uses_current());
    assert!(parse(". + ${a}").unwrap().uses_current());
}
