//! A respondent's answers: what the app queues and the collector stores.
//!
//! [`ResponseRef`] (in `stored`) reads a stored response for exports and results, which read
//! every response of a survey: without copying its text, and only the answers they need.

mod stored;

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

pub use self::stored::{Answers, Needed, ResponseRef};
use crate::VecMap;
use crate::ids::{QuestionId, ResponseId, SiteId, SurveyId};
use crate::serde_lean::object_only;
use crate::text::Lang;

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(Response);

/// One completed questionnaire.
///
/// Its JSON is canonical (fields in a fixed order, answers sorted by question id), so the
/// collector can tell a resent response (same bytes) from a conflicting one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Response {
    pub id: ResponseId,
    pub survey: SurveyId,
    /// The survey version it was answered with.
    pub version: String,
    pub site: SiteId,
    pub language: Lang,
    /// When the respondent finished, as the device's clock said: RFC 3339, or only the date
    /// (`YYYY-MM-DD`) for an anonymous survey.
    pub submitted_at: String,
    /// When the respondent started (RFC 3339); never recorded for an anonymous survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// The class or group the youth worker named when starting the session ("3B", "Gruppo 1").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub answers: AnswerMap,
}

/// A respondent's answers (or one repeat instance's), by question: a small sorted map, read
/// and written as a JSON object in question-id order.
pub type AnswerMap = VecMap<QuestionId, Answer>;

impl Response {
    /// The canonical JSON the collector compares resent responses by.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("a response always serialises")
    }
}

/// One answer. The question says how to read it: a choice id and a text are both strings.
///
/// Written as the bare value (`16`, `"studente"`, `["a", "b"]`, `[{...}]`); read by
/// [`AnswerRef`]'s visitor, which tells the kinds apart by the JSON's own types in one pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Number(serde_json::Number),
    Text(String),
    Choices(Vec<String>),
    /// The answers of a repeated section, under the section's id: one map per instance (one
    /// member of a household), each holding the answers to the section's questions.
    Instances(Vec<AnswerMap>),
}

impl Answer {
    /// Whether the answer counts as not given (empty text, no choices).
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(s) => s.trim().is_empty(),
            Answer::Choices(c) => c.is_empty(),
            Answer::Instances(i) => i.is_empty(),
            Answer::Number(_) => false,
        }
    }

    /// This answer as [`AnswerRef`], borrowing its text.
    pub fn to_ref(&self) -> AnswerRef<'_> {
        match self {
            Answer::Number(n) => AnswerRef::Number(n.clone()),
            Answer::Text(t) => AnswerRef::Text(Cow::Borrowed(t)),
            Answer::Choices(c) => {
                AnswerRef::Choices(c.iter().map(|c| Cow::Borrowed(c.as_str())).collect())
            }
            Answer::Instances(i) => AnswerRef::Instances(Cow::Borrowed(i)),
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        AnswerRef::deserialize(d).map(AnswerRef::into_owned)
    }
}

/// An [`Answer`] whose text borrows from the JSON it was read from.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerRef<'a> {
    Number(serde_json::Number),
    Text(Cow<'a, str>),
    Choices(Vec<Cow<'a, str>>),
    /// Repeated sections are rare; their instances are read whole.
    Instances(Cow<'a, [AnswerMap]>),
}

impl AnswerRef<'_> {
    /// Whether the answer counts as not given (empty text, no choices).
    pub fn is_empty(&self) -> bool {
        match self {
            AnswerRef::Text(s) => s.trim().is_empty(),
            AnswerRef::Choices(c) => c.is_empty(),
            AnswerRef::Instances(i) => i.is_empty(),
            AnswerRef::Number(_) => false,
        }
    }

    pub fn into_owned(self) -> Answer {
        match self {
            AnswerRef::Number(n) => Answer::Number(n),
            AnswerRef::Text(t) => Answer::Text(t.into_owned()),
            AnswerRef::Choices(c) => Answer::Choices(c.into_iter().map(Cow::into_owned).collect()),
            AnswerRef::Instances(i) => Answer::Instances(i.into_owned()),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for AnswerRef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnswerVisitor)
    }
}

/// Reads an answer by the JSON's types: a number, a string, an array of strings (choices) or
/// of objects (repeat instances). An empty array is no choices.
struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = AnswerRef<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an answer: a number, a text, a list of choices or of repeat instances")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(AnswerRef::Number(v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(AnswerRef::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(AnswerRef::Number)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(AnswerRef::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(AnswerRef::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(AnswerRef::Text(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // The first item says which list it is.
        match seq.next_element::<Item>()? {
            None => Ok(AnswerRef::Choices(Vec::new())),
            Some(Item::Code(first)) => {
                let mut codes = Vec::with_capacity(seq.size_hint().unwrap_or(4) + 1);
                codes.push(first);
                while let Some(CowStr(code)) = seq.next_element()? {
                    codes.push(code);
                }
                Ok(AnswerRef::Choices(codes))
            }
            Some(Item::Instance(first)) => {
                let mut instances = vec![first];
                while let Some(instance) = seq.next_element()? {
                    instances.push(instance);
                }
                Ok(AnswerRef::Instances(Cow::Owned(instances)))
            }
        }
    }
}

