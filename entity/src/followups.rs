//! A W-03 follow-up of a RETURN: the agent re-cares the customer, QC verifies. `status` is a
//! `domain::cases::FollowupStatus`; `version` grows with every step. `due_at` is the agent's
//! due date of the current round (set at opening and at each reopening).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "followups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub case_id: i32,
    pub validation_id: i32,
    pub agent_id: i32,
    pub team_id: Option<i32>,
    pub recommendation: String,
    pub status: domain::cases::FollowupStatus,
    pub opened_at: ChronoDateTimeUtc,
    pub due_at: ChronoDateTimeUtc,
    pub closed_at: Option<ChronoDateTimeUtc>,
    pub version: i32,
    pub last_comment: Option<String>,
    pub updated_at: ChronoDateTimeUtc,
    /// QC's deadline to verify the re-care, while the follow-up waits for QC (`recared`).
    pub verify_due_at: Option<ChronoDateTimeUtc>,
    /// Re-cares recorded after the due date of their round.
    pub late_recares: i32,
    /// Verifications (close or reopen) made after QC's deadline.
    pub late_verifications: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
