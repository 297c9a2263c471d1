//! Stored focus-group sessions, read back by guide and site, in order of date.

use std::ops::ControlFlow;

use rusqlite::OptionalExtension;

use super::{Store, StoreError};
use crate::accounts::within;

impl Store {
    /// Calls `f` with the payload of every session run with `guide` (any version), at one of
    /// `sites` or below it (`ambito-5/melzo` takes `ambito-5/melzo/ic-mascagni` too; no sites:
    /// every site), in order of date, then of receipt, until it breaks. Reads through a
    /// connection of its own.
    pub fn for_each_session(
        &self,
        guide: &str,
        sites: &[String],
        mut f: impl FnMut(&str) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare(
            "SELECT site, payload FROM sessions WHERE guide = ?1
             ORDER BY date, received_at, rowid",
        )?;
        let mut rows = stmt.query([guide])?;
        while let Some(row) = rows.next()? {
            let site: String = row.get(0)?;
            if !sites.is_empty() && !sites.iter().any(|s| within(&site, s)) {
                continue;
            }
            let payload: String = row.get(1)?;
            if f(&payload).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// The payload of the session `id`, if it is stored.
    pub fn session(&self, id: &str) -> Result<Option<String>, StoreError> {
        let conn = self.reader()?;
        let payload = conn
            .query_row("SELECT payload FROM sessions WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?;
        Ok(payload)
    }

    /// How many sessions are stored, of all guides.
    pub fn session_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .writer()
            .query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))?;
        Ok(n.max(0) as u64)
    }
}
