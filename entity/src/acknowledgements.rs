//! "Read and understood" confirmations, one per user and revision.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acknowledgements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub revision_id: i32,
    pub user_id: i32,
    pub acknowledged_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
