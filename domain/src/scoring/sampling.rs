//! Wire types of sampling: calls drawn at random per agent and assigned to QCOs' queues.

use serde::{Deserialize, Serialize};

crate::codes::code_enum! {
    /// Where a sampled call stands in its QCO's queue: pending until its sheet is submitted, then done.
    pub enum AssignmentStatus {
        Pending,
        Done,
    }
}

/// A call given inline to `POST /api/sampling` (instead of the imported cases).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingCall {
    pub agent_id: i64,
    pub call_ref: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(deserialize_with = "crate::dates::de::timestamp")]
    pub call_at: String,
    #[serde(default)]
    pub service: Option<crate::cases::Service>,
    #[serde(default)]
    pub bucket: Option<crate::cases::Bucket>,
    #[serde(default)]
    pub recording_ref: Option<String>,
}

/// `POST /api/sampling`: `per_agent` random calls per agent whose call falls in `from`..=`to`
/// (site days), assigned round-robin to `qco_ids`. The calls come from `calls` when given,
/// else from the imported agree cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingRequest {
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(deserialize_with = "crate::dates::de::day")]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    #[serde(deserialize_with = "crate::dates::de::day")]
    pub to: String,
    pub per_agent: u32,
    pub qco_ids: Vec<i64>,
    #[serde(default)]
    pub team_id: Option<i64>,
    /// Makes the draw repeatable.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub calls: Option<Vec<SamplingCall>>,
}

/// A sampled call in a QCO's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingAssignment {
    pub id: i64,
    pub batch_id: String,
    pub qco_id: i64,
    pub qco_name: String,
    pub agent_id: i64,
    pub agent_username: String,
    pub agent_name: String,
    pub case_id: Option<i64>,
    pub call_ref: String,
    pub call_at: String,
    pub service: Option<crate::cases::Service>,
    pub bucket: Option<crate::cases::Bucket>,
    pub recording_ref: Option<String>,
    pub period_from: String,
    pub period_to: String,
    pub status: AssignmentStatus,
    pub evaluation_id: Option<i64>,
}

/// The answer to `POST /api/sampling`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplingResult {
    pub batch_id: String,
    /// Where the calls came from: `calls` (given inline) or `cases`.
    pub source: String,
    pub assignments: Vec<SamplingAssignment>,
    /// Agents with fewer calls in the period than asked for, with how many they had.
    pub short: Vec<(i64, u32)>,
}
