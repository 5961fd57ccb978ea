//! The tombstones of a batch in record-id order: the certificate's Merkle root is built over
//! them in that order, page by page. Through the old `(disposition_id, id)` index every page read
//! and sorted the whole batch again (a batch of 112,000 took 1.6 s in the transaction that
//! finishes it, and grows with the square of the batch); `(disposition_id, record_id)` gives each
//! page its rows in order.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261212_000001_disposed_batch_order"
    }
}

#[derive(DeriveIden)]
enum DisposedRecords {
    Table,
    DispositionId,
    RecordId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_disposed_records_batch").table(DisposedRecords::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_disposed_records_batch_order")
                    .table(DisposedRecords::Table)
                    .col(DisposedRecords::DispositionId)
                    .col(DisposedRecords::RecordId)
                    .to_owned(),
            )
            .await
    }
}
