//! A focus-group session as the facilitator runs it: the record being built (roster, notes,
//! quotes, theme tags, tables), the prompt on screen with its timer, and the note or quote being
//! typed.
//!
//! [`FocusRun`] is the one state struct the session screen shows; components call its methods
//! and hold nothing of their own. It is plain Rust, tested on the host: the clock comes in as
//! `now_ms` (milliseconds since the epoch). All of it is one [`FocusDraft`], kept in
//! `voci.focus.draft` on every change (see [`state`]), so a reload or a killed tab loses
//! nothing. Ending the session checks it with the core's `check_session`, the very check the
//! collector runs, and it is queued in the outbox next to the survey responses.
//!
//! # Layout
//!
//! - [`themes`]: a typed theme label → the guide's theme, the session's, or a new one.
//! - [`timer`]: `mm:ss` on the prompt against its suggested minutes.
//! - [`state`]: the focus-group state (a context value of the focus entry, `use_focus`) that
//!   wires a run to the page, storage and the outbox.

pub mod state;
pub mod themes;
pub mod timer;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use voci_core::guide::Session;
use voci_core::guide::{
    Guide, GuideSection, Note, Participant, Prompt, Quote, SessionError, check_session,
};
use voci_core::{ResponseId, SiteId};

pub use state::{FocusState, use_focus};
pub use themes::Typed;
pub use timer::Timer;

/// The session in progress, as kept in `voci.focus.draft`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusDraft {
    /// The record so far.
    pub session: Session,
    /// The device's clock when the session started: offsets count from here.
    pub started_ms: u64,
    /// The prompt on screen (an index into the guide's prompts, all sections in order).
    pub prompt: usize,
    /// Since when it is on screen, for its timer.
    pub prompt_since_ms: u64,
    /// The note being typed.
    #[serde(default)]
    pub note: NoteDraft,
    /// The quote being taken, if a participant's code was tapped.
    #[serde(default)]
    pub quote: Option<QuoteDraft>,
    /// Whether the session screen is showing. The focus entry (`/focus/`) reopens a session
    /// in progress whatever this says; pausing clears it.
    pub open: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoteDraft {
    pub text: String,
    pub themes: Vec<String>,
    /// Seconds into the session when the first word was typed.
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteDraft {
    pub participant: String,
    pub text: String,
    pub themes: Vec<String>,
    /// Seconds into the session when the code was tapped: when they spoke.
    pub offset: u32,
}

/// Which entry being typed a theme tag goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Composer {
    Note,
    Quote,
}

/// What the start form asks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StartForm {
    pub guide: String,
    pub site: Option<SiteId>,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub group_type: String,
    pub facilitator: String,
    pub co_facilitator: String,
}

/// A start form field that needs fixing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartField {
    Guide,
    Site,
    Date,
    GroupType,
    Facilitator,
    CoFacilitator,
}

/// Why a participant cannot be quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteBlock {
    /// The guide asks for consent and they did not give it.
    NoConsent,
    NotInRoster,
}

/// A theme on offer: the guide's, then those typed in this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeOption {
    pub id: String,
    pub label: String,
    pub typed: bool,
}

/// The focus-group session on screen: its guide and its draft.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusRun {
    guide: Guide,
    draft: FocusDraft,
}

fn seconds_between(from_ms: u64, to_ms: u64) -> u32 {
    u32::try_from(to_ms.saturating_sub(from_ms) / 1000).unwrap_or(u32::MAX)
}

fn toggle(list: &mut Vec<String>, item: &str) {
    match list.iter().position(|t| t == item) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(item.to_owned()),
    }
}

