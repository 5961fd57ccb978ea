//! Email notifications (issue 14 item 2), off unless `MUTU_SMTP_URL` is set.
//!
//! - **What is sent:** on every working day, from `MUTU_MAIL_HOUR` (site time), a digest to each
//!   active user with an address who has not turned it off, of what their inbox ("Tugas saya")
//!   holds; to an agent, a reminder the working day before one of their RETURNs is due; to the
//!   agent's team leader, an escalation once a RETURN is overdue by `MUTU_ESCALATE_DAYS` working
//!   days. Revisions waiting for a signature are named in the digests of those who sign them.
//! - **How:** [`tick`] plans ([`plan`]) then sends ([`send`]). Planning inserts one row per
//!   message into `mail_outbox` under a unique key, so two servers or a restart plan each message
//!   once. Sending claims a row with a lease, works out its recipient *then* (the RETURN's agent,
//!   the agent's current team leader; skipped when nobody should get it any more), sends it
//!   and records what was sent. A failure that may pass (no connection, a 4xx) is retried with
//!   backoff; a refusal (5xx) fails at once with the server's reason; neither holds up the others.
//!   The admin sees the outbox (`GET /api/mail/outbox`) and may send a failed message again.

mod compose;
pub mod plan;
pub mod routes;
pub mod send;
mod text;

use crate::state::AppState;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use std::fmt;

/// Tries a failed message again at most this often before it fails for good.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long one server holds a message it is sending.
pub const LEASE_SECS: i64 = 300;
/// How often the serving process plans and sends.
pub const TICK_SECS: u64 = 20;

/// How the connection to the SMTP server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: STARTTLS, required (the default for port 587).
    StartTls,
    /// `smtps://`: TLS from the first byte (port 465).
    Tls,
    /// `smtp://…?tls=none`: plain text, for a relay on the same machine or network.
    None,
}

/// Where mail goes: `MUTU_SMTP_URL` parsed.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<(String, String)>,
}

impl fmt::Debug for SmtpTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTarget")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("credentials", &self.credentials.as_ref().map(|(user, _)| format!("{user}:[redacted]")))
            .finish()
    }
}

impl SmtpTarget {
    /// Reads `smtp://[user:password@]host[:port][?tls=required|none]` (STARTTLS, port 587 by
    /// default) or `smtps://[user:password@]host[:port]` (TLS, port 465). The error never repeats
    /// the password.
    pub fn parse(text: &str) -> Result<SmtpTarget, String> {
        const SHAPE: &str = "MUTU_SMTP_URL must look like smtp://user:password@host:587 (STARTTLS), \
                             smtps://user:password@host:465 (TLS) or smtp://host:25?tls=none";
        let url = url::Url::parse(text.trim()).map_err(|e| format!("{SHAPE} ({e})"))?;
        let (mut security, default_port) = match url.scheme() {
            "smtp" => (Security::StartTls, 587),
            "smtps" => (Security::Tls, 465),
            other => return Err(format!("{SHAPE} (the scheme is {other:?})")),
        };
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| format!("{SHAPE} (no host)"))?;
        if url.path() != "" && url.path() != "/" {
            return Err(format!("{SHAPE} (it has a path)"));
        }
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), value.as_ref(), security) {
                ("tls", "required", _) => {}
                ("tls", "none", Security::StartTls) => security = Security::None,
                _ => return Err(format!("{SHAPE} (unknown option {key}={value})")),
            }
        }
        let decode = |part: &str| {
            percent_encoding::percent_decode_str(part)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| format!("{SHAPE} (the user name or password is not UTF-8)"))
        };
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            (user, Some(password)) if !user.is_empty() => Some((decode(user)?, decode(password)?)),
            _ => return Err(format!("{SHAPE} (a user name needs its password, and a password its user name)")),
        };
        Ok(SmtpTarget {
            host: host.trim_matches(['[', ']']).to_owned(),
            port: url.port().unwrap_or(default_port),
            security,
            credentials,
        })
    }
}

/// Everything the mail work needs; `Config::mail` is `None` when `MUTU_SMTP_URL` is unset.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub smtp: SmtpTarget,
    /// `MUTU_MAIL_FROM`: the sender, `Mutu QC <mutu@example.co.id>`.
    pub from: Mailbox,
    /// `MUTU_ESCALATE_DAYS`: working days a RETURN is overdue before its team leader is told.
    pub escalate_days: u32,
    /// `MUTU_MAIL_HOUR`: the site hour from which a working day's mail goes out.
    pub hour: u32,
    /// `MUTU_PUBLIC_URL`: the address users open Mutu at, for links in the mails.
    pub public_url: Option<String>,
    /// Seconds an SMTP exchange may take.
    pub timeout_secs: u64,
}

