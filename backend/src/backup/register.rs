//! The backup register: what `mutu backup` made and what each verification found, each written
//! in one transaction with its audit entry; and `GET /api/admin/backups`, where the admin reads
//! it.

use super::archive::Manifest;
use crate::audit::{Actor, Entry, append};
use crate::auth::AuthUser;
use crate::db::{WriteTx, now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::Action;
use domain::api::ErrorBody;
use domain::audit::AuditAction;
use domain::backups::{BackupCheck, BackupEntry};
use entity::{backup_checks, backups};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Backups the admin's list shows, newest first.
pub const LISTED: u64 = 50;

/// `made`: taken of this database. `restored`: this database was restored from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Made,
    Restored,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Made => "made",
            Origin::Restored => "restored",
        }
    }
}

/// What a verification found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `verify` or `restore`.
    pub kind: &'static str,
    pub problem: Option<String>,
    pub rows_total: u64,
}

fn made_at(manifest: &Manifest) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&manifest.made_at).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| now())
}

/// Adds the archive to the register in `txn`, with its audit entry (`backup.made` or, with the
/// restore's check, `backup.restored`). Returns the register's id.
pub async fn add(
    txn: &WriteTx,
    origin: Origin,
    manifest: &Manifest,
    manifest_sha256: &str,
    file: &str,
    size: u64,
) -> ApiResult<i32> {
    let rows_total = i64::try_from(manifest.rows_total()).unwrap_or(i64::MAX);
    let row = backups::ActiveModel {
        archive_id: Set(manifest.archive_id.clone()),
        origin: Set(origin.as_str().to_owned()),
        made_at: Set(made_at(manifest)),
        file_name: Set(file.to_owned()),
        size_bytes: Set(i64::try_from(size).unwrap_or(i64::MAX)),
        manifest_sha256: Set(manifest_sha256.to_owned()),
        mutu_version: Set(manifest.mutu_version.clone()),
        schema_version: Set(manifest.schema_version.clone()),
        audit_seq: Set(manifest.audit.seq),
        audit_head: Set(manifest.audit.head.clone()),
        tables: Set(i32::try_from(manifest.parts.len()).unwrap_or(i32::MAX)),
        rows_total: Set(rows_total),
        recorded_at: Set(now()),
        ..Default::default()
    };
    let id = backups::Entity::insert(row).exec(&**txn).await?.last_insert_id;
    if origin == Origin::Made {
        let entry = Entry {
            actor: &Actor::system(),
            action: AuditAction::BackupMade,
            entity: "backup",
            entity_id: Some(manifest.archive_id.clone()),
            payload: json!({
                "file": file, "size_bytes": size, "manifest_sha256": manifest_sha256,
                "audit_seq": manifest.audit.seq, "audit_head": manifest.audit.head, "rows_total": rows_total,
            }),
        };
        append(txn, entry).await?;
    }
    Ok(id)
}

/// Records a verification of the registered backup `backup_id` in `txn`, with its audit entry
/// (`backup.verified` or `backup.restored`).
pub async fn check(txn: &WriteTx, backup_id: i32, archive_id: &str, outcome: &Outcome) -> ApiResult<()> {
    let rows_total = i64::try_from(outcome.rows_total).unwrap_or(i64::MAX);
    let row = backup_checks::ActiveModel {
        backup_id: Set(backup_id),
        kind: Set(outcome.kind.to_owned()),
        checked_at: Set(now()),
        ok: Set(outcome.problem.is_none()),
        problem: Set(outcome.problem.clone()),
        rows_total: Set(rows_total),
        ..Default::default()
    };
    backup_checks::Entity::insert(row).exec_without_returning(&**txn).await?;
    let action = if outcome.kind == "restore" { AuditAction::BackupRestored } else { AuditAction::BackupVerified };
    let entry = Entry {
        actor: &Actor::system(),
        action,
        entity: "backup",
        entity_id: Some(archive_id.to_owned()),
        payload: json!({ "ok": outcome.problem.is_none(), "problem": outcome.problem, "rows_total": rows_total }),
    };
    append(txn, entry).await?;
    Ok(())
}

/// Records a `mutu backup --verify` in this database's register, if the register holds the
/// archive. Returns whether it did.
pub async fn record_verification(state: &AppState, archive_id: &str, outcome: &Outcome) -> ApiResult<bool> {
    let txn = state.db.write().await?;
    let Some(backup) = backups::Entity::find().filter(backups::Column::ArchiveId.eq(archive_id)).one(&*txn).await?
    else {
        return Ok(false);
    };
    check(&txn, backup.id, archive_id, outcome).await?;
    txn.commit().await?;
    Ok(true)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The backup register, newest first (admin only; 404 for everyone else): each backup made of
/// this database (or the one it was restored from) with its latest verification.
#[utoipa::path(get, path = "/admin/backups", tag = "admin",
    responses((status = 200, body = Vec<BackupEntry>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn list(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<Vec<BackupEntry>>> {
    if !auth.may(Action::ViewBackups) {
        return Err(ApiError::NotFound);
    }
    let db = &state.db.conn;
    let rows = backups::Entity::find().order_by_desc(backups::Column::Id).limit(LISTED).all(db).await?;
    let ids: Vec<i32> = rows.iter().map(|b| b.id).collect();
    let mut last: HashMap<i32, backup_checks::Model> = HashMap::new();
    for check in backup_checks::Entity::find()
        .filter(backup_checks::Column::BackupId.is_in(ids))
        .order_by_asc(backup_checks::Column::Id)
        .all(db)
        .await?
    {
        last.insert(check.backup_id, check);
    }
    Ok(axum::Json(
        rows.into_iter()
            .map(|b| BackupEntry {
                id: b.id.into(),
                last_check: last.remove(&b.id).map(|c| BackupCheck {
                    kind: c.kind,
                    checked_at: timestamp(c.checked_at),
                    ok: c.ok,
                    problem: c.problem,
                    rows_total: c.rows_total,
                }),
                archive_id: b.archive_id,
                origin: b.origin,
                made_at: timestamp(b.made_at),
                file_name: b.file_name,
                size_bytes: b.size_bytes,
                manifest_sha256: b.manifest_sha256,
                mutu_version: b.mutu_version,
                schema_version: b.schema_version,
                audit_seq: b.audit_seq,
                audit_head: b.audit_head,
                tables: b.tables,
                rows_total: b.rows_total,
            })
            .collect(),
    ))
}
