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
    // 3: accounts and roles, API tokens, login sessions, enrolled devices, the audit log.
    // The admin token of version 1 becomes an API token of a first admin, `admin`, who has
    // no password until one is set (`voci user password admin`).
    "CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'viewer')),
        -- Argon2id, as a PHC string; NULL: no password, API tokens only.
        password TEXT,
        created_at TEXT NOT NULL
    );
    -- What a coordinator or viewer may see: surveys by id, sites by path (and below).
    -- None of a kind: all of that kind.
    CREATE TABLE user_scopes (
        user_id INTEGER NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL CHECK (kind IN ('survey', 'site')),
        value TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, value)
    );
    CREATE TABLE api_tokens (
        -- SHA-256 of the token, in hex; the token itself is never stored.
        hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        label TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE login_sessions (
        -- SHA-256 of the cookie's value.
        hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE enrolments (
        id INTEGER PRIMARY KEY,
        -- SHA-256 of the enrolment code.
        code TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        -- The survey ids enrolled devices may submit to, as a JSON array.
        surveys TEXT NOT NULL,
        max_devices INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        -- SHA-256 of the device token.
        token TEXT NOT NULL UNIQUE,
        enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        -- `user:anna`, `device:3`, `cli`, `anonymous`.
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    INSERT INTO users (name, role, password, created_at)
        SELECT 'admin', 'admin', NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE EXISTS (SELECT 1 FROM admin_tokens);
    INSERT INTO api_tokens (hash, user_id, label, created_at)
        SELECT hash, (SELECT id FROM users WHERE name = 'admin'), 'admin token',
               coalesce(created_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        FROM admin_tokens;
    DROP TABLE admin_tokens;",
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
