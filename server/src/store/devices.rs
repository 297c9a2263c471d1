//! Enrolment codes and the collection devices enrolled with them. Codes and device tokens
//! are stored only as SHA-256 hashes.

use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{AuditEntry, append};
use super::{NOW, Store, StoreError};

/// An enrolment code to add.
#[derive(Debug, Clone)]
pub struct NewEnrolment {
    pub code_hash: String,
    pub label: String,
    pub surveys: Vec<String>,
    pub max_devices: u32,
    /// How long the code works, from now.
    pub hours: u32,
    pub created_by: String,
}

/// An enrolment code as stored (without the code).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EnrolmentRecord {
    pub id: i64,
    pub label: String,
    pub surveys: Vec<String>,
    pub max_devices: u32,
    /// Devices enrolled with it so far.
    pub devices: u32,
    pub created_by: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// A device as stored (without its token).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeviceRecord {
    pub id: i64,
    pub name: String,
    pub enrolment: i64,
    /// The surveys it may submit to: its enrolment's.
    pub surveys: Vec<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// What exchanging an enrolment code gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolled {
    Device(DeviceRecord),
    /// No such code, or revoked, expired or used up: the caller is told no more than that.
    Refused,
}

const ENROLMENT_COLUMNS: &str = "e.id, e.label, e.surveys, e.max_devices,
    (SELECT count(*) FROM devices d WHERE d.enrolment_id = e.id),
    e.created_by, e.created_at, e.expires_at, e.revoked_at";

const DEVICE_COLUMNS: &str =
    "d.id, d.name, d.enrolment_id, e.surveys, d.created_at, coalesce(d.revoked_at, e.revoked_at)";

