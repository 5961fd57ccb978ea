//! The original file of a revision (PDF or DOCX, checked by content), with its SHA-256.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub revision_id: i32,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub data: Vec<u8>,
    pub uploaded_by: Option<i32>,
    pub uploaded_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
