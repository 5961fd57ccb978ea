//! The original file (PDF or DOCX) attached to a revision, kept in the database so that every
//! app server can serve it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000003_attachments"
    }
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    RevisionId,
    Filename,
    ContentType,
    Size,
    Sha256,
    Data,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(pk_auto(Attachments::Id))
                    .col(integer_uniq(Attachments::RevisionId))
                    .col(string_len(Attachments::Filename, 255))
                    .col(string_len(Attachments::ContentType, 128))
                    .col(big_integer(Attachments::Size))
                    .col(string_len(Attachments::Sha256, 64))
                    .col(blob(Attachments::Data))
                    .col(integer_null(Attachments::UploadedBy))
                    .col(timestamp_with_time_zone(Attachments::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::RevisionId)
                            .to(Revisions::Table, Revisions::Id),
                    )
                    .to_owned(),
            )
            .await
    }
}
