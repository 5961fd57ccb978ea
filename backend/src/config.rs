//! The server's settings as the operator gives them: every `MUTU_*` variable, declared once with
//! clap (`env`, ranges, help). `mutu --help` lists them; a flag (`mutu --max-connections 4096
//! serve`) overrides its variable. `Config::from_env` turns them into the [`Config`] the server
//! runs with. A variable set to the empty string counts as unset, as it always has.

use crate::http::serve::ConnectionLimits;
use crate::state::{Config, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_STALL_TIMEOUT, site_offset};
use clap::{Args, Parser};
use std::path::PathBuf;
use std::time::Duration;

/// Every `MUTU_*` setting (see the README's configuration table).
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// The database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(
        long,
        env = "MUTU_DATABASE_URL",
        value_name = "MUTU_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://mutu.db?mode=rwc"
    )]
    pub database_url: String,
    /// The address to listen on (`127.0.0.1:0` picks a free port; the address is printed).
    #[arg(long, env = "MUTU_BIND", value_name = "MUTU_BIND", hide_env_values = true, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The token signing secret, at least 32 characters (if unset, one is generated once and kept
    /// in the database).
    #[arg(long, env = "MUTU_JWT_SECRET", value_name = "MUTU_JWT_SECRET", hide_env_values = true, value_parser = at_least::<32>)]
    pub jwt_secret: Option<String>,
    /// The built browser app.
    #[arg(
        long,
        env = "MUTU_STATIC_DIR",
        value_name = "MUTU_STATIC_DIR",
        hide_env_values = true,
        default_value = "frontend/dist"
    )]
    pub static_dir: PathBuf,
    /// The site's time zone: Asia/Jakarta, Asia/Makassar, Asia/Jayapura or UTC.
    #[arg(long, env = "MUTU_TIMEZONE", value_name = "MUTU_TIMEZONE", hide_env_values = true, default_value = "Asia/Jakarta", value_parser = zone)]
    pub timezone: String,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "MUTU_ACCESS_TTL_SECS", value_name = "MUTU_ACCESS_TTL_SECS", hide_env_values = true, default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    pub access_ttl_secs: u64,
    /// Lifetime of refresh tokens, in seconds.
    #[arg(long, env = "MUTU_REFRESH_TTL_SECS", value_name = "MUTU_REFRESH_TTL_SECS", hide_env_values = true, default_value_t = 7 * 24 * 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub refresh_ttl_secs: u64,
    /// Working days an agent has to re-care a returned case.
    #[arg(long, env = "MUTU_FOLLOWUP_DAYS", value_name = "MUTU_FOLLOWUP_DAYS", hide_env_values = true, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub followup_days: u32,
    /// Working days QC has to verify a re-care (the SOP gives no figure).
    #[arg(long, env = "MUTU_VERIFY_DAYS", value_name = "MUTU_VERIFY_DAYS", hide_env_values = true, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub verify_days: u32,
    /// Open connections at most; the next one is answered 503 and closed.
    #[arg(long, env = "MUTU_MAX_CONNECTIONS", value_name = "MUTU_MAX_CONNECTIONS", hide_env_values = true, default_value_t = DEFAULT_MAX_CONNECTIONS as u64, value_parser = clap::value_parser!(u64).range(16..=100_000))]
    pub max_connections: u64,
    /// Seconds a request's head may take to arrive, and an idle kept-alive connection may stay.
    #[arg(long, env = "MUTU_HEADER_TIMEOUT_SECS", value_name = "MUTU_HEADER_TIMEOUT_SECS", hide_env_values = true, default_value_t = DEFAULT_HEADER_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..=600))]
    pub header_timeout_secs: u64,
    /// `/metrics` answers only to this bearer token, at least 16 characters (404 when unset).
    #[arg(long, env = "MUTU_METRICS_TOKEN", value_name = "MUTU_METRICS_TOKEN", hide_env_values = true, value_parser = at_least::<16>)]
    pub metrics_token: Option<String>,
    /// The audit chain's HMAC key, at least 32 characters; never stored in the database.
    #[arg(
        long,
        env = "MUTU_AUDIT_KEY",
        value_name = "MUTU_AUDIT_KEY",
        hide_env_values = true,
        conflicts_with = "audit_key_file"
    )]
    pub audit_key: Option<String>,
    /// A file holding the audit key, generated there if absent (default: `audit.key` in Mutu's
    /// configuration directory).
    #[arg(long, env = "MUTU_AUDIT_KEY_FILE", value_name = "MUTU_AUDIT_KEY_FILE", hide_env_values = true)]
    pub audit_key_file: Option<PathBuf>,
    /// Where signed chain heads are appended (default: beside the key file).
    #[arg(long, env = "MUTU_AUDIT_ANCHOR_FILE", value_name = "MUTU_AUDIT_ANCHOR_FILE", hide_env_values = true)]
    pub audit_anchor_file: Option<PathBuf>,
    /// How often the chain's head is signed and exported, in seconds.
    #[arg(long, env = "MUTU_AUDIT_ANCHOR_SECS", value_name = "MUTU_AUDIT_ANCHOR_SECS", hide_env_values = true, default_value_t = 300, value_parser = clap::value_parser!(u64).range(10..=86_400))]
    pub audit_anchor_secs: u64,
    /// Where a call's recording is played: an http(s) address with `{ref}` where the recording
    /// reference goes (`https://eyebeam.example/rec/{ref}`); recording references become links.
    #[arg(long, env = "MUTU_RECORDING_URL", value_name = "MUTU_RECORDING_URL", hide_env_values = true, value_parser = recording_template)]
    pub recording_url: Option<String>,
    /// The SMTP server for email notifications: `smtp://user:password@host:587` (STARTTLS),
    /// `smtps://user:password@host:465` (TLS) or `smtp://host:25?tls=none` (a local relay).
    /// Mail is off when unset.
    #[arg(long, env = "MUTU_SMTP_URL", value_name = "MUTU_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of Mutu's emails, e.g. `Mutu QC <mutu@example.co.id>` (needed with `MUTU_SMTP_URL`).
    #[arg(long, env = "MUTU_MAIL_FROM", value_name = "MUTU_MAIL_FROM", hide_env_values = true)]
    pub mail_from: Option<String>,
    /// Working days a RETURN may be overdue before the agent's team leader gets an email.
    #[arg(long, env = "MUTU_ESCALATE_DAYS", value_name = "MUTU_ESCALATE_DAYS", hide_env_values = true, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub escalate_days: u32,
    /// The site hour (0–23) from which a working day's digests, reminders and escalations go out.
    #[arg(long, env = "MUTU_MAIL_HOUR", value_name = "MUTU_MAIL_HOUR", hide_env_values = true, default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=23))]
    pub mail_hour: u32,
    /// The share (1–100 %) of a promised amount that keeps a promise.
    #[arg(long, env = "MUTU_PROMISE_THRESHOLD_PCT", value_name = "MUTU_PROMISE_THRESHOLD_PCT", hide_env_values = true, default_value_t = domain::promises::DEFAULT_THRESHOLD_PCT, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub promise_threshold_pct: u32,
    /// Working days after a promise date in which payments still keep it (0–30).
    #[arg(long, env = "MUTU_PROMISE_GRACE_DAYS", value_name = "MUTU_PROMISE_GRACE_DAYS", hide_env_values = true, default_value_t = domain::promises::DEFAULT_GRACE_DAYS, value_parser = clap::value_parser!(u32).range(0..=30))]
    pub promise_grace_days: u32,
    /// The address people open Mutu at (`https://mutu.example.co.id`), for links in emails.
    #[arg(long, env = "MUTU_PUBLIC_URL", value_name = "MUTU_PUBLIC_URL", hide_env_values = true)]
    pub public_url: Option<String>,
}

