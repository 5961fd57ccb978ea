//! Wire types of `GET /api/reports/parameter-fail-rates`.

use serde::{Deserialize, Serialize};

/// One parameter's results over the sheets of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParameterFailRate {
    pub parameter: String,
    /// The label in the newest form version that has this key.
    pub label: String,
    /// Answered pass or fail (N/A left out).
    pub answered: u32,
    pub failed: u32,
    pub na: u32,
    /// failed / answered × 100, two decimals (0 when nothing was answered).
    pub fail_rate: f64,
}

/// `GET /api/reports/parameter-fail-rates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailRateReport {
    pub from: String,
    pub to: String,
    pub team_id: Option<i64>,
    /// Submitted sheets (not drafts, not calibration sheets) whose call is in the period.
    pub sheets: u32,
    pub parameters: Vec<ParameterFailRate>,
}
