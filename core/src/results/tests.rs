//! Results on a seeded dataset whose every figure was worked out by hand, and brute-force
//! checks that suppression never gives a small count away.

use serde_json::json;

use super::*;
use crate::files::parse_survey;
use crate::response::Answer;

const SURVEY: &str = r#"id = "s"
version = "1"
languages = ["it"]
title = "S"

[[question]]
id = "ruolo"
type = "single"
label = "Ruolo"
choices = [{ id = "studente", label = "Studente" }, { id = "genitore", label = "Genitore" }, { id = "docente", label = "Docente" }]

[[question]]
id = "accordo"
type = "likert"
label = "Accordo"
choices = [{ id = "no", label = "Per niente" }, { id = "poco", label = "Poco" }, { id = "abbastanza", label = "Abbastanza" }, { id = "molto", label = "Molto" }]

[[question]]
id = "temi"
type = "multiple"
label = "Temi"
choices = [{ id = "lavoro", label = "Lavoro" }, { id = "scuola", label = "Scuola" }, { id = "sport", label = "Sport" }]

[[question]]
id = "eta"
type = "integer"
label = "Età"

[[question]]
id = "proposta"
type = "text"
label = "Proposta"
"#;

fn survey() -> Survey {
    let (survey, d) = parse_survey("s.toml", SURVEY);
    survey.unwrap_or_else(|| panic!("{d:?}"))
}

fn response(n: usize, answers: serde_json::Value) -> Response {
    serde_json::from_value(json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"), "survey": "s", "version": "1",
        "site": "a/b", "language": "it", "submitted_at": "2026-03-01", "answers": answers
    }))
    .unwrap()
}

/// Twenty respondents:
///
/// | ruolo | accordo: poco, abbastanza, molto |
/// | --- | --- |
/// | studente (12) | 2, 4, 6 |
/// | genitore (5) | 3, 1, 1 |
/// | docente (2) | 0, 1, 1 |
/// | no answer (1) | 0, 1, 0 |
///
/// temi: lavoro by the first 10, scuola by 17 (all but respondents 18-20), sport by 3
/// (respondents 1-3); respondents 18 to 20 leave temi out, so 17 answered it. eta: the
/// first twelve answer 11..=20, 30, 40. proposta: two answers.
fn dataset() -> Vec<Response> {
    let ruolo = |i: usize| match i {
        1..=12 => Some("studente"),
        13..=17 => Some("genitore"),
        18 | 19 => Some("docente"),
        _ => None,
    };
    let accordo = |i: usize| match i {
        1 | 2 | 13..=15 => "poco",
        3..=6 | 16 | 18 | 20 => "abbastanza",
        _ => "molto",
    };
    let ages = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30, 40];
    (1..=20)
        .map(|i| {
            let mut a = serde_json::Map::new();
            if let Some(r) = ruolo(i) {
                a.insert("ruolo".into(), json!(r));
            }
            a.insert("accordo".into(), json!(accordo(i)));
            if i <= 17 {
                let mut temi = Vec::new();
                if i <= 10 {
                    temi.push("lavoro");
                }
                if i <= 17 {
                    temi.push("scuola");
                }
                if i <= 3 {
                    temi.push("sport");
                }
                a.insert("temi".into(), json!(temi));
            }
            if i <= 12 {
                a.insert("eta".into(), json!(ages[i - 1]));
            }
            match i {
                1 => a.insert("proposta".into(), json!("Più spazi aperti la sera")),
                2 => a.insert("proposta".into(), json!("=HYPERLINK(\"http://x\")")),
                _ => None,
            };
            response(i, serde_json::Value::Object(a))
        })
        .collect()
}

fn results(text_answers: bool) -> SurveyResults {
    let survey = survey();
    let options = Options::new(5, text_answers);
    let mut tally = Tally::new(&survey);
    for r in dataset() {
        tally.add(&r, &options);
    }
    tally.finish(&options)
}

fn question<'r>(results: &'r SurveyResults, id: &str) -> &'r QuestionResult {
    results.questions.iter().find(|q| q.id == id).unwrap()
}

fn choices(q: &QuestionResult) -> Vec<(&str, Count, Option<f64>)> {
    let Detail::Choices { choices, .. } = &q.detail else {
        panic!("{q:?}")
    };
    choices
        .iter()
        .map(|c| (c.id.as_str(), c.count.clone(), c.percent))
        .collect()
}

