//! Stored responses: idempotent saving and reading back in order of receipt.

use std::ops::ControlFlow;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{NOW, Store, StoreError};

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

impl Store {
    /// Saves responses in one transaction, committed before this returns, and says what
    /// happened to each, in order. A response whose id is stored already (or earlier in
    /// `responses`) is a duplicate when its payload is the same, else a conflict; stored
    /// responses are never overwritten.
    pub fn save_all(&self, responses: &[NewResponse]) -> Result<Vec<Saved>, StoreError> {
        if responses.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(responses.len());
        {
            let mut find = tx.prepare_cached("SELECT payload FROM responses WHERE id = ?1")?;
            let mut insert = tx.prepare_cached(&format!(
                "INSERT INTO responses (id, survey, version, site, payload, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
            ))?;
            for r in responses {
                let stored: Option<String> =
                    find.query_row([&r.id], |row| row.get(0)).optional()?;
                outcomes.push(match stored {
                    Some(payload) if payload == r.payload => Saved::Duplicate,
                    Some(_) => Saved::Conflict,
                    None => {
                        insert.execute(params![r.id, r.survey, r.version, r.site, r.payload])?;
                        Saved::Stored
                    }
                });
            }
        }
        tx.commit()?;
        Ok(outcomes)
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
