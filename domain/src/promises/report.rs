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
    /// `CT0` or `PRANPC` (also as exports write them: `CT-0`): that service's agrees only.
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub service: Option<crate::cases::Service>,
    /// `N`, `N1` or `N2` (also `N+1`): that bucket's agrees only.
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub bucket: Option<crate::cases::Bucket>,
    /// `agent` (default), `team`, `qco`, `result`, `service`, `bucket` or `month`.
    #[serde(default, deserialize_with = "crate::filters::de::opt_exact_word")]
    pub group_by: Option<PromiseGroup>,
    /// `json` (default), `xlsx` or `csv`.
    pub format: Option<String>,
}

crate::codes::code_enum! {
    /// What QC made of an agree, as the keep-rate report's `result` rows and the case list's
    /// `result` filter (its drill-down) tell them apart, in the order the report lists them.
    pub enum QcOutcome {
        Approved,
        /// RETURNed, and its follow-up closed.
        ReturnedClosed,
        /// RETURNed, its follow-up not closed (yet).
        ReturnedOpen,
        NotValidated,
    }
}

impl crate::filters::FilterWord for QcOutcome {
    const UNKNOWN: Problem = Problem::UnknownStatus;
    fn from_word(word: &str) -> Option<Self> {
        word.parse().ok()
    }
}

impl QcOutcome {
    /// The English words of the report's rows and files.
    pub fn english(self) -> &'static str {
        match self {
            QcOutcome::Approved => "APPROVED",
            QcOutcome::ReturnedClosed => "RETURN, closed",
            QcOutcome::ReturnedOpen => "RETURN, still open",
            QcOutcome::NotValidated => "Not validated yet",
        }
    }
}
