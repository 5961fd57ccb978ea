//! Signatures on revisions: name and position as they were at signing, meaning, time, and the
//! SHA-256 of the exact content signed. `source` is `electronic` or `paper` (imported).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signatures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub revision_id: i32,
    pub meaning: domain::documents::SignatureMeaning,
    pub user_id: Option<i32>,
    pub name: String,
    pub position: String,
    pub signed_at: ChronoDateTimeUtc,
    pub content_sha256: String,
    pub source: domain::documents::SignatureSource,
    /// Set when the revision went back to draft: kept for history, no longer in force.
    pub void: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
