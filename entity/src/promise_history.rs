//! Every change of an agree's promise status, with what was paid then and what caused it
//! (`import:<id>`, `day_end`, `case`): a reversal that breaks a kept promise keeps its kept.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promise_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i32,
    pub at: ChronoDateTimeUtc,
    pub status: domain::promises::PromiseStatus,
    pub paid_amount: i64,
    pub cause: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
