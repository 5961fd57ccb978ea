//! The database connection: SQLite (embedded, the default) or PostgreSQL by URL, migrated on
//! start. Write transactions go through [`Db::write`], which on SQLite also takes an in-process
//! gate: SQLite allows one writer, and a deferred transaction that read first and then writes
//! can fail with `SQLITE_BUSY` instead of waiting. PostgreSQL needs no gate.
//!
//! On SQLite every write transaction runs on one dedicated connection. In WAL mode a connection
//! throws its whole page cache away when it finds that another connection changed the file, so
//! writes spread over a pool would each start cold and read the index pages they touch again
//! (an import of 100,000 rows in batches spent most of its time doing that). Reads use the pool.

use crate::audit::key::AuditKey;
use crate::error::{ApiError, ApiResult};
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, SqlxSqliteConnector,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use serde::Deserialize;
use std::ops::Deref;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The connection pool plus, on SQLite, the writer gate.
#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    /// The audit chain's key, handed to every write transaction so that `audit::append` can key
    /// its entries (set once by `AuditChain::start`; never stored in the database).
    audit_key: Option<Arc<AuditKey>>,
    /// Where [`Db::write`] begins: on SQLite a pool of one connection (warm page cache and
    /// prepared statements), on PostgreSQL the same pool as `conn`.
    writer: DatabaseConnection,
    gate: Option<Arc<Mutex<()>>>,
}

/// A write transaction; commit it or it rolls back when dropped.
///
/// On SQLite the writer gate is held until the rollback has really run: a dropped sqlx
/// transaction only queues its `ROLLBACK`, and a writer let in before it ran would find the
/// database locked (SQLite does not wait when a reading transaction wants to write).
pub struct WriteTx {
    txn: Option<DatabaseTransaction>,
    gate: Option<OwnedMutexGuard<()>>,
    audit_key: Option<Arc<AuditKey>>,
}

impl Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        self.txn.as_ref().expect("a WriteTx holds its transaction until commit or drop")
    }
}

impl WriteTx {
    /// The key `audit::append` keys entries with (none before the chain is opened).
    pub fn audit_key(&self) -> Option<&AuditKey> {
        self.audit_key.as_deref()
    }

    pub async fn commit(mut self) -> ApiResult<()> {
        let txn = self.txn.take().expect("a WriteTx is committed once");
        let result = txn.commit().await.map_err(ApiError::from);
        drop(self.gate.take());
        result
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(txn) = self.txn.take() else { return };
        let gate = self.gate.take();
        if gate.is_none() {
            return; // PostgreSQL: the transaction's own drop rolls it back.
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    let _ = txn.rollback().await;
                    drop(gate);
                });
            }
            Err(_) => drop(txn),
        }
    }
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and runs every pending migration.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("MUTU_DATABASE_URL is not a valid SQLite URL")?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // 32 MiB of page cache per connection (the default is 2 MiB): bulk imports touch
                // pages all over the cases indexes.
                .pragma("cache_size", "-32768");
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                // The writer is kept for good: its page cache is the point of having one.
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options.clone())
                .await
                .context("cannot open the SQLite database")?;
            let readers = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .context("cannot open the SQLite database")?;
            Db {
                audit_key: None,
                conn: SqlxSqliteConnector::from_sqlx_sqlite_pool(readers),
                writer: SqlxSqliteConnector::from_sqlx_sqlite_pool(writer),
                gate: Some(Arc::new(Mutex::new(()))),
            }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let mut options = ConnectOptions::new(url.to_owned());
            options.max_connections(16).min_connections(1).sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
            let conn = Database::connect(options).await.context("cannot connect to PostgreSQL")?;
            Db { writer: conn.clone(), conn, gate: None, audit_key: None }
        } else {
            anyhow::bail!("MUTU_DATABASE_URL must start with sqlite:// or postgres://");
        };
        migrations::Migrator::up(&db.writer, None).await.context("migrating the schema failed")?;
        Ok(db)
    }

    /// This database with the audit chain's key, for every write transaction from now on.
    pub fn with_audit_key(mut self, key: Arc<AuditKey>) -> Db {
        self.audit_key = Some(key);
        self
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// Begins a write transaction (behind the SQLite gate).
    pub async fn write(&self) -> ApiResult<WriteTx> {
        let guard = match &self.gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let txn = self.writer.begin().await?;
        Ok(WriteTx { txn: Some(txn), gate: guard, audit_key: self.audit_key.clone() })
    }
}

/// Now, to the microsecond (both databases store microseconds; hashes must round-trip).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// RFC 3339 in UTC with microseconds and `Z`, the API's timestamp format.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// `?limit=&cursor=` of every list. Filters repeat these two fields rather than use
/// `#[serde(flatten)]`, which loses the types of query-string values.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageQuery {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page size: default 50, at most 500.
    pub fn limit(&self) -> ApiResult<u64> {
        match self.limit {
            None => Ok(50),
            Some(n) if (1..=500).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::field("limit", "out_of_range")),
        }
    }

    /// The keyset position the cursor encodes (an id or sequence number).
    pub fn after(&self) -> ApiResult<Option<i64>> {
        match &self.cursor {
            None => Ok(None),
            Some(text) => decode_cursor(text).map(Some).ok_or_else(|| ApiError::BadRequest("invalid cursor".into())),
        }
    }
}

/// The instant of a keyset cursor's position, or `None` outside the years the API accepts
/// ([`domain::dates::MIN_YEAR`]..=[`domain::dates::MAX_YEAR`]): a forged cursor must not bring
/// the database an instant it cannot hold (PostgreSQL's start in 4713 BC, chrono's earlier).
pub fn cursor_instant(micros: i64) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    let at = DateTime::from_timestamp_micros(micros)?;
    (domain::dates::MIN_YEAR..=domain::dates::MAX_YEAR).contains(&at.year()).then_some(at)
}

/// An opaque cursor for a keyset position.
pub fn encode_cursor(position: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("k:{position}"))
}

fn decode_cursor(text: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("k:")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("not-a-cursor"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("k:x")), None);
    }

    #[test]
    fn cursor_instants_keep_to_the_api_years() {
        assert!(cursor_instant(0).is_some());
        assert!(cursor_instant(now().timestamp_micros()).is_some());
        assert_eq!(cursor_instant(-377_705_116_800_000_000), None);
        assert_eq!(cursor_instant(i64::MIN), None);
        assert_eq!(cursor_instant(253_402_300_800_000_000), None); // 10000-01-01
    }

    #[test]
    fn limits_default_and_cap() {
        assert_eq!(PageQuery::default().limit().unwrap(), 50);
        assert!(PageQuery { limit: Some(501), cursor: None }.limit().is_err());
        assert!(PageQuery { limit: Some(0), cursor: None }.limit().is_err());
    }
}
