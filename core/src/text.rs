//! Text in several languages, as survey files give it.

use serde::{Deserialize, Serialize};

use crate::VecMap;

/// A language code as used in survey files: `it`, `en`, `ar`.
pub type Lang = String;

/// One text in several languages. Survey files must give every language the survey declares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(pub VecMap<Lang, String>);

impl Text {
    /// The text in `lang`, else in `fallback`, else any text there is.
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        self.0
            .get(lang)
            .or_else(|| self.0.get(fallback))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// A text with a single language, for tests and generated surveys.
    pub fn one(lang: &str, s: &str) -> Self {
        Self(VecMap::from([(lang.to_owned(), s.to_owned())]))
    }
}
