//! F-18 scoring forms, one row per version of a form `code`. `sections` is the definition as
//! JSON text; a published version is never changed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scoring_forms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub version: i32,
    pub title: String,
    /// `draft`, `published` or `retired`.
    pub status: domain::scoring::FormStatus,
    pub document_code: String,
    pub retention_months: i32,
    pub sections: String,
    pub created_by: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
    pub published_at: Option<ChronoDateTimeUtc>,
    pub row_version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
