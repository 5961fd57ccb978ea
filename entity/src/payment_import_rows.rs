//! A good row of a payment import that is still running, staged until the import's last
//! transaction moves all of them into `payments` (as `import_rows` is for agrees).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_import_rows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub customer_no: String,
    pub kind: domain::promises::PaymentKind,
    pub payment_ref: String,
    pub paid_at: ChronoDateTimeUtc,
    pub amount: i64,
    pub channel: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
