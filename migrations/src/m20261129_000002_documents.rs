//! The register of controlled documents, their revisions, the electronic (and imported paper)
//! signatures on them, and read-and-understood acknowledgements.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000002_documents"
    }
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    Code,
    Kind,
    Title,
    ParentId,
    RetentionMonths,
    RecordOwner,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Id,
    DocumentId,
    Rev,
    Title,
    Body,
    ChangeDescription,
    Status,
    EffectiveDate,
    EffectiveAt,
    SupersededAt,
    ReturnComment,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Signatures {
    Table,
    Id,
    RevisionId,
    Meaning,
    UserId,
    Name,
    Position,
    SignedAt,
    ContentSha256,
    Source,
    Void,
}

#[derive(DeriveIden)]
enum Acknowledgements {
    Table,
    Id,
    RevisionId,
    UserId,
    AcknowledgedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .col(pk_auto(Documents::Id))
                    .col(string_len_uniq(Documents::Code, 64))
                    .col(string_len(Documents::Kind, 32))
                    .col(string_len(Documents::Title, 300))
                    .col(integer_null(Documents::ParentId))
                    .col(integer_null(Documents::RetentionMonths))
                    .col(string_len_null(Documents::RecordOwner, 120))
                    .col(timestamp_with_time_zone(Documents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Documents::Table, Documents::ParentId)
                            .to(Documents::Table, Documents::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Revisions::Table)
                    .col(pk_auto(Revisions::Id))
                    .col(integer(Revisions::DocumentId))
                    .col(integer(Revisions::Rev))
                    .col(string_len(Revisions::Title, 300))
                    .col(text(Revisions::Body))
                    .col(text(Revisions::ChangeDescription))
                    .col(string_len(Revisions::Status, 16))
                    .col(string_len_null(Revisions::EffectiveDate, 10))
                    .col(timestamp_with_time_zone_null(Revisions::EffectiveAt))
                    .col(timestamp_with_time_zone_null(Revisions::SupersededAt))
                    .col(text_null(Revisions::ReturnComment))
                    .col(integer(Revisions::Version).default(1))
                    .col(integer_null(Revisions::CreatedBy))
                    .col(timestamp_with_time_zone(Revisions::CreatedAt))
                    .col(timestamp_with_time_zone(Revisions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Revisions::Table, Revisions::DocumentId)
                            .to(Documents::Table, Documents::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Revisions::Table, Revisions::CreatedBy).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_revisions_doc_rev")
                    .table(Revisions::Table)
                    .col(Revisions::DocumentId)
                    .col(Revisions::Rev)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_revisions_status").table(Revisions::Table).col(Revisions::Status).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Signatures::Table)
                    .col(pk_auto(Signatures::Id))
                    .col(integer(Signatures::RevisionId))
                    .col(string_len(Signatures::Meaning, 16))
                    .col(integer_null(Signatures::UserId))
                    .col(string_len(Signatures::Name, 120))
                    .col(string_len(Signatures::Position, 120))
                    .col(timestamp_with_time_zone(Signatures::SignedAt))
                    .col(string_len(Signatures::ContentSha256, 64))
                    .col(string_len(Signatures::Source, 16))
                    .col(boolean(Signatures::Void).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Signatures::Table, Signatures::RevisionId)
                            .to(Revisions::Table, Revisions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Signatures::Table, Signatures::UserId).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_signatures_revision")
                    .table(Signatures::Table)
                    .col(Signatures::RevisionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Acknowledgements::Table)
                    .col(pk_auto(Acknowledgements::Id))
                    .col(integer(Acknowledgements::RevisionId))
                    .col(integer(Acknowledgements::UserId))
                    .col(timestamp_with_time_zone(Acknowledgements::AcknowledgedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Acknowledgements::Table, Acknowledgements::RevisionId)
                            .to(Revisions::Table, Revisions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Acknowledgements::Table, Acknowledgements::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_ack_revision_user")
                    .table(Acknowledgements::Table)
                    .col(Acknowledgements::RevisionId)
                    .col(Acknowledgements::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
