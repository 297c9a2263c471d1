//! The engine on a large generated survey: 500 questions and 300 expressions (relevant,
//! constraint, calculation). Measures building the engine and the first sheet (what the app
//! does before showing the first question) and one answer change (what it does per keystroke).

use std::collections::BTreeMap;

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use voci_core::engine::Engine;
use voci_core::{Answer, Survey};

/// 50 pages of 10 questions: a choice question heading each page that the next page's
/// relevance reads, integers with constraints, running-total calculations.
pub fn large_survey() -> Survey {
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
    let (survey, diags) = voci_core::files::parse_survey("grande.toml", &toml);
    let survey = survey.unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(survey.questions().count(), 500);
    survey
}

fn bench(c: &mut Criterion) {
    let survey = large_survey();
    let json = serde_json::to_string(&survey).unwrap();
    c.bench_function(
        "load: JSON to engine and first sheet (500 q, 300 expr)",
        |b| {
            b.iter(|| {
                let survey: Survey = serde_json::from_str(black_box(&json)).unwrap();
                let engine = Engine::new(&survey).unwrap();
                black_box(engine.sheet(&BTreeMap::new(), 20_780));
            })
        },
    );
    let engine = Engine::new(&survey).unwrap();
    let mut sheet = engine.sheet(&BTreeMap::new(), 20_780);
    let mut v = 0;
    c.bench_function(
        "answer change: first number of page 1 (feeds 50 chained totals)",
        |b| {
            b.iter(|| {
                v = (v + 1) % 100;
                engine.set(&mut sheet, "n0_0", Some(Answer::Number(v.into())));
            })
        },
    );
    c.bench_function(
        "answer change: a choice that shows or hides the next page",
        |b| {
            let mut flip = false;
            b.iter(|| {
                flip = !flip;
                let a = if flip { "no" } else { "si" };
                engine.set(&mut sheet, "s10", Some(Answer::Text(a.into())));
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
