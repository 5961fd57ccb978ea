//! Wire types of a sheet: what a QCO sends, the whole sheet, a row of the list and the badge
//! counts.

use super::disputes::{Amendment, Dispute};
use super::score::Answer;
use super::workflow::EvaluationStatus;
use serde::{Deserialize, Serialize};

/// `POST /api/evaluations` and `PUT /api/evaluations/{id}` (a draft; with `version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEvaluation {
    pub form_id: i64,
    pub agent_id: i64,
    pub call_ref: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(deserialize_with = "crate::dates::de::timestamp")]
    pub call_at: String,
    /// `CT0` or `PRANPC`.
    pub service: crate::cases::Service,
    /// `N`, `N1` or `N2`.
    pub bucket: crate::cases::Bucket,
    #[serde(default)]
    pub recording_ref: Option<String>,
    #[serde(default)]
    pub answers: Vec<Answer>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub submit: bool,
    /// PUT only: the version read.
    #[serde(default)]
    pub version: Option<i64>,
    /// Scoring the call of a calibration session.
    #[serde(default)]
    pub calibration_id: Option<i64>,
    /// Scoring a call assigned by sampling.
    #[serde(default)]
    pub assignment_id: Option<i64>,
}

/// An F-18 sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    pub id: i64,
    pub form_id: i64,
    pub form_version: i32,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub qco_id: i64,
    pub qco_name: String,
    pub call_ref: String,
    pub call_at: String,
    pub service: crate::cases::Service,
    pub bucket: crate::cases::Bucket,
    pub recording_ref: Option<String>,
    pub answers: Vec<Answer>,
    pub comment: Option<String>,
    pub score: f64,
    pub fatal: bool,
    pub status: EvaluationStatus,
    pub created_at: String,
    pub submitted_at: Option<String>,
    /// `YYYY-MM-DD`; set on submission.
    pub retain_until: Option<String>,
    pub dispute: Option<Dispute>,
    /// Earlier answers replaced by a resolution, oldest first.
    pub amendments: Vec<Amendment>,
    pub calibration_id: Option<i64>,
    pub version: i64,
    /// When the agent acknowledged the result.
    #[serde(default)]
    pub acknowledged_at: Option<String>,
    /// The sampling assignment this sheet scores, if any.
    #[serde(default)]
    pub assignment_id: Option<i64>,
}

/// One row of `GET /api/evaluations` (the sheet without its answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationSummary {
    pub id: i64,
    pub form_id: i64,
    pub form_version: i32,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub qco_id: i64,
    pub qco_name: String,
    pub call_ref: String,
    pub call_at: String,
    pub service: crate::cases::Service,
    pub bucket: crate::cases::Bucket,
    pub score: f64,
    pub fatal: bool,
    pub status: EvaluationStatus,
    pub submitted_at: Option<String>,
    pub calibration_id: Option<i64>,
}

/// `GET /api/evaluations/summary`: the counts behind the badges (each for the caller's role;
/// zero where it does not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationCounts {
    /// Agent: own results submitted and not yet acknowledged or disputed.
    pub new_results: u32,
    /// QCO: own drafts.
    pub drafts: u32,
    /// QC coordinator: disputes waiting for a resolution.
    pub open_disputes: u32,
    /// QCO: sampled calls assigned and not yet scored.
    pub assigned: u32,
}
