//! The database (SQLite): the only module that speaks SQL.
//!
//! Every function here blocks; handlers call them through `tokio::task::spawn_blocking`.
//! Writes go through one connection behind a mutex (SQLite allows one writer at a time anyway);
//! batches saved at the same time share a transaction (group commit, see `save`), whatever
//! they hold: survey responses (`responses`) or focus-group sessions (`sessions`).
//! Downloads read through connections of their own, which WAL lets run beside the writer.

mod accounts;
mod audit;
mod devices;
mod responses;
mod save;
mod schema;
mod sessions;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use accounts::{NewUser, UserChange, UserRecord};
pub use audit::{AuditEntry, AuditRecord};
pub use devices::{DeviceRecord, Enrolled, NewEnrolment};
pub use responses::ResponseFilter;
use save::Pending;
pub use save::{Kind, NewRecord, NewResponse, NewSession, Saved};

/// How long a connection waits for another one's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "the database {} has schema version {found}, but this voci knows only up to {known}; use a newer voci",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("database error")]
    Sql(#[from] rusqlite::Error),
}

/// The collector's database file.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Saves waiting for the writer, to be committed together by whoever gets it next.
    pending: Mutex<Vec<Arc<Pending>>>,
}

impl Store {
    /// Opens (creating it if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // WAL lets downloads read while responses are written.
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(open_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(
                "the database {} is not in WAL mode ({mode})",
                path.display()
            );
        }
        // FULL, not NORMAL: with WAL, NORMAL skips the sync at each commit, so the last commits
        // can be lost on power failure. The app deletes its copy of a response as soon as we
        // acknowledge it, so an acknowledged response must survive a power cut. The cost is one
        // fsync per commit (a batch is one commit).
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_error)?;
        schema::migrate(&mut conn, path)?;
        Ok(Store {
            path: path.to_owned(),
            writer: Mutex::new(conn),
            pending: Mutex::new(Vec::new()),
        })
    }

    /// The writing connection. A panic while it was held rolled back any open transaction
    /// (transactions roll back on drop), so the connection is still good after poisoning.
    fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
    }

    /// A new read-only connection, for reads that may take long.
    fn reader(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(conn)
    }
}

/// Locks a mutex, also after a panic elsewhere: what these mutexes guard stays consistent (an
/// open transaction rolls back when dropped).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The current time as SQLite writes it: RFC 3339 in UTC, with milliseconds.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

#[cfg(test)]
mod tests;
