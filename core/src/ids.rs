//! Identifiers that are valid once built: parse, don't validate.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("must start with a letter or a digit")]
    BadStart,
    #[error("may contain only letters a-z, digits, '-' and '_' (found {0:?})")]
    BadChar(char),
    #[error("is not a UUID like 0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40")]
    NotUuid,
}

const MAX_ID: usize = 64;

/// Checks the shape shared by survey, question, choice and site ids: `[A-Za-z0-9][A-Za-z0-9_-]*`.
fn check_slug(s: &str) -> Result<(), IdError> {
    let first = s.chars().next().ok_or(IdError::Empty)?;
    if s.len() > MAX_ID {
        return Err(IdError::TooLong { max: MAX_ID });
    }
    if !first.is_ascii_alphanumeric() {
        return Err(IdError::BadStart);
    }
    match s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(c) => Err(IdError::BadChar(c)),
        None => Ok(()),
    }
}

/// Serialises an id as its string, and reads it as a string that must `parse` (as
/// `#[serde(try_from = "String", into = "String")]` would, without copying the string to write
/// it).
macro_rules! string_serde {
    ($name:ident) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Self::parse(String::deserialize(d)?).map_err(D::Error::custom)
            }
        }
    };
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        string_serde!($name);

        impl $name {
            /// Builds the id, or says what is wrong with `s`.
            pub fn parse(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                check_slug(&s)?;
                Ok(Self(s))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// A survey's id, stable across its versions (`protagonismo-giovanile`).
    SurveyId
);
slug_id!(
    /// A question's id, unique within its survey; also its column name in exports.
    QuestionId
);
slug_id!(
    /// A section's id, unique within its survey.
    SectionId
);
slug_id!(
    /// A choice's code, unique within its question; what exports contain.
    ChoiceId
);

/// A place in the site hierarchy, written as its path: `ambito-5-melzo/melzo/ic-mascagni`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteId(String);

string_serde!(SiteId);

impl SiteId {
    pub fn parse(s: impl Into<String>) -> Result<Self, IdError> {
        let s = s.into();
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        if s.len() > 3 * MAX_ID {
            return Err(IdError::TooLong { max: 3 * MAX_ID });
        }
        s.split('/').try_for_each(check_slug)?;
        Ok(Self(s))
    }

    /// The path from `parent` down to a child with the given own id.
    pub fn child(parent: &SiteId, own: &str) -> Result<Self, IdError> {
        Self::parse(format!("{}/{own}", parent.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SiteId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl From<SiteId> for String {
    fn from(id: SiteId) -> String {
        id.0
    }
}

impl fmt::Display for SiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A response's id: a UUID made by the device that collected it, in lower-case hyphenated form.
///
/// The id is what makes every submission idempotent: the collector stores one response per id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResponseId(String);

string_serde!(ResponseId);

impl ResponseId {
    pub fn parse(s: impl Into<String>) -> Result<Self, IdError> {
        let s: String = s.into().to_ascii_lowercase();
        // Hex digits in groups of 8, 4, 4, 4 and 12, joined by hyphens.
        let ok = s.len() == 36
            && s.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                _ => b.is_ascii_hexdigit(),
            });
        if ok {
            Ok(Self(s))
        } else {
            Err(IdError::NotUuid)
        }
    }

    /// Builds a version-4 UUID from 16 random bytes (the caller brings the randomness).
    pub fn from_random_bytes(mut b: [u8; 16]) -> Self {
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut s = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            for digit in [x >> 4, x & 0xf] {
                s.push(char::from(b"0123456789abcdef"[usize::from(digit)]));
            }
        }
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ResponseId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl From<ResponseId> for String {
    fn from(id: ResponseId) -> String {
        id.0
    }
}

impl fmt::Display for ResponseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(QuestionId::parse("eta_anni").is_ok());
        assert!(QuestionId::parse("q-1").is_ok());
        assert_eq!(QuestionId::parse(""), Err(IdError::Empty));
        assert_eq!(QuestionId::parse("-x"), Err(IdError::BadStart));
        assert_eq!(QuestionId::parse("età"), Err(IdError::BadChar('à')));
        assert_eq!(QuestionId::parse("a b"), Err(IdError::BadChar(' ')));
    }

    #[test]
    fn site_paths() {
        assert!(SiteId::parse("ambito-5-melzo/melzo/ic-mascagni").is_ok());
        assert!(SiteId::parse("ambito-5-melzo//x").is_err());
        assert!(SiteId::parse("a/").is_err());
    }

    #[test]
    fn uuids() {
        let id = ResponseId::from_random_bytes([0xab; 16]);
        assert_eq!(id.as_str(), "abababab-abab-4bab-abab-abababababab");
        let bytes: [u8; 16] = std::array::from_fn(|i| i as u8);
        assert_eq!(
            ResponseId::from_random_bytes(bytes).as_str(),
            "00010203-0405-4607-8809-0a0b0c0d0e0f"
        );
        assert_eq!(ResponseId::parse(id.as_str()), Ok(id));
        assert_eq!(
            ResponseId::parse("0B7E5A4C-8F0E-4C1A-9D3B-2F6A1E9C7D40")
                .unwrap()
                .as_str(),
            "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40"
        );
        assert!(ResponseId::parse("not-a-uuid").is_err());
        assert!(ResponseId::parse("0b7e5a4c8f0e4c1a9d3b2f6a1e9c7d40").is_err());
        assert!(ResponseId::parse("0b7e5a4c-8f0e4-c1a-9d3b-2f6a1e9c7d40").is_err());
        assert!(ResponseId::parse("0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d4g").is_err());
        assert!(ResponseId::parse("0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d401").is_err());
    }
}
