//! Calibration sessions: several QCOs score one call blind, then compare.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calibration_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub form_id: i32,
    pub call_ref: String,
    pub call_at: ChronoDateTimeUtc,
    pub agent_id: i32,
    pub service: domain::cases::Service,
    pub bucket: domain::cases::Bucket,
    pub recording_ref: Option<String>,
    pub status: domain::scoring::CalibrationStatus,
    pub created_by: i32,
    pub created_at: ChronoDateTimeUtc,
    pub closed_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
