//! Stored responses read for exports and results, which read every response of a survey:
//! text borrows from the JSON (no copy per answer), and only the answers a reader needs are
//! built, each at the place the reader asked for it (no lookup by question id per answer).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::{AnswerRef, CowStr, Response};

/// The questions a reader needs from each response, in the reader's order: reading puts the
/// answer to the `i`th at place `i` of [`Answers`]. Other answers are skipped, not built.
#[derive(Debug, Clone)]
pub struct Needed<'w> {
    places: usize,
    /// Each id with its place, sorted by id (an id asked for twice has two places).
    by_id: Vec<(&'w str, usize)>,
}

impl<'w> Needed<'w> {
    pub fn new(ids: impl IntoIterator<Item = &'w str>) -> Self {
        let mut by_id: Vec<_> = ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect();
        let places = by_id.len();
        by_id.sort_unstable();
        Self { places, by_id }
    }

    /// Which entries of `by_id` the answer to `id` goes to (none: not needed). `cursor` is
    /// where the previous answer went: canonical JSON has its answers sorted by id, so the
    /// next needed one is usually right there, found with one comparison.
    fn find(&self, id: &str, cursor: &mut usize) -> Range<usize> {
        let at = *cursor;
        let start = match self.by_id.get(at) {
            Some((next, _)) if *next == id => at,
            next if (at == 0 || self.by_id[at - 1].0 < id)
                && next.is_none_or(|(next, _)| id < *next) =>
            {
                // Between two needed ids: not needed.
                return 0..0;
            }
            _ => {
                let p = self.by_id.partition_point(|(n, _)| *n < id);
                *cursor = p;
                if self.by_id.get(p).is_none_or(|(n, _)| *n != id) {
                    return 0..0;
                }
                p
            }
        };
        let end = start
            + self.by_id[start..]
                .iter()
                .take_while(|(n, _)| *n == id)
                .count();
        *cursor = end;
        start..end
    }

    /// Puts `answer` at the places of the entries `found` ([`Needed::find`]).
    fn place<'a>(&self, found: Range<usize>, answer: AnswerRef<'a>, answers: &mut Answers<'a>) {
        if let Some(((_, last), rest)) = self.by_id[found].split_last() {
            for (_, place) in rest {
                answers.0[*place] = Some(answer.clone());
            }
            answers.0[*last] = Some(answer);
        }
    }

    fn empty<'a>(&self) -> Answers<'a> {
        Answers(vec![None; self.places])
    }
}

/// A stored response as a reader needs it: the fields every export has, and the answers its
/// [`Needed`] asked for. The survey id is not kept (the reader selected by it).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRef<'a> {
    pub id: Cow<'a, str>,
    pub version: Cow<'a, str>,
    pub site: Cow<'a, str>,
    pub language: Cow<'a, str>,
    pub submitted_at: Cow<'a, str>,
    pub started_at: Option<Cow<'a, str>>,
    pub group: Option<Cow<'a, str>>,
    pub answers: Answers<'a>,
}

impl<'a> ResponseRef<'a> {
    /// Reads a response's JSON with the answers `needed`. Unknown fields are skipped.
    pub fn read(json: &'a str, needed: &Needed<'_>) -> serde_json::Result<Self> {
        let mut d = serde_json::Deserializer::from_str(json);
        let response = ResponseSeed { needed }.deserialize(&mut d)?;
        d.end()?;
        Ok(response)
    }
}

impl Response {
    /// This response as [`ResponseRef`] with the answers `needed`, borrowing its text.
    pub fn to_ref(&self, needed: &Needed<'_>) -> ResponseRef<'_> {
        let mut answers = needed.empty();
        let mut cursor = 0;
        for (id, answer) in &self.answers {
            let found = needed.find(id.as_str(), &mut cursor);
            if !found.is_empty() {
                needed.place(found, answer.to_ref(), &mut answers);
            }
        }
        ResponseRef {
            id: Cow::Owned(self.id.to_string()),
            version: Cow::Borrowed(&self.version),
            site: Cow::Borrowed(self.site.as_str()),
            language: Cow::Borrowed(&self.language),
            submitted_at: Cow::Borrowed(&self.submitted_at),
            started_at: self.started_at.as_deref().map(Cow::Borrowed),
            group: self.group.as_deref().map(Cow::Borrowed),
            answers,
        }
    }
}

/// The answers of a [`ResponseRef`], at the places its [`Needed`] gave them.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers<'a>(Vec<Option<AnswerRef<'a>>>);

impl<'a> Answers<'a> {
    /// The answer at `place`, if the respondent gave one.
    pub fn get(&self, place: usize) -> Option<&AnswerRef<'a>> {
        self.0.get(place).and_then(Option::as_ref)
    }

    /// Every place in order, with its answer if given.
    pub fn iter(&self) -> impl Iterator<Item = Option<&AnswerRef<'a>>> {
        self.0.iter().map(Option::as_ref)
    }
}

struct ResponseSeed<'n, 'w> {
    needed: &'n Needed<'w>,
}

impl<'de> DeserializeSeed<'de> for ResponseSeed<'_, '_> {
    type Value = ResponseRef<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResponseSeed<'_, '_> {
    type Value = ResponseRef<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut id, mut version, mut site, mut language, mut submitted_at) =
            (None, None, None, None, None);
        let (mut started_at, mut group, mut answers) = (None, None, None);
        while let Some(CowStr(key)) = map.next_key()? {
            let text = match key.as_ref() {
                "id" => &mut id,
                "version" => &mut version,
                "site" => &mut site,
                "language" => &mut language,
                "submitted_at" => &mut submitted_at,
                "started_at" => &mut started_at,
                "group" => &mut group,
                "answers" => {
                    answers = Some(map.next_value_seed(AnswersSeed {
                        needed: self.needed,
                    })?);
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *text = map.next_value::<Option<CowStr>>()?.map(|s| s.0);
        }
        let required = |field: Option<Cow<'de, str>>, name| {
            field.ok_or_else(|| de::Error::missing_field(name))
        };
        Ok(ResponseRef {
            id: required(id, "id")?,
            version: required(version, "version")?,
            site: required(site, "site")?,
            language: required(language, "language")?,
            submitted_at: required(submitted_at, "submitted_at")?,
            started_at,
            group,
            answers: answers.ok_or_else(|| de::Error::missing_field("answers"))?,
        })
    }
}

/// Reads the answers object: the needed answers into their places, the others skipped.
struct AnswersSeed<'n, 'w> {
    needed: &'n Needed<'w>,
}

impl<'de> DeserializeSeed<'de> for AnswersSeed<'_, '_> {
    type Value = Answers<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnswersSeed<'_, '_> {
    type Value = Answers<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the answers, by question id")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut answers = self.needed.empty();
        let mut cursor = 0;
        while let Some(CowStr(id)) = map.next_key()? {
            let found = self.needed.find(&id, &mut cursor);
            if found.is_empty() {
                map.next_value::<IgnoredAny>()?;
            } else {
                self.needed.place(found, map.next_value()?, &mut answers);
            }
        }
        Ok(answers)
    }
}
