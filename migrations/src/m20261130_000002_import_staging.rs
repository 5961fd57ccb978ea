//! The all-or-nothing import: a running import's good rows are staged in `import_rows` (no list
//! reads it) and its refused rows kept in `import_rejections` (all of them, for the CSV
//! download); `imports` gets `progress_at` (the last batch or heartbeat of a running import) and
//! `finished_at` (null while it runs), so that imports whose server died can be found and
//! discarded. Imports recorded before this migration count as finished.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000001_import_staging"
    }
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    ProgressAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum ImportRows {
    Table,
    ImportId,
    Seq,
    CustomerNo,
    CustomerName,
    Service,
    Bucket,
    BillAmount,
    AgentId,
    TeamId,
    CallAt,
    Reason,
    PromiseDate,
    RecordingRef,
}

#[derive(DeriveIden)]
enum ImportRejections {
    Table,
    ImportId,
    Seq,
    RowNo,
    Error,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Imports::Table)
                    .add_column(timestamp_with_time_zone_null(Imports::ProgressAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Imports::Table)
                    .add_column(timestamp_with_time_zone_null(Imports::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("UPDATE imports SET progress_at = imported_at, finished_at = imported_at")
            .await?;
        // Columns typed as those of `cases`, so that `INSERT … SELECT` copies values unchanged
        // (the unique key compares `call_at` as stored). No foreign keys: checking them would
        // cost every staged row, and the import's own transactions keep the table consistent.
        manager
            .create_table(
                Table::create()
                    .table(ImportRows::Table)
                    .col(integer(ImportRows::ImportId))
                    .col(big_integer(ImportRows::Seq))
                    .col(string_len(ImportRows::CustomerNo, 40))
                    .col(string_len(ImportRows::CustomerName, 200))
                    .col(string_len(ImportRows::Service, 8))
                    .col(string_len(ImportRows::Bucket, 4))
                    .col(big_integer(ImportRows::BillAmount))
                    .col(integer(ImportRows::AgentId))
                    .col(integer_null(ImportRows::TeamId))
                    .col(timestamp_with_time_zone(ImportRows::CallAt))
                    .col(text(ImportRows::Reason))
                    .col(string_len(ImportRows::PromiseDate, 10))
                    .col(string_len(ImportRows::RecordingRef, 100))
                    .primary_key(Index::create().col(ImportRows::ImportId).col(ImportRows::Seq))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportRejections::Table)
                    .col(integer(ImportRejections::ImportId))
                    .col(big_integer(ImportRejections::Seq))
                    .col(big_integer(ImportRejections::RowNo))
                    .col(text(ImportRejections::Error))
                    .primary_key(Index::create().col(ImportRejections::ImportId).col(ImportRejections::Seq))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
