//! Users, their scopes, API tokens and login sessions. Secrets (tokens, cookies) are stored
//! only as SHA-256 hashes, passwords only as Argon2 hashes; every change to a user is written
//! with its audit record in one transaction.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::audit::{AuditEntry, append};
use super::{NOW, Store, StoreError};

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub name: String,
    /// `admin`, `coordinator` or `viewer`.
    pub role: String,
    /// The Argon2 hash (PHC string), when the user has a password.
    pub password: Option<String>,
    /// Survey ids; none: every survey.
    pub surveys: Vec<String>,
    /// Site paths; none: every site.
    pub sites: Vec<String>,
    pub created_at: String,
}

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub role: String,
    pub password: Option<String>,
    pub surveys: Vec<String>,
    pub sites: Vec<String>,
}

/// Why a change to users was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserChange {
    Done,
    /// There is no such user.
    Unknown,
    /// Adding: the name is taken.
    Taken,
    /// Removing or demoting: it is the last admin.
    LastAdmin,
}

impl Store {
    /// Adds `user`, with an API token when `token_hash` is given, and records `audit`.
    pub fn add_user(
        &self,
        user: &NewUser,
        token_hash: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<UserChange, StoreError> {
        self.write(|tx| {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)",
                [&user.name],
                |row| row.get(0),
            )?;
            if taken {
                return Ok(UserChange::Taken);
            }
            let id = insert_user(tx, user)?;
            if let Some(hash) = token_hash {
                insert_token(tx, id, hash, "api token")?;
            }
            append(tx, audit)?;
            Ok(UserChange::Done)
        })
    }

    /// Removes the user `name` with their tokens and sessions, unless it is the last admin.
    pub fn remove_user(&self, name: &str, audit: &AuditEntry) -> Result<UserChange, StoreError> {
        self.write(|tx| {
            let Some((id, role)) = tx
                .query_row(
                    "SELECT id, role FROM users WHERE name = ?1",
                    [name],
                    |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
                )
                .optional()?
            else {
                return Ok(UserChange::Unknown);
            };
            if role == "admin" && admin_count(tx)? <= 1 {
                return Ok(UserChange::LastAdmin);
            }
            for table in ["api_tokens", "login_sessions", "user_scopes"] {
                tx.execute(&format!("DELETE FROM {table} WHERE user_id = ?1"), [id])?;
            }
            tx.execute("DELETE FROM users WHERE id = ?1", [id])?;
            append(tx, audit)?;
            Ok(UserChange::Done)
        })
    }

    /// Sets the password hash of `name` and ends their login sessions.
    pub fn set_password(
        &self,
        name: &str,
        hash: &str,
        audit: &AuditEntry,
    ) -> Result<UserChange, StoreError> {
        self.change_user(name, audit, |tx, id| {
            tx.execute(
                "UPDATE users SET password = ?1 WHERE id = ?2",
                params![hash, id],
            )?;
            tx.execute("DELETE FROM login_sessions WHERE user_id = ?1", [id])?;
            Ok(())
        })
    }

    /// Adds an API token for `name`.
    pub fn add_token(
        &self,
        name: &str,
        hash: &str,
        audit: &AuditEntry,
    ) -> Result<UserChange, StoreError> {
        self.change_user(name, audit, |tx, id| {
            insert_token(tx, id, hash, "api token")
        })
    }

    /// Runs `change` on the user `name` and appends `audit`, in one transaction.
    fn change_user(
        &self,
        name: &str,
        audit: &AuditEntry,
        change: impl FnOnce(&Transaction<'_>, i64) -> Result<(), rusqlite::Error>,
    ) -> Result<UserChange, StoreError> {
        self.write(|tx| {
            let Some(id) = user_id(tx, name)? else {
                return Ok(UserChange::Unknown);
            };
            change(tx, id)?;
            append(tx, audit)?;
            Ok(UserChange::Done)
        })
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let conn = self.writer();
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, role, password, created_at FROM users ORDER BY name",
        )?;
        let users = stmt
            .query_map([], user_row)?
            .collect::<Result<Vec<_>, _>>()?;
        drop(stmt);
        users
            .into_iter()
            .map(|u| with_scopes(&conn, u))
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    pub fn user(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        let conn = self.writer();
        let user = conn
            .query_row(
                "SELECT id, name, role, password, created_at FROM users WHERE name = ?1",
                [name],
                user_row,
            )
            .optional()?;
        Ok(match user {
            Some(u) => Some(with_scopes(&conn, u)?),
            None => None,
        })
    }

    /// The user whose API token hashes to `hash`.
    pub fn user_by_token(&self, hash: &str) -> Result<Option<UserRecord>, StoreError> {
        self.user_where(
            "SELECT u.id, u.name, u.role, u.password, u.created_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?1",
            hash,
        )
    }

    /// The user of the unexpired login session whose cookie hashes to `hash`.
    pub fn user_by_session(&self, hash: &str) -> Result<Option<UserRecord>, StoreError> {
        self.user_where(
            &format!(
                "SELECT u.id, u.name, u.role, u.password, u.created_at
                 FROM login_sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.hash = ?1 AND s.expires_at > {NOW}"
            ),
            hash,
        )
    }

    fn user_where(&self, sql: &str, key: &str) -> Result<Option<UserRecord>, StoreError> {
        let conn = self.writer();
        let user = conn
            .prepare_cached(sql)?
            .query_row([key], user_row)
            .optional()?;
        Ok(match user {
            Some(u) => Some(with_scopes(&conn, u)?),
            None => None,
        })
    }

    /// Starts a login session for user `id` that lasts `minutes`, recording `audit`.
    pub fn add_login_session(
        &self,
        user: i64,
        hash: &str,
        minutes: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            // Expired sessions are of no use to anyone: clear them as new ones come.
            tx.execute(
                &format!("DELETE FROM login_sessions WHERE expires_at <= {NOW}"),
                [],
            )?;
            tx.execute(
                &format!(
                    "INSERT INTO login_sessions (hash, user_id, created_at, expires_at)
                     VALUES (?1, ?2, {NOW},
                             strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?3 || ' seconds'))"
                ),
                params![hash, user, (minutes * 60).to_string()],
            )?;
            append(tx, audit)
        })
    }

    /// Ends the login session whose cookie hashes to `hash`.
    pub fn remove_login_session(&self, hash: &str) -> Result<(), StoreError> {
        self.writer()
            .execute("DELETE FROM login_sessions WHERE hash = ?1", [hash])?;
        Ok(())
    }

    /// On a database without users, adds the first admin (`name`, with `password` if given)
    /// and the API token `token_hash`; says whether it did.
    pub fn add_first_admin(
        &self,
        name: &str,
        password: Option<&str>,
        token_hash: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            let users: i64 = tx.query_row("SELECT count(*) FROM users", [], |row| row.get(0))?;
            if users > 0 {
                return Ok(false);
            }
            let user = NewUser {
                name: name.to_owned(),
                role: "admin".to_owned(),
                password: password.map(str::to_owned),
                surveys: Vec::new(),
                sites: Vec::new(),
            };
            let id = insert_user(tx, &user)?;
            insert_token(tx, id, token_hash, "admin token")?;
            append(tx, audit)?;
            Ok(true)
        })
    }

    /// `voci token reset`: the first admin's API tokens are replaced by `token_hash`. Adds an
    /// admin `admin` when there is no admin. Returns the admin's name.
    pub fn reset_admin_token(
        &self,
        token_hash: &str,
        audit: &AuditEntry,
    ) -> Result<String, StoreError> {
        self.write(|tx| {
            let first = tx
                .query_row(
                    "SELECT id, name FROM users WHERE role = 'admin' ORDER BY id LIMIT 1",
                    [],
                    |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
                )
                .optional()?;
            let (id, name) = match first {
                Some(found) => found,
                None => {
                    let user = NewUser {
                        name: "admin".to_owned(),
                        role: "admin".to_owned(),
                        password: None,
                        surveys: Vec::new(),
                        sites: Vec::new(),
                    };
                    (insert_user(tx, &user)?, user.name)
                }
            };
            tx.execute("DELETE FROM api_tokens WHERE user_id = ?1", [id])?;
            insert_token(tx, id, token_hash, "admin token")?;
            append(tx, audit)?;
            Ok(name)
        })
    }

    /// Runs `f` in one immediate transaction on the writer, committed when it returns `Ok`.
    pub(super) fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, rusqlite::Error>,
    ) -> Result<T, StoreError> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

