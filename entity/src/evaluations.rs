//! F-18 sheets: one scored call, pinned to a form version. Answers are in `evaluation_answers`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub form_id: i32,
    pub agent_id: i32,
    pub qco_id: i32,
    /// The agent's team when the sheet was made.
    pub team_id: Option<i32>,
    pub call_ref: String,
    pub call_at: ChronoDateTimeUtc,
    pub service: domain::cases::Service,
    pub bucket: domain::cases::Bucket,
    pub recording_ref: Option<String>,
    pub comment: Option<String>,
    pub score: f64,
    pub fatal: bool,
    pub status: domain::scoring::EvaluationStatus,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub submitted_at: Option<ChronoDateTimeUtc>,
    pub acknowledged_at: Option<ChronoDateTimeUtc>,
    /// `YYYY-MM-DD`: the closing day (`retention_from`, site day) plus `retention_months`;
    /// `None` while the sheet is open (a draft, submitted or disputed).
    pub retain_until: Option<String>,
    pub version: i64,
    pub calibration_id: Option<i32>,
    pub assignment_id: Option<i64>,
    pub dispute_reason: Option<String>,
    pub disputed_at: Option<ChronoDateTimeUtc>,
    pub resolution_decision: Option<domain::scoring::DisputeDecision>,
    pub resolution_comment: Option<String>,
    pub resolved_by: Option<i32>,
    pub resolved_at: Option<ChronoDateTimeUtc>,
    /// The form's retention in the register when the sheet was submitted (issue 15).
    pub retention_months: Option<i32>,
    /// What `retain_until` counts from: `acknowledged` or `resolved`.
    pub retention_from: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
