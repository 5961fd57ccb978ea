//! The query strings of the case, follow-up and F-19 lists, declared once: the server reads them
//! and documents them (`IntoParams` with `openapi`) from these types. See [`crate::filters`] for
//! how a field's value is read.

use super::{Bucket, CaseStatus, FollowupStatus, Service};
use serde::Deserialize;

/// `GET /api/cases`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CaseFilter {
    /// `pending` is the validation queue (oldest call first); other lists show the latest first.
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub status: Option<CaseStatus>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub agent_id: Option<i32>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub team_id: Option<i32>,
    /// `CT0` or `PRANPC` (also as exports write them: `CT-0`).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub service: Option<Service>,
    /// `N`, `N1`, `N2` (also `N+1`, `N+2`).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub bucket: Option<Bucket>,
    /// The agrees whose promise is stored as `kept`, `broken` or `pending` (the keep-rate
    /// report's drill-down).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub promise: Option<crate::promises::PromiseStatus>,
    /// What QC made of the agree: `approved`, `returned_closed`, `returned_open` or
    /// `not_validated` (the keep-rate report's `result` rows).
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub result: Option<crate::promises::QcOutcome>,
    /// The agrees this QC officer validated.
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub qco_id: Option<i32>,
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

/// `GET /api/followups`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct FollowupFilter {
    #[serde(default, deserialize_with = "crate::filters::de::opt_word")]
    pub status: Option<FollowupStatus>,
    /// Waiting for the agent: open or reopened (what an agent's inbox counts).
    pub open: Option<bool>,
    /// Waiting for the agent (open or reopened) past `due_at`.
    pub overdue: Option<bool>,
    /// Re-cared, waiting for QC past `verify_due_at`.
    pub verify_overdue: Option<bool>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub agent_id: Option<i32>,
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub team_id: Option<i32>,
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// `GET /api/reports/f19`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct F19Query {
    /// First day of the calls (default: the first of this month).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub from: Option<String>,
    /// Last day of the calls (default: today).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub to: Option<String>,
    /// One team (a team leader's is always their own).
    #[serde(default, deserialize_with = "crate::filters::de::opt_id")]
    pub team_id: Option<i32>,
    /// `json` (default), `xlsx` or `csv`.
    pub format: Option<String>,
}

/// `GET /api/reports/reconciliation`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ReconciliationQuery {
    /// First day of the calls (default: the first of this month).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub from: Option<String>,
    /// Last day of the calls (default: today).
    #[serde(default, deserialize_with = "crate::dates::de::opt_day")]
    pub to: Option<String>,
    /// Pending longer than this many days after the call (default 2, at most 365).
    pub days: Option<u32>,
}