/// A text of at least `N` characters.
fn at_least<const N: usize>(text: &str) -> Result<String, String> {
    if text.chars().count() < N { Err(format!("must be at least {N} characters")) } else { Ok(text.to_owned()) }
}

/// An address template for recordings: http(s), `{ref}` in it, no spaces, at most 500 characters.
fn recording_template(text: &str) -> Result<String, String> {
    let scheme = text.starts_with("https://") || text.starts_with("http://");
    if !scheme || text.len() > 500 || text.chars().any(char::is_whitespace) {
        return Err("must be an http:// or https:// address of at most 500 characters, without spaces".to_owned());
    }
    if !text.contains("{ref}") {
        return Err(
            "must contain {ref} where the recording reference goes, e.g. https://eyebeam.example/rec/{ref}".to_owned()
        );
    }
    Ok(text.to_owned())
}

fn zone(text: &str) -> Result<String, String> {
    match site_offset(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err("is not supported; use Asia/Jakarta, Asia/Makassar, Asia/Jayapura or UTC".to_owned()),
    }
}

impl Settings {
    /// The configuration these settings describe.
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut config = Config::for_database(&self.database_url);
        config.jwt_secret = self.jwt_secret.clone();
        config.static_dir = self.static_dir.clone();
        config.timezone = self.timezone.clone();
        config.access_ttl = Duration::from_secs(self.access_ttl_secs);
        config.refresh_ttl = Duration::from_secs(self.refresh_ttl_secs);
        config.followup_days = self.followup_days;
        config.verify_days = self.verify_days;
        config.promise_rules = domain::promises::PromiseRules::new(self.promise_threshold_pct, self.promise_grace_days)
            .ok_or_else(|| anyhow::anyhow!("MUTU_PROMISE_THRESHOLD_PCT or MUTU_PROMISE_GRACE_DAYS is out of range"))?;
        config.connections = ConnectionLimits {
            // Bounded to 100,000 by the parser.
            max_connections: usize::try_from(self.max_connections).unwrap_or(DEFAULT_MAX_CONNECTIONS),
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            body_timeout: DEFAULT_STALL_TIMEOUT,
            write_timeout: DEFAULT_STALL_TIMEOUT,
        };
        config.metrics_token = self.metrics_token.clone();
        config.audit_key = self.audit_key.clone();
        config.audit_key_file = self.audit_key_file.clone();
        config.audit_anchor_file = self.audit_anchor_file.clone();
        config.audit_anchor_interval = Duration::from_secs(self.audit_anchor_secs);
        config.recording_url = self.recording_url.clone();
        config.mail = match &self.smtp_url {
            None => None,
            Some(url) => Some(
                crate::mail::MailSettings::from_parts(
                    url,
                    self.mail_from.as_deref(),
                    self.escalate_days,
                    self.mail_hour,
                    self.public_url.as_deref(),
                )
                .map_err(|e| anyhow::anyhow!(e))?,
            ),
        };
        crate::audit::key::check_config(&config)?;
        Ok(config)
    }
}

