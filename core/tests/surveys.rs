//! The sample files in `surveys/` parse without a single diagnostic, and keep the facts the
//! research and the documentation rely on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use voci_core::files::{Parsed, parse_file};
use voci_core::{Question, QuestionKind, SiteId, SiteKind, SiteTree, Survey, Text};

fn surveys_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../surveys")
}

/// Every `*.toml` in `surveys/`, sorted.
fn toml_files() -> Vec<PathBuf> {
    let dir = surveys_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

struct Loaded {
    surveys: Vec<Survey>,
    sites: SiteTree,
    guides: usize,
}

/// Parses every file (`sites.toml` as the sites file, the others as surveys) and fails with
/// every diagnostic of every file when there is any.
fn load() -> Loaded {
    let mut diagnostics = Vec::new();
    let mut surveys = Vec::new();
    let mut sites = None;
    let mut guides = 0;
    for path in toml_files() {
        let name = format!("surveys/{}", path.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&path).unwrap();
        let (parsed, diags) = parse_file(&name, &text);
        diagnostics.extend(diags);
        match parsed {
            Some(Parsed::Sites(tree)) => sites = Some(tree),
            Some(Parsed::Survey(survey)) => surveys.push(survey),
            // Focus-group guides have their own test (guide_files.rs).
            Some(Parsed::Guide(_)) | None => guides += 1,
        }
    }
    assert!(
        diagnostics.is_empty(),
        "the sample files have {} diagnostic(s):\n{}",
        diagnostics.len(),
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    Loaded {
        guides,
        surveys,
        sites: sites.expect("surveys/sites.toml exists"),
    }
}

fn survey<'a>(loaded: &'a Loaded, id: &str) -> &'a Survey {
    loaded
        .surveys
        .iter()
        .find(|s| s.id.as_str() == id)
        .unwrap_or_else(|| panic!("no survey with id {id:?} in surveys/"))
}

fn question<'a>(survey: &'a Survey, id: &str) -> &'a Question {
    survey
        .question(id)
        .unwrap_or_else(|| panic!("{} has no question {id:?}", survey.id))
}

