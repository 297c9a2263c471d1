//! Conformance with pyxform, the reference XLSForm converter, over the forms of pyxform's own
//! test suite (`tests/xlsform/forms/`, with pyxform's verdict next to each form as
//! `FORM.expected.json`, written by `tests/xlsform/regenerate.py`).
//!
//! For every form: Voci's verdict (`voci check` accepts or refuses) equals pyxform's, and for
//! every form both read, the tree Voci reads (names, types, labels per language, choice lists,
//! relevant / constraint / calculation / choice_filter / repeat_count, groups, repeats) equals
//! pyxform's `xls2json` output. Every disagreement is in [`KNOWN`] with its reason; a known
//! difference that went away fails the test too, so the table stays true.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use voci_core::xlsform::{self, Element, FieldKind, Form, Labels, read_form};

/// What differs from pyxform for a form, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Differs {
    /// pyxform accepts the form, Voci refuses it.
    VociRefuses,
    /// Both read the form, into different trees.
    Structure,
}

use Differs::{Structure, VociRefuses};

/// Every known difference from pyxform 4.5.0 (also listed in docs/xlsform.md).
const KNOWN: &[(&str, &[Differs], &str)] = &[
    (
        "bad_calc.xlsx",
        &[VociRefuses],
        "the calculation is not an expression; pyxform checks expressions only through ODK Validate (Java), Voci checks them itself",
    ),
    (
        "case_insensitivity.csv",
        &[VociRefuses],
        "select_one_external and osm rows cannot run offline in a browser (not marked voci_skip)",
    ),
    (
        "case_insensitivity.md",
        &[VociRefuses],
        "select_one_external and osm rows cannot run offline in a browser (not marked voci_skip)",
    ),
    (
        "case_insensitivity.xls",
        &[VociRefuses],
        "select_one_external and osm rows cannot run offline in a browser (not marked voci_skip)",
    ),
    (
        "case_insensitivity.xlsx",
        &[VociRefuses],
        "select_one_external and osm rows cannot run offline in a browser (not marked voci_skip)",
    ),
    (
        "choice_filter_test.xlsx",
        &[VociRefuses, Structure],
        "a list has the choice name \"king\" twice (allow_choice_duplicates); Voci exports answers by choice name, so two choices with one name could not be told apart",
    ),
    (
        "choice_name_as_type.xls",
        &[VociRefuses],
        "a select_one_external row cannot run offline in a browser (not marked voci_skip)",
    ),
    (
        "attribute_columns_test.xlsx",
        &[VociRefuses],
        "geopoint, barcode, image, audio and video rows cannot run offline in a browser (not marked voci_skip), and the name \"_1\" cannot be a Voci id (ids start with a letter or a digit)",
    ),
    (
        "flat_xlsform_test.xlsx",
        &[VociRefuses, Structure],
        "as attribute_columns_test.xlsx; also, its settings ask for pyxform's old \"flat\" layout, for which pyxform adds a skip-to-end condition to every question",
    ),
    (
        "or_other.xlsx",
        &[Structure],
        "pyxform adds the \"other\" choice of an or_other question to the shared choice list, so another question on that list (fav_pastel) offers \"other\" too; Voci adds it only to the question that asks for it",
    ),
    (
        "repeat_date_test.xls",
        &[Structure],
        "a label typed as an Excel date in a workbook using the 1904 date system (old Mac Excel) reads four years early: the reader does not see the workbook's date system",
    ),
    (
        "xlsform_spec_test.xlsx",
        &[VociRefuses],
        "as attribute_columns_test.xlsx",
    ),
    (
        "gps.xls",
        &[VociRefuses],
        "its only question is a GPS location, which cannot be collected in a browser offline",
    ),
    (
        "loop.csv",
        &[VociRefuses, Structure],
        "\"begin loop over LIST\" is an old pyxform construct Voci does not read (it reads the rows as a group, to go on checking)",
    ),
    (
        "loop.md",
        &[VociRefuses, Structure],
        "\"begin loop over LIST\" is an old pyxform construct Voci does not read (it reads the rows as a group, to go on checking)",
    ),
    (
        "loop.xls",
        &[VociRefuses, Structure],
        "\"begin loop over LIST\" is an old pyxform construct Voci does not read (it reads the rows as a group, to go on checking)",
    ),
    (
        "loop.xlsx",
        &[VociRefuses, Structure],
        "\"begin loop over LIST\" is an old pyxform construct Voci does not read (it reads the rows as a group, to go on checking)",
    ),
    (
        "pull_data.xlsx",
        &[VociRefuses],
        "pulldata() reads a CSV file attached to the form on the phone, which Voci does not have",
    ),
    (
        "simple_loop.csv",
        &[VociRefuses, Structure],
        "\"begin loop over LIST\" is an old pyxform construct Voci does not read (it reads the rows as a group, to go on checking)",
    ),
    (
        "simple_loop.xls",
        &[VociRefuses, Structure],
        "\"begin loop over LIST\" is an old pyxform construct Voci does not read (it reads the rows as a group, to go on checking)",
    ),
    (
        "sms_info.xls",
        &[VociRefuses],
        "image and geopoint rows cannot run offline in a browser (not marked voci_skip)",
    ),
    (
        "widgets.csv",
        &[VociRefuses],
        "geopoint, barcode, image, audio and video rows cannot run offline in a browser (not marked voci_skip)",
    ),
    (
        "widgets.xls",
        &[VociRefuses],
        "geopoint, barcode, image, audio and video rows cannot run offline in a browser (not marked voci_skip)",
    ),
];