const S: fn(u64) -> Count = Count::Shown;

fn h() -> Count {
    Count::Hidden("<5".into())
}

#[test]
fn single_choice_counts_percentages_and_hidden_small_cells() {
    let r = results(true);
    assert_eq!(r.respondents, S(20));
    let ruolo = question(&r, "ruolo");
    // docente 2 and no answer 1 are hidden; two hidden cells in the line, so neither can be
    // worked out from the 20. Answered (19) would give the one who did not answer away.
    assert_eq!(
        choices(ruolo),
        [
            ("studente", S(12), Some(60.0)),
            ("genitore", S(5), Some(25.0)),
            ("docente", h(), None)
        ]
    );
    let Detail::Choices { no_answer, .. } = &ruolo.detail else {
        unreachable!()
    };
    assert_eq!(no_answer, &Some(h()));
    assert_eq!(ruolo.answered, h());
}

#[test]
fn likert_has_a_distribution_and_a_mean() {
    let r = results(true);
    let accordo = question(&r, "accordo");
    assert_eq!(
        choices(accordo),
        [
            ("no", S(0), Some(0.0)),
            ("poco", S(5), Some(25.0)),
            ("abbastanza", S(7), Some(35.0)),
            ("molto", S(8), Some(40.0))
        ]
    );
    let Detail::Choices { mean, .. } = &accordo.detail else {
        unreachable!()
    };
    // (5 × 2 + 7 × 3 + 8 × 4) / 20 = 63 / 20.
    assert_eq!(*mean, Some(3.15));
    assert_eq!(accordo.answered, S(20));
}

#[test]
fn multiple_choice_hides_small_choosers_and_small_non_choosers() {
    let r = results(true);
    let temi = question(&r, "temi");
    // lavoro: 10 chose it, 10 did not. scuola: 17 did, but only 3 did not, so 17 is hidden
    // too. sport: 3.
    assert_eq!(
        choices(temi),
        [
            ("lavoro", S(10), Some(50.0)),
            ("scuola", h(), None),
            ("sport", h(), None)
        ]
    );
    assert_eq!(temi.answered, h(), "17 answered: 3 did not");
}

#[test]
fn numbers_have_mean_median_and_quartiles() {
    let r = results(true);
    let eta = question(&r, "eta");
    assert_eq!(eta.answered, S(12));
    // Sorted: 11 12 13 14 15 16 17 18 19 20 30 40; sum 225.
    // Median: between the 6th and 7th (16, 17); Q1 at rank 2.75 (13 → 14); Q3 at rank 8.25
    // (19 → 20).
    assert_eq!(
        eta.detail,
        Detail::Numbers {
            stats: Some(Stats {
                mean: 18.75,
                median: 16.5,
                q1: 13.75,
                q3: 19.25
            })
        }
    );
}

#[test]
fn text_answers_are_listed_for_coordinators_only() {
    let for_coordinator = results(true);
    let proposta = question(&for_coordinator, "proposta");
    assert_eq!(
        proposta.detail,
        Detail::Texts {
            answers: Some(vec![
                "Più spazi aperti la sera".into(),
                "=HYPERLINK(\"http://x\")".into()
            ]),
            truncated: false
        }
    );
    let for_viewer = results(false);
    let proposta = question(&for_viewer, "proposta");
    assert_eq!(
        proposta.detail,
        Detail::Texts {
            answers: None,
            truncated: false
        }
    );
    let json = serde_json::to_string(&for_viewer).unwrap();
    assert!(
        !json.contains("HYPERLINK") && !json.contains("spazi aperti"),
        "{json}"
    );
}

#[test]
fn a_cross_tab_counts_respondents_who_answered_both() {
    let survey = survey();
    let mut tally = CrossTally::new(&survey, "ruolo", "accordo").unwrap();
    for r in dataset() {
        tally.add(&r);
    }
    let t = tally.finish(5);
    // Counts: studente 0 2 4 6 (12), genitore 0 3 1 1 (5), docente 0 0 1 1 (2); columns
    // 0 5 6 8, total 19. Primary: every 1-4; the row totals then have one hidden (docente's
    // 2), so the smallest other, genitore's 5, is hidden too.
    assert_eq!(
        t.cells,
        [
            vec![S(0), h(), h(), S(6)],
            vec![S(0), h(), h(), h()],
            vec![S(0), S(0), h(), h()]
        ]
    );
    assert_eq!(t.row_totals, [S(12), h(), h()]);
    assert_eq!(t.column_totals, [S(0), S(5), S(6), S(8)]);
    assert_eq!(t.total, S(19));
    assert_eq!(t.rows.choices.len(), 3);
    assert_eq!(t.columns.question, "accordo");
}

