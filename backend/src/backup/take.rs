//! `mutu backup --to FILE`: every table read in one snapshot, streamed into the archive, and
//! the archive entered in the register.

use super::archive::{AuditMark, FORMAT, FORMAT_VERSION, Manifest, Part, Writer, part_file};
use super::{register, tables};
use crate::db::{now, timestamp};
use crate::state::AppState;
use anyhow::{Context, bail};
use entity::audit_head;
use sea_orm::{AccessMode, ConnectionTrait, DatabaseBackend, EntityTrait, IsolationLevel, Statement, TransactionTrait};
use std::path::{Path, PathBuf};

/// What [`backup`] made.
#[derive(Debug)]
pub struct Made {
    pub manifest: Manifest,
    pub manifest_sha256: String,
    pub size: u64,
}

/// Removes a file when dropped, unless disarmed: a backup that fails leaves nothing behind.
struct Unfinished(Option<PathBuf>);

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Takes a backup of `state`'s database into `to` (which must not exist yet) and enters it in
/// the register. Writes go on meanwhile; the archive holds the database as it was at one instant.
pub async fn backup(state: &AppState, to: &Path) -> anyhow::Result<Made> {
    if to.exists() {
        bail!("{} exists already: a backup never overwrites a file", to.display());
    }
    let mut partial = to.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut writer = Writer::create(&partial)?;
    let mut unfinished = Unfinished(Some(partial.clone()));

    let db = &state.db;
    let txn = match db.backend() {
        DatabaseBackend::Postgres => {
            db.conn.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
        }
        _ => db.conn.begin().await?,
    };
    // SQLite's snapshot starts at the first read: this one. Every read after it sees the same.
    let schema = txn
        .query_one_raw(Statement::from_string(
            db.backend(),
            "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
        ))
        .await?
        .and_then(|row| row.try_get::<String>("", "version").ok())
        .context("the database has no applied migrations")?;
    let made_at = timestamp(now());
    let head = audit_head::Entity::find_by_id(1).one(&txn).await?.context("the audit_head row is missing")?;
    let mut parts = Vec::with_capacity(tables::TABLES.len());
    for table in tables::TABLES {
        writer.start_part(table)?;
        tables::dump(table, &txn, &mut writer).await?;
        let (rows, bytes, sha256) = writer.end_part()?;
        let columns = tables::columns(table).unwrap_or_default().into_iter().map(str::to_owned).collect();
        parts.push(Part { table: (*table).to_owned(), file: part_file(table), columns, rows, bytes, sha256 });
    }
    txn.rollback().await?;

    let mut excluded: Vec<String> = tables::EXCLUDED.iter().map(|(t, _)| (*t).to_owned()).collect();
    excluded.extend(tables::EXCLUDED_SETTINGS.iter().map(|k| format!("settings.{k}")));
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        archive_id: uuid::Uuid::new_v4().to_string(),
        mutu_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: schema,
        made_at,
        engine: engine_name(db.backend()).to_owned(),
        audit: AuditMark {
            seq: head.seq,
            head: head.hash,
            chain_id: head.chain_id,
            key_id: state.audit.key.id().to_owned(),
        },
        excluded,
        parts,
    };
    let manifest_sha256 = writer.finish(&manifest, &state.audit.key)?;
    if to.exists() {
        bail!("{} appeared while the backup was written: the backup was not put there", to.display());
    }
    std::fs::rename(&partial, to).with_context(|| format!("cannot move the backup to {}", to.display()))?;
    unfinished.0 = None;
    let size = std::fs::metadata(to)?.len();

    let file = std::path::absolute(to).unwrap_or_else(|_| to.to_path_buf()).display().to_string();
    let txn = db.write().await?;
    register::add(&txn, register::Origin::Made, &manifest, &manifest_sha256, &file, size).await?;
    txn.commit().await?;
    Ok(Made { manifest, manifest_sha256, size })
}

fn engine_name(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "postgres",
        _ => "sqlite",
    }
}
