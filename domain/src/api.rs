//! Request and response bodies of the HTTP API (`shared/design/api.md`), shared by the server and
//! the browser app so that both sides agree on every field name. Each capability's own bodies live
//! beside the rest of it (documents' in [`crate::documents`], users' and teams' in [`crate::users`]),
//! re-exported here so that `domain::api::Revision`, `domain::api::User` and the like keep working.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use crate::users::{
    NewTeam, NewUser, PasswordReset, RoleCount, Team, TeamPatch, TeamRef, User, UserPatch, UserRef, UserSummary,
};

pub use crate::documents::{
    Acknowledgement, AcknowledgementStatus, AttachmentInfo, DecisionRequest, DiffLine, DocumentDetail, DocumentSummary,
    EffectiveRevisionRef, HistoryRow, MyTasks, NewDocument, NewRevision, ReviewFlag, Revision, RevisionDiff,
    RevisionPatch, RevisionSummary, RevisionTask, SignRequest, Signature,
};

/// The body of every error response: a machine code, a human message, and per-field problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// The agree import's refusal of a whole file, with what it names (its `code` is also
    /// `fields.file`): what the browser words in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_problem: Option<Box<crate::cases::FileProblem>>,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
}

/// `GET /api/site`: the site's time zone (`MUTU_TIMEZONE`), in which the browser shows every time
/// and reads every time typed into a form. Public: the login page needs it as much as any other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    /// The IANA name, e.g. `Asia/Makassar`.
    pub timezone: String,
    /// What the site calls it: `WIB`, `WITA`, `WIT` (or `UTC`).
    pub zone: String,
    /// Seconds east of UTC (Indonesia keeps no daylight saving time).
    pub utc_offset_seconds: i32,
    /// Where recordings are played, `{ref}` standing for a recording reference (unset: the
    /// references are shown as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
}

/// `POST /api/auth/login`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest").field("username", &self.username).field("password", &"[redacted]").finish()
    }
}

/// `POST /api/auth/refresh` and `POST /api/auth/logout`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

impl fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshRequest { refresh_token: [redacted] }")
    }
}

/// The answer to a login or a refresh: a new token pair and the user it belongs to.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub user: User,
}

impl fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenPair")
            .field("expires_in", &self.expires_in)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// `POST /api/me/password`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

impl fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordChange { [redacted] }")
    }
}

/// One page of a list: `{"items": [...], "next_cursor": "..." | null}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub payload: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// `GET /api/audit/verify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    pub ok: bool,
    /// How many entries were checked.
    pub entries: i64,
    /// The hash of the last entry (the chain's head), if any.
    pub head: Option<String>,
    /// The sequence number of the first entry that does not verify (for missing entries, the
    /// first one missing).
    pub first_bad: Option<i64>,
    /// Why the chain does not verify (null when `ok`).
    #[serde(default)]
    pub problem: Option<ChainProblem>,
    /// Entries from this sequence number on are keyed (HMAC); earlier ones were written before
    /// the chain was keyed and are plain SHA-256, pinned by the keyed chain record.
    #[serde(default)]
    pub keyed_from: Option<i64>,
    /// The latest signed anchor this server could read, and whether the chain still matches it.
    #[serde(default)]
    pub anchor: Option<AnchorCheck>,
}

crate::codes::code_enum! {
    /// Why an audit chain does not verify.
    pub enum ChainProblem {
        /// An entry's hash, link or sequence number is wrong (`first_bad` names it).
        EntryMismatch,
        /// `audit_head` does not name the last entry.
        HeadMismatch,
        /// Entries the keyed chain record vouches for are gone.
        EntriesMissing,
        /// The chain record (chain id, keyed-from sequence number) is missing or its MAC is wrong.
        ChainRecordInvalid,
        /// A signed anchor names a sequence number past the head: the log was cut back.
        AnchorPastHead,
        /// The entry at an anchor's sequence number is not the one that was anchored.
        AnchorMismatch,
    }
}

/// A signed statement that the audit chain's entry `seq` had hash `hash` at time `at`. The
/// server writes one every few minutes to its log and to an anchor file outside the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditAnchor {
    pub seq: i64,
    pub hash: String,
    /// RFC 3339 UTC.
    pub at: String,
}

/// An anchor and whether the chain still matches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnchorCheck {
    pub anchor: AuditAnchor,
    /// The chain reaches `anchor.seq` and its entry there has `anchor.hash`.
    pub matches: bool,
}

/// `GET /api/audit/anchor`: the latest anchor, checked against the chain in one look-up (the
/// full walk is `GET /api/audit/verify`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnchorStatus {
    /// The chain's last sequence number.
    pub head_seq: i64,
    /// Null before the first anchor.
    pub latest: Option<AnchorCheck>,
    /// Seconds between anchors.
    pub interval_secs: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_absent_from_null() {
        let absent: UserPatch = serde_json::from_str(r#"{"version":1}"#).unwrap();
        assert_eq!(absent.team_id, None);
        let null: UserPatch = serde_json::from_str(r#"{"version":1,"team_id":null}"#).unwrap();
        assert_eq!(null.team_id, Some(None));
        let set: UserPatch = serde_json::from_str(r#"{"version":1,"team_id":7}"#).unwrap();
        assert_eq!(set.team_id, Some(Some(7)));
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let login = LoginRequest { username: "a".into(), password: "hunter2-secret".into() };
        assert!(!format!("{login:?}").contains("hunter2"));
        let change = PasswordChange { current_password: "old-secret".into(), new_password: "new-secret".into() };
        assert!(!format!("{change:?}").contains("secret"));
    }

    #[test]
    fn error_body_omits_fields_when_none() {
        let body = ErrorBody { error: "not_found".into(), message: "x".into(), fields: None, file_problem: None };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"error":"not_found","message":"x"}"#);
    }
}
