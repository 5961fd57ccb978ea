//! The overview's roll-up per site day of the call, team (0: none), service and bucket: the
//! agent-level `dashboard_day_stats` without the agent (kept by `dashboards::rollup` in raw SQL;
//! this entity is how backups read and write it).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dashboard_team_day_stats")]
pub struct Model {
    /// The site day, `YYYY-MM-DD`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: String,
    pub sheets: i64,
    pub fatal: i64,
    pub score_hundredths: i64,
    pub acknowledged: i64,
    pub disputed: i64,
    pub approved: i64,
    pub returned: i64,
    pub closed: i64,
    pub closed_in_time: i64,
    pub recared_in_time: i64,
    pub verified_in_time: i64,
    /// Closed RETURNs QC had reopened at least once.
    pub reopened: i64,
    /// Agrees of the day waiting for validation now (the agree import adds, a validation takes).
    pub pending: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
