//! Promises kept (issue 16): `payments` (one row per payment or reversal a billing export
//! listed, unique by customer, kind and reference, so a re-import adds nothing), their staging
//! table `payment_import_rows` (a running payment import's good rows, moved into `payments` in
//! the import's last transaction, as `import_rows` is for agrees), `imports.kind` (`cases` or
//! `payments`: both imports share the record, its refused rows and its clean-up), and each
//! agree's promise as last evaluated (`case_promises`) with every change of its status
//! (`promise_history`: a reversal that turns kept into broken keeps the kept).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000002_payments"
    }
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    CustomerNo,
    Kind,
    PaymentRef,
    PaidAt,
    Amount,
    Channel,
    ImportId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentImportRows {
    Table,
    ImportId,
    Seq,
    CustomerNo,
    Kind,
    PaymentRef,
    PaidAt,
    Amount,
    Channel,
}

#[derive(DeriveIden)]
enum CasePromises {
    Table,
    CaseId,
    CustomerNo,
    Status,
    DueDate,
    PromisedAmount,
    PaidAmount,
    ReachedOn,
    EvaluatedOn,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PromiseHistory {
    Table,
    Id,
    CaseId,
    At,
    Status,
    PaidAmount,
    Cause,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Imports::Table)
                    .add_column(string_len(Imports::Kind, 16).default("cases"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(big_pk_auto(Payments::Id))
                    .col(string_len(Payments::CustomerNo, 40))
                    .col(string_len(Payments::Kind, 16))
                    .col(string_len(Payments::PaymentRef, 100))
                    .col(timestamp_with_time_zone(Payments::PaidAt))
                    .col(big_integer(Payments::Amount))
                    .col(string_len_null(Payments::Channel, 60))
                    .col(integer_null(Payments::ImportId))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("payments_ref")
                    .table(Payments::Table)
                    .col(Payments::CustomerNo)
                    .col(Payments::Kind)
                    .col(Payments::PaymentRef)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("payments_customer_paid")
                    .table(Payments::Table)
                    .col(Payments::CustomerNo)
                    .col(Payments::PaidAt)
                    .to_owned(),
            )
            .await?;
        // Typed as `payments`, so that `INSERT … SELECT` copies values unchanged; no foreign
        // keys, as for `import_rows`.
        manager
            .create_table(
                Table::create()
                    .table(PaymentImportRows::Table)
                    .col(integer(PaymentImportRows::ImportId))
                    .col(big_integer(PaymentImportRows::Seq))
                    .col(string_len(PaymentImportRows::CustomerNo, 40))
                    .col(string_len(PaymentImportRows::Kind, 16))
                    .col(string_len(PaymentImportRows::PaymentRef, 100))
                    .col(timestamp_with_time_zone(PaymentImportRows::PaidAt))
                    .col(big_integer(PaymentImportRows::Amount))
                    .col(string_len_null(PaymentImportRows::Channel, 60))
                    .primary_key(Index::create().col(PaymentImportRows::ImportId).col(PaymentImportRows::Seq))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CasePromises::Table)
                    .col(integer(CasePromises::CaseId).primary_key())
                    .col(string_len(CasePromises::CustomerNo, 40))
                    .col(string_len(CasePromises::Status, 16))
                    .col(string_len(CasePromises::DueDate, 10))
                    .col(big_integer(CasePromises::PromisedAmount))
                    .col(big_integer(CasePromises::PaidAmount))
                    .col(string_len_null(CasePromises::ReachedOn, 10))
                    .col(string_len(CasePromises::EvaluatedOn, 10))
                    .col(timestamp_with_time_zone(CasePromises::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // The day-end sweep looks for pending promises whose due day has passed.
        manager
            .create_index(
                Index::create()
                    .name("case_promises_status_due")
                    .table(CasePromises::Table)
                    .col(CasePromises::Status)
                    .col(CasePromises::DueDate)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("case_promises_customer")
                    .table(CasePromises::Table)
                    .col(CasePromises::CustomerNo)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PromiseHistory::Table)
                    .col(big_pk_auto(PromiseHistory::Id))
                    .col(integer(PromiseHistory::CaseId))
                    .col(timestamp_with_time_zone(PromiseHistory::At))
                    .col(string_len(PromiseHistory::Status, 16))
                    .col(big_integer(PromiseHistory::PaidAmount))
                    .col(string_len(PromiseHistory::Cause, 40))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("promise_history_case")
                    .table(PromiseHistory::Table)
                    .col(PromiseHistory::CaseId)
                    .col(PromiseHistory::At)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
