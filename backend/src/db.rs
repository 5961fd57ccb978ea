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
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, SqlxSqliteConnector,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
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

/// At start: runs `rebuild` in one write transaction when the roll-up whose build `settings`
/// remembers under `key` was built for another site zone (a day is the site's day) or by an
/// older `version` of its rebuild (a table added to it), or never;
/// answers whether it did. Several servers may start together: on PostgreSQL the first takes
/// `tables` (`LOCK TABLE a, b`), the others wait and then find them built (SQLite has one writer
/// at a time anyway). The dashboards' and the answers' roll-ups are built this way.
pub async fn ensure_built<F>(
    state: &crate::state::AppState,
    key: &str,
    version: u32,
    tables: &str,
    rebuild: F,
) -> ApiResult<bool>
where
    F: for<'a> AsyncFnOnce(&'a DatabaseTransaction, chrono::FixedOffset) -> ApiResult<()>,
{
    use entity::settings;
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement};
    let offset = state.config.offset();
    let zone = format!("v{version} {}", offset.local_minus_utc());
    async fn built(db: &impl ConnectionTrait, key: &str, zone: &str) -> ApiResult<bool> {
        let stored = settings::Entity::find_by_id(key.to_owned()).one(db).await?;
        Ok(stored.is_some_and(|s| s.value == zone))
    }
    if built(&state.db.conn, key, &zone).await? {
        return Ok(false);
    }
    let txn = state.db.write().await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        let lock = format!("LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE");
        txn.execute_raw(Statement::from_string(DatabaseBackend::Postgres, lock)).await?;
    }
    if built(&*txn, key, &zone).await? {
        txn.commit().await?;
        return Ok(false);
    }
    rebuild(&txn, offset).await?;
    settings::Entity::insert(settings::ActiveModel { key: Set(key.to_owned()), value: Set(zone) })
        .on_conflict(OnConflict::column(settings::Column::Key).update_column(settings::Column::Value).to_owned())
        .exec_without_returning(&*txn)
        .await?;
    txn.commit().await?;
    Ok(true)
}
