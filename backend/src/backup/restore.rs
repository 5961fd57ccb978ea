//! `mutu restore` and `mutu backup --verify`: the archive checked whole, then loaded and
//! verified in one transaction (see `docs/backup.md` for the order of the checks).

use super::archive::{Manifest, Reader};
use super::{register, schema_version, tables};
use crate::audit::key::AuditKey;
use crate::audit::service::{GENESIS, verify_chain};
use crate::db::Db;
use anyhow::{Context, bail};
use entity::audit_head;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, EntityTrait, Statement};
use sea_orm_migration::MigratorTrait;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a restore is being done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `mutu restore`: the target keeps the data, and its register records the restore.
    Restore,
    /// `mutu backup --verify`: a scratch database, thrown away after.
    Verify,
}

/// What a restore loaded and verified.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub manifest_sha256: String,
    pub size: u64,
    pub rows: u64,
    pub audit_entries: i64,
}

/// What is known of an archive when its check fails: the manifest, once it could be read.
#[derive(Debug)]
pub struct Failed {
    pub manifest: Option<Manifest>,
    pub error: anyhow::Error,
}

/// Checks the archive `from` whole, then loads it into the empty database `to_url` (migrating it
/// first) in one transaction, verifies it there and commits. Nothing of the archive is in the
/// target unless every check passed; the target keeps Mutu's empty schema after a failure.
pub async fn restore(from: &Path, to_url: &str, key: Arc<AuditKey>, purpose: Purpose) -> Result<Restored, Failed> {
    let mut reader = match Reader::open(from) {
        Ok(reader) => reader,
        Err(error) => return Err(Failed { manifest: None, error }),
    };
    match load(&mut reader, from, to_url, key, purpose).await {
        Ok(restored) => Ok(restored),
        Err(error) => Err(Failed { manifest: Some(reader.manifest), error }),
    }
}

async fn load(
    reader: &mut Reader,
    from: &Path,
    to_url: &str,
    key: Arc<AuditKey>,
    purpose: Purpose,
) -> anyhow::Result<Restored> {
    let manifest = reader.manifest.clone();
    check_schema(&manifest)?;
    reader.check_signature(&key)?;
    check_tables(&manifest)?;
    // Every part's hash, length and count before anything is loaded.
    for part in &manifest.parts {
        reader.check_part(part)?;
    }
    ensure_empty(to_url).await?;

    let db = Db::connect(to_url).await?.with_audit_key(key.clone());
    let backend = db.backend();
    let txn = db.write().await?;
    // The migrations seed the first W-04 checklist; the archive holds it (or its successor).
    txn.execute_unprepared("DELETE FROM checklist_versions").await?;
    for part in &manifest.parts {
        let table = part.table.as_str();
        let mut lines = reader.part(part)?;
        let mut batch: Vec<Vec<Json>> = Vec::new();
        let mut gathered = 0usize;
        while let Some(line) = lines.next_line()? {
            let row: Vec<Json> = serde_json::from_slice(line)
                .with_context(|| format!("part {}: a line that is not a JSON array", part.file))?;
            if table == "audit_head" {
                // The migrations made the one head row; it takes the archive's values.
                tables::update(table, None, &*txn, &row).await?;
                continue;
            }
            gathered += line.len();
            batch.push(row);
            if batch.len() >= tables::INSERT_ROWS || gathered >= tables::INSERT_BYTES {
                tables::insert(table, &*txn, std::mem::take(&mut batch)).await?;
                gathered = 0;
            }
        }
        tables::insert(table, &*txn, batch).await?;
        lines.finish()?;
    }
    for (table, column) in tables::DEFERRED {
        let part = manifest.parts.iter().find(|p| p.table == *table).context("a deferred column's part")?;
        let mut lines = reader.part(part)?;
        while let Some(line) = lines.next_line()? {
            let row: Vec<Json> = serde_json::from_slice(line)?;
            tables::update(table, Some(&[column]), &*txn, &row).await?;
        }
        lines.finish()?;
    }
    if backend == DatabaseBackend::Postgres {
        for table in tables::TABLES {
            if let Some(column) = tables::serial_column(table) {
                txn.execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                     COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                ))
                .await?;
            }
        }
    }

    // Verification, inside the transaction: a failure rolls everything back.
    for part in &manifest.parts {
        let count = txn
            .query_one_raw(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {}", part.table)))
            .await?
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(-1);
        if u64::try_from(count).ok() != Some(part.rows) {
            bail!("after loading, {} has {count} rows and the manifest says {}", part.table, part.rows);
        }
    }
    if backend == DatabaseBackend::Sqlite {
        let broken = txn.query_all_raw(Statement::from_string(backend, "PRAGMA foreign_key_check")).await?;
        if let Some(row) = broken.first() {
            let table = row.try_get::<String>("", "table").unwrap_or_default();
            let parent = row.try_get::<String>("", "parent").unwrap_or_default();
            bail!("after loading, {} rows break a foreign key (the first: {table} → {parent})", broken.len());
        }
        let integrity = txn.query_all_raw(Statement::from_string(backend, "PRAGMA integrity_check")).await?;
        let verdict: Vec<String> = integrity.iter().filter_map(|r| r.try_get_by_index::<String>(0).ok()).collect();
        if verdict != ["ok"] {
            bail!("the integrity check of the restored database failed: {}", verdict.join("; "));
        }
    }
    // PostgreSQL checked every foreign key as each statement ran (none is deferrable).
    let chain =
        verify_chain(&*txn, &key, &[]).await.map_err(|e| anyhow::anyhow!("replaying the audit chain: {e:?}"))?;
    if !chain.ok {
        bail!(
            "the audit chain does not verify: {:?} at entry {}",
            chain.problem,
            chain.first_bad.map_or("?".to_owned(), |s| s.to_string())
        );
    }
    let head = chain.head.clone().unwrap_or_else(|| GENESIS.to_owned());
    if chain.entries != manifest.audit.seq || head != manifest.audit.head {
        bail!(
            "the audit chain replays to entry {} ({}), and the manifest's head is entry {} ({})",
            chain.entries,
            head,
            manifest.audit.seq,
            manifest.audit.head
        );
    }
    let rows = manifest.rows_total();
    if purpose == Purpose::Restore {
        let file = std::path::absolute(from).unwrap_or_else(|_| from.to_path_buf()).display().to_string();
        let id =
            register::add(&txn, register::Origin::Restored, &manifest, &reader.manifest_sha256, &file, reader.size)
                .await?;
        let outcome = register::Outcome { kind: "restore", problem: None, rows_total: rows };
        register::check(&txn, id, &manifest.archive_id, &outcome).await?;
    }
    txn.commit().await?;
    Ok(Restored {
        manifest: manifest.clone(),
        manifest_sha256: reader.manifest_sha256.clone(),
        size: reader.size,
        rows,
        audit_entries: chain.entries,
    })
}

