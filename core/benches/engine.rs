//! The engine on a large generated survey: 500 questions and 300 expressions (relevant,
//! constraint, calculation). Measures building the engine and the first sheet (what the app
//! does before showing the first question) and one answer change (what it does per keystroke).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use voci_core::engine::Engine;
use voci_core::{Answer, Survey};

#[path = "support/large_survey.rs"]
mod large_survey;
use large_survey::large_survey;

fn bench(c: &mut Criterion) {
    let survey = large_survey();
    let json = serde_json::to_string(&survey).unwrap();
    c.bench_function(
        "load: JSON to engine and first sheet (500 q, 300 expr)",
        |b| {
            b.iter(|| {
                let survey: Survey = serde_json::from_str(black_box(&json)).unwrap();
                let engine = Engine::new(&survey).unwrap();
                black_box(engine.sheet(&voci_core::AnswerMap::new(), 20_780));
            })
        },
    );
    let engine = Engine::new(&survey).unwrap();
    let mut sheet = engine.sheet(&voci_core::AnswerMap::new(), 20_780);
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
