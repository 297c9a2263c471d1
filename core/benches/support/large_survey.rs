//! The large generated survey the engine benchmarks run on: 500 questions and 300 expressions
//! (relevant, constraint, calculation). Shared by the native benchmark (`core/benches/engine.rs`)
//! and the one in the real app (`tests/benches/engine.rs`), which includes this file by path.

use voci_core::Survey;

/// 50 pages of 10 questions: a choice question heading each page that the next page's
/// relevance reads, integers with constraints, running-total calculations.
pub fn large_survey_toml() -> String {
    let mut toml = String::from(
        "id = \"grande\"\nversion = \"1\"\nlanguages = [\"it\"]\ntitle = \"Grande\"\n",
    );
    let mut expressions = 0;
    for p in 0..50 {
        toml.push_str(&format!("\n[[section]]\nid = \"p{p}\"\n"));
        if p > 0 {
            toml.push_str(&format!("relevant = \"${{s{}}} != 'no'\"\n", p - 1));
            expressions += 1;
        }
        toml.push_str(&format!(
            "[[section.question]]\nid = \"s{p}\"\ntype = \"single\"\nlabel = \"Scelta {p}\"\nchoices = [{{ id = \"si\", label = \"Sì\" }}, {{ id = \"no\", label = \"No\" }}]\n"
        ));
        for q in 0..if p == 49 { 6 } else { 7 } {
            let id = format!("n{p}_{q}");
            toml.push_str(&format!("[[section.question]]\nid = \"{id}\"\ntype = \"integer\"\nlabel = \"Numero {p}.{q}\"\n"));
            if q == 0 {
                toml.push_str(&format!("constraint = \". >= 0 and . <= 100 + {q}\"\n"));
                expressions += 1;
            }
            if q == 3 || q == 5 {
                toml.push_str(&format!("relevant = \"${{n{p}_{}}} > 10\"\n", q - 1));
                expressions += 1;
            }
        }
        toml.push_str(&format!(
            "[[section.question]]\nid = \"t{p}\"\ntype = \"calculate\"\ncalculation = \"${{n{p}_0}} + ${{n{p}_1}} + ${{n{p}_2}}\"\n"
        ));
        toml.push_str(&format!(
            "[[section.question]]\nid = \"c{p}\"\ntype = \"calculate\"\ncalculation = \"{}${{t{p}}}\"\n",
            if p > 0 { format!("${{c{}}} + ", p - 1) } else { String::new() }
        ));
        expressions += 2;
    }
    toml.push_str(
        "[[section.question]]\nid = \"totale\"\ntype = \"calculate\"\ncalculation = \"${c49}\"\n",
    );
    expressions += 1;
    assert_eq!(expressions, 300);
    toml
}

/// [`large_survey_toml`], parsed.
pub fn large_survey() -> Survey {
    let (survey, diags) = voci_core::files::parse_survey("grande.toml", &large_survey_toml());
    let survey = survey.unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(survey.questions().count(), 500);
    survey
}
