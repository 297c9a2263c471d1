//! Stored responses: idempotent saving and reading back in order of receipt.

use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{NOW, Store, StoreError, lock};

/// A checked response, ready to be stored.
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub id: String,
    pub survey: String,
    pub version: String,
    pub site: String,
    /// The canonical JSON of the whole response.
    pub payload: String,
}

/// What saving a response did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// It was new and is now stored.
    Stored,
    /// The very same response was already stored; nothing changed.
    Duplicate,
    /// Another response with the same id is stored; nothing changed.
    Conflict,
}

/// A call to [`Store::save_all`] waiting for the writer. Whoever gets the writer next saves
/// every waiting call in one transaction (group commit), so concurrent batches share one
/// sync to disk instead of queueing for one each.
#[derive(Debug)]
pub(super) struct Pending {
    responses: Vec<NewResponse>,
    /// Filled, while the writer is held, by whoever saved these responses.
    done: Mutex<Option<Result<Vec<Saved>, StoreError>>>,
}

impl Store {
    /// Saves responses in one transaction, committed before this returns, and says what
    /// happened to each, in order. A response whose id is stored already (or earlier in
    /// `responses`) is a duplicate when its payload is the same, else a conflict; stored
    /// responses are never overwritten.
    ///
    /// Calls made at the same time may share the transaction: each call's responses are saved
    /// whole, in the order the calls queued, exactly as if one ran after the other.
    pub fn save_all(&self, responses: Vec<NewResponse>) -> Result<Vec<Saved>, StoreError> {
        if responses.is_empty() {
            return Ok(Vec::new());
        }
        let pending = Arc::new(Pending {
            responses,
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

    /// The stored payload of each id, if any. Stored responses never change, so what this
    /// finds stays true.
    pub fn stored_payloads(&self, ids: &[String]) -> Result<Vec<Option<String>>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.writer();
        let mut find = conn.prepare_cached("SELECT payload FROM responses WHERE id = ?1")?;
        let mut payloads = Vec::with_capacity(ids.len());
        for id in ids {
            payloads.push(find.query_row([id], |row| row.get(0)).optional()?);
        }
        Ok(payloads)
    }

    /// Calls `f` with the payload of every response to `survey`, in order of receipt, until it
    /// breaks. Reads through a connection of its own, so saving goes on meanwhile.
    pub fn for_each_payload(
        &self,
        survey: &str,
        mut f: impl FnMut(&str) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let conn = self.reader()?;
        // rowid breaks ties between responses received in the same millisecond (one batch).
        let mut stmt = conn.prepare(
            "SELECT payload FROM responses WHERE survey = ?1 ORDER BY received_at, rowid",
        )?;
        let mut rows = stmt.query([survey])?;
        while let Some(row) = rows.next()? {
            let payload: String = row.get(0)?;
            if f(&payload).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// How many responses are stored, to all surveys.
    pub fn count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .writer()
            .query_row("SELECT count(*) FROM responses", [], |row| row.get(0))?;
        Ok(n.max(0) as u64)
    }
}

/// Saves every call's responses in one transaction; one list of outcomes per call.
fn save_group(
    conn: &mut Connection,
    group: &[Arc<Pending>],
) -> Result<Vec<Vec<Saved>>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(group.len());
    {
        let mut find = tx.prepare_cached("SELECT payload FROM responses WHERE id = ?1")?;
        let mut insert = tx.prepare_cached(&format!(
            "INSERT INTO responses (id, survey, version, site, payload, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
        ))?;
        for pending in group {
            let mut saved = Vec::with_capacity(pending.responses.len());
            for r in &pending.responses {
                let stored: Option<String> =
                    find.query_row([&r.id], |row| row.get(0)).optional()?;
                saved.push(match stored {
                    Some(payload) if payload == r.payload => Saved::Duplicate,
                    Some(_) => Saved::Conflict,
                    None => {
                        insert.execute(params![r.id, r.survey, r.version, r.site, r.payload])?;
                        Saved::Stored
                    }
                });
            }
            outcomes.push(saved);
        }
    }
    tx.commit()?;
    Ok(outcomes)
}