impl Store {
    /// Adds an enrolment code; returns its id.
    pub fn add_enrolment(&self, new: &NewEnrolment, audit: &AuditEntry) -> Result<i64, StoreError> {
        let surveys = serde_json::to_string(&new.surveys).expect("strings serialise");
        self.write(|tx| {
            tx.execute(
                &format!(
                    "INSERT INTO enrolments
                     (code, label, surveys, max_devices, created_by, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, {NOW},
                             strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?6 || ' hours'))"
                ),
                params![
                    new.code_hash,
                    new.label,
                    surveys,
                    new.max_devices,
                    new.created_by,
                    new.hours.to_string()
                ],
            )?;
            let id = tx.last_insert_rowid();
            append(tx, audit)?;
            Ok(id)
        })
    }

    pub fn enrolment(&self, id: i64) -> Result<Option<EnrolmentRecord>, StoreError> {
        let conn = self.writer();
        let found = conn
            .query_row(
                &format!("SELECT {ENROLMENT_COLUMNS} FROM enrolments e WHERE e.id = ?1"),
                [id],
                enrolment_row,
            )
            .optional()?;
        Ok(found)
    }

    /// Every enrolment code, newest first.
    pub fn enrolments(&self) -> Result<Vec<EnrolmentRecord>, StoreError> {
        let conn = self.writer();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ENROLMENT_COLUMNS} FROM enrolments e ORDER BY e.id DESC"
        ))?;
        let rows = stmt
            .query_map([], enrolment_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Revokes enrolment `id`: its code stops working, and so do the devices enrolled with
    /// it. Says whether there was such an enrolment.
    pub fn revoke_enrolment(&self, id: i64, audit: &AuditEntry) -> Result<bool, StoreError> {
        self.write(|tx| {
            let changed = tx.execute(
                &format!(
                    "UPDATE enrolments SET revoked_at = {NOW} WHERE id = ?1 AND revoked_at IS NULL"
                ),
                [id],
            )?;
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM enrolments WHERE id = ?1)",
                [id],
                |row| row.get(0),
            )?;
            if changed > 0 {
                append(tx, audit)?;
            }
            Ok(exists)
        })
    }

    /// Exchanges the code hashing to `code_hash` for a device with token `token_hash`, if
    /// the code is unrevoked, unexpired and not used up.
    pub fn enrol_device(
        &self,
        code_hash: &str,
        token_hash: &str,
        name: &str,
    ) -> Result<Enrolled, StoreError> {
        self.write(|tx| {
            let usable: Option<i64> = tx
                .query_row(
                    &format!(
                        "SELECT e.id FROM enrolments e
                         WHERE e.code = ?1 AND e.revoked_at IS NULL AND e.expires_at > {NOW}
                           AND (SELECT count(*) FROM devices d WHERE d.enrolment_id = e.id)
                               < e.max_devices"
                    ),
                    [code_hash],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(enrolment) = usable else {
                return Ok(Enrolled::Refused);
            };
            tx.execute(
                &format!(
                    "INSERT INTO devices (token, enrolment_id, name, created_at)
                     VALUES (?1, ?2, ?3, {NOW})"
                ),
                params![token_hash, enrolment, name],
            )?;
            let id = tx.last_insert_rowid();
            let device = device_by(tx, "d.id = ?1", id)?.expect("just inserted");
            append(
                tx,
                &AuditEntry {
                    actor: "anonymous".to_owned(),
                    action: "device_enrolled".to_owned(),
                    target: format!("device:{id}"),
                    detail: format!("enrolment {enrolment}, name {name:?}"),
                },
            )?;
            Ok(Enrolled::Device(device))
        })
    }

    /// The unrevoked device whose token hashes to `hash` (revoking its enrolment revokes it).
    pub fn device_by_token(&self, hash: &str) -> Result<Option<DeviceRecord>, StoreError> {
        let conn = self.writer();
        let device = conn
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices d JOIN enrolments e ON e.id = d.enrolment_id
                 WHERE d.token = ?1 AND d.revoked_at IS NULL AND e.revoked_at IS NULL"
            ))?
            .query_row([hash], device_row)
            .optional()?;
        Ok(device)
    }

    /// Every device, newest first.
    pub fn devices(&self) -> Result<Vec<DeviceRecord>, StoreError> {
        let conn = self.writer();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices d JOIN enrolments e ON e.id = d.enrolment_id
             ORDER BY d.id DESC"
        ))?;
        let rows = stmt
            .query_map([], device_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Revokes device `id`. Says whether there was such a device.
    pub fn revoke_device(&self, id: i64, audit: &AuditEntry) -> Result<bool, StoreError> {
        self.write(|tx| {
            let changed = tx.execute(
                &format!(
                    "UPDATE devices SET revoked_at = {NOW} WHERE id = ?1 AND revoked_at IS NULL"
                ),
                [id],
            )?;
            if changed > 0 {
                append(tx, audit)?;
            }
            Ok(device_by(tx, "d.id = ?1", id)?.is_some())
        })
    }
}

fn device_by(
    tx: &Transaction<'_>,
    condition: &str,
    key: i64,
) -> Result<Option<DeviceRecord>, rusqlite::Error> {
    tx.query_row(
        &format!(
            "SELECT {DEVICE_COLUMNS} FROM devices d JOIN enrolments e ON e.id = d.enrolment_id
             WHERE {condition}"
        ),
        [key],
        device_row,
    )
    .optional()
}

fn surveys(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn enrolment_row(row: &rusqlite::Row<'_>) -> Result<EnrolmentRecord, rusqlite::Error> {
    Ok(EnrolmentRecord {
        id: row.get(0)?,
        label: row.get(1)?,
        surveys: surveys(&row.get::<_, String>(2)?),
        max_devices: row.get(3)?,
        devices: row.get(4)?,
        created_by: row.get(5)?,
        created_at: row.get(6)?,
        expires_at: row.get(7)?,
        revoked_at: row.get(8)?,
    })
}

fn device_row(row: &rusqlite::Row<'_>) -> Result<DeviceRecord, rusqlite::Error> {
    Ok(DeviceRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        enrolment: row.get(2)?,
        surveys: surveys(&row.get::<_, String>(3)?),
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}
