//! Stored survey responses, read back in order of receipt.

use std::ops::ControlFlow;

use super::{Store, StoreError};

impl Store {
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
