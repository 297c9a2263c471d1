//! Checking and storing submitted records (survey responses and focus-group sessions): the one
//! path every way in goes through (one response, a batch of responses or of sessions, an
//! imported outbox file), so each gets the same checks and the same idempotency.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use voci_core::Response;
use voci_core::guide::Session;
use voci_core::outbox_file::{FileError, OutboxFile};
use voci_core::sync::{ItemResult, ItemStatus};

use crate::catalog::{Catalog, Invalid};
use crate::store::{Kind, NewRecord, NewResponse, NewSession, Saved, Store, StoreError};

/// A record devices send and the collector stores once per id.
pub trait Submission: DeserializeOwned {
    const KIND: Kind;

    /// What is stored: the record's columns and its canonical JSON.
    fn record(&self) -> NewRecord;

    /// The catalog's checks for this kind of record.
    fn check(&self, catalog: &Catalog) -> Result<(), Invalid>;
}

impl Submission for Response {
    const KIND: Kind = Kind::Response;

    fn record(&self) -> NewRecord {
        NewRecord::Response(NewResponse {
            id: self.id.to_string(),
            survey: self.survey.to_string(),
            version: self.version.clone(),
            site: self.site.to_string(),
            payload: self.canonical_json(),
        })
    }

    fn check(&self, catalog: &Catalog) -> Result<(), Invalid> {
        catalog.check(self)
    }
}

impl Submission for Session {
    const KIND: Kind = Kind::Session;

    fn record(&self) -> NewRecord {
        NewRecord::Session(NewSession {
            id: self.id.to_string(),
            guide: self.guide.to_string(),
            version: self.version.clone(),
            site: self.site.to_string(),
            date: self.date.clone(),
            group_type: self.group_type.clone(),
            payload: self.canonical_json(),
        })
    }

    fn check(&self, catalog: &Catalog) -> Result<(), Invalid> {
        catalog.check_session(self)
    }
}

/// One submitted item, read and checked.
#[derive(Debug)]
pub enum Checked {
    /// Passes every check: to be stored.
    Valid(NewRecord),
    /// Refused. If it could be read, it is still looked up: when the very same record was
    /// stored earlier (before its site left the site list, say), resending it is a duplicate,
    /// so the device can let go of it.
    Invalid {
        id: Option<String>,
        read: Option<NewRecord>,
        invalid: Invalid,
    },
}

/// Reads an item as a `T` and checks it. One malformed item is refused on its own, so it does
/// not sink the others of its batch.
pub fn check_value<T: Submission>(catalog: &Catalog, value: Value) -> Checked {
    let raw_id = value.get("id").and_then(Value::as_str).map(str::to_owned);
    match serde_json::from_value::<T>(value) {
        Ok(item) => check(catalog, &item),
        Err(e) => Checked::Invalid {
            id: raw_id,
            read: None,
            invalid: Invalid::new(format!("this is not a valid {}: {e}", T::KIND.noun())),
        },
    }
}

/// Checks a record against the catalog (the survey or guide version it names, the site list).
pub fn check<T: Submission>(catalog: &Catalog, item: &T) -> Checked {
    let new = item.record();
    match item.check(catalog) {
        Ok(()) => Checked::Valid(new),
        Err(invalid) => Checked::Invalid {
            id: Some(new.id().to_owned()),
            read: Some(new),
            invalid,
        },
    }
}

/// Stores the valid items in one transaction (shared with concurrent saves, of either kind),
/// committed before this returns, and looks the invalid ones up. One result per item, in order. Blocks: call it off the async threads.
pub fn save(store: &Store, items: Vec<Checked>) -> Result<Vec<ItemResult>, StoreError> {
    let mut to_save = Vec::new();
    let mut to_find = Vec::new();
    for item in &items {
        match item {
            Checked::Valid(new) => to_save.push(new.clone()),
            Checked::Invalid {
                read: Some(new), ..
            } => to_find.push((new.kind(), new.id().to_owned())),
            Checked::Invalid { read: None, .. } => {}
        }
    }
    let mut saved = store.save_all(to_save)?.into_iter();
    let mut found = store.stored_payloads(&to_find)?.into_iter();
    let results = items
        .into_iter()
        .map(|item| match item {
            Checked::Valid(new) => saved_result(&new, saved.next().expect("one per item")),
            Checked::Invalid {
                read: Some(new),
                invalid,
                ..
            } => match found.next().flatten() {
                Some(stored) if stored == new.payload() => saved_result(&new, Saved::Duplicate),
                _ => invalid_result(Some(new.id().to_owned()), invalid),
            },
            Checked::Invalid {
                id,
                read: None,
                invalid,
            } => invalid_result(id, invalid),
        })
        .collect();
    Ok(results)
}

