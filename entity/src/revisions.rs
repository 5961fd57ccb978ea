//! Revisions `Rev.00`, `Rev.01`, … of a document and where each stands in the workflow.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    pub rev: i32,
    pub title: String,
    pub body: String,
    pub change_description: String,
    pub status: domain::documents::RevisionStatus,
    /// The calendar day (`YYYY-MM-DD`, site zone) the approver set for it to take effect.
    pub effective_date: Option<String>,
    /// The instant it takes (or took) effect: the later of 00:00 of `effective_date` in the site
    /// zone and the approval's signature.
    pub effective_at: Option<ChronoDateTimeUtc>,
    /// The day (`YYYY-MM-DD`, site zone) the document controller planned on the draft.
    pub planned_effective_date: Option<String>,
    pub superseded_at: Option<ChronoDateTimeUtc>,
    pub return_comment: Option<String>,
    pub version: i32,
    pub created_by: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
