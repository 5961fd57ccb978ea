//! Request and response bodies of `/api/documents/...` and `/api/me/tasks`
//! (`shared/design/api.md`): the register, revisions and their workflow steps, diffs,
//! read-and-understood confirmations and attachments. Re-exported from [`crate::documents`] and,
//! for the paths the browser app already uses, from [`crate::api`].

use super::{DocKind, RevisionStatus, SignatureMeaning, SignatureSource};
use crate::api::UserRef;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The effective revision of a document, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectiveRevisionRef {
    pub rev: i32,
    /// `Rev.00`.
    pub label: String,
    pub effective_date: Option<String>,
}

/// One entry of the register (`GET /api/documents`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentSummary {
    pub code: String,
    pub kind: DocKind,
    pub title: String,
    pub parent_code: Option<String>,
    pub effective_revision: Option<EffectiveRevisionRef>,
}

/// `POST /api/documents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDocument {
    pub code: String,
    /// `procedure`, `work_instruction` or `form`.
    #[cfg_attr(feature = "openapi", schema(example = "procedure"))]
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub parent_code: Option<String>,
    /// Forms: how long the records they produce are kept.
    #[serde(default)]
    pub retention_months: Option<i32>,
    /// Forms: the function responsible for the records (e.g. `Quality Control`).
    #[serde(default)]
    pub record_owner: Option<String>,
}

/// A revision in a document's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionSummary {
    pub rev: i32,
    pub label: String,
    pub status: RevisionStatus,
    pub title: String,
    pub effective_date: Option<String>,
}

/// `GET /api/documents/{code}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentDetail {
    pub code: String,
    pub kind: DocKind,
    pub title: String,
    pub parent_code: Option<String>,
    pub children: Vec<DocumentSummary>,
    pub retention_months: Option<i32>,
    pub record_owner: Option<String>,
    pub effective_revision: Option<EffectiveRevisionRef>,
    /// Newest first; only those the caller may see.
    pub revisions: Vec<RevisionSummary>,
}

/// `POST /api/documents/{code}/revisions`. Title and body default to the latest revision's
/// (a new revision starts as a copy of the current one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRevision {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    pub change_description: String,
    /// The day (site zone) the document controller plans the revision to take effect; the
    /// approver's dialog starts from it. Also accepted under its older name `effective_date`.
    /// Not before today.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(default, alias = "effective_date", deserialize_with = "crate::dates::de::opt_day")]
    pub planned_effective_date: Option<String>,
}

/// `PATCH /api/documents/{code}/revisions/{rev}` (drafts only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionPatch {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_description: Option<String>,
    /// The planned effective day (`null` clears it; not before today). Also accepted under its
    /// older name `effective_date`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(
        default,
        alias = "effective_date",
        deserialize_with = "crate::dates::de::patch_day",
        skip_serializing_if = "Option::is_none"
    )]
    pub planned_effective_date: Option<Option<String>>,
}

/// `POST …/submit`: the preparer signs.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignRequest {
    pub password: String,
}

impl fmt::Debug for SignRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignRequest { password: [redacted] }")
    }
}

/// `POST …/review` (checker) and `POST …/approve` (approver).
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    /// `approve` or `return`.
    #[cfg_attr(feature = "openapi", schema(example = "approve"))]
    pub decision: String,
    #[serde(default)]
    pub comment: String,
    pub password: String,
    /// Approval only: the calendar day (site zone) the revision takes effect.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub effective_date: Option<String>,
}

impl fmt::Debug for DecisionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecisionRequest").field("decision", &self.decision).finish_non_exhaustive()
    }
}

/// A signature as recorded at signing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signature {
    pub meaning: SignatureMeaning,
    pub name: String,
    pub position: String,
    pub signed_at: String,
    pub content_sha256: String,
    /// `electronic`, or `paper` for signatures recorded from a paper original.
    pub source: SignatureSource,
    /// True when the revision later went back to draft.
    pub void: bool,
}

