//! An agree's promise as last evaluated (`domain::promises::evaluate`): its status, due day
//! (`YYYY-MM-DD`, site day), the amounts and the day the threshold was reached. Recomputed after
//! each payment import and at each day's end; `evaluated_on` is the site day it was evaluated as
//! of. The report counts these rows; the case page evaluates the customer afresh.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_promises")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i32,
    pub customer_no: String,
    pub status: domain::promises::PromiseStatus,
    pub due_date: String,
    pub promised_amount: i64,
    pub paid_amount: i64,
    pub reached_on: Option<String>,
    pub evaluated_on: String,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
