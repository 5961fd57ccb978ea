//! Calls drawn at random per agent for a period and assigned to QCOs to score.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sampling_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// One sampling request's assignments share it.
    pub batch_id: String,
    pub qco_id: i32,
    pub agent_id: i32,
    /// The agree case the call came from, when sampled from the imported cases.
    pub case_id: Option<i64>,
    pub call_ref: String,
    pub call_at: ChronoDateTimeUtc,
    pub service: Option<domain::cases::Service>,
    pub bucket: Option<domain::cases::Bucket>,
    pub recording_ref: Option<String>,
    pub period_from: String,
    pub period_to: String,
    pub status: domain::scoring::AssignmentStatus,
    pub evaluation_id: Option<i64>,
    pub created_by: i32,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
