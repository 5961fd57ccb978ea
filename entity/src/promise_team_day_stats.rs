//! `promise_day_stats` without the agent and the QC officer: per site day of the call, team (0:
//! none), QC's outcome, service and bucket (kept by `promises::rollup`; this entity is how
//! backups read and write it).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promise_team_day_stats")]
pub struct Model {
    /// The site day, `YYYY-MM-DD`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub outcome: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: String,
    pub kept: i64,
    pub broken: i64,
    pub pending: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
