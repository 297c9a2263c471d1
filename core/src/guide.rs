//! Focus groups: the guide a facilitator follows, and the record of one session (roster,
//! notes, quotes, theme tags, structured tables) that the app keeps and the collector stores.
//!
//! A session syncs like a survey response: it has a UUID made on the device, and the collector
//! stores it once. A participant who has not consented can never be quoted: the check is here,
//! so the app and the collector apply it alike.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{ChoiceId, QuestionId, ResponseId, SectionId, SiteId, SurveyId};
use crate::model::Choice;
use crate::serde_lean::object_only;
use crate::text::{Lang, Text};

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(
    Guide,
    ParticipantField,
    GuideSection,
    Prompt,
    TableDef,
    Session,
    Participant,
    Note,
    Quote,
    SessionError,
);

/// A focus-group guide (`kind = "focus_group"` in its file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Guide {
    pub id: SurveyId,
    pub version: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    pub languages: Vec<Lang>,
    /// The consent text read to participants; when present, only participants who consented
    /// may be quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Text>,
    /// What is recorded about each participant (age band, role, school): never names.
    pub participant_fields: Vec<ParticipantField>,
    /// The themes notes and quotes can be tagged with.
    pub themes: Vec<Choice>,
    pub sections: Vec<GuideSection>,
    /// Structured tables filled in together (a logical framework: problem, objective, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<TableDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ParticipantField {
    pub id: QuestionId,
    pub label: Text,
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct GuideSection {
    pub id: SectionId,
    pub title: Text,
    pub prompts: Vec<Prompt>,
}

/// A question the facilitator puts to the group, with follow-up probes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Prompt {
    pub id: QuestionId,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<Text>,
    /// Suggested minutes, for the facilitator's timer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct TableDef {
    pub id: QuestionId,
    pub title: Text,
    pub columns: Vec<Choice>,
}

impl Guide {
    pub fn prompts(&self) -> impl Iterator<Item = &Prompt> {
        self.sections.iter().flat_map(|s| s.prompts.iter())
    }

    pub fn prompt(&self, id: &str) -> Option<&Prompt> {
        self.prompts().find(|p| p.id.as_str() == id)
    }
}

/// The record of one focus-group session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Session {
    pub id: ResponseId,
    pub guide: SurveyId,
    pub version: String,
    pub site: SiteId,
    /// The day of the session, `YYYY-MM-DD`.
    pub date: String,
    /// The kind of group (students of a class, young people of a youth point, operators, ...).
    pub group_type: String,
    /// Initials only.
    pub facilitator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_facilitator: Option<String>,
    pub participants: Vec<Participant>,
    /// Themes typed during the session, beyond the guide's: id → label.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub new_themes: BTreeMap<String, String>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Rows of each structured table: table id → rows of column id → text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, Vec<BTreeMap<String, String>>>,
}

impl Session {
    /// The canonical JSON the collector compares resent sessions by.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("a session always serialises")
    }
}

/// A participant, known by a code (`P1`, `P2`, ...), never by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Participant {
    pub code: String,
    /// The guide's participant fields: field id → choice id.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    pub consent: bool,
}

/// A free note on a prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Note {
    pub prompt: String,
    pub text: String,
    /// Seconds since the session started.
    pub offset: u32,
    #[serde(default)]
    pub themes: Vec<String>,
}

/// What a participant said, word for word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Quote {
    pub prompt: String,
    pub participant: String,
    pub text: String,
    pub offset: u32,
    #[serde(default)]
    pub themes: Vec<String>,
}

/// What is wrong with a session record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SessionError {
    /// Where: `participants[P2]`, `quotes[3]`, `notes[0]`, `date`, ...
    pub at: String,
    pub message: String,
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Whether `s` is a participant code: `P` and a number.
pub fn is_participant_code(s: &str) -> bool {
    s.strip_prefix('P')
        .is_some_and(|n| !n.is_empty() && n.len() <= 4 && n.chars().all(|c| c.is_ascii_digit()))
}

fn is_initials(s: &str) -> bool {
    (1..=4).contains(&s.chars().count()) && s.chars().all(|c| c.is_alphabetic() || c == '.')
}

