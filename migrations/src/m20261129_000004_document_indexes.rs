//! Indexes for the register at size: a document's revisions by state (its effective revision),
//! and a document's children.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000004_document_indexes"
    }
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    DocumentId,
    Status,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    ParentId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_revisions_doc_status")
                    .table(Revisions::Table)
                    .col(Revisions::DocumentId)
                    .col(Revisions::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_documents_parent")
                    .table(Documents::Table)
                    .col(Documents::ParentId)
                    .to_owned(),
            )
            .await
    }
}
