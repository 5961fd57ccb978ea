//! Wire types of the agent's dispute and the coordinator's resolution: the dispute as a sheet
//! shows it, the answers kept by an amendment, and the two requests.

use super::score::Answer;
use serde::{Deserialize, Serialize};

crate::codes::code_enum! {
    /// The coordinator's resolution of a dispute: keep the sheet, or amend its answers.
    pub enum DisputeDecision {
        Uphold,
        Amend,
    }
}

/// The agent's dispute, and its resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispute {
    pub reason: String,
    pub disputed_at: String,
    pub decision: Option<DisputeDecision>,
    pub resolution_comment: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

/// The answers as they were before an amendment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amendment {
    pub answers: Vec<Answer>,
    pub score: f64,
    pub fatal: bool,
    pub amended_by: String,
    pub amended_at: String,
}

/// `POST /api/evaluations/{id}/dispute`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeRequest {
    pub reason: String,
}

/// `POST /api/evaluations/{id}/resolve`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveRequest {
    /// `uphold` or `amend`.
    #[cfg_attr(feature = "openapi", schema(example = "uphold"))]
    pub decision: String,
    /// `amend`: the corrected answers (the whole set).
    #[serde(default)]
    pub answers: Option<Vec<Answer>>,
    pub comment: String,
}