fn insert_user(tx: &Transaction<'_>, user: &NewUser) -> Result<i64, rusqlite::Error> {
    tx.execute(
        &format!("INSERT INTO users (name, role, password, created_at) VALUES (?1, ?2, ?3, {NOW})"),
        params![user.name, user.role, user.password],
    )?;
    let id = tx.last_insert_rowid();
    let scopes = user
        .surveys
        .iter()
        .map(|s| ("survey", s))
        .chain(user.sites.iter().map(|s| ("site", s)));
    for (kind, value) in scopes {
        tx.execute(
            "INSERT OR IGNORE INTO user_scopes (user_id, kind, value) VALUES (?1, ?2, ?3)",
            params![id, kind, value],
        )?;
    }
    Ok(id)
}

fn insert_token(
    tx: &Transaction<'_>,
    user: i64,
    hash: &str,
    label: &str,
) -> Result<(), rusqlite::Error> {
    tx.execute(
        &format!(
            "INSERT INTO api_tokens (hash, user_id, label, created_at) VALUES (?1, ?2, ?3, {NOW})"
        ),
        params![hash, user, label],
    )?;
    Ok(())
}

fn user_id(tx: &Transaction<'_>, name: &str) -> Result<Option<i64>, rusqlite::Error> {
    tx.query_row("SELECT id FROM users WHERE name = ?1", [name], |row| {
        row.get(0)
    })
    .optional()
}

fn admin_count(tx: &Transaction<'_>) -> Result<i64, rusqlite::Error> {
    tx.query_row(
        "SELECT count(*) FROM users WHERE role = 'admin'",
        [],
        |row| row.get(0),
    )
}

fn user_row(row: &rusqlite::Row<'_>) -> Result<UserRecord, rusqlite::Error> {
    Ok(UserRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        role: row.get(2)?,
        password: row.get(3)?,
        created_at: row.get(4)?,
        surveys: Vec::new(),
        sites: Vec::new(),
    })
}

fn with_scopes(
    conn: &rusqlite::Connection,
    mut user: UserRecord,
) -> Result<UserRecord, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, value FROM user_scopes WHERE user_id = ?1 ORDER BY kind, value",
    )?;
    let rows = stmt.query_map([user.id], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (kind, value) = row?;
        if kind == "survey" {
            user.surveys.push(value);
        } else {
            user.sites.push(value);
        }
    }
    Ok(user)
}
