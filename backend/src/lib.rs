//! Mutu's server: the JSON API under `/api` and the built browser app, in one binary (`mutu`).
//!
//! [`App::start`] connects to SQLite or PostgreSQL, migrates, checks the audit log's triggers and
//! opens its keyed chain, and loads the keys; [`App::router`] is the whole HTTP application;
//! [`serve`] runs it until SIGTERM or Ctrl-C.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod config;
pub mod dashboards;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod http;
pub mod imports;
pub mod inbox;
pub mod mail;
pub mod paging;
pub mod promises;
pub mod records;
pub mod scoring;
pub mod site_time;
pub mod state;
pub mod users;
pub mod workbook;

pub use state::{AppState, Config};

use crate::auth::tokens::{JwtKeys, random_token};
use crate::db::Db;
use entity::settings;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};
use std::sync::Arc;

/// A started application: connected, migrated, keys loaded.
#[derive(Clone)]
pub struct App {
    pub state: AppState,
}

impl App {
    pub async fn start(config: Config) -> anyhow::Result<App> {
        let db = Db::connect(&config.database_url).await?;
        let (db, audit) = audit::chain::AuditChain::start(db, &config).await?;
        let secret = match &config.jwt_secret {
            Some(secret) => secret.clone(),
            None => stored_secret(&db).await?,
        };
        let hasher = auth::password::Hasher::new(config.hash_workers);
        let dummy_hash = hasher.hash(random_token()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let state = AppState(Arc::new(state::Inner {
            db,
            keys: JwtKeys::new(secret.as_bytes()),
            config,
            metrics: Default::default(),
            dummy_hash,
            sessions: Default::default(),
            hasher,
            audit,
        }));
        // Follow-ups re-cared before QC had a deadline get one (once; see the function).
        let given = cases::service::backfill_verify_deadlines(&state)
            .await
            .map_err(|e| anyhow::anyhow!("giving QC deadlines to re-cared follow-ups failed: {e:?}"))?;
        if given > 0 {
            tracing::info!(followups = given, "re-cared follow-ups given QC's verification deadline");
        }
        // The overview's roll-up, built (again) when the site zone it was built for changed.
        if dashboards::rollup::ensure(&state)
            .await
            .map_err(|e| anyhow::anyhow!("building the dashboards' roll-up failed: {e:?}"))?
        {
            tracing::info!("the dashboards' roll-up was built from the records");
        }
        // The keep-rate report's roll-up of promises, built the first time (and when the zone changed).
        if promises::rollup::ensure(&state)
            .await
            .map_err(|e| anyhow::anyhow!("building the promises' roll-up failed: {e:?}"))?
        {
            tracing::info!("the keep-rate roll-up was built from the stored promises");
        }
        // The heatmap's roll-up of answers, built the first time (and when the site zone changed).
        if scoring::stats::ensure(&state)
            .await
            .map_err(|e| anyhow::anyhow!("building the answers' roll-up failed: {e:?}"))?
        {
            tracing::info!("the answers' roll-ups were built from the sheets");
        }
        // Records made before retention was kept per record get theirs; a disposal a stopped
        // server left in the middle is finished.
        records::retention::ensure(&state)
            .await
            .map_err(|e| anyhow::anyhow!("fixing records' retention failed: {e:?}"))?;
        records::dispositions::resume(&state)
            .await
            .map_err(|e| anyhow::anyhow!("finishing a disposal failed: {e:?}"))?;
        Ok(App { state })
    }

    /// Loads the demo data (idempotent).
    pub async fn load_demo(&self) -> anyhow::Result<()> {
        demo::load(&self.state).await
    }

    pub fn router(&self) -> axum::Router {
        http::router(self.state.clone())
    }

    /// Starts the background work of a serving process: effective dates switch by themselves, and
    /// login failures whose window has passed are forgotten, as are stale "case open" views, and the audit chain's head is signed
    /// and exported at start and every few minutes; with `MUTU_SMTP_URL`, mail is planned and sent.
    /// Every step is a conditional update, so several servers may run it at once.
    pub fn spawn_background(&self) -> tokio::task::JoinHandle<()> {
        audit::anchor::spawn(&self.state);
        mail::spawn(&self.state);
        let state = self.state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
            loop {
                tick.tick().await;
                if let Err(err) = documents::service::apply_effective_dates(&state, db::now()).await {
                    tracing::warn!(error = %err, "switching effective revisions failed; will retry");
                }
                if let Err(err) = auth::service::forget_stale_failures(&state, db::now()).await {
                    tracing::warn!(error = %err, "forgetting old login failures failed; will retry");
                }
                imports::discard_unfinished_imports(&state).await;
                promises::sweep_now(&state).await;
                if let Err(err) = cases::service::forget_old_views(&state, db::now()).await {
                    tracing::warn!(error = %err, "forgetting old case views failed; will retry");
                }
            }
        })
    }
}

/// The JWT secret kept in the database, generated on first start. Insert-if-absent then read,
/// so several servers starting together agree on one secret.
async fn stored_secret(db: &Db) -> anyhow::Result<String> {
    const KEY: &str = "jwt_secret";
    settings::Entity::insert(settings::ActiveModel { key: Set(KEY.into()), value: Set(random_token()) })
        .on_conflict(OnConflict::column(settings::Column::Key).do_nothing().to_owned())
        .exec_without_returning(&db.conn)
        .await?;
    let row = settings::Entity::find_by_id(KEY.to_owned())
        .one(&db.conn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the JWT secret could not be stored"))?;
    Ok(row.value)
}

/// Serves the app on `listener` until SIGTERM or Ctrl-C; requests in flight finish first.
pub async fn serve(listener: tokio::net::TcpListener, app: &App) -> anyhow::Result<()> {
    serve_until(listener, app, shutdown_signal()).await
}

/// Serves the app on `listener` until `shutdown` completes (tests and benchmarks pass their own).
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: &App,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    http::serve::serve(listener, app.state.clone(), app.router(), shutdown).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