/// The first item of a list answer: a choice code or a repeat instance.
enum Item<'a> {
    Code(Cow<'a, str>),
    Instance(AnswerMap),
}

impl<'de: 'a, 'a> Deserialize<'de> for Item<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a choice code or a repeat instance")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Item::Code(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Item::Code(Cow::Owned(v.to_owned())))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Item::Instance)
            }
        }
        d.deserialize_any(ItemVisitor)
    }
}

/// A string, borrowed from the input when it has no escapes.
struct CowStr<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for CowStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = CowStr<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(StrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Answer` was read with before its visitor: serde's untagged enum.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Untagged {
        Number(serde_json::Number),
        Text(String),
        Choices(Vec<String>),
        Instances(Vec<std::collections::BTreeMap<QuestionId, Untagged>>),
    }

    const ANSWERS: &[&str] = &[
        "16",
        "-3",
        "1.5",
        "1.0",
        "1e3",
        "18446744073709551615",
        r#""studente""#,
        r#""a \"quoted\" é\n""#,
        r#""""#,
        "[]",
        r#"["sport","musica"]"#,
        r#"["a\tb"]"#,
        r#"[{"nome":"Anna","eta":16},{"nome":"Luca","temi":["x"]}]"#,
        r#"[{}]"#,
        r#"[{"r":[{"s":"deep"}]}]"#,
        // Not answers: refused by both.
        "true",
        "null",
        "{}",
        r#"["a",1]"#,
        r#"[{},"a"]"#,
        r#"[["a"]]"#,
        r#"[{"no space":1}]"#,
    ];

    #[test]
    fn answers_read_as_the_untagged_enum_did_and_write_the_same_bytes() {
        for json in ANSWERS {
            let ours = serde_json::from_str::<Answer>(json);
            let theirs = serde_json::from_str::<Untagged>(json);
            assert_eq!(
                ours.is_ok(),
                theirs.is_ok(),
                "{json}: {ours:?} / {theirs:?}"
            );
            let Ok(answer) = ours else { continue };
            let written = serde_json::to_string(&answer).unwrap();
            let again: Answer = serde_json::from_str(&written).unwrap();
            assert_eq!(again, answer, "{json}");
            // The same JSON as a serde_json::Value of the input; the same bytes where there is
            // no object (a Value's key order depends on serde_json's `preserve_order`, which a
            // workspace build may turn on; answers write their keys sorted).
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let reread: serde_json::Value = serde_json::from_str(&written).unwrap();
            assert_eq!(reread, value, "{json}");
            if !json.contains('{') {
                assert_eq!(written, value.to_string(), "{json}");
            }
            let theirs = theirs.unwrap();
            let same_kind = match (&theirs, &answer) {
                (Untagged::Number(a), Answer::Number(b)) => a == b,
                (Untagged::Text(a), Answer::Text(b)) => a == b,
                (Untagged::Choices(a), Answer::Choices(b)) => a == b,
                (Untagged::Instances(a), Answer::Instances(b)) => a.len() == b.len(),
                _ => false,
            };
            assert!(same_kind, "{json}: {theirs:?} / {answer:?}");
        }
    }

    /// Answers are a `VecMap`; their JSON is what a `BTreeMap` wrote, byte for byte: keys
    /// sorted (in each repeat instance too), whatever order they were read in.
    #[test]
    fn answers_write_the_json_a_btree_map_wrote() {
        let unsorted = r#"{"id":"0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40","survey":"s","version":"1","site":"a/b","language":"it","submitted_at":"2026-11-23","answers":{"z":1,"membri":[{"nome":"Ada","eta":40},{"eta":9}],"a":"x","m":["b","a"]}}"#;
        let response: Response = serde_json::from_str(unsorted).unwrap();
        let sorted = r#"{"id":"0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40","survey":"s","version":"1","site":"a/b","language":"it","submitted_at":"2026-11-23","answers":{"a":"x","m":["b","a"],"membri":[{"eta":40,"nome":"Ada"},{"eta":9}],"z":1}}"#;
        assert_eq!(response.canonical_json(), sorted);
        let again: Response = serde_json::from_str(sorted).unwrap();
        assert_eq!(again, response);
        assert_eq!(again.canonical_json(), sorted);
        assert_eq!(
            response
                .answers
                .keys()
                .map(QuestionId::as_str)
                .collect::<Vec<_>>(),
            ["a", "m", "membri", "z"]
        );
    }

    const STORED: &str = r#"{"id":"0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40","survey":"s","version":"1","site":"a/b","language":"it","submitted_at":"2026-11-23","group":"3\"B","answers":{"eta":16,"nome":"Anna","temi":["lavoro","scuola"],"voto":"c2"}}"#;

    #[test]
    fn a_stored_response_is_read_borrowing_its_text() {
        let needed = Needed::new(["voto", "nome", "missing", "temi", "eta"]);
        let owned: Response = serde_json::from_str(STORED).unwrap();
        let view = ResponseRef::read(STORED, &needed).unwrap();
        assert_eq!(view, owned.to_ref(&needed));
        assert!(matches!(view.site, Cow::Borrowed("a/b")));
        assert!(matches!(view.group, Some(Cow::Owned(ref g)) if g == "3\"B"));
        assert_eq!(view.started_at, None);
        assert_eq!(
            view.answers.iter().collect::<Vec<_>>(),
            [
                Some(&AnswerRef::Text(Cow::Borrowed("c2"))),
                Some(&AnswerRef::Text(Cow::Borrowed("Anna"))),
                None,
                Some(&AnswerRef::Choices(vec!["lavoro".into(), "scuola".into()])),
                Some(&AnswerRef::Number(16.into())),
            ]
        );
        assert!(matches!(
            view.answers.get(1),
            Some(AnswerRef::Text(Cow::Borrowed(_)))
        ));
    }

    #[test]
    fn only_the_needed_answers_are_read_in_any_key_order() {
        let unsorted = r#"{"answers":{"z":1,"voto":"c2","a":[1,{"x":2}],"eta":16,"nome":"Anna"},"id":"x","version":"1","site":"a","language":"it","submitted_at":"2026-11-23","extra":{"k":[]}}"#;
        // Asked twice, asked and absent, and every answer skipped but two.
        let needed = Needed::new(["nome", "voto", "nome", "zz", "b"]);
        let view = ResponseRef::read(unsorted, &needed).unwrap();
        let text = |t| Some(AnswerRef::Text(Cow::Borrowed(t)));
        assert_eq!(
            view.answers.iter().map(|a| a.cloned()).collect::<Vec<_>>(),
            [text("Anna"), text("c2"), text("Anna"), None, None]
        );
        let nothing = ResponseRef::read(unsorted, &Needed::new([])).unwrap();
        assert_eq!(nothing.answers.iter().count(), 0);
        let missing = r#"{"id":"x","version":"1","site":"a","language":"it","answers":{}}"#;
        let e = ResponseRef::read(missing, &needed).unwrap_err();
        assert!(e.to_string().contains("submitted_at"), "{e}");
    }
}
