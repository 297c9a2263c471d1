//! The audit log: appended to, never changed. Triggers in the schema refuse `UPDATE` and
//! `DELETE` on it, and this module has no function that would try.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{NOW, Store, StoreError};

/// What happened, to be appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Who: `user:anna`, `device:3`, `cli`, `anonymous`.
    pub actor: String,
    /// What, as a fixed word: `login`, `login_failed`, `download`, `user_added`, ...
    pub action: String,
    /// On what: a user name, a download's path, an enrolment.
    pub target: String,
    /// More, in words (the query of a download, a role).
    pub detail: String,
}

/// One record of the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub(super) fn append(tx: &Transaction<'_>, entry: &AuditEntry) -> Result<(), rusqlite::Error> {
    tx.execute(
        &format!(
            "INSERT INTO audit (at, actor, action, target, detail) VALUES ({NOW}, ?1, ?2, ?3, ?4)"
        ),
        params![entry.actor, entry.action, entry.target, entry.detail],
    )?;
    Ok(())
}

impl Store {
    /// Appends `entry` on its own (changes append theirs in their own transaction).
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.write(|tx| append(tx, entry))
    }

    /// The detail of the newest record of `action`, if any.
    pub fn last_audit_detail(&self, action: &str) -> Result<Option<String>, StoreError> {
        let conn = self.writer();
        let detail = conn
            .query_row(
                "SELECT detail FROM audit WHERE action = ?1 ORDER BY id DESC LIMIT 1",
                [action],
                |row| row.get(0),
            )
            .optional()?;
        Ok(detail)
    }

    /// Up to `limit` records before the record `before` (all when `None`), newest first.
    pub fn audit_page(
        &self,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, action, target, detail FROM audit
             WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let records = stmt
            .query_map(params![before, limit], |row| {
                Ok(AuditRecord {
                    id: row.get(0)?,
                    at: row.get(1)?,
                    actor: row.get(2)?,
                    action: row.get(3)?,
                    target: row.get(4)?,
                    detail: row.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(records)
    }
}
