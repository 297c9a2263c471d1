//! Stored survey responses, read back in order of receipt.

use std::ops::ControlFlow;

use super::{Store, StoreError};

/// Which responses of a survey to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFilter {
    pub survey: String,
    /// Only these versions; all when `None`.
    pub versions: Option<Vec<String>>,
    /// Only at these sites or below them (any of them); everywhere when `None`.
    pub sites: Option<Vec<String>>,
    /// Submitted on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Submitted on or before this day (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Only this class or group label (a classroom session's), exactly as recorded.
    pub group: Option<String>,
}

impl Store {
    /// Calls `f` with the payload of every response `filter` selects, in order of receipt,
    /// until it breaks. Reads through a connection of its own.
    pub fn for_each_response(
        &self,
        filter: &ResponseFilter,
        mut f: impl FnMut(&str) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let conn = self.reader()?;
        // Sites are whole-segment prefixes: `melzo` must not take `melzo-est`. Dates are the
        // day the respondent submitted (`submitted_at` starts with it), not of receipt.
        let mut stmt = conn.prepare_cached(
            "SELECT payload FROM responses
             WHERE survey = ?1
               AND (?2 IS NULL OR version IN (SELECT value FROM json_each(?2)))
               AND (?3 IS NULL OR EXISTS (
                    SELECT 1 FROM json_each(?3) s
                    WHERE site = s.value OR substr(site, 1, length(s.value) + 1) = s.value || '/'))
               AND (?4 IS NULL OR substr(json_extract(payload, '$.submitted_at'), 1, 10) >= ?4)
               AND (?5 IS NULL OR substr(json_extract(payload, '$.submitted_at'), 1, 10) <= ?5)
               AND (?6 IS NULL OR json_extract(payload, '$.group') = ?6)
             ORDER BY received_at, rowid",
        )?;
        let json = |list: &Option<Vec<String>>| {
            list.as_ref()
                .map(|l| serde_json::to_string(l).expect("strings serialise"))
        };
        let mut rows = stmt.query(rusqlite::params![
            filter.survey,
            json(&filter.versions),
            json(&filter.sites),
            filter.from,
            filter.to,
            filter.group,
        ])?;
        while let Some(row) = rows.next()? {
            // Borrowed from SQLite's row: no copy per response.
            let payload = row.get_ref(0)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
            })?;
            if f(payload).is_break() {
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
