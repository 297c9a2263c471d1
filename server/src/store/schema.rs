//! The database schema and its migrations, numbered by `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Migration `n` takes the schema from version `n` to `n + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: responses and admin tokens.
    "CREATE TABLE responses (
        id TEXT PRIMARY KEY,
        survey TEXT NOT NULL,
        version TEXT NOT NULL,
        site TEXT NOT NULL,
        -- The response's canonical JSON: what resent copies are compared with.
        payload TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE INDEX responses_by_survey ON responses (survey, received_at);
    CREATE TABLE admin_tokens (
        -- SHA-256 of the token, in hex; the token itself is never stored.
        hash TEXT PRIMARY KEY,
        created_at TEXT
    );",
    // 2: focus-group sessions.
    "CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        guide TEXT NOT NULL,
        version TEXT NOT NULL,
        site TEXT NOT NULL,
        -- The day of the session, YYYY-MM-DD.
        date TEXT NOT NULL,
        group_type TEXT NOT NULL,
        -- The session's canonical JSON: what resent copies are compared with.
        payload TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE INDEX sessions_by_guide ON sessions (guide, date, received_at);",
];

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let known = i64::try_from(MIGRATIONS.len()).expect("few migrations");
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > known {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            known,
        });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
