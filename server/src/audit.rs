//! The audit log's entries: who logged in (or failed to), who downloaded what and when, who
//! changed users, devices or enrolments. Stored by `store` in an append-only table; admins
//! read it at `GET /api/audit`.

use crate::accounts::Principal;
use crate::api::{ApiError, blocking};
use crate::startup::AppState;
use crate::store::AuditEntry;

/// The fixed words of the log's `action` column.
pub mod action {
    pub const LOGIN: &str = "login";
    pub const LOGIN_FAILED: &str = "login_failed";
    pub const DOWNLOAD: &str = "download";
    pub const IMPORT: &str = "import";
    pub const USER_ADDED: &str = "user_added";
    pub const USER_REMOVED: &str = "user_removed";
    pub const PASSWORD_SET: &str = "password_set";
    pub const TOKEN_ADDED: &str = "token_added";
    pub const ENROLMENT_ADDED: &str = "enrolment_added";
    pub const ENROLMENT_REVOKED: &str = "enrolment_revoked";
    pub const DEVICE_REVOKED: &str = "device_revoked";
    pub const SURVEYS_LOADED: &str = "surveys_loaded";
}

/// An entry by `actor`.
pub fn entry(
    actor: impl Into<String>,
    action: &str,
    target: impl Into<String>,
    detail: impl Into<String>,
) -> AuditEntry {
    AuditEntry {
        actor: actor.into(),
        action: action.to_owned(),
        target: target.into(),
        detail: detail.into(),
    }
}

/// Appends what `who` did before it is done: a download is not served unless its record is
/// stored.
pub async fn record(
    state: &AppState,
    who: &Principal,
    action: &str,
    target: impl Into<String>,
    detail: impl Into<String>,
) -> Result<(), ApiError> {
    let e = entry(who.actor(), action, target, detail);
    blocking(state, move |store| store.append_audit(&e)).await
}

/// Records the survey and guide versions a start loaded, when they differ from the last
/// start's: survey files change outside the collector, so the log notes each change it sees.
pub fn record_catalog(
    store: &crate::store::Store,
    catalog: &crate::catalog::Catalog,
) -> Result<(), crate::store::StoreError> {
    let mut loaded: Vec<String> = catalog
        .surveys()
        .iter()
        .map(|s| format!("survey {}@{}", s.id, s.version))
        .chain(
            catalog
                .guides()
                .iter()
                .map(|g| format!("guide {}@{}", g.id, g.version)),
        )
        .collect();
    loaded.sort();
    let detail = loaded.join(", ");
    if store.last_audit_detail(action::SURVEYS_LOADED)?.as_deref() == Some(detail.as_str()) {
        return Ok(());
    }
    store.append_audit(&entry("cli", action::SURVEYS_LOADED, "surveys/", detail))
}
