//! A payment or a reversal a billing export listed (issue 16), unique by customer, kind and
//! reference. `paid_at` is UTC; a reversal's `payment_ref` names the payment it undoes.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_no: String,
    pub kind: domain::promises::PaymentKind,
    pub payment_ref: String,
    pub paid_at: ChronoDateTimeUtc,
    pub amount: i64,
    pub channel: Option<String>,
    pub import_id: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
