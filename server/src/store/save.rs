//! Saving records (survey responses and focus-group sessions) idempotently, with group commit.

use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{NOW, Store, StoreError, lock};

/// The kinds of record devices send, each kept in a table of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Response,
    Session,
}

impl Kind {
    /// What the record is called in messages: `response`, `session`.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Response => "response",
            Self::Session => "session",
        }
    }

    fn find_sql(self) -> &'static str {
        match self {
            Self::Response => "SELECT payload FROM responses WHERE id = ?1",
            Self::Session => "SELECT payload FROM sessions WHERE id = ?1",
        }
    }
}

/// A checked survey response, ready to be stored.
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub id: String,
    pub survey: String,
    pub version: String,
    pub site: String,
    /// The canonical JSON of the whole response.
    pub payload: String,
}

/// A checked focus-group session, ready to be stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub guide: String,
    pub version: String,
    pub site: String,
    pub date: String,
    pub group_type: String,
    /// The canonical JSON of the whole session.
    pub payload: String,
}

/// A checked record of either kind.
#[derive(Debug, Clone)]
pub enum NewRecord {
    Response(NewResponse),
    Session(NewSession),
}

impl NewRecord {
    pub fn kind(&self) -> Kind {
        match self {
            Self::Response(_) => Kind::Response,
            Self::Session(_) => Kind::Session,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Self::Response(r) => &r.id,
            Self::Session(s) => &s.id,
        }
    }

    pub fn payload(&self) -> &str {
        match self {
            Self::Response(r) => &r.payload,
            Self::Session(s) => &s.payload,
        }
    }
}

impl From<NewResponse> for NewRecord {
    fn from(r: NewResponse) -> Self {
        Self::Response(r)
    }
}

impl From<NewSession> for NewRecord {
    fn from(s: NewSession) -> Self {
        Self::Session(s)
    }
}

/// What saving a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// It was new and is now stored.
    Stored,
    /// The very same record was already stored; nothing changed.
    Duplicate,
    /// Another record of its kind with the same id is stored; nothing changed.
    Conflict,
}

/// A call to [`Store::save_all`] waiting for the writer. Whoever gets the writer next saves
/// every waiting call in one transaction (group commit), so concurrent batches share one
/// sync to disk instead of queueing for one each.
#[derive(Debug)]
pub(super) struct Pending {
    records: Vec<NewRecord>,
    /// Filled, while the writer is held, by whoever saved these records.
    done: Mutex<Option<Result<Vec<Saved>, StoreError>>>,
}

impl Store {
    /// Saves records in one transaction, committed before this returns, and says what happened
    /// to each, in order. A record whose id is stored already for its kind (or earlier in
    /// `records`) is a duplicate when its payload is the same, else a conflict; stored records
    /// are never overwritten.
    ///
    /// Calls made at the same time may share the transaction: each call's records are saved
    /// whole, in the order the calls queued, exactly as if one ran after the other.
    pub fn save_all(&self, records: Vec<NewRecord>) -> Result<Vec<Saved>, StoreError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let pending = Arc::new(Pending {
            records,
            done: Mutex::new(None),
        });
        lock(&self.pending).push(pending.clone());
        let mut conn = self.writer();
        // Whoever held the writer meanwhile may have saved ours along with theirs.
        if let Some(done) = lock(&pending.done).take() {
            return done;
        }
        let group = std::mem::take(&mut *lock(&self.pending));
        match save_group(&mut conn, &group) {
            Ok(outcomes) => {
                for (p, saved) in group.iter().zip(outcomes) {
                    *lock(&p.done) = Some(Ok(saved));
                }
            }
            Err(e) if group.len() == 1 => *lock(&group[0].done) = Some(Err(e)),
            // Nothing of the group was stored: each call tries again alone, so each gets its
            // own answer (and its own error).
            Err(_) => {
                for p in &group {
                    let alone = save_group(&mut conn, std::slice::from_ref(p));
                    *lock(&p.done) = Some(alone.map(|mut o| o.pop().expect("one call")));
                }
            }
        }
        drop(conn);
        lock(&pending.done)
            .take()
            .expect("the group held this call")
    }

    /// The stored payload of each record named by kind and id, if any. Stored records never
    /// change, so what this finds stays true.
    pub fn stored_payloads(
        &self,
        keys: &[(Kind, String)],
    ) -> Result<Vec<Option<String>>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.writer();
        let mut payloads = Vec::with_capacity(keys.len());
        for (kind, id) in keys {
            let mut find = conn.prepare_cached(kind.find_sql())?;
            payloads.push(find.query_row([id], |row| row.get(0)).optional()?);
        }
        Ok(payloads)
    }
}

/// Saves every call's records in one transaction; one list of outcomes per call.
fn save_group(
    conn: &mut Connection,
    group: &[Arc<Pending>],
) -> Result<Vec<Vec<Saved>>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(group.len());
    for pending in group {
        let mut saved = Vec::with_capacity(pending.records.len());
        for record in &pending.records {
            saved.push(save_one(&tx, record)?);
        }
        outcomes.push(saved);
    }
    tx.commit()?;
    Ok(outcomes)
}

fn save_one(tx: &Transaction<'_>, record: &NewRecord) -> Result<Saved, StoreError> {
    let stored: Option<String> = tx
        .prepare_cached(record.kind().find_sql())?
        .query_row([record.id()], |row| row.get(0))
        .optional()?;
    Ok(match stored {
        Some(payload) if payload == record.payload() => Saved::Duplicate,
        Some(_) => Saved::Conflict,
        None => {
            insert(tx, record)?;
            Saved::Stored
        }
    })
}

fn insert(tx: &Transaction<'_>, record: &NewRecord) -> Result<(), StoreError> {
    match record {
        NewRecord::Response(r) => {
            tx.prepare_cached(&format!(
                "INSERT INTO responses (id, survey, version, site, payload, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
            ))?
            .execute(params![r.id, r.survey, r.version, r.site, r.payload])?;
        }
        NewRecord::Session(s) => {
            tx.prepare_cached(&format!(
                "INSERT INTO sessions
                 (id, guide, version, site, date, group_type, payload, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})"
            ))?
            .execute(params![
                s.id,
                s.guide,
                s.version,
                s.site,
                s.date,
                s.group_type,
                s.payload
            ])?;
        }
    }
    Ok(())
}