fn forms_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xlsform/forms")
}

/// Every form of the corpus with pyxform's expected output.
fn corpus() -> Vec<(String, Vec<u8>, Value)> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(forms_dir())
        .expect("the corpus folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            xlsform::is_xlsform(name)
        })
        .collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().unwrap().to_str().unwrap().to_owned();
        let expected_path = p.with_file_name(format!("{name}.expected.json"));
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
                panic!(
                    "{name} has no {}: run regenerate.py",
                    expected_path.display()
                )
            }),
        )
        .expect("valid JSON");
        out.push((name, std::fs::read(&p).expect("the form"), expected));
    }
    out
}

/// Labels as pyxform writes them: a plain string is the default language's.
fn py_labels(v: Option<&Value>) -> Labels {
    match v {
        None => Labels::new(),
        Some(Value::String(s)) => Labels::from([("default".to_owned(), s.clone())]),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
            .collect(),
        Some(other) => Labels::from([("default".to_owned(), other.to_string())]),
    }
}

/// Voci's labels named as pyxform names them: the unsuffixed column is the default
/// language's when the settings name one.
fn voci_labels(form: &Form, l: &Labels) -> Labels {
    let mut out = l.clone();
    if let Some(d) = &form.settings.default_language
        && !out.contains_key(d)
        && let Some(text) = out.remove("default")
    {
        out.insert(d.clone(), text);
    }
    out
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_str()
}

/// The elements pyxform adds by itself: the `meta` group, and the extra rows of its
/// table-list layout.
fn generated(v: &Value) -> bool {
    let name = v["name"].as_str().unwrap_or("");
    (name == "meta" && v["type"] == "group")
        || name.starts_with("generated_table_list_label_")
        || name.starts_with("reserved_name_for_field_list_labels_")
}

