//! Failed logins in a row per username (known or not), and the lock-out they cause. `failures`
//! counts the attempts of the window, failed or still being checked (`pending` of them).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub username: String,
    pub failures: i32,
    pub first_failed_at: ChronoDateTimeUtc,
    pub locked_until: Option<ChronoDateTimeUtc>,
    pub pending: i32,
    pub last_failed_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