#[test]
fn a_cross_tab_needs_two_single_answer_questions() {
    let survey = survey();
    assert_eq!(
        CrossTally::new(&survey, "ruolo", "temi").unwrap_err(),
        CrossTabError::NotSingle("temi".into())
    );
    assert_eq!(
        CrossTally::new(&survey, "nope", "ruolo").unwrap_err(),
        CrossTabError::Unknown("nope".into())
    );
}

#[test]
fn hidden_counts_serialise_as_below_the_threshold() {
    let r = results(false);
    let json = serde_json::to_value(question(&r, "ruolo")).unwrap();
    assert_eq!(json["choices"][2]["count"], "<5");
    assert_eq!(json["choices"][0]["count"], 12);
    assert_eq!(json["type"], "single");
    assert_eq!(json["result"], "choices");
}

/// A small random number generator (xorshift), so the brute-force test needs no crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn no_count_below_the_threshold_is_shown_or_recoverable_random_datasets() {
    let survey = survey();
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let codes = |q: &str| -> Vec<String> {
        survey
            .question(q)
            .unwrap()
            .kind
            .choices()
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    };
    let (ruoli, temi) = (codes("ruolo"), codes("temi"));
    for round in 0..400 {
        let k = 3 + rng.below(5);
        let n = 1 + rng.below(40) as usize;
        let mut data = Vec::new();
        for i in 0..n {
            let mut a = serde_json::Map::new();
            // Skewed, so small cells are common.
            let pick = rng.below(10);
            if pick < 9 {
                let r = &ruoli[match pick {
                    0..=5 => 0,
                    6 | 7 => 1,
                    _ => 2,
                }];
                a.insert("ruolo".into(), json!(r));
            }
            let chosen: Vec<&String> = temi.iter().filter(|_| rng.below(4) != 0).collect();
            if rng.below(5) != 0 {
                a.insert("temi".into(), json!(chosen));
            }
            data.push(response(round * 100 + i, serde_json::Value::Object(a)));
        }
        let options = Options::new(k, false);
        let mut tally = Tally::new(&survey);
        for r in &data {
            tally.add(r, &options);
        }
        let results = tally.finish(&options);
        let respondents = n as u64;
        let shown_total = results.respondents.shown();
        assert_eq!(shown_total.is_some(), respondents >= k);
        for q in ["ruolo", "temi"] {
            let q = question(&results, q);
            let Detail::Choices {
                choices, no_answer, ..
            } = &q.detail
            else {
                unreachable!()
            };
            let counted = |id: &str| -> u64 {
                data.iter()
                    .filter(|r| {
                        match r
                            .answers
                            .iter()
                            .find(|(id, _)| id.as_str() == q.id)
                            .map(|(_, a)| a)
                        {
                            Some(Answer::Text(c)) => c == id,
                            Some(Answer::Choices(cs)) => cs.iter().any(|c| c == id),
                            _ => false,
                        }
                    })
                    .count() as u64
            };
            for c in choices {
                let truth = counted(&c.id);
                match c.count.shown() {
                    Some(shown) => {
                        assert_eq!(shown, truth);
                        assert!(shown == 0 || shown >= k, "{shown} shown with k = {k}");
                        if q.id == "temi" && shown_total.is_some() {
                            // Nor is a small number of those who did not choose it (when
                            // the respondents are shown, to subtract from).
                            let rest = respondents - shown;
                            assert!(rest == 0 || rest >= k, "{rest} left with k = {k}");
                        }
                    }
                    None => assert!(truth > 0),
                }
            }
            if q.id == "ruolo" {
                // The line adds up to the respondents: never exactly one hidden in it.
                let line: Vec<&Count> = choices
                    .iter()
                    .map(|c| &c.count)
                    .chain(no_answer.as_ref())
                    .chain([&results.respondents])
                    .collect();
                let hidden = line.iter().filter(|c| c.shown().is_none()).count();
                assert_ne!(hidden, 1, "{line:?}");
                // The choices add up to the answered: never one hidden there either.
                let line: Vec<&Count> = choices
                    .iter()
                    .map(|c| &c.count)
                    .chain([&q.answered])
                    .collect();
                let hidden = line.iter().filter(|c| c.shown().is_none()).count();
                assert_ne!(hidden, 1, "{line:?}");
            }
        }
    }
}

