//! The records lifecycle (issue 15 items 1–4): each F-18 sheet and F-19 validation keeps the
//! retention its form had in the register when the record was made (`retention_months`) and the
//! event its `retain_until` counts from (`retention_from`, set when the record closes); legal
//! holds; disposition batches, approved and confirmed by two people; and the tombstones the
//! disposed records leave.
//!
//! Rows made before this migration get their retention at the next start
//! (`records::retention::ensure`), which knows the site's time zone.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000001_records"
    }
}

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
    RetentionMonths,
    RetentionFrom,
    RetainUntil,
}

#[derive(DeriveIden)]
enum Validations {
    Table,
    Id,
    RetentionMonths,
    RetentionFrom,
    RetainUntil,
}

#[derive(DeriveIden)]
enum Followups {
    Table,
    CaseId,
    ValidationId,
}

#[derive(DeriveIden)]
enum LegalHolds {
    Table,
    Id,
    Form,
    RecordIds,
    AgentId,
    TeamId,
    CustomerNo,
    FromDay,
    ToDay,
    Reason,
    PlacedBy,
    PlacedByName,
    PlacedAt,
    ReleasedBy,
    ReleasedByName,
    ReleasedAt,
    ReleaseReason,
}

#[derive(DeriveIden)]
enum Dispositions {
    Table,
    Id,
    Form,
    FormTitle,
    RetentionMonths,
    ThroughMonth,
    RecordIds,
    Status,
    DueCount,
    ApprovedBy,
    ApprovedByName,
    ApprovedAt,
    ConfirmedBy,
    ConfirmedByName,
    ConfirmedAt,
    Disposed,
    Withheld,
    MerkleRoot,
    FinishedAt,
    Certificate,
}

#[derive(DeriveIden)]
enum DisposedRecords {
    Table,
    Id,
    DispositionId,
    Form,
    RecordId,
    Period,
    RetainUntil,
    Sha256,
    DisposedAt,
    TeamId,
    AgentId,
    Service,
    Bucket,
    CallAt,
    Approved,
    Returned,
    ClosedInTime,
    RecaredInTime,
    VerifiedInTime,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [integer_null(Evaluations::RetentionMonths), string_len_null(Evaluations::RetentionFrom, 16)] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Evaluations::Table).add_column(&mut column).to_owned()).await?;
        }
        for column in [integer_null(Validations::RetentionMonths), string_len_null(Validations::RetentionFrom, 16)] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Validations::Table).add_column(&mut column).to_owned()).await?;
        }
        // The due lists read closed records by date; a disposal walks them in this order.
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluations_retain_until")
                    .table(Evaluations::Table)
                    .col(Evaluations::RetainUntil)
                    .col(Evaluations::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_validations_retain_until")
                    .table(Validations::Table)
                    .col(Validations::RetainUntil)
                    .col(Validations::Id)
                    .to_owned(),
            )
            .await?;
        // A disposal reads and deletes the follow-ups of a chunk's cases; deleting a validation
        // checks the follow-ups that refer to it (a foreign key), which without an index reads
        // them all, once per validation.
        manager
            .create_index(
                Index::create().name("idx_followups_case").table(Followups::Table).col(Followups::CaseId).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_followups_validation")
                    .table(Followups::Table)
                    .col(Followups::ValidationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LegalHolds::Table)
                    .col(pk_auto(LegalHolds::Id))
                    .col(string_len_null(LegalHolds::Form, 64))
                    .col(text_null(LegalHolds::RecordIds))
                    .col(integer_null(LegalHolds::AgentId))
                    .col(integer_null(LegalHolds::TeamId))
                    .col(string_len_null(LegalHolds::CustomerNo, 64))
                    .col(string_len_null(LegalHolds::FromDay, 10))
                    .col(string_len_null(LegalHolds::ToDay, 10))
                    .col(text(LegalHolds::Reason))
                    .col(integer(LegalHolds::PlacedBy))
                    .col(text(LegalHolds::PlacedByName))
                    .col(timestamp_with_time_zone(LegalHolds::PlacedAt))
                    .col(integer_null(LegalHolds::ReleasedBy))
                    .col(text_null(LegalHolds::ReleasedByName))
                    .col(timestamp_with_time_zone_null(LegalHolds::ReleasedAt))
                    .col(text_null(LegalHolds::ReleaseReason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Dispositions::Table)
                    .col(pk_auto(Dispositions::Id))
                    .col(string_len(Dispositions::Form, 64))
                    .col(text(Dispositions::FormTitle))
                    .col(integer(Dispositions::RetentionMonths))
                    .col(string_len_null(Dispositions::ThroughMonth, 7))
                    .col(text_null(Dispositions::RecordIds))
                    .col(string_len(Dispositions::Status, 16))
                    .col(big_integer(Dispositions::DueCount))
                    .col(integer(Dispositions::ApprovedBy))
                    .col(text(Dispositions::ApprovedByName))
                    .col(timestamp_with_time_zone(Dispositions::ApprovedAt))
                    .col(integer_null(Dispositions::ConfirmedBy))
                    .col(text_null(Dispositions::ConfirmedByName))
                    .col(timestamp_with_time_zone_null(Dispositions::ConfirmedAt))
                    .col(big_integer(Dispositions::Disposed).default(0))
                    .col(big_integer(Dispositions::Withheld).default(0))
                    .col(string_len_null(Dispositions::MerkleRoot, 64))
                    .col(timestamp_with_time_zone_null(Dispositions::FinishedAt))
                    .col(text_null(Dispositions::Certificate))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisposedRecords::Table)
                    .col(big_pk_auto(DisposedRecords::Id))
                    .col(integer(DisposedRecords::DispositionId))
                    .col(string_len(DisposedRecords::Form, 64))
                    .col(big_integer(DisposedRecords::RecordId))
                    .col(string_len(DisposedRecords::Period, 7))
                    .col(string_len(DisposedRecords::RetainUntil, 10))
                    .col(string_len(DisposedRecords::Sha256, 64))
                    .col(timestamp_with_time_zone(DisposedRecords::DisposedAt))
                    // What the F-19 report counts of the record, so its counts stay.
                    .col(integer_null(DisposedRecords::TeamId))
                    .col(integer_null(DisposedRecords::AgentId))
                    .col(string_len_null(DisposedRecords::Service, 16))
                    .col(string_len_null(DisposedRecords::Bucket, 16))
                    .col(timestamp_with_time_zone_null(DisposedRecords::CallAt))
                    .col(boolean(DisposedRecords::Approved).default(false))
                    .col(boolean(DisposedRecords::Returned).default(false))
                    .col(boolean(DisposedRecords::ClosedInTime).default(false))
                    .col(boolean(DisposedRecords::RecaredInTime).default(false))
                    .col(boolean(DisposedRecords::VerifiedInTime).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisposedRecords::Table, DisposedRecords::DispositionId)
                            .to(Dispositions::Table, Dispositions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disposed_records_record")
                    .table(DisposedRecords::Table)
                    .col(DisposedRecords::Form)
                    .col(DisposedRecords::RecordId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disposed_records_calls")
                    .table(DisposedRecords::Table)
                    .col(DisposedRecords::Form)
                    .col(DisposedRecords::CallAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disposed_records_batch")
                    .table(DisposedRecords::Table)
                    .col(DisposedRecords::DispositionId)
                    .col(DisposedRecords::Id)
                    .to_owned(),
            )
            .await
    }
}
