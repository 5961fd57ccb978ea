//! The heatmap's roll-up of F-18 answers per site day of the call, team (0: none), agent,
//! service, bucket and parameter key (kept by `scoring::stats` in raw SQL; this entity is how
//! backups read and write it).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parameter_day_stats")]
pub struct Model {
    /// The site day, `YYYY-MM-DD`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agent_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub parameter_key: String,
    pub passed: i64,
    pub failed: i64,
    pub na: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