impl FocusRun {
    /// Starts a session of `guide` from the start form, or says which fields need fixing.
    /// The rules on date, group type and initials are the core's (`check_session`).
    pub fn start(
        guide: Option<&Guide>,
        form: &StartForm,
        id: ResponseId,
        now_ms: u64,
    ) -> Result<Self, Vec<StartField>> {
        let mut problems = Vec::new();
        if guide.is_none() {
            problems.push(StartField::Guide);
        }
        if form.site.is_none() {
            problems.push(StartField::Site);
        }
        let (Some(guide), Some(site)) = (guide, form.site.clone()) else {
            return Err(problems);
        };
        let co = form.co_facilitator.trim();
        let session = Session {
            id,
            guide: guide.id.clone(),
            version: guide.version.clone(),
            site,
            date: form.date.trim().to_owned(),
            group_type: form.group_type.trim().to_owned(),
            facilitator: form.facilitator.trim().to_owned(),
            co_facilitator: (!co.is_empty()).then(|| co.to_owned()),
            participants: Vec::new(),
            new_themes: BTreeMap::new(),
            notes: Vec::new(),
            quotes: Vec::new(),
            tables: BTreeMap::new(),
        };
        if let Err(errors) = check_session(guide, &session) {
            problems.extend(errors.iter().filter_map(|e| match e.at.as_str() {
                "date" => Some(StartField::Date),
                "group_type" => Some(StartField::GroupType),
                "facilitator" => Some(StartField::Facilitator),
                "co_facilitator" => Some(StartField::CoFacilitator),
                _ => None,
            }));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            guide: guide.clone(),
            draft: FocusDraft {
                session,
                started_ms: now_ms,
                prompt: 0,
                prompt_since_ms: now_ms,
                note: NoteDraft::default(),
                quote: None,
                open: true,
            },
        })
    }

    /// Reopens a draft if its guide (same id and version) is among `guides`.
    pub fn from_draft(draft: FocusDraft, guides: &[Guide]) -> Option<Self> {
        let guide = guides
            .iter()
            .find(|g| g.id == draft.session.guide && g.version == draft.session.version)?
            .clone();
        let mut run = Self { guide, draft };
        run.draft.prompt = run.draft.prompt.min(run.prompt_count().saturating_sub(1));
        Some(run)
    }

    pub fn draft(&self) -> &FocusDraft {
        &self.draft
    }

    pub fn guide(&self) -> &Guide {
        &self.guide
    }

    pub fn session(&self) -> &Session {
        &self.draft.session
    }

    pub fn set_open(&mut self, open: bool) {
        self.draft.open = open;
    }

    fn offset(&self, now_ms: u64) -> u32 {
        seconds_between(self.draft.started_ms, now_ms)
    }

    // The roster.

    /// Adds the next participant (`P1`, `P2`, ...: one more than the highest code); returns
    /// the code.
    pub fn add_participant(&mut self) -> String {
        let highest = self
            .session()
            .participants
            .iter()
            .filter_map(|p| p.code.strip_prefix('P')?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        let code = format!("P{}", highest + 1);
        self.draft.session.participants.push(Participant {
            code: code.clone(),
            fields: BTreeMap::new(),
            consent: false,
        });
        code
    }

    fn participant_mut(&mut self, code: &str) -> Option<&mut Participant> {
        self.draft
            .session
            .participants
            .iter_mut()
            .find(|p| p.code == code)
    }

    pub fn participant(&self, code: &str) -> Option<&Participant> {
        self.session().participants.iter().find(|p| p.code == code)
    }

    /// Sets one of the guide's participant fields (`None`: not said).
    pub fn set_field(&mut self, code: &str, field: &str, choice: Option<String>) {
        let known = self.guide.participant_fields.iter().any(|f| {
            f.id.as_str() == field
                && choice
                    .as_ref()
                    .is_none_or(|c| f.choices.iter().any(|o| o.id.as_str() == c))
        });
        if !known {
            return;
        }
        if let Some(p) = self.participant_mut(code) {
            match choice {
                Some(c) => p.fields.insert(field.to_owned(), c),
                None => p.fields.remove(field),
            };
        }
    }

    pub fn set_consent(&mut self, code: &str, consent: bool) {
        if let Some(p) = self.participant_mut(code) {
            p.consent = consent;
        }
    }

    /// Whether `code` may be quoted: the core's rule, checked before the quote is taken.
    pub fn can_quote(&self, code: &str) -> Result<(), QuoteBlock> {
        match self.participant(code) {
            None => Err(QuoteBlock::NotInRoster),
            Some(p) if self.guide.consent.is_some() && !p.consent => Err(QuoteBlock::NoConsent),
            Some(_) => Ok(()),
        }
    }

    // The prompts.

    /// Every prompt of the guide, with its section, in order.
    pub fn prompts(&self) -> Vec<(&GuideSection, &Prompt)> {
        self.guide
            .sections
            .iter()
            .flat_map(|s| s.prompts.iter().map(move |p| (s, p)))
            .collect()
    }

    pub fn prompt_count(&self) -> usize {
        self.guide.prompts().count()
    }

    /// The prompt on screen (from 0).
    pub fn prompt_index(&self) -> usize {
        self.draft.prompt
    }

    pub fn prompt(&self) -> Option<(&GuideSection, &Prompt)> {
        self.prompts().get(self.draft.prompt).copied()
    }

    fn prompt_id(&self) -> Option<String> {
        self.prompt().map(|(_, p)| p.id.to_string())
    }

    /// Shows another prompt. What was being typed is kept with the prompt it was typed at.
    pub fn go_to(&mut self, index: usize, now_ms: u64) {
        let index = index.min(self.prompt_count().saturating_sub(1));
        if index == self.draft.prompt {
            return;
        }
        self.add_note();
        if self
            .draft
            .quote
            .as_ref()
            .is_some_and(|q| !q.text.trim().is_empty())
        {
            self.save_quote();
        }
        self.draft.quote = None;
        self.draft.prompt = index;
        self.draft.prompt_since_ms = now_ms;
    }

    pub fn next(&mut self, now_ms: u64) {
        self.go_to(self.draft.prompt + 1, now_ms);
    }

    pub fn previous(&mut self, now_ms: u64) {
        self.go_to(self.draft.prompt.saturating_sub(1), now_ms);
    }

    /// The timer of the prompt on screen.
    pub fn timer(&self, now_ms: u64) -> Timer {
        let minutes = self.prompt().and_then(|(_, p)| p.minutes);
        timer::timer(now_ms.saturating_sub(self.draft.prompt_since_ms), minutes)
    }

    // Notes.

    /// The note being typed; its offset is when its first word came.
    pub fn set_note_text(&mut self, text: String, now_ms: u64) {
        let offset = self.offset(now_ms);
        let note = &mut self.draft.note;
        note.offset = match (text.trim().is_empty(), note.offset) {
            (true, _) => None,
            (false, Some(o)) => Some(o),
            (false, None) => Some(offset),
        };
        note.text = text;
    }

    /// Adds the note being typed to the prompt on screen; false when there is nothing to add.
    pub fn add_note(&mut self) -> bool {
        let Some(prompt) = self.prompt_id() else {
            return false;
        };
        if self.draft.note.text.trim().is_empty() {
            return false;
        }
        let note = std::mem::take(&mut self.draft.note);
        self.draft.session.notes.push(Note {
            prompt,
            text: note.text.trim().to_owned(),
            offset: note.offset.unwrap_or(0),
            themes: note.themes,
        });
        true
    }

    /// The notes of the prompt on screen, with their place in the record.
    pub fn notes_here(&self) -> Vec<(usize, Note)> {
        let prompt = self.prompt_id().unwrap_or_default();
        let notes = self.session().notes.iter().cloned().enumerate();
        notes.filter(|(_, n)| n.prompt == prompt).collect()
    }

    pub fn remove_note(&mut self, index: usize) {
        if index < self.session().notes.len() {
            self.draft.session.notes.remove(index);
        }
    }

    // Quotes.

    /// Starts a quote of `code` at this moment (what was being typed for another is saved).
    pub fn begin_quote(&mut self, code: &str, now_ms: u64) -> Result<(), QuoteBlock> {
        self.can_quote(code)?;
        if self
            .draft
            .quote
            .as_ref()
            .is_some_and(|q| !q.text.trim().is_empty())
        {
            self.save_quote();
        }
        self.draft.quote = Some(QuoteDraft {
            participant: code.to_owned(),
            text: String::new(),
            themes: Vec::new(),
            offset: self.offset(now_ms),
        });
        Ok(())
    }

    pub fn set_quote_text(&mut self, text: String) {
        if let Some(q) = &mut self.draft.quote {
            q.text = text;
        }
    }

    pub fn cancel_quote(&mut self) {
        self.draft.quote = None;
    }

    /// Adds the quote being taken to the prompt on screen; false when it has no words, or its
    /// participant can no longer be quoted.
    pub fn save_quote(&mut self) -> bool {
        let (Some(prompt), Some(q)) = (self.prompt_id(), self.draft.quote.as_ref()) else {
            return false;
        };
        if q.text.trim().is_empty() || self.can_quote(&q.participant).is_err() {
            return false;
        }
        let q = self.draft.quote.take().expect("checked above");
        self.draft.session.quotes.push(Quote {
            prompt,
            participant: q.participant,
            text: q.text.trim().to_owned(),
            offset: q.offset,
            themes: q.themes,
        });
        true
    }

    /// The quotes of the prompt on screen, with their place in the record.
    pub fn quotes_here(&self) -> Vec<(usize, Quote)> {
        let prompt = self.prompt_id().unwrap_or_default();
        let quotes = self.session().quotes.iter().cloned().enumerate();
        quotes.filter(|(_, q)| q.prompt == prompt).collect()
    }

    pub fn remove_quote(&mut self, index: usize) {
        if index < self.session().quotes.len() {
            self.draft.session.quotes.remove(index);
        }
    }

    // Themes.

    /// The themes on offer: the guide's in `lang` (else its first language), then the typed ones.
    pub fn themes(&self, lang: &str) -> Vec<ThemeOption> {
        let default = self.guide.languages.first().map_or("", String::as_str);
        let guide = self.guide.themes.iter().map(|t| ThemeOption {
            id: t.id.to_string(),
            label: t.label.get(lang, default).to_owned(),
            typed: false,
        });
        let typed = self
            .session()
            .new_themes
            .iter()
            .map(|(id, label)| ThemeOption {
                id: id.clone(),
                label: label.clone(),
                typed: true,
            });
        guide.chain(typed).collect()
    }

    /// The themes tagged on the entry being typed.
    pub fn tags(&self, composer: Composer) -> &[String] {
        match composer {
            Composer::Note => &self.draft.note.themes,
            Composer::Quote => self.draft.quote.as_ref().map_or(&[], |q| &q.themes),
        }
    }

    fn tags_mut(&mut self, composer: Composer) -> Option<&mut Vec<String>> {
        match composer {
            Composer::Note => Some(&mut self.draft.note.themes),
            Composer::Quote => self.draft.quote.as_mut().map(|q| &mut q.themes),
        }
    }

    /// Tags the entry being typed with a theme on offer, or takes the tag off.
    pub fn toggle_theme(&mut self, composer: Composer, theme: &str) {
        if !self.themes("").iter().any(|t| t.id == theme) {
            return;
        }
        if let Some(tags) = self.tags_mut(composer) {
            toggle(tags, theme);
        }
    }

    /// A theme typed during the session: the guide's or the session's theme of that label, else
    /// a new one. The entry being typed gets it as a tag. Returns its id.
    pub fn add_theme(&mut self, composer: Composer, label: &str) -> Option<String> {
        let typed = themes::resolve(&self.guide, &self.session().new_themes, label)?;
        if let Typed::New { id, label } = &typed {
            self.draft
                .session
                .new_themes
                .insert(id.clone(), label.clone());
        }
        let id = typed.id().to_owned();
        if let Some(tags) = self.tags_mut(composer)
            && !tags.contains(&id)
        {
            tags.push(id.clone());
        }
        Some(id)
    }

    // Tables.

    /// The rows of a table so far.
    pub fn rows(&self, table: &str) -> &[BTreeMap<String, String>] {
        self.session().tables.get(table).map_or(&[], Vec::as_slice)
    }

    pub fn add_row(&mut self, table: &str) {
        if self.guide.tables.iter().any(|t| t.id.as_str() == table) {
            let rows = self
                .draft
                .session
                .tables
                .entry(table.to_owned())
                .or_default();
            rows.push(BTreeMap::new());
        }
    }

    /// Writes a cell (an empty text leaves it out).
    pub fn set_cell(&mut self, table: &str, row: usize, column: &str, text: String) {
        let known =
            self.guide.tables.iter().any(|t| {
                t.id.as_str() == table && t.columns.iter().any(|c| c.id.as_str() == column)
            });
        let row = self
            .draft
            .session
            .tables
            .get_mut(table)
            .and_then(|rows| rows.get_mut(row));
        if let (true, Some(row)) = (known, row) {
            if text.trim().is_empty() {
                row.remove(column);
            } else {
                row.insert(column.to_owned(), text);
            }
        }
    }

    pub fn remove_row(&mut self, table: &str, row: usize) {
        if let Some(rows) = self.draft.session.tables.get_mut(table)
            && row < rows.len()
        {
            rows.remove(row);
        }
    }

    // The end.

    /// Ends the session: what is still being typed is added, empty table rows are dropped,
    /// and the record is checked with the core. The draft keeps everything either way.
    pub fn finish(&mut self) -> Result<Session, Vec<SessionError>> {
        self.add_note();
        self.save_quote();
        for rows in self.draft.session.tables.values_mut() {
            rows.retain(|r| r.values().any(|v| !v.trim().is_empty()));
        }
        self.draft.session.tables.retain(|_, rows| !rows.is_empty());
        check_session(&self.guide, self.session())?;
        Ok(self.session().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: u64 = 1_750_000_000_000;

    fn guide() -> Guide {
        serde_json::from_value(serde_json::json!({
            "id": "giovani", "version": "1", "title": {"it": "Giovani"}, "languages": ["it", "en"],
            "consent": {"it": "Siete d'accordo?"},
            "participant_fields": [
                {"id": "eta", "label": {"it": "Età"},
                 "choices": [{"id": "14-17", "label": {"it": "14-17"}}, {"id": "18-24", "label": {"it": "18-24"}}]}
            ],
            "themes": [{"id": "lavoro", "label": {"it": "Lavoro", "en": "Work"}},
                       {"id": "scuola", "label": {"it": "Scuola", "en": "School"}}],
            "sections": [
                {"id": "a", "title": {"it": "Apertura"}, "prompts": [
                    {"id": "giro", "text": {"it": "Un giro"}, "minutes": 5}]},
                {"id": "b", "title": {"it": "Futuro"}, "prompts": [
                    {"id": "sogni", "text": {"it": "Sogni"}, "probes": [{"it": "Perché?"}]},
                    {"id": "fine", "text": {"it": "Fine"}}]}
            ],
            "tables": [{"id": "quadro", "title": {"it": "Quadro"},
                        "columns": [{"id": "problema", "label": {"it": "Problema"}},
                                    {"id": "obiettivo", "label": {"it": "Obiettivo"}}]}]
        }))
        .unwrap()
    }

    fn form() -> StartForm {
        StartForm {
            guide: "giovani".into(),
            site: Some(SiteId::parse("ambito/melzo/reti-point").unwrap()),
            date: "2026-03-10".into(),
            group_type: " studenti ".into(),
            facilitator: "MR".into(),
            co_facilitator: " ".into(),
        }
    }

    fn run() -> FocusRun {
        let id = ResponseId::from_random_bytes([3; 16]);
        FocusRun::start(Some(&guide()), &form(), id, START).unwrap()
    }

    const MIN: u64 = 60_000;

    #[test]
    fn the_start_form_follows_the_core_rules() {
        let id = || ResponseId::from_random_bytes([1; 16]);
        let bad = StartForm {
            date: "10/03/2026".into(),
            group_type: String::new(),
            facilitator: "Maria Rossi".into(),
            co_facilitator: "L.B.".into(),
            ..form()
        };
        assert_eq!(
            FocusRun::start(Some(&guide()), &bad, id(), START).unwrap_err(),
            [
                StartField::Date,
                StartField::GroupType,
                StartField::Facilitator
            ]
        );
        let nothing = StartForm::default();
        assert_eq!(
            FocusRun::start(None, &nothing, id(), START).unwrap_err(),
            [StartField::Guide, StartField::Site]
        );
        let r = run();
        assert_eq!(r.session().group_type, "studenti");
        assert_eq!(r.session().co_facilitator, None);
        assert_eq!(r.session().version, "1");
    }

    #[test]
    fn participants_get_the_next_code_and_only_the_guides_fields() {
        let mut r = run();
        assert_eq!(r.add_participant(), "P1");
        assert_eq!(r.add_participant(), "P2");
        r.draft.session.participants.retain(|p| p.code != "P1");
        assert_eq!(r.add_participant(), "P3", "a code is never given twice");
        r.set_field("P2", "eta", Some("14-17".into()));
        r.set_field("P2", "eta", Some("99".into()));
        r.set_field("P2", "nome", Some("Anna".into()));
        assert_eq!(r.participant("P2").unwrap().fields.len(), 1);
        assert_eq!(r.participant("P2").unwrap().fields["eta"], "14-17");
        r.set_field("P2", "eta", None);
        assert!(r.participant("P2").unwrap().fields.is_empty());
    }

    #[test]
    fn a_participant_without_consent_cannot_be_quoted() {
        let mut r = run();
        r.add_participant();
        assert_eq!(r.begin_quote("P1", START), Err(QuoteBlock::NoConsent));
        assert_eq!(r.begin_quote("P9", START), Err(QuoteBlock::NotInRoster));
        r.set_consent("P1", true);
        r.begin_quote("P1", START + 90_000).unwrap();
        r.set_quote_text("Qui non c'è niente per noi".into());
        // Consent withdrawn before the quote was saved: it is not saved.
        r.set_consent("P1", false);
        assert!(!r.save_quote());
        assert!(r.session().quotes.is_empty());
        // Withdrawn after: the core check refuses to end the session until the quote goes.
        r.set_consent("P1", true);
        assert!(r.save_quote());
        r.set_consent("P1", false);
        let errors = r.finish().unwrap_err();
        assert_eq!(errors[0].at, "quotes[0]");
        r.remove_quote(0);
        assert!(r.finish().is_ok());
    }

    #[test]
    fn offsets_count_from_the_start_and_timers_from_the_prompt() {
        let mut r = run();
        r.add_participant();
        r.set_consent("P1", true);
        assert_eq!(r.timer(START + 4 * MIN).elapsed, "04:00");
        assert!(r.timer(START + 6 * MIN).over);
        r.set_note_text("Tutti".into(), START + 2 * MIN);
        r.set_note_text("Tutti presenti".into(), START + 3 * MIN);
        assert!(r.add_note());
        r.next(START + 7 * MIN);
        assert_eq!(r.timer(START + 8 * MIN).elapsed, "01:00");
        assert!(!r.timer(START + 60 * MIN).over, "no suggested minutes");
        r.begin_quote("P1", START + 9 * MIN).unwrap();
        r.set_quote_text("Vorrei restare qui".into());
        assert!(r.save_quote());
        let s = r.finish().unwrap();
        assert_eq!(
            (s.notes[0].prompt.as_str(), s.notes[0].offset),
            ("giro", 120)
        );
        assert_eq!(
            (s.quotes[0].prompt.as_str(), s.quotes[0].offset),
            ("sogni", 540)
        );
    }

    #[test]
    fn moving_on_keeps_what_was_typed_with_its_prompt() {
        let mut r = run();
        r.add_participant();
        r.set_consent("P1", true);
        r.set_note_text("Appunto a metà".into(), START);
        r.toggle_theme(Composer::Note, "lavoro");
        r.begin_quote("P1", START).unwrap();
        r.set_quote_text("Detto prima".into());
        r.next(START + MIN);
        assert_eq!(r.prompt_index(), 1);
        assert!(r.notes_here().is_empty() && r.quotes_here().is_empty());
        r.previous(START + 2 * MIN);
        assert_eq!(r.notes_here()[0].1.themes, ["lavoro"]);
        assert_eq!(r.quotes_here()[0].1.text, "Detto prima");
        assert_eq!(r.draft().note, NoteDraft::default());
        r.go_to(99, START);
        assert_eq!(r.prompt_index(), 2, "the last prompt at most");
        r.previous(START);
        r.previous(START);
        r.previous(START);
        assert_eq!(r.prompt_index(), 0);
    }

    #[test]
    fn typed_themes_become_new_themes_the_core_accepts() {
        let mut r = run();
        r.set_note_text("Mancano gli autobus la sera".into(), START);
        assert_eq!(
            r.add_theme(Composer::Note, "Trasporti").as_deref(),
            Some("trasporti")
        );
        assert_eq!(
            r.add_theme(Composer::Note, "work").as_deref(),
            Some("lavoro")
        );
        r.toggle_theme(Composer::Note, "inventato");
        r.toggle_theme(Composer::Note, "scuola");
        r.toggle_theme(Composer::Note, "scuola");
        assert_eq!(r.tags(Composer::Note), ["trasporti", "lavoro"]);
        assert!(r.tags(Composer::Quote).is_empty(), "no quote being taken");
        let labels: Vec<(String, bool)> = r
            .themes("en")
            .into_iter()
            .map(|t| (t.label, t.typed))
            .collect();
        let want = [("Work", false), ("School", false), ("Trasporti", true)];
        assert_eq!(labels, want.map(|(l, t)| (l.to_owned(), t)));
        r.add_note();
        let s = r.finish().unwrap();
        assert_eq!(s.new_themes["trasporti"], "Trasporti");
        assert_eq!(s.notes[0].themes, ["trasporti", "lavoro"]);
    }

    #[test]
    fn table_rows_are_added_edited_and_empty_ones_dropped() {
        let mut r = run();
        r.add_row("quadro");
        r.add_row("quadro");
        r.add_row("nessuna");
        r.set_cell("quadro", 0, "problema", "Pochi spazi".into());
        r.set_cell("quadro", 0, "colonna", "x".into());
        r.set_cell("quadro", 1, "obiettivo", "  ".into());
        assert_eq!(r.rows("quadro").len(), 2);
        assert!(r.rows("nessuna").is_empty());
        let s = r.finish().unwrap();
        assert_eq!(s.tables["quadro"].len(), 1, "the empty row is dropped");
        assert_eq!(s.tables["quadro"][0]["problema"], "Pochi spazi");
        r.remove_row("quadro", 0);
        assert!(r.finish().unwrap().tables.is_empty());
    }

    #[test]
    fn a_draft_reopens_only_with_its_guide_version() {
        let mut r = run();
        r.add_participant();
        r.next(START);
        let json = serde_json::to_string(r.draft()).unwrap();
        let draft: FocusDraft = serde_json::from_str(&json).unwrap();
        let back = FocusRun::from_draft(draft.clone(), &[guide()]).unwrap();
        assert_eq!(back, r);
        let mut other = guide();
        other.version = "2".into();
        assert!(FocusRun::from_draft(draft, &[other]).is_none());
    }
}