/// A row of the *Catatan Perubahan Dokumen* table. Every role sees the effective and superseded
/// revisions; document roles (doc_controller, qc_coordinator, manager, admin) also those not yet
/// in force — drafts, revisions in workflow, and approved ones scheduled for a later instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryRow {
    pub rev: i32,
    pub label: String,
    pub status: RevisionStatus,
    pub effective_date: Option<String>,
    /// The effective instant (see [`Revision::effective_at`]).
    pub effective_at: Option<String>,
    pub change_description: String,
}

/// `GET /api/documents/{code}/revisions/{rev}` and the answer of every workflow step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revision {
    pub code: String,
    pub kind: DocKind,
    /// `OB.IN.OCC.TELK.P-01.Rev.00`.
    pub reference: String,
    pub rev: i32,
    pub label: String,
    pub title: String,
    pub body: String,
    pub change_description: String,
    pub status: RevisionStatus,
    /// The day (site zone) the approver set; null until approved.
    pub effective_date: Option<String>,
    /// The effective instant: the later of `effective_date`'s 00:00 in the site zone and the
    /// approval's signature. The revision is in force from here until `superseded_at`.
    pub effective_at: Option<String>,
    /// Approved, with an effective instant still to come: in force only from `effective_at`.
    #[serde(default)]
    pub scheduled: bool,
    pub superseded_at: Option<String>,
    /// The day the document controller planned on the draft (the approver may choose another).
    #[serde(default)]
    pub planned_effective_date: Option<String>,
    pub return_comment: Option<String>,
    pub version: i64,
    /// SHA-256 of the content as it stands (what the next signer signs).
    pub content_sha256: String,
    pub signatures: Vec<Signature>,
    pub history: Vec<HistoryRow>,
    /// Whether the caller has confirmed reading this revision.
    pub acknowledged: bool,
    /// The original file (PDF/DOCX), if one is attached.
    #[serde(default)]
    pub attachment: Option<AttachmentInfo>,
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffLine {
    /// `equal`, `insert` or `delete`.
    pub tag: String,
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    pub text: String,
}

/// `GET …/diff?against=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionDiff {
    pub code: String,
    pub from_rev: i32,
    pub to_rev: i32,
    pub title_changed: bool,
    pub lines: Vec<DiffLine>,
    pub inserted: usize,
    pub deleted: usize,
}

/// One confirmation of reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acknowledgement {
    pub user: UserRef,
    pub acknowledged_at: String,
}

/// `GET …/acknowledgements`: who has and who has not read an effective revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcknowledgementStatus {
    pub code: String,
    pub rev: i32,
    pub acknowledged: Vec<Acknowledgement>,
    pub pending: Vec<UserRef>,
}

/// A revision that waits for someone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionTask {
    pub code: String,
    pub rev: i32,
    pub label: String,
    pub title: String,
    pub status: RevisionStatus,
    pub effective_date: Option<String>,
    /// The effective day planned on the draft.
    #[serde(default)]
    pub planned_effective_date: Option<String>,
    pub return_comment: Option<String>,
}

/// `GET /api/me/tasks`: what waits for the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTasks {
    /// Drafts to finish and submit (document controllers), returned ones first.
    pub drafts: Vec<RevisionTask>,
    /// Revisions in review, to check (QC coordinator).
    pub to_check: Vec<RevisionTask>,
    /// Checked revisions, to approve (manager).
    pub to_approve: Vec<RevisionTask>,
    /// Effective revisions the caller has not yet confirmed reading.
    pub to_read: Vec<RevisionTask>,
}

/// A child document whose parent got a new effective revision after the child's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewFlag {
    pub code: String,
    pub title: String,
    pub parent_code: String,
    pub parent_effective_date: Option<String>,
    pub own_effective_date: Option<String>,
}

/// The original file attached to a revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentInfo {
    pub filename: String,
    /// `application/pdf` or the DOCX type, as recognised from the content.
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
}
