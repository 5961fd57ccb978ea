//! The answers, score and fatal flag of a sheet as they were before a dispute's amendment.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_amendments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub evaluation_id: i64,
    /// JSON text: the old `[{parameter, value, comment?, moment?}]`.
    pub old_answers: String,
    pub old_score: f64,
    pub old_fatal: bool,
    pub comment: Option<String>,
    pub amended_by: i32,
    pub amended_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
