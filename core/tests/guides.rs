//! Focus-group guides: a guide parses, broken guides give line:column errors, and the consent
//! rule for quotes holds.

use voci_core::files::{Parsed, parse_file, parse_guide};
use voci_core::guide::{Session, check_session};

const GUIDE: &str = r#"kind = "focus_group"
id = "traccia"
version = "1"
languages = ["it", "en"]
title = { it = "Traccia", en = "Guide" }
consent = { it = "Acconsenti a essere citato/a?", en = "Do you agree to be quoted?" }

[[participant_field]]
id = "fascia_eta"
label = { it = "Età", en = "Age" }
choices = [{ id = "14-17", label = { it = "14-17", en = "14-17" } }, { id = "18-24", label = { it = "18-24", en = "18-24" } }]

[[theme]]
id = "lavoro"
label = { it = "Lavoro", en = "Work" }

[[section]]
id = "significato"
title = { it = "Significato", en = "Meaning" }
[[section.prompt]]
id = "p1"
text = { it = "Che cosa vuol dire partecipare?", en = "What does taking part mean?" }
probes = [{ it = "Un esempio?", en = "An example?" }]
minutes = 15

[[table]]
id = "quadro"
title = { it = "Quadro logico", en = "Logical framework" }
columns = [{ id = "problema", label = { it = "Problema", en = "Problem" } }, { id = "obiettivo", label = { it = "Obiettivo", en = "Objective" } }]
"#;

#[test]
fn a_guide_parses() {
    let (parsed, diags) = parse_file("surveys/traccia.toml", GUIDE);
    assert!(diags.is_empty(), "{diags:?}");
    let Some(Parsed::Guide(g)) = parsed else {
        panic!("a guide")
    };
    assert_eq!(g.prompts().count(), 1);
    assert_eq!(g.prompt("p1").unwrap().minutes, Some(15));
    assert_eq!(g.prompt("p1").unwrap().probes.len(), 1);
    assert_eq!(g.tables[0].columns.len(), 2);
    assert!(g.consent.is_some());
}

#[test]
fn broken_guides_say_where() {
    let cases = [
        (GUIDE.replace("minutes = 15", "minutes = 0"), "24:11: \"minutes\" must be a whole number from 1 to 240"),
        (GUIDE.replace("id = \"fascia_eta\"", "id = \"nome\""), "9:1: participant field \"nome\" would identify a person"),
        (GUIDE.replace("probes =", "probe ="), "23:1: unknown key \"probe\" in a prompt (did you mean \"probes\"?)"),
        (GUIDE.replace("text = { it = \"Che cosa vuol dire partecipare?\", en = \"What does taking part mean?\" }\n", ""), "20:1: a prompt has no \"text\""),
        (GUIDE.replace("id = \"p1\"", "id = \"lavoro\""), "21:6: duplicate prompt id \"lavoro\""),
    ];
    for (src, want) in cases {
        let (_, d) = parse_guide("g.toml", &src);
        let got: Vec<String> = d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        assert!(
            got.iter().any(|g| g.starts_with(want)),
            "expected {want}\ngot {got:#?}"
        );
    }
}

fn session(consent_p2: bool) -> Session {
    serde_json::from_value(serde_json::json!({
        "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40",
        "guide": "traccia", "version": "1", "site": "ambito-5-melzo/melzo",
        "date": "2026-11-23", "group_type": "studenti", "facilitator": "MR", "co_facilitator": "AB",
        "participants": [
            { "code": "P1", "fields": { "fascia_eta": "14-17" }, "consent": true },
            { "code": "P2", "fields": { "fascia_eta": "18-24" }, "consent": consent_p2 }
        ],
        "new_themes": { "sport": "Sport" },
        "notes": [{ "prompt": "p1", "text": "Parlano di lavoro", "offset": 120, "themes": ["lavoro"] }],
        "quotes": [{ "prompt": "p1", "participant": "P2", "text": "Nessuno ci ascolta", "offset": 300, "themes": ["sport"] }],
        "tables": { "quadro": [{ "problema": "Pochi spazi", "obiettivo": "Aprire un centro" }] }
    }))
    .unwrap()
}

#[test]
fn a_participant_without_consent_cannot_be_quoted() {
    let (g, _) = parse_guide("g.toml", GUIDE);
    let g = g.unwrap();
    assert_eq!(check_session(&g, &session(true)), Ok(()));
    let errors = check_session(&g, &session(false)).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "quotes[0]: participant P2 has not given consent, so they cannot be quoted"
    );
}

#[test]
fn sessions_are_checked_against_their_guide() {
    let (g, _) = parse_guide("g.toml", GUIDE);
    let g = g.unwrap();
    let mut s = session(true);
    s.facilitator = "Mario Rossi".into();
    s.participants[0]
        .fields
        .insert("fascia_eta".into(), "99".into());
    s.notes[0].prompt = "p9".into();
    s.quotes[0].themes.push("ignoto".into());
    s.tables.get_mut("quadro").unwrap()[0].insert("colonna".into(), "x".into());
    let at: Vec<String> = check_session(&g, &s)
        .unwrap_err()
        .into_iter()
        .map(|e| e.at)
        .collect();
    assert_eq!(
        at,
        [
            "facilitator",
            "participants[P1]",
            "notes[0]",
            "quotes[0]",
            "tables[quadro][0]"
        ]
    );
}
