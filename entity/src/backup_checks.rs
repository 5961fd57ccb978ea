//! One verification of a registered backup: `verify` (`mutu backup --verify`, into a scratch
//! database) or `restore` (`mutu restore`, into this database), and its result.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "backup_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub backup_id: i32,
    /// `verify` or `restore`.
    pub kind: String,
    pub checked_at: ChronoDateTimeUtc,
    pub ok: bool,
    /// Why it failed, in one line (none when it passed).
    pub problem: Option<String>,
    /// Rows loaded and counted.
    pub rows_total: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
