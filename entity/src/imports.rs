//! One upload of an agree export: file name, SHA-256, who, when and the counts. While it runs
//! `finished_at` is null and `progress_at` is the time of its last batch (or heartbeat); a
//! finished import has both, its hash and its counts.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub filename: String,
    pub sha256: String,
    pub imported_by: i32,
    pub imported_at: ChronoDateTimeUtc,
    pub imported: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub progress_at: Option<ChronoDateTimeUtc>,
    pub finished_at: Option<ChronoDateTimeUtc>,
    /// `cases` (an agree export) or `payments` (a billing export).
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
