//! An agree case of F-19: one customer's promise to pay taken by an agent, imported from the
//! MyCX/TAMARA export. `status` is a `domain::cases::CaseStatus`; `call_at` is UTC.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_no: String,
    pub customer_name: String,
    pub service: domain::cases::Service,
    pub bucket: domain::cases::Bucket,
    pub bill_amount: i64,
    pub agent_id: i32,
    pub team_id: Option<i32>,
    pub call_at: ChronoDateTimeUtc,
    pub reason: String,
    pub promise_date: String,
    pub recording_ref: String,
    pub status: domain::cases::CaseStatus,
    pub imported_at: ChronoDateTimeUtc,
    pub imported_by: Option<i32>,
    pub import_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
