//! The focus-group guides in `surveys/` parse without a single diagnostic and keep the facts the
//! fieldwork relies on; the example and the error messages of `docs/focus-group-format.md` are
//! what the parser really accepts and prints.

use std::path::{Path, PathBuf};

use voci_core::files::{Parsed, parse_file};
use voci_core::guide::Guide;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `*.toml` in `surveys/`, sorted, with its text.
fn survey_files() -> Vec<(String, String)> {
    let dir = root().join("surveys");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = format!("surveys/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Parses every file of `surveys/` as the collector tells them apart; fails with every
/// diagnostic of every file when there is any. Returns the guides.
fn guides() -> Vec<Guide> {
    let mut diagnostics = Vec::new();
    let mut guides = Vec::new();
    for (name, text) in survey_files() {
        let (parsed, diags) = parse_file(&name, &text);
        diagnostics.extend(diags);
        if let Some(Parsed::Guide(g)) = parsed {
            guides.push(g);
        }
    }
    assert!(
        diagnostics.is_empty(),
        "the files in surveys/ have {} diagnostic(s):\n{}",
        diagnostics.len(),
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    guides
}

fn guide(id: &str) -> Guide {
    guides()
        .into_iter()
        .find(|g| g.id.as_str() == id)
        .unwrap_or_else(|| panic!("no focus-group guide with id {id:?} in surveys/"))
}

fn ids<'a>(it: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    it.into_iter().collect()
}

#[test]
fn every_file_in_surveys_parses_without_diagnostics() {
    let found: Vec<String> = guides().iter().map(|g| g.id.to_string()).collect();
    for id in ["traccia-protagonismo-giovanile", "tavolo-coprogrammazione"] {
        assert!(
            found.iter().any(|f| f == id),
            "{id} is not a guide: {found:?}"
        );
    }
}

/// Both guides are in Italian and English, ask for consent and record no identifying field.
#[test]
fn both_guides_are_bilingual_with_consent() {
    for id in ["traccia-protagonismo-giovanile", "tavolo-coprogrammazione"] {
        let g = guide(id);
        assert_eq!(g.version, "2026.1", "{id}");
        assert_eq!(g.languages, ["it", "en"], "{id}");
        let consent = g
            .consent
            .as_ref()
            .unwrap_or_else(|| panic!("{id} has no consent"));
        for lang in ["it", "en"] {
            let text = consent.0.get(lang).map_or("", String::as_str);
            assert!(
                text.contains("P1"),
                "{id}: the {lang} consent names no codes"
            );
        }
        assert!(g.participant_fields.len() >= 2, "{id}");
        assert!(g.themes.len() >= 8, "{id}");
        for p in g.prompts() {
            assert!(p.minutes.is_some(), "{id}: prompt {} has no minutes", p.id);
            assert!(!p.probes.is_empty(), "{id}: prompt {} has no probes", p.id);
        }
    }
}

#[test]
fn the_youth_guide_follows_the_four_dimensions() {
    let g = guide("traccia-protagonismo-giovanile");
    assert_eq!(
        ids(g.sections.iter().map(|s| s.id.as_str())),
        [
            "apertura",
            "significato",
            "cittadinanza",
            "territorio",
            "coinvolgimento",
            "chiusura"
        ]
    );
    for s in &g.sections[1..5] {
        assert!(
            (1..=3).contains(&s.prompts.len()),
            "section {} has {} prompts",
            s.id,
            s.prompts.len()
        );
        for p in &s.prompts {
            assert!(
                (2..=4).contains(&p.probes.len()),
                "prompt {} has {} probes",
                p.id,
                p.probes.len()
            );
        }
    }
    let total: u32 = g.prompts().map(|p| p.minutes.unwrap_or(0)).sum();
    assert!((60..=120).contains(&total), "{total} minutes in all");

    let field = |id: &str| {
        let f = g
            .participant_fields
            .iter()
            .find(|f| f.id.as_str() == id)
            .unwrap_or_else(|| panic!("no participant field {id}"));
        ids(f.choices.iter().map(|c| c.id.as_str()))
    };
    assert_eq!(field("fascia_eta"), ["14-17", "18-20", "21-24", "25-35"]);
    assert_eq!(field("ruolo"), ["studente", "lavoratore", "neet", "altro"]);
    assert!(field("tipo_scuola").contains(&"nessuna"));
    let themes = ids(g.themes.iter().map(|t| t.id.as_str()));
    for t in [
        "comunicazione",
        "dispersione_scolastica",
        "lavoro",
        "educazione_finanziaria",
        "legalita",
        "cultura_di_genere",
        "eccesso_dad",
        "pcto_sospesi",
        "volontariato",
        "spazi_luoghi",
    ] {
        assert!(themes.contains(&t), "no theme {t}: {themes:?}");
    }
}

#[test]
fn the_co_programming_guide_builds_a_logical_framework() {
    let g = guide("tavolo-coprogrammazione");
    assert_eq!(g.tables.len(), 1);
    let t = &g.tables[0];
    assert_eq!(t.id.as_str(), "quadro_logico");
    assert_eq!(
        ids(t.columns.iter().map(|c| c.id.as_str())),
        [
            "problema",
            "obiettivo",
            "aree_intervento",
            "destinatari",
            "cambiamento_atteso"
        ]
    );
    let field = |id: &str| {
        let f = g
            .participant_fields
            .iter()
            .find(|f| f.id.as_str() == id)
            .unwrap();
        ids(f.choices.iter().map(|c| c.id.as_str()))
    };
    assert_eq!(
        field("tipo_ente"),
        ["comune", "terzo_settore", "scuola", "sanita", "altro"]
    );
    assert_eq!(
        field("ruolo"),
        ["coordinatore", "operatore", "volontario", "altro"]
    );
    let themes = ids(g.themes.iter().map(|t| t.id.as_str()));
    for t in [
        "accoglienza",
        "minori_soli",
        "inserimento_lavorativo",
        "dati_monitoraggio",
    ] {
        assert!(themes.contains(&t), "no theme {t}: {themes:?}");
    }
}

// --- The documentation -------------------------------------------------------------------------

fn doc() -> String {
    std::fs::read_to_string(root().join("docs/focus-group-format.md")).unwrap()
}

/// The text of the first fenced block that opens with "```{lang}" after `marker`.
fn block_after(doc: &str, marker: &str, lang: &str) -> String {
    let from = doc
        .find(marker)
        .unwrap_or_else(|| panic!("the doc has no {marker:?}"));
    let open = format!("```{lang}\n");
    let start = from + doc[from..].find(&open).expect("a fenced block") + open.len();
    let end = start + doc[start..].find("```").expect("the block's end");
    doc[start..end].to_owned()
}

const EXAMPLE_FILE: &str = "surveys/ascolto-giovani.toml";

#[test]
fn the_documented_example_parses() {
    let example = block_after(&doc(), "## A complete example", "toml");
    let (parsed, diags) = parse_file(EXAMPLE_FILE, &example);
    assert!(diags.is_empty(), "{diags:#?}");
    let Some(Parsed::Guide(g)) = parsed else {
        panic!("the example is not a guide")
    };
    assert!(g.consent.is_some());
    assert_eq!(g.tables.len(), 1);
    assert!(g.prompts().all(|p| p.minutes.is_some()));
}

/// The mistakes the doc describes give exactly the messages it shows.
#[test]
fn the_documented_errors_are_real() {
    let doc = doc();
    let example = block_after(&doc, "## A complete example", "toml");
    let broken = [
        ("id = \"fascia_eta\"", "id = \"nome\""),
        ("minutes = 10", "minuti = 10"),
        ("minutes = 20", "minutes = 0"),
        ("id = \"proposte\"\ntitle", "id = \"spazi\"\ntitle"),
        (
            "text = { it = \"Che cosa manca ai giovani qui?\", en = \"What do young people miss here?\" }",
            "text = { it = \"Che cosa manca ai giovani qui?\" }",
        ),
    ];
    let mut text = example.clone();
    for (from, to) in broken {
        assert_eq!(
            text.matches(from).count(),
            1,
            "{from:?} is not once in the example"
        );
        text = text.replacen(from, to, 1);
    }
    let (parsed, diags) = parse_file(EXAMPLE_FILE, &text);
    assert!(parsed.is_none());
    let got: Vec<String> = diags.iter().map(ToString::to_string).collect();
    let want: Vec<String> = block_after(&doc, "The checker prints:", "text")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(got, want);
}