/// Compares Voci's tree with pyxform's children; appends each difference to `out`.
fn compare(form: &Form, ours: &[Element], theirs: &[Value], path: &str, out: &mut Vec<String>) {
    let mut theirs: Vec<&Value> = theirs.iter().filter(|v| !generated(v)).collect();
    // pyxform adds the "specify other" text after an or_other select: Voci does too, later.
    let others: Vec<String> = ours
        .iter()
        .filter_map(|e| match e {
            Element::Field(f) if f.or_other => Some(format!("{}_other", f.name)),
            _ => None,
        })
        .collect();
    theirs.retain(|v| !others.iter().any(|o| v["name"] == o.as_str()));
    // pyxform adds a `<repeat>_count` calculation for a repeat_count that is an expression.
    let counts: Vec<String> = ours
        .iter()
        .filter_map(|e| match e {
            Element::Group(g) if g.count.is_some() => Some(format!("{}_count", g.name)),
            _ => None,
        })
        .collect();
    theirs.retain(|v| !counts.iter().any(|c| v["name"] == c.as_str()));
    let names = |v: &[&Value]| -> Vec<String> {
        v.iter()
            .map(|v| v["name"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let ours_names: Vec<String> = ours
        .iter()
        .map(|e| xlsform::form::element_name(e).to_owned())
        .collect();
    let generated_name = |n: &str| n.starts_with("generated_note_name_");
    let same_names = ours_names.len() == theirs.len()
        && ours_names
            .iter()
            .zip(names(&theirs))
            .all(|(a, b)| a == &b || (generated_name(a) && generated_name(&b)));
    if !same_names {
        out.push(format!(
            "{path}: children {ours_names:?} but pyxform has {:?}",
            names(&theirs)
        ));
        return;
    }
    for (e, v) in ours.iter().zip(theirs) {
        let here = format!("{path}/{}", xlsform::form::element_name(e));
        let mut check = |what: &str, a: Option<&str>, b: Option<&str>| {
            if a != b {
                out.push(format!("{here}: {what} {a:?} but pyxform has {b:?}"));
            }
        };
        match e {
            Element::Group(g) => {
                check(
                    "type",
                    Some(if g.repeat { "repeat" } else { "group" }),
                    v["type"].as_str(),
                );
                check(
                    "relevant",
                    g.relevant.as_deref(),
                    str_at(v, &["bind", "relevant"]),
                );
                // pyxform points jr:count at the `_count` calculation it adds.
                let count = str_at(v, &["control", "jr:count"]);
                let generated_count = format!("${{{}_count}}", g.name);
                if count != Some(generated_count.as_str()) {
                    check("repeat_count", g.count.as_deref(), count);
                }
                // pyxform moves a table-list group's label into a note it generates.
                let moved = v["children"].as_array().and_then(|c| {
                    c.iter().find(|c| {
                        c["name"]
                            .as_str()
                            .is_some_and(|n| n.starts_with("generated_table_list_label_"))
                    })
                });
                let label = moved.and_then(|m| m.get("label")).or(v.get("label"));
                if voci_labels(form, &g.label) != py_labels(label) {
                    out.push(format!(
                        "{here}: label {:?} but pyxform has {:?}",
                        g.label,
                        v.get("label")
                    ));
                }
                let children = v["children"].as_array().cloned().unwrap_or_default();
                compare(form, &g.children, &children, &here, out);
            }
            Element::Field(f) => {
                // pyxform keeps some aliases as written (`string`, `int`, `trigger`).
                let theirs_type = v["type"].as_str();
                if !matches!(f.kind, FieldKind::Meta(_) | FieldKind::Unsupported(_))
                    && theirs_type != Some(f.type_text.as_str())
                {
                    check(
                        "type",
                        Some(&f.kind.pyxform_name(&f.type_text)),
                        theirs_type,
                    );
                }
                check(
                    "relevant",
                    f.relevant.as_deref(),
                    str_at(v, &["bind", "relevant"]),
                );
                check(
                    "constraint",
                    f.constraint.as_deref(),
                    str_at(v, &["bind", "constraint"]),
                );
                check(
                    "calculation",
                    f.calculation.as_deref(),
                    str_at(v, &["bind", "calculate"]),
                );
                check(
                    "choice_filter",
                    f.choice_filter.as_deref(),
                    str_at(v, &["choice_filter"]),
                );
                if voci_labels(form, &f.label) != py_labels(v.get("label")) {
                    out.push(format!(
                        "{here}: label {:?} but pyxform has {:?}",
                        f.label,
                        v.get("label")
                    ));
                }
                if voci_labels(form, &f.hint) != py_labels(v.get("hint")) {
                    out.push(format!(
                        "{here}: hint {:?} but pyxform has {:?}",
                        f.hint,
                        v.get("hint")
                    ));
                }
                if let (Some(list), Some(py_choices)) = (&f.list, v["choices"].as_array()) {
                    let mut ours: Vec<(String, Labels)> = form
                        .lists
                        .get(list)
                        .map(|cs| {
                            cs.iter()
                                .map(|c| (c.name.clone(), voci_labels(form, &c.label)))
                                .collect()
                        })
                        .unwrap_or_default();
                    if f.or_other {
                        ours.push(("other".into(), BTreeMap::new()));
                    }
                    let theirs: Vec<(String, Labels)> = py_choices
                        .iter()
                        .map(|c| {
                            let name = c["name"].as_str().unwrap_or("").to_owned();
                            // pyxform labels the added "other" choice itself.
                            let label = if f.or_other && name == "other" {
                                Labels::new()
                            } else {
                                py_labels(c.get("label"))
                            };
                            (name, label)
                        })
                        .collect();
                    if ours != theirs {
                        out.push(format!(
                            "{here}: choices {ours:?} but pyxform has {theirs:?}"
                        ));
                    }
                }
            }
        }
    }
}

#[test]
fn verdicts_and_structures_match_pyxform() {
    let mut agree = 0;
    let mut failures = Vec::new();
    let mut seen_known: Vec<&str> = Vec::new();
    let corpus = corpus();
    assert!(corpus.len() >= 60, "the corpus is in tests/xlsform/forms");
    for (name, bytes, expected) in &corpus {
        let pyxform_accepts = expected["verdict"] == "accept";
        let (survey, diagnostics) = xlsform::parse_xlsform(name, bytes);
        let voci_accepts = survey.is_some();
        let known = KNOWN.iter().find(|(n, _, _)| n == name);
        let mut differences = Vec::new();
        if voci_accepts != pyxform_accepts {
            differences.push(Differs::VociRefuses);
            if voci_accepts {
                failures.push(format!(
                    "{name}: Voci accepts what pyxform refuses ({})",
                    expected["message"]
                ));
                continue;
            }
        }
        // Whatever Voci decides, the tree it reads must be pyxform's.
        let (form, _) = read_form(name, bytes);
        let mut structure = Vec::new();
        if pyxform_accepts && let Some(form) = &form {
            let children = expected["form"]["children"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            compare(form, &form.children, &children, "", &mut structure);
        }
        if !structure.is_empty() {
            differences.push(Differs::Structure);
        }
        match known {
            Some((_, what, _)) => {
                seen_known.push(name.as_str());
                if differences.as_slice() != *what {
                    failures.push(format!(
                        "{name}: listed as {what:?} but differs by {differences:?}; update KNOWN"
                    ));
                }
                let other: Vec<_> = differences.iter().filter(|d| !what.contains(d)).collect();
                if !other.is_empty() {
                    failures.push(format!("{name}: also differs by {other:?}: {structure:?}"));
                }
            }
            None if differences.is_empty() => agree += 1,
            None => {
                let why: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                failures.push(format!(
                    "{name}: differs from pyxform ({differences:?}): {structure:?} {why:?}"
                ));
            }
        }
    }
    for (name, _, _) in KNOWN {
        assert!(
            seen_known.contains(name),
            "{name} is in KNOWN but not in the corpus"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!(
        "{agree} of {} forms agree with pyxform; {} known differences",
        corpus.len(),
        KNOWN.len()
    );
    assert_eq!(agree + KNOWN.len(), corpus.len());
}

/// Every expression of every form Voci reads parses with Voci's expression parser.
#[test]
fn every_expression_in_the_corpus_parses() {
    let mut count = 0;
    let mut failures = Vec::new();
    for (name, bytes, _) in corpus() {
        let (Some(form), _) = read_form(&name, &bytes) else {
            continue;
        };
        let mut exprs: Vec<(String, String)> = Vec::new();
        collect(&form.children, &mut exprs);
        for (site, src) in exprs {
            count += 1;
            if let Err(e) = voci_core::expr::parse(&src) {
                failures.push(format!("{name} {site}: {src:?}: {e}"));
            }
        }
    }
    assert!(count > 50, "only {count} expressions found");
    // bad_calc.xlsx's calculation is prose on purpose: pyxform's test of a broken form.
    let expected = ["bad_calc.xlsx calculation of badcalc"];
    failures.retain(|f| !expected.iter().any(|e| f.starts_with(e)));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn collect(elements: &[Element], out: &mut Vec<(String, String)>) {
    for e in elements {
        match e {
            Element::Group(g) => {
                let site = |what: &str| format!("{what} of {}", g.name);
                out.extend(g.relevant.clone().map(|r| (site("relevant"), r)));
                out.extend(g.count.clone().map(|r| (site("repeat_count"), r)));
                collect(&g.children, out);
            }
            Element::Field(f) => {
                let site = |what: &str| format!("{what} of {}", f.name);
                out.extend(f.relevant.clone().map(|r| (site("relevant"), r)));
                out.extend(f.constraint.clone().map(|r| (site("constraint"), r)));
                out.extend(f.calculation.clone().map(|r| (site("calculation"), r)));
                out.extend(f.choice_filter.clone().map(|r| (site("choice_filter"), r)));
                out.extend(
                    f.required
                        .clone()
                        .filter(|r| xlsform::form::yes_no(r).is_none())
                        .map(|r| (site("required"), r)),
                );
            }
        }
    }
}