/// Parses `args` (the program name first) and the `MUTU_*` variables into `P`, a variable set to
/// the empty string counting as unset. Errors are clap's, naming the flag and its variable.
pub fn parse<P: Parser>(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<P, clap::Error> {
    let mut command = P::command();
    let empty: Vec<clap::Id> = command
        .get_arguments()
        .filter(|arg| arg.get_env().and_then(std::env::var_os).is_some_and(|value| value.is_empty()))
        .map(|arg| arg.get_id().clone())
        .collect();
    for id in empty {
        command = command.mut_arg(id, |arg| arg.env(None));
    }
    let matches = command.try_get_matches_from(args)?;
    P::from_arg_matches(&matches)
}

/// The settings from the environment alone (no flags).
#[derive(Parser)]
#[command(name = "mutu")]
struct EnvOnly {
    #[command(flatten)]
    settings: Settings,
}

impl Config {
    /// Reads the `MUTU_*` environment variables.
    pub fn from_env() -> anyhow::Result<Config> {
        Settings::from_env()?.config()
    }
}

impl Settings {
    /// Reads the `MUTU_*` environment variables (no flags).
    pub fn from_env() -> anyhow::Result<Settings> {
        let parsed: EnvOnly = parse([std::ffi::OsString::from("mutu")]).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(parsed.settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> Result<Settings, clap::Error> {
        let parsed: EnvOnly = parse(std::iter::once("mutu").chain(args.iter().copied()).map(Into::into))?;
        Ok(parsed.settings)
    }

    #[test]
    fn every_setting_has_its_documented_default() {
        let config = settings(&[]).expect("defaults").config().expect("config");
        let defaults = Config::for_database("sqlite://mutu.db?mode=rwc");
        assert_eq!(format!("{config:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn out_of_range_values_are_refused_with_the_setting_named() {
        for (flag, value) in [
            ("--max-connections", "15"),
            ("--header-timeout-secs", "0"),
            ("--followup-days", "61"),
            ("--audit-anchor-secs", "5"),
            ("--access-ttl-secs", "soon"),
            ("--timezone", "Europe/Paris"),
            ("--jwt-secret", "short"),
            ("--metrics-token", "short"),
            ("--recording-url", "https://eyebeam.example/rec/"),
            ("--recording-url", "ftp://eyebeam.example/{ref}"),
            ("--recording-url", "https://eyebeam.example/rec/{ref} x"),
        ] {
            let error = settings(&[flag, value]).expect_err(flag).to_string();
            assert!(error.contains(flag), "{flag}: {error}");
        }
    }

    #[test]
    fn values_in_range_are_taken() {
        let config =
            settings(&["--max-connections", "4096", "--header-timeout-secs", "5", "--timezone", "Asia/Makassar"])
                .expect("in range")
                .config()
                .expect("config");
        assert_eq!(config.connections.max_connections, 4096);
        assert_eq!(config.connections.header_timeout, Duration::from_secs(5));
        assert_eq!(config.timezone, "Asia/Makassar");
    }

    #[test]
    fn a_recording_template_needs_its_place_for_the_reference() {
        let error = settings(&["--recording-url", "https://eyebeam.example/rec"]).expect_err("no {ref}").to_string();
        assert!(error.contains("{ref}"), "{error}");
        let config = settings(&["--recording-url", "https://eyebeam.example/rec/{ref}?play=1"])
            .expect("a template")
            .config()
            .expect("config");
        assert_eq!(config.recording_url.as_deref(), Some("https://eyebeam.example/rec/{ref}?play=1"));
    }

    #[test]
    fn the_audit_key_and_its_file_are_not_both_taken() {
        let key = "k".repeat(40);
        assert!(settings(&["--audit-key", &key, "--audit-key-file", "/tmp/k"]).is_err());
    }
}
