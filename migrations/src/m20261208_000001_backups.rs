//! The backup register (issue 15 items 5 and 6): `backups`, one row per archive `mutu backup`
//! made of this database (or, in a restored database, the archive it was restored from), and
//! `backup_checks`, each verification of one (`mutu backup --verify`, `mutu restore`) with its
//! result. Disposal certificates will list the backups made before them from here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000001_backups"
    }
}

#[derive(DeriveIden)]
enum Backups {
    Table,
    Id,
    ArchiveId,
    Origin,
    MadeAt,
    FileName,
    SizeBytes,
    ManifestSha256,
    MutuVersion,
    SchemaVersion,
    AuditSeq,
    AuditHead,
    Tables,
    RowsTotal,
    RecordedAt,
}

#[derive(DeriveIden)]
enum BackupChecks {
    Table,
    Id,
    BackupId,
    Kind,
    CheckedAt,
    Ok,
    Problem,
    RowsTotal,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Backups::Table)
                    .col(pk_auto(Backups::Id))
                    .col(string_len_uniq(Backups::ArchiveId, 36))
                    .col(string_len(Backups::Origin, 16))
                    .col(timestamp_with_time_zone(Backups::MadeAt))
                    .col(text(Backups::FileName))
                    .col(big_integer(Backups::SizeBytes))
                    .col(string_len(Backups::ManifestSha256, 64))
                    .col(string_len(Backups::MutuVersion, 32))
                    .col(string_len(Backups::SchemaVersion, 120))
                    .col(big_integer(Backups::AuditSeq))
                    .col(string_len(Backups::AuditHead, 64))
                    .col(integer(Backups::Tables))
                    .col(big_integer(Backups::RowsTotal))
                    .col(timestamp_with_time_zone(Backups::RecordedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BackupChecks::Table)
                    .col(pk_auto(BackupChecks::Id))
                    .col(integer(BackupChecks::BackupId))
                    .col(string_len(BackupChecks::Kind, 16))
                    .col(timestamp_with_time_zone(BackupChecks::CheckedAt))
                    .col(boolean(BackupChecks::Ok))
                    .col(text_null(BackupChecks::Problem))
                    .col(big_integer(BackupChecks::RowsTotal))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BackupChecks::Table, BackupChecks::BackupId)
                            .to(Backups::Table, Backups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_backup_checks_backup")
                    .table(BackupChecks::Table)
                    .col(BackupChecks::BackupId)
                    .col(BackupChecks::Id)
                    .to_owned(),
            )
            .await
    }
}
