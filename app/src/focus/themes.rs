//! Themes typed during a session: the label the facilitator types becomes a theme the session
//! record carries in `new_themes` (id → label), unless the guide or the session already has it.
//!
//! The collector counts a typed theme under the guide's theme with the same label, and typed
//! themes of different sessions together by label; here a session just never holds two themes
//! for one label.

use std::collections::BTreeMap;

use voci_core::ChoiceId;
use voci_core::guide::Guide;

use crate::browser::lowercase;

/// The longest label a typed theme may have.
pub const MAX_LABEL: usize = 80;

/// What a typed label stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    /// A theme of the guide (same label in one of its languages, or its id).
    Guide(String),
    /// A theme already typed in this session.
    Session(String),
    /// A new theme: add it to the session's `new_themes`.
    New { id: String, label: String },
}

impl Typed {
    pub fn id(&self) -> &str {
        match self {
            Self::Guide(id) | Self::Session(id) | Self::New { id, .. } => id,
        }
    }
}

fn same(a: &str, b: &str) -> bool {
    lowercase(a.trim()) == lowercase(b.trim())
}

/// Reads a typed label; `None` when it is blank.
pub fn resolve(guide: &Guide, typed: &BTreeMap<String, String>, label: &str) -> Option<Typed> {
    let label: String = label.trim().chars().take(MAX_LABEL).collect();
    if label.is_empty() {
        return None;
    }
    if let Some(t) = guide
        .themes
        .iter()
        .find(|t| same(t.id.as_str(), &label) || t.label.0.values().any(|l| same(l, &label)))
    {
        return Some(Typed::Guide(t.id.to_string()));
    }
    if let Some((id, _)) = typed.iter().find(|(_, l)| same(l, &label)) {
        return Some(Typed::Session(id.clone()));
    }
    let base = slug(&label);
    let taken =
        |id: &str| guide.themes.iter().any(|t| t.id.as_str() == id) || typed.contains_key(id);
    let id = (1..)
        .map(|n| match n {
            1 => base.clone(),
            n => format!("{base}_{n}"),
        })
        .find(|id| !taken(id))
        .expect("some suffix is free");
    Some(Typed::New { id, label })
}

/// An id for a label: lower-case ASCII letters and digits joined by `_`, accents dropped
/// (`Trasporti pubblici` → `trasporti_pubblici`, `Città` → `citta`); `tema` when nothing is left
/// (a label in another script).
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in lowercase(label).chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let mut out: String = out.trim_end_matches('_').chars().take(40).collect();
    out.truncate(out.trim_end_matches('_').len());
    if ChoiceId::parse(out.clone()).is_err() {
        return "tema".to_owned();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide() -> Guide {
        serde_json::from_value(serde_json::json!({
            "id": "g", "version": "1", "title": {"it": "T"}, "languages": ["it", "en"],
            "participant_fields": [],
            "themes": [{"id": "lavoro", "label": {"it": "Lavoro", "en": "Work"}},
                       {"id": "tema", "label": {"it": "Un tema", "en": "A theme"}}],
            "sections": []
        }))
        .unwrap()
    }

    #[test]
    fn ids_are_valid_choice_ids() {
        assert_eq!(slug("Trasporti pubblici"), "trasporti_pubblici");
        assert_eq!(slug("  Città & periferia!! "), "citta_periferia");
        assert_eq!(slug("النقل"), "tema");
        assert_eq!(slug(&"a".repeat(100)).len(), 40);
        assert_eq!(slug("_x_"), "x");
    }

    #[test]
    fn a_label_the_guide_or_the_session_has_is_that_theme() {
        let g = guide();
        let mut typed = BTreeMap::new();
        assert_eq!(
            resolve(&g, &typed, " work "),
            Some(Typed::Guide("lavoro".into()))
        );
        assert_eq!(
            resolve(&g, &typed, "LAVORO"),
            Some(Typed::Guide("lavoro".into()))
        );
        assert_eq!(resolve(&g, &typed, "   "), None);
        typed.insert("trasporti".to_owned(), "Trasporti".to_owned());
        assert_eq!(
            resolve(&g, &typed, "trasporti "),
            Some(Typed::Session("trasporti".into()))
        );
        assert_eq!(
            resolve(&g, &typed, "Sport"),
            Some(Typed::New {
                id: "sport".into(),
                label: "Sport".into()
            })
        );
    }

    #[test]
    fn a_new_theme_never_takes_an_id_in_use() {
        let g = guide();
        let mut typed = BTreeMap::new();
        // Arabic labels all slug to "tema", which the guide already uses.
        let first = resolve(&g, &typed, "النقل").unwrap();
        assert_eq!(first.id(), "tema_2");
        typed.insert("tema_2".to_owned(), "النقل".to_owned());
        assert_eq!(resolve(&g, &typed, "الرياضة").unwrap().id(), "tema_3");
    }
}