/// Refuses an archive of another schema than this binary's.
fn check_schema(manifest: &Manifest) -> anyhow::Result<()> {
    let ours = schema_version();
    if manifest.schema_version == ours {
        return Ok(());
    }
    let known = migrations::Migrator::migrations().iter().any(|m| m.name() == manifest.schema_version);
    if known {
        bail!(
            "the archive's schema ({}) is older than this Mutu's ({ours}): restore it with Mutu {} (its schema), \
             start that once on the restored database, then upgrade",
            manifest.schema_version,
            manifest.mutu_version
        );
    }
    bail!(
        "the archive's schema ({}) is newer than this Mutu's ({ours}): restore it with Mutu {} or later",
        manifest.schema_version,
        manifest.mutu_version
    );
}

/// Refuses a manifest whose parts are not this schema's tables and columns, in order.
fn check_tables(manifest: &Manifest) -> anyhow::Result<()> {
    let named: Vec<&str> = manifest.parts.iter().map(|p| p.table.as_str()).collect();
    if named != tables::TABLES {
        bail!("the manifest's tables are not those of schema {}: refused", manifest.schema_version);
    }
    for part in &manifest.parts {
        let ours = tables::columns(&part.table).unwrap_or_default();
        if part.columns != ours {
            bail!("part {} has columns {:?}, and this Mutu's {} has {:?}", part.file, part.columns, part.table, ours);
        }
    }
    Ok(())
}

/// Refuses a target that holds anything but Mutu's empty schema (or nothing at all).
async fn ensure_empty(url: &str) -> anyhow::Result<()> {
    let conn = Database::connect(url).await.context("cannot connect to the target database")?;
    let backend = conn.get_database_backend();
    let listing = match backend {
        DatabaseBackend::Postgres => {
            "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    };
    let names: Vec<String> = conn
        .query_all_raw(Statement::from_string(backend, listing))
        .await?
        .iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .collect();
    let result = async {
        if names.is_empty() {
            return Ok(());
        }
        if !names.iter().any(|n| n == "seaql_migrations") {
            bail!("the target database is not empty: it holds tables that are not Mutu's ({})", names.join(", "));
        }
        for name in &names {
            if matches!(name.as_str(), "seaql_migrations" | "checklist_versions" | "audit_head") {
                continue;
            }
            let sql = format!("SELECT 1 AS one FROM \"{}\" LIMIT 1", name.replace('"', ""));
            if conn.query_one_raw(Statement::from_string(backend, sql)).await?.is_some() {
                bail!("the target database is not empty: table {name} has rows; restore into a new, empty database");
            }
        }
        let head = audit_head::Entity::find_by_id(1).one(&conn).await?;
        if head.is_some_and(|h| h.seq != 0 || h.chain_id.is_some()) {
            bail!("the target database is not empty: its audit chain has begun; restore into a new, empty database");
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    result
}

/// `mutu backup --verify`: restores `file` into a scratch SQLite database in a directory of its
/// own under the system's temporary directory, removed afterwards; nothing else is touched.
pub async fn verify(file: &Path, key: Arc<AuditKey>) -> Result<Restored, Failed> {
    let dir = std::env::temp_dir().join(format!("mutu-verify-{}", uuid::Uuid::new_v4().simple()));
    if let Err(error) = std::fs::create_dir_all(&dir) {
        return Err(Failed { manifest: None, error: anyhow::anyhow!("cannot create {}: {error}", dir.display()) });
    }
    struct Scratch(PathBuf);
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let scratch = Scratch(dir);
    let url = format!("sqlite://{}?mode=rwc", scratch.0.join("verify.db").display());
    restore(file, &url, key, Purpose::Verify).await
}
