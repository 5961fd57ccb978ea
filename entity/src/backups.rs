//! The backup register: an archive `mutu backup` made of this database (`origin = "made"`), or
//! the one this database was restored from (`origin = "restored"`), with its manifest's figures.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "backups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The manifest's `archive_id` (a UUID): names the archive across databases.
    #[sea_orm(unique)]
    pub archive_id: String,
    /// `made` or `restored`.
    pub origin: String,
    /// When the snapshot was taken.
    pub made_at: ChronoDateTimeUtc,
    pub file_name: String,
    pub size_bytes: i64,
    /// SHA-256 of the archive's `manifest.json`, which holds every part's SHA-256.
    pub manifest_sha256: String,
    pub mutu_version: String,
    /// The last migration applied when the snapshot was taken.
    pub schema_version: String,
    pub audit_seq: i64,
    pub audit_head: String,
    pub tables: i32,
    pub rows_total: i64,
    pub recorded_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
