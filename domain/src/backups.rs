//! The backup register as the admin reads it (`GET /api/admin/backups`, issue 15 item 5): each
//! archive `mutu backup` made, or the one this database was restored from, with its last
//! verification.

use serde::{Deserialize, Serialize};

/// One registered backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupEntry {
    pub id: i64,
    /// The archive's id (its manifest's `archive_id`).
    pub archive_id: String,
    /// `made` (by `mutu backup` on this database) or `restored` (this database was restored
    /// from it).
    pub origin: String,
    /// When its snapshot was taken (RFC 3339, UTC).
    pub made_at: String,
    pub file_name: String,
    pub size_bytes: i64,
    /// SHA-256 of its manifest, which holds the SHA-256 of every part.
    pub manifest_sha256: String,
    pub mutu_version: String,
    /// The last migration of the schema it holds.
    pub schema_version: String,
    /// The audit chain's length and head hash in the snapshot.
    pub audit_seq: i64,
    pub audit_head: String,
    pub tables: i32,
    pub rows_total: i64,
    /// Its latest verification, if it has been verified (or restored) at all.
    pub last_check: Option<BackupCheck>,
}

/// A verification of a backup: `verify` (into a scratch database) or `restore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupCheck {
    pub kind: String,
    pub checked_at: String,
    pub ok: bool,
    /// Why it failed, in one line.
    pub problem: Option<String>,
    pub rows_total: i64,
}
