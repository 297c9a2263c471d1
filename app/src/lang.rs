//! The interface language, shared by the respondents' app and the results area (both keep the
//! choice under `voci.lang`). Italian is the default; Arabic is written right to left.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UiLang {
    #[default]
    It,
    En,
    /// Written right to left: the document gets `dir="rtl"` (and the results' charts mirror).
    Ar,
}

impl UiLang {
    pub const ALL: [UiLang; 3] = [UiLang::It, UiLang::En, UiLang::Ar];

    pub fn code(self) -> &'static str {
        match self {
            Self::It => "it",
            Self::En => "en",
            Self::Ar => "ar",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == s)
    }

    /// The language's name in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Self::It => "Italiano",
            Self::En => "English",
            Self::Ar => "العربية",
        }
    }

    pub fn rtl(self) -> bool {
        self == Self::Ar
    }

    /// The writing direction, for the document's `dir`.
    pub fn dir(self) -> &'static str {
        if self.rtl() { "rtl" } else { "ltr" }
    }
}