/// Checks a session against its guide; returns every problem.
pub fn check_session(guide: &Guide, s: &Session) -> Result<(), Vec<SessionError>> {
    let mut errors = Vec::new();
    let mut err = |at: String, message: String| errors.push(SessionError { at, message });
    if !crate::validate::is_date(&s.date) {
        err(
            "date".into(),
            format!("{:?} is not a date as YYYY-MM-DD", s.date),
        );
    }
    if s.group_type.trim().is_empty() || s.group_type.chars().count() > 80 {
        err(
            "group_type".into(),
            "the group type is required (at most 80 characters)".into(),
        );
    }
    for (at, who) in [
        ("facilitator", Some(&s.facilitator)),
        ("co_facilitator", s.co_facilitator.as_ref()),
    ] {
        if let Some(who) = who.filter(|w| !is_initials(w)) {
            err(
                at.into(),
                format!("{who:?}: write initials only (1 to 4 letters), never a name"),
            );
        }
    }
    let mut codes: Vec<&str> = Vec::new();
    for p in &s.participants {
        let at = format!("participants[{}]", p.code);
        if !is_participant_code(&p.code) {
            err(
                at.clone(),
                "a participant code is P and a number (P1, P2, ...)".into(),
            );
        }
        if codes.contains(&p.code.as_str()) {
            err(at.clone(), "this code is used twice".into());
        }
        codes.push(&p.code);
        for (field, value) in &p.fields {
            match guide
                .participant_fields
                .iter()
                .find(|f| f.id.as_str() == field)
            {
                None => err(
                    at.clone(),
                    format!("the guide has no participant field {field:?}"),
                ),
                Some(f) if !f.choices.iter().any(|c| c.id.as_str() == value) => err(
                    at.clone(),
                    format!("{value:?} is not one of the choices of {field:?}"),
                ),
                Some(_) => {}
            }
        }
    }
    let theme_known =
        |t: &str| guide.themes.iter().any(|g| g.id.as_str() == t) || s.new_themes.contains_key(t);
    for (id, label) in &s.new_themes {
        if ChoiceId::parse(id.clone()).is_err() || label.trim().is_empty() {
            err(
                format!("new_themes[{id}]"),
                "a new theme needs an id (letters, digits, - or _) and a label".into(),
            );
        }
    }
    let check_entry = |at: String,
                       prompt: &str,
                       text: &str,
                       themes: &[String],
                       err: &mut dyn FnMut(String, String)| {
        if guide.prompt(prompt).is_none() {
            err(at.clone(), format!("the guide has no prompt {prompt:?}"));
        }
        if text.trim().is_empty() || text.chars().count() > 10_000 {
            err(
                at.clone(),
                "the text is empty or longer than 10,000 characters".into(),
            );
        }
        for t in themes {
            if !theme_known(t) {
                err(
                    at.clone(),
                    format!(
                        "{t:?} is neither a theme of the guide nor a new theme of this session"
                    ),
                );
            }
        }
    };
    for (i, n) in s.notes.iter().enumerate() {
        check_entry(
            format!("notes[{i}]"),
            &n.prompt,
            &n.text,
            &n.themes,
            &mut err,
        );
    }
    for (i, q) in s.quotes.iter().enumerate() {
        let at = format!("quotes[{i}]");
        check_entry(at.clone(), &q.prompt, &q.text, &q.themes, &mut err);
        match s.participants.iter().find(|p| p.code == q.participant) {
            None => err(
                at,
                format!("no participant {:?} in the roster", q.participant),
            ),
            Some(p) if guide.consent.is_some() && !p.consent => err(
                at,
                format!(
                    "participant {} has not given consent, so they cannot be quoted",
                    p.code
                ),
            ),
            Some(_) => {}
        }
    }
    for (table, rows) in &s.tables {
        match guide.tables.iter().find(|t| t.id.as_str() == table) {
            None => err(
                format!("tables[{table}]"),
                "the guide has no such table".into(),
            ),
            Some(def) => {
                for (r, row) in rows.iter().enumerate() {
                    for col in row.keys() {
                        if !def.columns.iter().any(|c| c.id.as_str() == col) {
                            err(
                                format!("tables[{table}][{r}]"),
                                format!("the table has no column {col:?}"),
                            );
                        }
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
