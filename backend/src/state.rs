//! The shared state every handler receives: the database, the token keys, configuration and
//! metrics. Cheap to clone (one `Arc`).

use crate::auth::tokens::JwtKeys;
use crate::db::Db;
use crate::http::metrics::Metrics;
use crate::http::serve::ConnectionLimits;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Server configuration (from `MUTU_*` variables through `config::Settings`; see the README).
#[derive(Clone)]
pub struct Config {
    /// `MUTU_DATABASE_URL`: `sqlite://…` (default `sqlite://mutu.db?mode=rwc`) or `postgres://…`.
    pub database_url: String,
    /// `MUTU_JWT_SECRET`: if unset, a random secret is generated once and kept in the database.
    pub jwt_secret: Option<String>,
    /// `MUTU_STATIC_DIR`: the built SPA (default `frontend/dist`).
    pub static_dir: PathBuf,
    /// `MUTU_TIMEZONE`: the site's zone for effective dates (default `Asia/Jakarta`).
    pub timezone: String,
    /// Lifetime of access tokens (`MUTU_ACCESS_TTL_SECS`, default 900).
    pub access_ttl: Duration,
    /// Lifetime of refresh tokens (`MUTU_REFRESH_TTL_SECS`, default 7 days).
    pub refresh_ttl: Duration,
    /// `MUTU_FOLLOWUP_DAYS`: working days an agent has to re-care a RETURN (default 2).
    pub followup_days: u32,
    /// `MUTU_VERIFY_DAYS`: working days QC has to verify a re-care (default 1; the SOP gives
    /// no figure).
    pub verify_days: u32,
    /// What one client may hold of the listener (`MUTU_MAX_CONNECTIONS`,
    /// `MUTU_HEADER_TIMEOUT_SECS`; see `http::serve`).
    pub connections: ConnectionLimits,
    /// `MUTU_METRICS_TOKEN`: `/metrics` answers only to this bearer token (404 when unset).
    pub metrics_token: Option<String>,
    /// Password hashing threads (default: one per core but one; see `auth::password`).
    pub hash_workers: usize,
    /// `MUTU_AUDIT_KEY`: the audit chain's HMAC key (at least 32 characters), never stored in the
    /// database. Every server on one database needs the same key.
    pub audit_key: Option<String>,
    /// `MUTU_AUDIT_KEY_FILE`: a file holding the audit key, generated there if absent. Without
    /// either setting the key is `audit.key` in Mutu's configuration directory (`audit::key`).
    pub audit_key_file: Option<PathBuf>,
    /// `MUTU_AUDIT_ANCHOR_FILE`: where signed chain heads are appended (default: beside the key
    /// file, one file per database).
    pub audit_anchor_file: Option<PathBuf>,
    /// `MUTU_AUDIT_ANCHOR_SECS`: how often the chain's head is signed and exported (default 300).
    pub audit_anchor_interval: Duration,
    /// `MUTU_RECORDING_URL`: where a call's recording is played, `{ref}` standing for its
    /// reference (`https://eyebeam.example/rec/{ref}`); the pages link recording references to it.
    pub recording_url: Option<String>,
    /// `MUTU_SMTP_URL` and the rest of the mail settings; `None` (mail off) when it is unset.
    pub mail: Option<crate::mail::MailSettings>,
    /// `MUTU_PROMISE_THRESHOLD_PCT` and `MUTU_PROMISE_GRACE_DAYS`: when a promise is kept.
    pub promise_rules: domain::promises::PromiseRules,
    /// How long a disposal's confirmation waits for the disposal to end before it answers 202
    /// with the batch still `disposing` (the disposal goes on; a large batch takes minutes).
    pub disposal_wait: Duration,
}

/// [`Config::disposal_wait`]'s default: a batch of the demo's size ends well within it.
pub const DEFAULT_DISPOSAL_WAIT: Duration = Duration::from_secs(15);

