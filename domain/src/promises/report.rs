//! The keep-rate report's query string, declared once (see [`crate::filters`]): the server reads
//! and documents it (`IntoParams` with `openapi`) from [`PromiseReportQuery`].

use crate::problems::Problem;
use serde::Deserialize;

crate::codes::code_enum! {
    /// What the keep-rate report's rows are.
    pub enum PromiseGroup {
        Agent,
        Team,
        /// The QC officer who validated the agree.
        Qco,
        /// What QC decided: approved, returned and closed, returned and still open, not validated.
        Result,
        Service,
        Bucket,
        /// The call's month (site time).
        Month,
    }
}

impl crate::filters::FilterWord for PromiseGroup {
    const UNKNOWN: Problem = Problem::UnknownGrouping;
    fn from_word(word: &str) -> Option<Self> {
        word.parse().ok()
    }
}

/// `GET /api/reports/promises`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PromiseReportQuery {
    /// First day of the calls (default: the first of this month).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub from: Option<String>,
    /// Last day of the calls (default: today).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub to: Option<String>,
    /// One team (a team leader's is always their own).
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub team_id: Option<i32>,
    /// `agent` (default), `team`, `qco`, `result`, `service`, `bucket` or `month`.
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub group_by: Option<PromiseGroup>,
    /// `json` (default), `xlsx` or `csv`.
    pub format: Option<String>,
}

/// The `result` groups' keys, in the order the report lists them.
pub const RESULT_KEYS: [&str; 4] = ["approved", "returned_closed", "returned_open", "not_validated"];
