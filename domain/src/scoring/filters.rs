//! The query strings of the F-18 lists and the fail-rate report, declared once: the server reads
//! them and documents them (`IntoParams` with `openapi`) from these types. See [`crate::filters`]
//! for how a field's value is read.

use super::{AssignmentStatus, CalibrationStatus, EvaluationStatus, FormStatus};
use serde::Deserialize;

/// `GET /api/evaluations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct EvaluationFilter {
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub agent_id: Option<i32>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub qco_id: Option<i32>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub team_id: Option<i32>,
    /// The sheets of one calibration session (never shown to agents and team leaders).
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub calibration_id: Option<i32>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub status: Option<EvaluationStatus>,
    /// `CT0` or `PRANPC` (empty: any).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub service: Option<crate::cases::Service>,
    /// `N`, `N1` or `N2` (empty: any).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub bucket: Option<crate::cases::Bucket>,
    /// Only sheets with (`true`) or without (`false`) a failed fatal parameter.
    pub fatal: Option<bool>,
    /// Only sheets the agent disputed (`true`: disputed or resolved), as the dispute rate counts
    /// them.
    pub disputed: Option<bool>,
    /// `true`: only sheets sent to the agent (no drafts), the sheets the dashboards count.
    pub submitted: Option<bool>,
    /// A parameter key (`[a-z0-9_]`, 1–64): only the counted sheets (submitted, not calibration)
    /// that answered it `fail` — a heatmap cell's drill-down, as many as the cell's fails.
    pub failed: Option<String>,
    /// First day of the call (`YYYY-MM-DD`, site day, inclusive).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub from: Option<String>,
    /// Last day of the call (inclusive).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub to: Option<String>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// `GET /api/scoring-forms`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct FormFilter {
    /// One form's versions.
    pub code: Option<String>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub status: Option<FormStatus>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// `GET /api/sampling/assignments`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AssignmentFilter {
    /// One QC officer's (the coordinator's filter; a QCO sees their own).
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub qco_id: Option<i32>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub status: Option<AssignmentStatus>,
    /// One sampling run's.
    pub batch_id: Option<String>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// `GET /api/calibrations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CalibrationFilter {
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub status: Option<CalibrationStatus>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// `GET /api/reports/parameter-fail-rates`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct FailRateQuery {
    /// One team (a team leader's is always their own).
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub team_id: Option<i32>,
    /// First day of the calls (required).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    #[cfg_attr(feature = "openapi", param(required))]
    pub from: Option<String>,
    /// Last day of the calls (required).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    #[cfg_attr(feature = "openapi", param(required))]
    pub to: Option<String>,
}