impl MailSettings {
    /// The settings of `MUTU_SMTP_URL`, `MUTU_MAIL_FROM` and the rest, checked; one line saying
    /// what is wrong otherwise.
    pub fn from_parts(
        smtp_url: &str,
        from: Option<&str>,
        escalate_days: u32,
        hour: u32,
        public_url: Option<&str>,
    ) -> Result<MailSettings, String> {
        let smtp = SmtpTarget::parse(smtp_url)?;
        let from = from
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .ok_or("MUTU_MAIL_FROM must be set with MUTU_SMTP_URL, e.g. \"Mutu QC <mutu@example.co.id>\"")?;
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("MUTU_MAIL_FROM must be an address such as \"Mutu QC <mutu@example.co.id>\" ({e})"))?;
        let public_url = match public_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u)
                if (u.starts_with("https://") || u.starts_with("http://"))
                    && u.len() <= 300
                    && !u.contains(char::is_whitespace) =>
            {
                Some(u.trim_end_matches('/').to_owned())
            }
            Some(_) => return Err("MUTU_PUBLIC_URL must be an http:// or https:// address without spaces".into()),
        };
        Ok(MailSettings { smtp, from, escalate_days, hour, public_url, timeout_secs: 30 })
    }
}

/// What one [`tick`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub planned: u64,
    pub sent: u64,
    pub failed: u64,
    pub retrying: u64,
    pub skipped: u64,
}

/// Plans what is due at `at` and sends what waits; nothing when mail is off.
pub async fn tick(state: &AppState, at: DateTime<Utc>) -> anyhow::Result<TickReport> {
    let Some(settings) = state.config.mail.clone() else { return Ok(TickReport::default()) };
    let planned = plan::plan(state, &settings, at).await?;
    let mut report = send::send_waiting(state, &settings, at).await?;
    report.planned = planned;
    Ok(report)
}

/// Runs [`tick`] every [`TICK_SECS`] in a serving process (when mail is on).
pub fn spawn(state: &AppState) {
    if state.config.mail.is_none() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(TICK_SECS));
        loop {
            every.tick().await;
            match tick(&state, crate::db::now()).await {
                Ok(report) if report != TickReport::default() => tracing::info!(?report, "mail"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "mail work failed; will retry"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_read_and_bad_ones_named_without_the_password() {
        let t = SmtpTarget::parse("smtp://qc%40site:s3cr%3At@mail.example.co.id").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.security), ("mail.example.co.id", 587, Security::StartTls));
        assert_eq!(t.credentials, Some(("qc@site".into(), "s3cr:t".into())));
        assert!(!format!("{t:?}").contains("s3cr"));
        let t = SmtpTarget::parse("smtps://mail.example.co.id").unwrap();
        assert_eq!((t.port, t.security, t.credentials), (465, Security::Tls, None));
        let t = SmtpTarget::parse("smtp://127.0.0.1:2525?tls=none").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.security), ("127.0.0.1", 2525, Security::None));
        for bad in [
            "mail.example.co.id",
            "http://u:hunter2@mail.example.co.id",
            "smtp://u:hunter2@",
            "smtp://u:hunter2@host/path",
            "smtp://u:hunter2@host?tls=maybe",
            "smtps://u:hunter2@host?tls=none",
            "smtp://u@host",
            "smtp://u:hunter2@host:99999",
        ] {
            let err = SmtpTarget::parse(bad).expect_err(bad);
            assert!(err.starts_with("MUTU_SMTP_URL must look like"), "{err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn the_sender_is_needed_and_checked() {
        let ok = MailSettings::from_parts(
            "smtp://h",
            Some("Mutu QC <mutu@example.co.id>"),
            1,
            7,
            Some("https://mutu.example/"),
        )
        .unwrap();
        assert_eq!(ok.from.email.to_string(), "mutu@example.co.id");
        assert_eq!(ok.public_url.as_deref(), Some("https://mutu.example"));
        assert!(MailSettings::from_parts("smtp://h", None, 1, 7, None).unwrap_err().starts_with("MUTU_MAIL_FROM"));
        assert!(
            MailSettings::from_parts("smtp://h", Some("not an address"), 1, 7, None)
                .unwrap_err()
                .starts_with("MUTU_MAIL_FROM")
        );
        assert!(
            MailSettings::from_parts("smtp://h", Some("a@b.id"), 1, 7, Some("ftp://x"))
                .unwrap_err()
                .starts_with("MUTU_PUBLIC_URL")
        );
    }
}