fn saved_result(new: &NewRecord, saved: Saved) -> ItemResult {
    let id = new.id();
    let (status, error) = match saved {
        Saved::Stored => (ItemStatus::Stored, None),
        Saved::Duplicate => (ItemStatus::Duplicate, None),
        Saved::Conflict => (
            ItemStatus::Conflict,
            Some(format!(
                "a different {} with id {id} is already stored; it was kept unchanged",
                new.kind().noun()
            )),
        ),
    };
    ItemResult {
        id: Some(id.to_owned()),
        status,
        error,
        errors: Vec::new(),
    }
}

fn invalid_result(id: Option<String>, invalid: Invalid) -> ItemResult {
    ItemResult {
        id,
        status: ItemStatus::Invalid,
        error: Some(invalid.message),
        errors: invalid.errors,
    }
}

/// What importing an outbox file did: `POST /api/import` answers with it as JSON, the
/// responses' counts at the top level (as before files carried sessions), the sessions' under
/// `sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    #[serde(flatten)]
    pub responses: Counts,
    pub sessions: Counts,
    /// Every record that was not stored and is not stored already: conflicts and invalid
    /// ones, in file order (the responses, then the sessions).
    pub problems: Vec<ImportProblem>,
}

/// What happened to the records of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub stored: usize,
    pub duplicate: usize,
    pub conflict: usize,
    pub invalid: usize,
}

impl Counts {
    fn add(&mut self, status: ItemStatus) {
        match status {
            ItemStatus::Stored => self.stored += 1,
            ItemStatus::Duplicate => self.duplicate += 1,
            ItemStatus::Conflict => self.conflict += 1,
            ItemStatus::Invalid => self.invalid += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.stored + self.duplicate + self.conflict + self.invalid
    }
}

/// `12 stored, 3 duplicate, 0 conflict, 1 invalid`.
impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} stored, {} duplicate, {} conflict, {} invalid",
            self.stored, self.duplicate, self.conflict, self.invalid
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    /// `response` or `session`.
    #[serde(serialize_with = "noun")]
    pub kind: Kind,
    pub id: String,
    pub status: ItemStatus,
    pub error: String,
}

fn noun<S: serde::Serializer>(kind: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.noun())
}

impl ImportSummary {
    fn of(results: impl IntoIterator<Item = (Kind, ItemResult)>) -> Self {
        let mut summary = Self::default();
        for (kind, r) in results {
            match kind {
                Kind::Response => summary.responses.add(r.status),
                Kind::Session => summary.sessions.add(r.status),
            }
            if !r.status.acknowledged() {
                summary.problems.push(ImportProblem {
                    kind,
                    // Every record in a verified file has an id.
                    id: r.id.unwrap_or_default(),
                    status: r.status,
                    error: r.error.unwrap_or_default(),
                });
            }
        }
        summary
    }

    /// `12 stored, 3 duplicate, 0 conflict, 1 invalid` for a file of responses only; with
    /// sessions, `responses: 12 stored, ...; sessions: 1 stored, ...`.
    pub fn counts(&self) -> String {
        if self.sessions.total() == 0 {
            self.responses.to_string()
        } else {
            format!("responses: {}; sessions: {}", self.responses, self.sessions)
        }
    }
}

/// Reads and verifies an outbox file: format, version, count and checksum.
///
/// The bytes are read as UTF-8 with bad sequences replaced, so a damaged byte anywhere makes
/// the file unreadable or its checksum wrong, and is reported as such.
pub fn read_file(bytes: &[u8]) -> Result<OutboxFile, FileError> {
    OutboxFile::parse(&String::from_utf8_lossy(bytes))
}

/// Stores a verified file's responses and sessions as batches would, all in one transaction.
/// Blocks.
pub fn import(
    catalog: &Catalog,
    store: &Store,
    file: &OutboxFile,
) -> Result<ImportSummary, StoreError> {
    let responses = file
        .responses
        .iter()
        .map(|r| (Kind::Response, check(catalog, r)));
    let sessions = file
        .sessions
        .iter()
        .map(|s| (Kind::Session, check(catalog, s)));
    let (kinds, items): (Vec<Kind>, Vec<Checked>) = responses.chain(sessions).unzip();
    Ok(ImportSummary::of(
        kinds.into_iter().zip(save(store, items)?),
    ))
}
