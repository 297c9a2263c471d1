//! `voci convert`'s core: a survey written as a native file reads back as the same survey.
//! Checked for every corpus form Voci accepts and every sample survey of `surveys/`, and on
//! one small form for the text itself (key order, languages, shared lists).

use std::path::{Path, PathBuf};

use voci_core::Survey;
use voci_core::files::{Parsed, parse_bytes, parse_survey, write_survey};
use voci_core::xlsform;

fn files_in(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| keep(p.file_name().and_then(|n| n.to_str()).unwrap_or("")))
        .collect();
    paths.sort();
    paths
}

/// Writes the survey, reads the text back, and says what went wrong if it is not the same.
fn round_trip(name: &str, survey: &Survey) -> Result<(), String> {
    let text = write_survey(survey).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!("{name}: cannot be written: {}", list.join("; "))
    })?;
    let (back, diagnostics) = parse_survey(&format!("{name}.toml"), &text);
    if !diagnostics.is_empty() {
        let list: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        return Err(format!(
            "{name}: the written file has diagnostics:\n{}\n{text}",
            list.join("\n")
        ));
    }
    match back {
        Some(back) if back == *survey => Ok(()),
        Some(back) => Err(format!(
            "{name}: reads back differently:\nwritten {survey:#?}\nread {back:#?}\n{text}"
        )),
        None => Err(format!("{name}: the written file reads as nothing\n{text}")),
    }
}

#[test]
fn every_accepted_corpus_form_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xlsform/forms");
    let mut failures = Vec::new();
    let mut accepted = 0;
    for path in files_in(&dir, xlsform::is_xlsform) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let (survey, _) = xlsform::parse_xlsform(&name, &bytes);
        let Some(survey) = survey else { continue };
        accepted += 1;
        if let Err(e) = round_trip(&name, &survey) {
            failures.push(e);
        }
    }
    // The conformance test counts the forms Voci accepts; this only needs some of them.
    assert!(accepted >= 30, "only {accepted} corpus forms were read");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_sample_survey_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../surveys");
    let mut surveys = 0;
    for path in files_in(&dir, |n| n.ends_with(".toml")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        if let (Some(Parsed::Survey(survey)), _) = parse_bytes(&name, &bytes) {
            surveys += 1;
            round_trip(&name, &survey).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert!(surveys >= 3, "only {surveys} sample surveys were read");
}

/// Two languages, a group shown on a condition, a shared list, a matrix, a repeat, a choice
/// filter and `or_other`.
const FORM: &str = "\
survey,type,name,label::Italiano (it),label::English (en),relevant,constraint,choice_filter,repeat_count,appearance
,select_one si_no,studente,Studi?,Do you study?,,,,,
,begin group,scuola,La scuola,School,${studente} = 'si',,,,
,select_one comuni,comune,Comune,Town,,,,,
,select_one scuole,istituto,Scuola,School,,,comune = ${comune},,
,end group,,,,,,,,
,begin group,giudizi,Giudizi,Opinions,,,,,table-list
,select_one accordo,utile,Utile,Useful,,,,,
,select_one accordo,facile,Facile,Easy,,,,,
,end group,,,,,,,,
,integer,fratelli,Quanti fratelli?,How many siblings?,,. >= 0,,,
,begin repeat,fratello,Fratello,Sibling,,,,${fratelli},
,integer,eta_fratello,Età,Age,,,,,
,select_one si_no,scuola_fratello,Va a scuola?,Goes to school?,,,,,
,select_one si_no or_other,vive,Vive con te?,Lives with you?,,,,,
,end repeat,,,,,,,,
choices,list_name,name,label::Italiano (it),label::English (en),comune
,si_no,si,Sì,Yes,
,si_no,no,No,No,
,comuni,melzo,Melzo,Melzo,
,comuni,inzago,Inzago,Inzago,
,scuole,mascagni,IC Mascagni,IC Mascagni,melzo
,scuole,bellisario,Bellisario,Bellisario,inzago
,accordo,1,Poco,Little,
,accordo,2,Molto,Much,
settings,form_id,version,form_title,default_language
,convertito,3,Convertito,Italiano (it)
";

#[test]
fn a_converted_form_reads_like_a_native_file() {
    let (survey, diagnostics) = xlsform::parse_xlsform("convertito.csv", FORM.as_bytes());
    let survey = survey.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let text = write_survey(&survey).unwrap();
    round_trip("convertito", &survey).unwrap();
    let expected_start = r#"id = "convertito"
version = "3"
languages = ["it", "en"]
title.it = "Convertito"
title.en = "Convertito"

[[list]]
id = "studente"
choices = [
  { id = "si", label = { it = "Sì", en = "Yes" } },
  { id = "no", label = { it = "No", en = "No" } },
]

[[section]]
id = "main"

[[section.question]]
id = "studente"
type = "single"
label.it = "Studi?"
label.en = "Do you study?"
choices = "studente"

[[section]]
id = "scuola"
title.it = "La scuola"
title.en = "School"
relevant = "${studente} = 'si'"
"#;
    assert!(text.starts_with(expected_start), "{text}");
    for part in [
        // The choice filter's field is written with the choice.
        r#"  { id = "mascagni", label = { it = "IC Mascagni", en = "IC Mascagni" }, filter = { comune = "melzo" } },"#,
        "choice_filter = \"comune = ${comune}\"\n",
        // The table-list group is a matrix with its rows.
        "id = \"giudizi_table\"\ntype = \"matrix\"\n",
        "rows = [\n  { id = \"utile\", label = { it = \"Utile\", en = \"Useful\" } },\n",
        // The repeat and its count.
        "[[section]]\nid = \"fratello\"\ntitle.it = \"Fratello\"\ntitle.en = \"Sibling\"\nrepeat = true\nrepeat_count = \"${fratelli}\"\n",
        // or_other: the choice and the follow-up question are written as they are.
        "id = \"vive_other\"\ntype = \"text\"\n",
        "relevant = \"selected(${vive}, 'other')\"\n",
    ] {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
}

#[test]
fn a_table_whose_rows_have_logic_of_their_own_stays_separate_questions() {
    let form = FORM.replace(
        ",select_one accordo,facile,Facile,Easy,,,,,",
        ",select_one accordo,facile,Facile,Easy,${studente} = 'si',,,,",
    );
    let (survey, diagnostics) = xlsform::parse_xlsform("convertito.csv", form.as_bytes());
    let survey = survey.unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(survey.question("giudizi_table").is_none());
    let facile = survey.question("facile").unwrap();
    assert!(facile.row_of.is_none());
    assert_eq!(facile.relevant.as_deref(), Some("${studente} = 'si'"));
    round_trip("convertito", &survey).unwrap();
}

#[test]
fn a_matrix_row_with_a_hint_of_its_own_is_refused_not_changed() {
    let (survey, diagnostics) = xlsform::parse_xlsform("convertito.csv", FORM.as_bytes());
    let mut survey = survey.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let row = survey
        .sections
        .iter_mut()
        .flat_map(|s| s.questions.iter_mut())
        .find(|q| q.id.as_str() == "facile")
        .unwrap();
    assert!(row.row_of.is_some());
    row.hint = Some(voci_core::Text::one("it", "Da 1 a 2"));
    let errors = write_survey(&survey).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].to_string(),
        "the matrix row \"facile\" has a hint, constraint, choice filter, randomize, default or read_only of its own, which a matrix's rows cannot have in the native format (they share the matrix's)"
    );
}
