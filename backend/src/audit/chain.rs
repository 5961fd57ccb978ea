//! The keyed audit chain as a server holds it (key, chain id, anchors) and what happens to it at
//! start: the append-only triggers are checked, the key is loaded, and the chain record is
//! checked, or written when the chain is keyed for the first time.
//!
//! The chain record lives in `audit_head`: the chain's random id, `keyed_from` (entries from this
//! sequence number on are HMACs; earlier ones were written before the chain was keyed and keep
//! their plain SHA-256), the hash the entry at `keyed_from` chains to, and a MAC over the three.
//! A database made before keying gets its record on its first start with a key, and an
//! `audit.chain_keyed` entry: both commit to the last plain hash, so the plain part can no more be
//! recomputed than the keyed part. A server whose key does not verify the record refuses to
//! start: entries it wrote would not verify with the chain's key.

use super::anchor::AnchorBook;
use super::key::{self, AuditKey, KeySource};
use super::service::{Actor, Entry, GENESIS, append};
use super::triggers;
use crate::db::Db;
use crate::state::Config;
use anyhow::Context;
use domain::audit::AuditAction;
use entity::audit_head;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The chain this server appends to, the key it keys it with, and its anchors.
pub struct AuditChain {
    pub key: Arc<AuditKey>,
    pub chain_id: String,
    pub anchors: AnchorBook,
}

/// What the chain record's MAC covers.
pub fn record_input(chain_id: &str, keyed_from: i64, keyed_prev_hash: &str) -> String {
    serde_json::json!(["mutu-audit-chain", chain_id, keyed_from, keyed_prev_hash]).to_string()
}

/// The chain record of `head` (id, keyed-from sequence number, the hash it chains to), if it is
/// complete and its MAC verifies with `key`.
pub fn verified_record(head: &audit_head::Model, key: &AuditKey) -> Option<(String, i64, String)> {
    let (chain_id, keyed_from, prev, mac) =
        (head.chain_id.as_ref()?, head.keyed_from?, head.keyed_prev_hash.as_ref()?, head.record_mac.as_ref()?);
    key.verifies(record_input(chain_id, keyed_from, prev).as_bytes(), mac)
        .then(|| (chain_id.clone(), keyed_from, prev.clone()))
}

/// How the chain was found at start.
struct Opened {
    chain_id: String,
    keyed_from: i64,
    /// Keyed just now on an empty log: a new database.
    fresh: bool,
}

impl AuditChain {
    /// Checks the triggers, loads the key, opens the chain (keying it the first time) and finds
    /// the anchor file. Logs where the key and the anchors are, never the key.
    /// Returns `db` with the key, which every write transaction then carries to `append`.
    pub async fn start(db: Db, config: &Config) -> anyhow::Result<(Db, AuditChain)> {
        let repaired = triggers::ensure(&db).await.context("checking the audit log's triggers")?;
        if !repaired.is_empty() {
            tracing::warn!(
                triggers = ?repaired,
                "the triggers that keep the audit log append-only were missing, disabled or altered and have been recreated; \
                 the log may have been changed while they were gone: verify the chain (GET /api/audit/verify)"
            );
        }
        let (key, source) = key::load(config)?;
        let key = Arc::new(key);
        match &source {
            KeySource::Environment => tracing::info!(key_id = key.id(), "audit key from MUTU_AUDIT_KEY"),
            KeySource::File { path, created: true } => tracing::warn!(
                key_id = key.id(), file = %path.display(),
                "generated a new audit key: keep this file apart from the database and back it up; without it the audit \
                 chain cannot be verified, and every server on this database needs the same key"
            ),
            KeySource::File { path, created: false } => {
                tracing::info!(key_id = key.id(), file = %path.display(), "audit key from file")
            }
        }
        let db = db.with_audit_key(key.clone());
        let opened = open(&db, &key).await?;
        if !repaired.is_empty() {
            let txn = db.write().await?;
            let entry = Entry {
                actor: &Actor::system(),
                action: AuditAction::AuditTriggersRestored,
                entity: "audit",
                entity_id: Some(opened.chain_id.clone()),
                payload: serde_json::json!({ "triggers": repaired }),
            };
            append(&txn, entry).await?;
            txn.commit().await?;
        }

        let identity = database_identity(&config.database_url);
        let file = anchor_file(config, &source, &identity)?;
        if opened.fresh {
            set_aside(&file);
        }
        if let Some(data_dir) = sqlite_dir(&identity) {
            for (what, path) in [("audit key file", key_file_of(&source)), ("audit anchor file", Some(file.as_path()))]
            {
                if path.and_then(|p| p.parent()).and_then(|d| d.canonicalize().ok()).is_some_and(|d| d == data_dir) {
                    tracing::warn!(
                        file = %path.map(|p| p.display().to_string()).unwrap_or_default(),
                        "the {what} is in the database's directory: a copy of that directory then carries it too; keep it apart"
                    );
                }
            }
        }
        tracing::info!(
            chain = %opened.chain_id, keyed_from = opened.keyed_from, anchors = %file.display(),
            every_secs = config.audit_anchor_interval.as_secs(), "audit chain ready"
        );
        Ok((
            db,
            AuditChain { key, chain_id: opened.chain_id, anchors: AnchorBook::new(file, config.audit_anchor_interval) },
        ))
    }
}

