//! A W-03 follow-up of a RETURN: the agent re-cares the customer, QC verifies. `status` is a
//! `domain::cases::FollowupStatus` name; `version` grows with every step.
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
    pub status: String,
    pub opened_at: ChronoDateTimeUtc,
    pub due_at: ChronoDateTimeUtc,
    pub closed_at: Option<ChronoDateTimeUtc>,
    pub version: i32,
    pub last_comment: Option<String>,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
