//! `GET /api/audit`: the audit log, newest first, a page at a time (admins only).

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::query::Query;
use super::{ApiError, blocking};
use crate::startup::AppState;
use crate::store::AuditRecord;

/// `?before=ID&limit=N`: the records older than `before`, at most `limit` (100 unless said,
/// at most 1000).
#[derive(Debug, Deserialize)]
pub struct Page {
    before: Option<i64>,
    limit: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct AuditPage {
    records: Vec<AuditRecord>,
    /// Pass as `before` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<axum::Json<AuditPage>, ApiError> {
    let limit = page.limit.unwrap_or(100).clamp(1, 1000);
    let before = page.before;
    let records = blocking(&state, move |store| store.audit_page(before, limit)).await?;
    let next = (records.len() == limit as usize)
        .then(|| records.last().map(|r| r.id))
        .flatten();
    Ok(axum::Json(AuditPage { records, next }))
}