fn choice_ids(q: &Question) -> Vec<&str> {
    q.kind.choices().iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn every_file_parses_without_diagnostics() {
    let loaded = load();
    let ids: BTreeSet<&str> = loaded.surveys.iter().map(|s| s.id.as_str()).collect();
    for want in ["protagonismo-giovanile", "bisogni-cittadini"] {
        assert!(ids.contains(want), "missing survey {want:?}; found {ids:?}");
    }
    // Every file but sites.toml and the guides is a survey, and its file is named after its id.
    assert_eq!(loaded.surveys.len(), toml_files().len() - 1 - loaded.guides);
    for s in &loaded.surveys {
        assert!(
            surveys_dir().join(format!("{}.toml", s.id)).exists(),
            "{} is not in {}.toml",
            s.id,
            s.id
        );
    }
}

#[test]
fn every_text_is_given_in_every_language() {
    let loaded = load();
    for s in &loaded.surveys {
        // Italian first (the default), English always; more languages are welcome.
        assert_eq!(s.languages[0], "it", "{}: languages", s.id);
        assert!(s.languages.iter().any(|l| l == "en"), "{}: languages", s.id);
        let mut declared: Vec<&str> = s.languages.iter().map(String::as_str).collect();
        declared.sort_unstable();
        let mut texts: Vec<(String, &Text)> = vec![("title".into(), &s.title)];
        texts.extend(s.description.iter().map(|d| ("description".into(), d)));
        for sec in &s.sections {
            texts.extend(
                sec.title
                    .iter()
                    .map(|t| (format!("section {} title", sec.id), t)),
            );
            for q in &sec.questions {
                texts.push((format!("{} label", q.id), &q.label));
                texts.extend(q.hint.iter().map(|h| (format!("{} hint", q.id), h)));
                for c in q.kind.choices() {
                    texts.push((format!("{}/{} label", q.id, c.id), &c.label));
                }
            }
        }
        for (what, text) in texts {
            let langs: Vec<&str> = text.0.keys().map(String::as_str).collect();
            assert_eq!(langs, declared, "{}: {what}", s.id);
            for (lang, t) in &text.0 {
                assert!(!t.trim().is_empty(), "{}: {what} is empty in {lang}", s.id);
            }
        }
        assert!(
            s.sections.iter().all(|sec| sec.title.is_some()),
            "{}: every page has a title",
            s.id
        );
    }
}

#[test]
fn protagonismo_giovanile_keeps_its_questions() {
    let loaded = load();
    let s = survey(&loaded, "protagonismo-giovanile");
    assert_eq!(s.version, "2026.2");

    // The survey opens with a note on anonymity.
    let first = s.questions().next().unwrap();
    assert!(matches!(first.kind, QuestionKind::Note));
    assert!(first.label.get("it", "it").contains("anonimo"));

    let ruolo = question(s, "ruolo");
    assert!(ruolo.required && matches!(ruolo.kind, QuestionKind::Single { .. }));
    assert_eq!(
        choice_ids(ruolo),
        [
            "studente",
            "giovane",
            "genitore",
            "insegnante",
            "educatore",
            "esperto"
        ]
    );

    let eta = question(s, "eta");
    assert!(eta.required);
    assert!(matches!(
        eta.kind,
        QuestionKind::Integer {
            min: Some(11),
            max: Some(99)
        }
    ));

    let comune = question(s, "comune");
    assert!(comune.required);
    assert_eq!(
        choice_ids(comune).len(),
        9,
        "8 municipalities and another one"
    );

    // The school questions are on a page only students see, so they can be required.
    let scuola = question(s, "scuola");
    assert!(scuola.required && matches!(scuola.kind, QuestionKind::Single { .. }));
    assert!(choice_ids(scuola).contains(&"altra"));
    let page = s
        .sections
        .iter()
        .find(|sec| sec.questions.iter().any(|q| q.id.as_str() == "scuola"))
        .unwrap();
    assert_eq!(page.relevant.as_deref(), Some("${ruolo} = 'studente'"));

    // The agreement grid: at least four statements (rows) on the shared 5-point scale.
    let agreement: Vec<&Question> = s
        .questions()
        .filter(|q| {
            matches!(q.kind, QuestionKind::Likert { .. })
                && q.id.as_str().starts_with("com_")
                && q.row_of.is_some()
        })
        .collect();
    assert!(
        (4..=6).contains(&agreement.len()),
        "{} agreement items",
        agreement.len()
    );
    for q in &agreement {
        assert_eq!(choice_ids(q), ["1", "2", "3", "4", "5"], "{}", q.id);
        assert_eq!(
            q.kind.choices()[0].label.get("it", "it"),
            "Per niente d'accordo"
        );
        assert_eq!(
            q.kind.choices()[4].label.get("it", "it"),
            "Del tutto d'accordo"
        );
    }

    // The three biggest problems: at most 3 of the 8 themes of the focus groups, or another
    // one written in.
    let problemi = question(s, "problemi");
    match &problemi.kind {
        QuestionKind::Multiple { choices, max, .. } => {
            assert_eq!(*max, Some(3));
            assert_eq!(choices.len(), 9);
        }
        other => panic!("problemi is {}, not multiple", other.name()),
    }
    assert_eq!(
        choice_ids(problemi),
        [
            "comunicazione",
            "dispersione",
            "lavoro",
            "educazione_finanziaria",
            "legalita",
            "cultura_genere",
            "dad",
            "pcto",
            "other"
        ]
    );
    assert!(question(s, "problemi_other").relevant.is_some());

    assert!(matches!(
        question(s, "partecipare").kind,
        QuestionKind::Multiple { .. }
    ));
    assert!(matches!(
        question(s, "canali").kind,
        QuestionKind::Multiple { .. }
    ));
    assert!(matches!(
        question(s, "reti_point").kind,
        QuestionKind::Single { .. }
    ));
    assert!(matches!(
        question(s, "disponibilita").kind,
        QuestionKind::Likert { .. }
    ));

    let proposta = question(s, "proposta");
    assert!(!proposta.required);
    assert!(matches!(
        proposta.kind,
        QuestionKind::LongText {
            max_length: Some(1000)
        }
    ));
}

#[test]
fn bisogni_cittadini_keeps_its_questions() {
    let loaded = load();
    let s = survey(&loaded, "bisogni-cittadini");
    assert_eq!(s.version, "2026.2");
    for id in ["comune", "fascia_eta", "nucleo", "lavoro", "domanda_online"] {
        let q = question(s, id);
        assert!(
            q.required && matches!(q.kind, QuestionKind::Single { .. }),
            "{id}"
        );
    }
    let pagare = choice_ids(question(s, "difficolta_pagare"));
    for want in ["affitto", "bollette", "cibo", "dispositivi", "nessuna"] {
        assert!(pagare.contains(&want), "difficolta_pagare has no {want:?}");
    }
    assert!(matches!(
        question(s, "servizi_conosciuti").kind,
        QuestionKind::Multiple { .. }
    ));
    let info = question(s, "info_facili");
    assert!(matches!(info.kind, QuestionKind::Likert { .. }));
    assert_eq!(choice_ids(info), ["1", "2", "3", "4", "5"]);
    assert_eq!(
        choice_ids(question(s, "domanda_online")),
        ["da_solo", "con_aiuto", "no"]
    );
    assert!(matches!(
        question(s, "priorita").kind,
        QuestionKind::Multiple { max: Some(3), .. }
    ));
    assert!(matches!(
        question(s, "commenti").kind,
        QuestionKind::LongText {
            max_length: Some(1000)
        }
    ));
}

#[test]
fn sites_cover_ambito_5_melzo() {
    let loaded = load();
    let tree = &loaded.sites;

    // Every site resolves by its path, to itself.
    let all = tree.flatten();
    for (depth, site) in &all {
        let found = tree
            .find(&site.id)
            .unwrap_or_else(|| panic!("{} does not resolve", site.id));
        assert_eq!(found.id, site.id);
        assert_eq!(
            site.id.as_str().split('/').count(),
            depth + 1,
            "{}",
            site.id
        );
    }

    let find = |path: &str| tree.find(&SiteId::parse(path).unwrap());
    let district = find("ambito-5-melzo").expect("the district");
    assert_eq!(district.kind, SiteKind::District);
    let names: Vec<&str> = district.children.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Cassano d'Adda",
            "Inzago",
            "Liscate",
            "Melzo",
            "Pozzuolo Martesana",
            "Settala",
            "Truccazzano",
            "Vignate"
        ]
    );
    for path in [
        "ambito-5-melzo/cassano-dadda/ic-di-vona",
        "ambito-5-melzo/inzago/ic-inzago",
        "ambito-5-melzo/inzago/istituto-bellisario",
        "ambito-5-melzo/melzo/ic-mascagni",
        "ambito-5-melzo/melzo/ic-ungaretti",
        "ambito-5-melzo/melzo/liceo-giordano-bruno",
        "ambito-5-melzo/melzo/enaip-melzo",
        "ambito-5-melzo/melzo/ipsia-melzo",
        "ambito-5-melzo/pozzuolo-martesana/ic-manzoni",
        "ambito-5-melzo/settala/ic-da-vinci",
        "ambito-5-melzo/vignate/ic-vignate",
    ] {
        let site = find(path).unwrap_or_else(|| panic!("no site {path}"));
        assert_eq!(site.kind, SiteKind::School, "{path}");
    }
    assert!(all.iter().any(|(_, s)| s.kind == SiteKind::YouthPoint));
}

