//! A good row of an import that is still running: staged here, invisible to every list, until
//! the import's last transaction moves all of its rows into `cases` at once (or the import is
//! discarded). `seq` numbers the good rows of the import in file order; the other columns are
//! those of `cases`, typed alike.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_rows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
