//! Agree cases (F-19), the imports that brought them, their validations (one per case: the
//! unique `case_id` is what guarantees two QCOs never validate the same case) and W-03
//! follow-ups of RETURNs with their history.
//!
//! Indexes are chosen for a site with millions of cases: the validation queue reads
//! `(status, call_at, id)` in order; agents and team leaders read `(agent_id | team_id, call_at, id)`;
//! the F-19 report scans one period of `(call_at, team_id, agent_id, service, bucket, status)`
//! without touching the table (a covering index), and joins the few follow-ups by `case_id`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000005_cases"
    }
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    Filename,
    Sha256,
    ImportedBy,
    ImportedAt,
    Imported,
    Duplicates,
    Rejected,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
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
    Status,
    ImportedAt,
    ImportedBy,
    ImportId,
}

#[derive(DeriveIden)]
enum Validations {
    Table,
    Id,
    CaseId,
    Result,
    IdentityVerified,
    AmountAndDateCorrect,
    ExplicitAgreement,
    ReasonMatches,
    Recommendation,
    QcoId,
    ValidatedAt,
    RetainUntil,
    EvaluationId,
}

#[derive(DeriveIden)]
enum Followups {
    Table,
    Id,
    CaseId,
    ValidationId,
    AgentId,
    TeamId,
    Recommendation,
    Status,
    OpenedAt,
    DueAt,
    ClosedAt,
    Version,
    LastComment,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FollowupSteps {
    Table,
    Id,
    FollowupId,
    Step,
    ActorId,
    ActorName,
    At,
    Note,
    RecareCallRef,
    RecaredAt,
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
                    .table(Imports::Table)
                    .col(pk_auto(Imports::Id))
                    .col(string_len(Imports::Filename, 255))
                    .col(string_len(Imports::Sha256, 64))
                    .col(integer(Imports::ImportedBy))
                    .col(timestamp_with_time_zone(Imports::ImportedAt))
                    .col(big_integer(Imports::Imported).default(0))
                    .col(big_integer(Imports::Duplicates).default(0))
                    .col(big_integer(Imports::Rejected).default(0))
                    .foreign_key(
                        ForeignKey::create().from(Imports::Table, Imports::ImportedBy).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Cases::Table)
                    .col(pk_auto(Cases::Id))
                    .col(string_len(Cases::CustomerNo, 40))
                    .col(string_len(Cases::CustomerName, 200))
                    .col(string_len(Cases::Service, 8))
                    .col(string_len(Cases::Bucket, 4))
                    .col(big_integer(Cases::BillAmount))
                    .col(integer(Cases::AgentId))
                    .col(integer_null(Cases::TeamId))
                    .col(timestamp_with_time_zone(Cases::CallAt))
                    .col(text(Cases::Reason))
                    .col(string_len(Cases::PromiseDate, 10))
                    .col(string_len(Cases::RecordingRef, 100))
                    .col(string_len(Cases::Status, 16).default("pending"))
                    .col(timestamp_with_time_zone(Cases::ImportedAt))
                    .col(integer_null(Cases::ImportedBy))
                    .col(integer_null(Cases::ImportId))
                    .foreign_key(ForeignKey::create().from(Cases::Table, Cases::AgentId).to(Users::Table, Users::Id))
                    .foreign_key(ForeignKey::create().from(Cases::Table, Cases::ImportedBy).to(Users::Table, Users::Id))
                    .foreign_key(
                        ForeignKey::create().from(Cases::Table, Cases::ImportId).to(Imports::Table, Imports::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The duplicate rule of the import: one agree per customer, call time and agent.
        manager
            .create_index(
                Index::create()
                    .name("uq_cases_customer_call_agent")
                    .table(Cases::Table)
                    .col(Cases::CustomerNo)
                    .col(Cases::CallAt)
                    .col(Cases::AgentId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The validation queue: pending, oldest call first.
        manager
            .create_index(
                Index::create()
                    .name("idx_cases_queue")
                    .table(Cases::Table)
                    .col(Cases::Status)
                    .col(Cases::CallAt)
                    .col(Cases::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_cases_agent")
                    .table(Cases::Table)
                    .col(Cases::AgentId)
                    .col(Cases::CallAt)
                    .col(Cases::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_cases_team")
                    .table(Cases::Table)
                    .col(Cases::TeamId)
                    .col(Cases::CallAt)
                    .col(Cases::Id)
                    .to_owned(),
            )
            .await?;
        // The F-19 report: one period, grouped, read from the index alone. Its `call_at` prefix
        // also serves the unfiltered lists (latest call first).
        manager
            .create_index(
                Index::create()
                    .name("idx_cases_report")
                    .table(Cases::Table)
                    .col(Cases::CallAt)
                    .col(Cases::TeamId)
                    .col(Cases::AgentId)
                    .col(Cases::Service)
                    .col(Cases::Bucket)
                    .col(Cases::Status)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Validations::Table)
                    .col(pk_auto(Validations::Id))
                    .col(integer_uniq(Validations::CaseId))
                    .col(string_len(Validations::Result, 16))
                    .col(boolean(Validations::IdentityVerified))
                    .col(boolean(Validations::AmountAndDateCorrect))
                    .col(boolean(Validations::ExplicitAgreement))
                    .col(boolean(Validations::ReasonMatches))
                    .col(text_null(Validations::Recommendation))
                    .col(integer(Validations::QcoId))
                    .col(timestamp_with_time_zone(Validations::ValidatedAt))
                    .col(string_len(Validations::RetainUntil, 10))
                    .col(integer_null(Validations::EvaluationId))
                    .foreign_key(
                        ForeignKey::create().from(Validations::Table, Validations::CaseId).to(Cases::Table, Cases::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Validations::Table, Validations::QcoId).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_validations_retain")
                    .table(Validations::Table)
                    .col(Validations::RetainUntil)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Followups::Table)
                    .col(pk_auto(Followups::Id))
                    .col(integer_uniq(Followups::CaseId))
                    .col(integer(Followups::ValidationId))
                    .col(integer(Followups::AgentId))
                    .col(integer_null(Followups::TeamId))
                    .col(text(Followups::Recommendation))
                    .col(string_len(Followups::Status, 16))
                    .col(timestamp_with_time_zone(Followups::OpenedAt))
                    .col(timestamp_with_time_zone(Followups::DueAt))
                    .col(timestamp_with_time_zone_null(Followups::ClosedAt))
                    .col(integer(Followups::Version).default(1))
                    .col(text_null(Followups::LastComment))
                    .col(timestamp_with_time_zone(Followups::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Followups::Table, Followups::CaseId).to(Cases::Table, Cases::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Followups::Table, Followups::ValidationId)
                            .to(Validations::Table, Validations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Followups::Table, Followups::AgentId).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_followups_agent")
                    .table(Followups::Table)
                    .col(Followups::AgentId)
                    .col(Followups::Status)
                    .col(Followups::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_followups_team")
                    .table(Followups::Table)
                    .col(Followups::TeamId)
                    .col(Followups::Status)
                    .col(Followups::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_followups_status_due")
                    .table(Followups::Table)
                    .col(Followups::Status)
                    .col(Followups::DueAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FollowupSteps::Table)
                    .col(pk_auto(FollowupSteps::Id))
                    .col(integer(FollowupSteps::FollowupId))
                    .col(string_len(FollowupSteps::Step, 16))
                    .col(integer_null(FollowupSteps::ActorId))
                    .col(string_len(FollowupSteps::ActorName, 200))
                    .col(timestamp_with_time_zone(FollowupSteps::At))
                    .col(text_null(FollowupSteps::Note))
                    .col(string_len_null(FollowupSteps::RecareCallRef, 100))
                    .col(timestamp_with_time_zone_null(FollowupSteps::RecaredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FollowupSteps::Table, FollowupSteps::FollowupId)
                            .to(Followups::Table, Followups::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FollowupSteps::Table, FollowupSteps::ActorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_followup_steps_followup")
                    .table(FollowupSteps::Table)
                    .col(FollowupSteps::FollowupId)
                    .to_owned(),
            )
            .await
    }
}
