//! `open`: refusing to start on broken survey folders, without creating anything.

use voci_server::{CatalogError, StartError, open};

use crate::helpers::{Folders, GUIDE, SITES, SURVEY_V1};

fn open_error(folders: &Folders) -> StartError {
    let err = open(&folders.config()).expect_err("the folder must be refused");
    assert!(
        !folders.config().data_dir.exists(),
        "nothing is created when the surveys are broken"
    );
    err
}

#[test]
fn a_broken_survey_stops_the_start_and_every_error_is_listed() {
    let broken = SURVEY_V1
        .replace("type = \"integer\"", "type = \"intger\"")
        .replace("max_length = 500", "max_length = \"tanti\"");
    let folders = Folders::with_surveys(&[("giovani.toml", &broken), ("sites.toml", SITES)]);
    let err = open_error(&folders);
    assert!(
        matches!(err, StartError::Catalog(CatalogError::Invalid { .. })),
        "{err}"
    );
    let text = err.to_string();
    let file = folders.surveys.path().join("giovani.toml");
    let expected = [
        format!("{}:12:8: unknown question type \"intger\"", file.display()),
        format!(
            "{}:32:14: \"max_length\" must be a whole number",
            file.display()
        ),
    ];
    for line in expected {
        assert!(text.contains(&line), "{line} in:\n{text}");
    }
    assert!(text.ends_with("2 errors in 1 file"), "{text}");
}

#[test]
fn two_files_with_the_same_survey_version_stop_the_start() {
    let folders = Folders::with_surveys(&[
        ("a.toml", SURVEY_V1),
        ("b.toml", SURVEY_V1),
        ("sites.toml", SITES),
    ]);
    let text = open_error(&folders).to_string();
    assert!(
        text.contains("survey \"giovani\" version \"1\" is already defined in"),
        "{text}"
    );
}

#[test]
fn a_folder_without_sites_stops_the_start() {
    let folders = Folders::with_surveys(&[("a.toml", SURVEY_V1)]);
    let err = open_error(&folders);
    assert!(
        matches!(err, StartError::Catalog(CatalogError::NoSites { .. })),
        "{err}"
    );
}

#[test]
fn a_missing_surveys_folder_stops_the_start() {
    let folders = Folders::with_surveys(&[]);
    let mut config = folders.config();
    config.surveys_dir = config.surveys_dir.join("missing");
    let err = open(&config).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot read the surveys folder"),
        "{err}"
    );
}

#[test]
fn a_broken_guide_stops_the_start_with_its_position() {
    let broken = GUIDE.replace("minutes = 25", "minuti = 25");
    let folders = Folders::with_surveys(&[
        ("giovani.toml", SURVEY_V1),
        ("ascolto.toml", &broken),
        ("sites.toml", SITES),
    ]);
    let text = open_error(&folders).to_string();
    let file = folders.surveys.path().join("ascolto.toml");
    let expected = format!(
        "{}:43:1: unknown key \"minuti\" in a prompt (did you mean \"minutes\"?)",
        file.display()
    );
    assert!(text.contains(&expected), "{expected} in:\n{text}");
    assert!(text.ends_with("1 error in 1 file"), "{text}");
}

#[test]
fn guides_are_loaded_and_counted() {
    let opened = open(&Folders::new().config()).unwrap();
    assert_eq!((opened.surveys, opened.guides), (2, 1));
    assert_eq!((opened.responses, opened.sessions), (0, 0));
}
