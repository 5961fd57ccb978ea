//! Email notifications (issue 14 item 2): what kinds of message Mutu sends, the states of a
//! message in the outbox, and the outbox as the admin sees it. The server plans and sends them
//! (`backend/src/mail`); nothing here knows SMTP.

use serde::{Deserialize, Serialize};

crate::codes::code_enum! {
    /// What a message is for.
    pub enum MailKind {
        /// The daily digest of what a person's inbox holds ("Tugas saya").
        Digest,
        /// To an agent, the working day before one of their RETURNs is due.
        DueReminder,
        /// To the agent's team leader, when a RETURN is overdue by `MUTU_ESCALATE_DAYS` working days.
        Escalation,
    }
}

crate::codes::code_enum! {
    /// Where a message stands.
    pub enum MailStatus {
        /// Waiting to be sent (for the first time, or again after a failure that may pass).
        Pending,
        /// Accepted by the SMTP server.
        Sent,
        /// Refused for good (the server refused the address, or every retry failed).
        Failed,
        /// Not sent, because by the time it was due nobody should get it (the recipient was
        /// deactivated or reassigned, turned the digest off, has no address, or the RETURN was
        /// re-cared meanwhile; a digest with nothing in it).
        Skipped,
    }
}

/// One message of the outbox (`GET /api/mail/outbox`, admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: MailKind,
    pub status: MailStatus,
    /// The person it is for (worked out when it was planned; checked again before sending).
    pub recipient: crate::api::UserRef,
    /// The address it went to (or was tried at).
    pub to_address: Option<String>,
    /// As sent (empty before the first attempt).
    pub subject: Option<String>,
    pub attempts: u32,
    /// Why the last attempt failed, or why the message was skipped.
    pub last_error: Option<String>,
    pub created_at: String,
    /// When it is tried next (pending messages).
    pub next_attempt_at: Option<String>,
    pub sent_at: Option<String>,
}

/// `GET /api/mail/outbox`: newest first, of one status or kind.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct OutboxFilter {
    /// `pending`, `sent`, `failed` or `skipped` (empty: all).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub status: Option<MailStatus>,
    /// `digest`, `due_reminder` or `escalation` (empty: all).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub kind: Option<MailKind>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The outbox counted by status, for the admin's card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxSummary {
    /// Whether `MUTU_SMTP_URL` is set: when it is not, nothing is planned or sent.
    pub enabled: bool,
    pub pending: u64,
    pub sent: u64,
    pub failed: u64,
    pub skipped: u64,
}

/// `PUT /api/me/digest`: whether the caller gets the daily digest by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DigestChoice {
    pub digest: bool,
}

/// Checks an email address as Mutu stores it: one `@` between a local part and a domain with a
/// dot, no spaces, control characters or brackets, at most 254 characters (RFC 5321's path).
pub fn check_email(text: &str) -> Result<(), crate::problems::Problem> {
    use crate::problems::Problem;
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    if text.len() > 254 {
        return Err(Problem::TooLong);
    }
    let bad = |c: char| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | ':' | '\\' | '"' | '[' | ']')
    };
    if text.chars().any(bad) {
        return Err(Problem::InvalidEmail);
    }
    let Some((local, domain)) = text.split_once('@') else { return Err(Problem::InvalidEmail) };
    let labels_ok = domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty() || local.len() > 64 || domain.contains('@') || !domain.contains('.') || !labels_ok {
        return Err(Problem::InvalidEmail);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problems::Problem;

    #[test]
    fn addresses_are_checked() {
        for good in ["siti@telkom.co.id", "a.b+qc@example.com", " agent1@mutu.example "] {
            assert_eq!(check_email(good), Ok(()), "{good}");
        }
        assert_eq!(check_email(""), Err(Problem::Required));
        assert_eq!(check_email(&format!("{}@example.com", "a".repeat(250))), Err(Problem::TooLong));
        for bad in [
            "siti",
            "siti@",
            "@telkom.co.id",
            "siti@telkom",
            "a@b@c.id",
            "si ti@x.id",
            "s<i>@x.id",
            "a@x..id",
            "a@-x.id",
            "a\n@x.id",
        ] {
            assert_eq!(check_email(bad), Err(Problem::InvalidEmail), "{bad:?}");
        }
    }

    #[test]
    fn kinds_and_statuses_have_their_stored_words() {
        assert_eq!(MailKind::DueReminder.to_string(), "due_reminder");
        assert_eq!("skipped".parse::<MailStatus>(), Ok(MailStatus::Skipped));
    }
}