/// Checks the chain record against `key`, or writes it if the chain has none yet.
async fn open(db: &Db, key: &Arc<AuditKey>) -> anyhow::Result<Opened> {
    let txn = db.write().await?;
    // Touching the head row locks it on PostgreSQL: servers starting together key the chain once.
    let touch = Query::update()
        .table(audit_head::Entity)
        .value(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq))
        .and_where(Expr::col(audit_head::Column::Id).eq(1))
        .to_owned();
    txn.execute(&touch).await?;
    let head = audit_head::Entity::find_by_id(1).one(&*txn).await?.context("the audit_head row is missing")?;
    if head.chain_id.is_some() {
        let Some((chain_id, keyed_from, _)) = verified_record(&head, key) else {
            anyhow::bail!(
                "the audit chain record of this database does not verify with this audit key (key id {}): every server on \
                 a database needs the key its chain was keyed with (MUTU_AUDIT_KEY or MUTU_AUDIT_KEY_FILE); if the key is \
                 the right one, the record was altered",
                key.id()
            );
        };
        txn.commit().await?;
        return Ok(Opened { chain_id, keyed_from, fresh: false });
    }
    let chain_id = uuid::Uuid::new_v4().to_string();
    let keyed_from = head.seq + 1;
    let prev = if head.seq == 0 { GENESIS.to_owned() } else { head.hash.clone() };
    let mac = key.sign(record_input(&chain_id, keyed_from, &prev).as_bytes());
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::ChainId, Expr::value(chain_id.clone()))
        .col_expr(audit_head::Column::KeyedFrom, Expr::value(keyed_from))
        .col_expr(audit_head::Column::KeyedPrevHash, Expr::value(prev))
        .col_expr(audit_head::Column::RecordMac, Expr::value(mac))
        .filter(audit_head::Column::Id.eq(1))
        .filter(audit_head::Column::ChainId.is_null())
        .exec(&*txn)
        .await?;
    if head.seq > 0 {
        let entry = Entry {
            actor: &Actor::system(),
            action: AuditAction::AuditChainKeyed,
            entity: "audit",
            entity_id: Some(chain_id.clone()),
            payload: serde_json::json!({ "keyed_from": keyed_from, "plain_entries": head.seq, "key_id": key.id() }),
        };
        append(&txn, entry).await?;
        tracing::info!(
            chain = %chain_id, keyed_from,
            "audit chain keyed: entries from #{keyed_from} on are HMACs; the {} earlier ones keep their SHA-256 and are pinned by the keyed record",
            head.seq
        );
    } else {
        tracing::info!(chain = %chain_id, "new audit chain");
    }
    txn.commit().await?;
    Ok(Opened { chain_id, keyed_from, fresh: head.seq == 0 })
}

/// What names the database in the anchor file's default name: the SQLite file's full path, or
/// PostgreSQL's host, port and database (never user or password).
pub fn database_identity(url: &str) -> String {
    let without_query = url.split('?').next().unwrap_or(url);
    if let Some(path) = without_query.strip_prefix("sqlite://").or_else(|| without_query.strip_prefix("sqlite:")) {
        let path = Path::new(path);
        let full = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        return format!("sqlite:{}", full.display());
    }
    let (scheme, rest) = without_query.split_once("://").unwrap_or(("postgres", without_query));
    let host_and_db = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    format!("{scheme}://{host_and_db}")
}