#[test]
fn a_survey_file_sets_its_threshold_and_who_may_submit() {
    use crate::model::Collection;
    let s = survey();
    assert_eq!((s.min_count, s.collection), (5, Collection::Open));
    let head = "id = \"s\"\nversion = \"1\"\nlanguages = [\"it\"]\ntitle = \"S\"\n";
    let question = "[[question]]\nid = \"q\"\ntype = \"text\"\nlabel = \"Q\"\n";
    let parse = |extra: &str| parse_survey("s.toml", &format!("{head}{extra}{question}"));
    let (s, d) = parse("min_count = 10\ncollection = \"enrolled\"\n");
    assert!(d.is_empty(), "{d:?}");
    let s = s.unwrap();
    assert_eq!((s.min_count, s.collection), (10, Collection::Enrolled));
    let (_, d) = parse("min_count = 2\n");
    assert_eq!(
        d[0].to_string(),
        "s.toml:5:13: \"min_count\" must be a whole number from 3 to 100"
    );
    let (_, d) = parse("collection = \"opne\"\n");
    assert_eq!(
        d[0].to_string(),
        "s.toml:5:14: unknown collection \"opne\" (did you mean \"open\"? expected one of: open, enrolled)"
    );
}

#[test]
fn tallies_of_consecutive_parts_merge_into_the_tally_of_the_whole() {
    let survey = survey();
    let responses = dataset();
    // A limit of one text answer: the merged tally keeps the first, as one tally would.
    let options = Options {
        text_limit: 1,
        ..Options::new(5, true)
    };
    let whole = |responses: &[Response]| {
        let mut t = Tally::new(&survey);
        responses.iter().for_each(|r| t.add(r, &options));
        t.finish(&options)
    };
    let expected = whole(&responses);
    let mut cross = CrossTally::new(&survey, "ruolo", "accordo").unwrap();
    responses.iter().for_each(|r| cross.add(r));
    for cut in [0, 1, 7, 20] {
        let (first, rest) = responses.split_at(cut);
        let mut merged = Tally::new(&survey);
        let mut later = Tally::new(&survey);
        first.iter().for_each(|r| merged.add(r, &options));
        rest.iter().for_each(|r| later.add(r, &options));
        merged.merge(later, &options);
        let mut cross_merged = CrossTally::new(&survey, "ruolo", "accordo").unwrap();
        let mut cross_later = CrossTally::new(&survey, "ruolo", "accordo").unwrap();
        first.iter().for_each(|r| cross_merged.add(r));
        rest.iter().for_each(|r| cross_later.add(r));
        cross_merged.merge(cross_later);
        assert_eq!(merged.finish(&options), expected, "cut at {cut}");
        assert_eq!(cross_merged.counts, cross.counts, "cut at {cut}");
    }
    let Detail::Texts { answers, truncated } = &question(&expected, "proposta").detail else {
        panic!()
    };
    assert_eq!(
        (answers.as_deref(), *truncated),
        (Some(&["Più spazi aperti la sera".to_owned()][..]), true)
    );
}

#[test]
fn numbers_counted_by_value_give_the_statistics_of_the_sorted_list() {
    let values = [3.5, -2.0, 0.0, -0.0, 1e9, 3.5, 7.25, -2.0, 11.0, 0.1];
    let mut numbers = Numbers::default();
    values.iter().for_each(|&x| numbers.push(x));
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let listed: Vec<f64> = numbers.sorted().collect();
    assert_eq!(
        listed.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        sorted.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
    let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
    let stats = numbers.stats();
    assert_eq!(stats.mean, round2(mean));
    // Ten values: the median lies halfway between the 5th and 6th (1-based).
    assert_eq!(stats.median, round2((sorted[4] + sorted[5]) / 2.0));
    assert_eq!(stats.q1, round2(sorted[2] + 0.25 * (sorted[3] - sorted[2])));
}
