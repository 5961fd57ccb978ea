//! Words the server records about its own work: the action of every audit entry it writes, and
//! why a session ended. Both are stored as they are spelt here (TEXT columns).

crate::codes::code_enum! {
    /// The action of an audit entry the server writes (`audit_log.action`): `<entity>.<what
    /// happened>`. Only the writing side is typed; the audit list and the chain's check read the
    /// stored text as it is, so entries written by older versions (or forged ones) still show.
    pub enum AuditAction {
        AuditChainKeyed = "audit.chain_keyed",
        AuditTriggersRestored = "audit.triggers_restored",
        AuthLockout = "auth.lockout",
        AuthLogin = "auth.login",
        AuthLoginFailed = "auth.login_failed",
        AuthLogout = "auth.logout",
        AuthReauthFailed = "auth.reauth_failed",
        AuthRefreshReuse = "auth.refresh_reuse",
        BackupMade = "backup.made",
        BackupRestored = "backup.restored",
        BackupVerified = "backup.verified",
        CalibrationClosed = "calibration.closed",
        CalibrationCreated = "calibration.created",
        CaseValidated = "case.validated",
        CasesImportDiscarded = "cases.import_discarded",
        CasesImported = "cases.imported",
        ChecklistVersionSigned = "checklist.version_signed",
        DemoLoaded = "demo.loaded",
        DispositionApproved = "disposition.approved",
        DispositionConfirmed = "disposition.confirmed",
        DispositionFinished = "disposition.finished",
        DocumentCreated = "document.created",
        DocumentImported = "document.imported",
        EvaluationAcknowledged = "evaluation.acknowledged",
        EvaluationDisputed = "evaluation.disputed",
        EvaluationDrafted = "evaluation.drafted",
        EvaluationEdited = "evaluation.edited",
        EvaluationResolved = "evaluation.resolved",
        EvaluationSubmitted = "evaluation.submitted",
        FollowupClosed = "followup.closed",
        FollowupRecared = "followup.recared",
        FollowupReopened = "followup.reopened",
        HoldPlaced = "hold.placed",
        HoldReleased = "hold.released",
        MailFailed = "mail.failed",
        MailRetried = "mail.retried",
        MailSent = "mail.sent",
        PaymentsImportDiscarded = "payments.import_discarded",
        PaymentsImported = "payments.imported",
        RecordsDisposed = "records.disposed",
        RevisionAcknowledged = "revision.acknowledged",
        RevisionApproved = "revision.approved",
        RevisionAttachment = "revision.attachment",
        RevisionChecked = "revision.checked",
        RevisionCreated = "revision.created",
        RevisionEdited = "revision.edited",
        RevisionEffective = "revision.effective",
        RevisionReturned = "revision.returned",
        RevisionSubmitted = "revision.submitted",
        RevisionSuperseded = "revision.superseded",
        SamplingAssigned = "sampling.assigned",
        ScoringFormCreated = "scoring_form.created",
        ScoringFormEdited = "scoring_form.edited",
        ScoringFormPublished = "scoring_form.published",
        TeamCreated = "team.created",
        TeamUpdated = "team.updated",
        UserCreated = "user.created",
        UserDigestChanged = "user.digest_changed",
        UserPasswordChanged = "user.password_changed",
        UserPasswordReset = "user.password_reset",
        UserUnlocked = "user.unlocked",
        UserUpdated = "user.updated",
    }
}

crate::codes::code_enum! {
    /// Why a session ended (`sessions.revoked_reason`).
    pub enum SessionEnd {
        /// The user logged out (or logged out everywhere).
        Logout,
        /// A spent refresh token was presented again.
        RefreshReuse,
        /// The password was changed (every other session ends).
        PasswordChange,
        /// The account was deactivated.
        Deactivated,
        /// The admin set a one-time password.
        PasswordReset,
    }
}

/// `GET /api/audit` (newest first).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AuditFilter {
    /// One kind of record's entries (`revision`, `case`, `user`, …).
    pub entity: Option<String>,
    /// A username (or a numeric user id).
    pub actor: Option<String>,
    /// From this RFC 3339 instant (inclusive) or `YYYY-MM-DD` site day (its first instant).
    pub from: Option<String>,
    /// Before this RFC 3339 instant (exclusive) or up to this `YYYY-MM-DD` site day (inclusive).
    pub to: Option<String>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}