/// The directory of an SQLite database, by its identity.
fn sqlite_dir(identity: &str) -> Option<PathBuf> {
    Path::new(identity.strip_prefix("sqlite:")?).parent()?.canonicalize().ok()
}

fn key_file_of(source: &KeySource) -> Option<&Path> {
    match source {
        KeySource::File { path, .. } => Some(path),
        KeySource::Environment => None,
    }
}

/// `MUTU_AUDIT_ANCHOR_FILE`, else `anchors-<database>.jsonl` beside the key file (or in the
/// configuration directory when the key comes from the environment), one file per database.
fn anchor_file(config: &Config, source: &KeySource, identity: &str) -> anyhow::Result<PathBuf> {
    if let Some(path) = &config.audit_anchor_file {
        return Ok(path.clone());
    }
    let dir = match key_file_of(source).and_then(|p| p.parent()).filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => key::default_dir().context("neither HOME nor XDG_CONFIG_HOME is set: set MUTU_AUDIT_ANCHOR_FILE")?,
    };
    let name = hex::encode(Sha256::digest(identity.as_bytes()));
    Ok(dir.join(format!("anchors-{}.jsonl", &name[..16])))
}

/// A new database where anchors of an earlier one were kept (a database deleted and made anew
/// at the same place): those anchors are moved aside, kept, and named in the log.
fn set_aside(file: &Path) {
    if std::fs::metadata(file).map(|m| m.len() == 0).unwrap_or(true) {
        return;
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut aside = file.as_os_str().to_owned();
    aside.push(format!(".superseded-{stamp}"));
    match std::fs::rename(file, &aside) {
        Ok(()) => tracing::warn!(
            file = %file.display(), moved_to = %PathBuf::from(&aside).display(),
            "this database's audit log is new, but anchors of an earlier chain were kept for it: they were moved aside. \
             If the database was not deliberately made anew, its audit log was wiped"
        ),
        Err(error) => {
            tracing::warn!(file = %file.display(), %error, "cannot move the anchors of an earlier chain aside")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_named_without_credentials() {
        assert_eq!(database_identity("postgres://mutu:s3cret@db:5432/mutu?sslmode=require"), "postgres://db:5432/mutu");
        assert_eq!(database_identity("postgresql://db/mutu"), "postgresql://db/mutu");
        assert_eq!(database_identity("sqlite:///nowhere/x/mutu.db?mode=rwc"), "sqlite:/nowhere/x/mutu.db");
    }

    #[test]
    fn each_database_has_its_own_default_anchor_file_beside_the_key() {
        let config = Config::for_database("sqlite://a.db");
        let source = KeySource::File { path: PathBuf::from("/etc/mutu/audit.key"), created: false };
        let a = anchor_file(&config, &source, "sqlite:/srv/a.db").unwrap();
        let b = anchor_file(&config, &source, "sqlite:/srv/b.db").unwrap();
        assert_eq!(a.parent(), Some(Path::new("/etc/mutu")));
        assert_ne!(a, b);
        let mut config = config;
        config.audit_anchor_file = Some(PathBuf::from("/var/log/mutu/anchors.jsonl"));
        assert_eq!(anchor_file(&config, &source, "x").unwrap(), PathBuf::from("/var/log/mutu/anchors.jsonl"));
    }

    #[test]
    fn a_record_verifies_only_whole_and_with_its_key() {
        let key = AuditKey::new(b"an-audit-key-for-unit-tests-0123456789");
        let mut head = audit_head::Model {
            id: 1,
            seq: 5,
            hash: "h".into(),
            chain_id: Some("c".into()),
            keyed_from: Some(3),
            keyed_prev_hash: Some("p".into()),
            record_mac: Some(key.sign(record_input("c", 3, "p").as_bytes())),
        };
        assert_eq!(verified_record(&head, &key), Some(("c".into(), 3, "p".into())));
        assert_eq!(verified_record(&head, &AuditKey::new(b"another-key-another-key-another-key")), None);
        head.keyed_from = Some(6);
        assert_eq!(verified_record(&head, &key), None);
        head.keyed_from = None;
        assert_eq!(verified_record(&head, &key), None);
    }
}