#[test]
fn survey_codes_for_places_are_site_ids() {
    let loaded = load();
    let tree = &loaded.sites;
    let district = tree
        .find(&SiteId::parse("ambito-5-melzo").unwrap())
        .unwrap();
    for s in &loaded.surveys {
        if let Some(q) = s.question("comune") {
            for code in choice_ids(q).into_iter().filter(|c| *c != "altro") {
                let path = SiteId::parse(format!("ambito-5-melzo/{code}")).unwrap();
                assert!(
                    tree.find(&path).is_some(),
                    "{}: comune {code:?} is not a municipality in sites.toml",
                    s.id
                );
            }
        }
    }
    let s = survey(&loaded, "protagonismo-giovanile");
    for code in choice_ids(question(s, "scuola"))
        .into_iter()
        .filter(|c| *c != "altra")
    {
        let school = district
            .children
            .iter()
            .flat_map(|m| &m.children)
            .find(|site| site.id.as_str().rsplit('/').next() == Some(code));
        assert!(
            school.is_some_and(|site| site.kind == SiteKind::School),
            "scuola {code:?} is not a school in sites.toml"
        );
    }
}

#[test]
fn export_header_follows_the_documented_layout() {
    let loaded = load();
    let s = survey(&loaded, "protagonismo-giovanile");
    let header = voci_core::export::header(s);
    assert_eq!(
        header[..7],
        [
            "response_id",
            "survey_version",
            "site",
            "group",
            "language",
            "started_at",
            "submitted_at"
        ]
    );
    // Notes give no column; a multiple-choice question gives its column and one per choice.
    assert!(!header.iter().any(|c| c == "intro" || c == "grazie"));
    let at = header.iter().position(|c| c == "problemi").unwrap();
    assert_eq!(header[at + 1], "problemi/comunicazione");
    assert_eq!(header[at + 8], "problemi/pcto");
}