/// Open connections at most (`MUTU_MAX_CONNECTIONS`): an idle connection costs some 20 KiB, so
/// this many cost about 40 MiB, and the file descriptors stay well under the usual limits.
pub const DEFAULT_MAX_CONNECTIONS: usize = 2048;
/// `MUTU_HEADER_TIMEOUT_SECS`: a request's head must arrive within this, and a kept-alive
/// connection with no request is closed after it.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest pause between two chunks of a request body, and the longest a response waits for
/// a client that does not read.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(30);

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "[redacted]"))
            .field("static_dir", &self.static_dir)
            .field("timezone", &self.timezone)
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .field("followup_days", &self.followup_days)
            .field("verify_days", &self.verify_days)
            .field("promise_rules", &self.promise_rules)
            .field("connections", &self.connections)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "[redacted]"))
            .field("hash_workers", &self.hash_workers)
            .field("audit_key", &self.audit_key.as_ref().map(|_| "[redacted]"))
            .field("audit_key_file", &self.audit_key_file)
            .field("audit_anchor_file", &self.audit_anchor_file)
            .field("audit_anchor_interval", &self.audit_anchor_interval)
            .finish()
    }
}

/// A database URL with any password replaced, fit for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:[redacted]@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

impl Config {
    /// Defaults for everything but the database.
    pub fn for_database(url: &str) -> Config {
        Config {
            database_url: url.to_owned(),
            jwt_secret: None,
            static_dir: PathBuf::from("frontend/dist"),
            timezone: "Asia/Jakarta".to_owned(),
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(7 * 24 * 3600),
            followup_days: 2,
            verify_days: 1,
            connections: ConnectionLimits {
                max_connections: DEFAULT_MAX_CONNECTIONS,
                header_timeout: DEFAULT_HEADER_TIMEOUT,
                body_timeout: DEFAULT_STALL_TIMEOUT,
                write_timeout: DEFAULT_STALL_TIMEOUT,
            },
            metrics_token: None,
            hash_workers: crate::auth::password::Hasher::default_workers(),
            audit_key: None,
            audit_key_file: None,
            audit_anchor_file: None,
            audit_anchor_interval: Duration::from_secs(300),
            recording_url: None,
            mail: None,
            promise_rules: domain::promises::PromiseRules::default(),
            disposal_wait: DEFAULT_DISPOSAL_WAIT,
        }
    }
}

/// The UTC offset of a supported site zone. Indonesia's zones keep no daylight saving time, so a
/// fixed offset is exact for them.
pub fn site_offset(zone: &str) -> Option<chrono::FixedOffset> {
    let hours = match zone {
        "Asia/Jakarta" | "Asia/Pontianak" | "WIB" => 7,
        "Asia/Makassar" | "WITA" => 8,
        "Asia/Jayapura" | "WIT" => 9,
        "UTC" | "Etc/UTC" => 0,
        _ => return None,
    };
    chrono::FixedOffset::east_opt(hours * 3600)
}

impl Config {
    /// The site's UTC offset (validated at start; WIB if somehow unknown).
    pub fn offset(&self) -> chrono::FixedOffset {
        site_offset(&self.timezone).unwrap_or_else(|| chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset"))
    }
}

pub struct Inner {
    pub db: Db,
    pub keys: JwtKeys,
    pub config: Config,
    pub metrics: Metrics,
    /// An argon2id hash of a random password: unknown usernames are checked against it so that
    /// a login takes as long whether the user exists or not.
    pub dummy_hash: String,
    /// Recently checked sessions (see `auth::cache`).
    pub sessions: crate::auth::cache::SessionCache,
    /// The password hashing threads (see `auth::password`).
    pub hasher: crate::auth::password::Hasher,
    /// The audit chain's key, id and anchors (see `audit::chain`).
    pub audit: crate::audit::chain::AuditChain,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(redact_url("postgres://mutu:s3cret@db:5432/mutu"), "postgres://mutu:[redacted]@db:5432/mutu");
        assert_eq!(redact_url("sqlite://mutu.db?mode=rwc"), "sqlite://mutu.db?mode=rwc");
    }
}
