//! The keep-rate report's roll-up (issue 16): the stored promises counted by status (kept,
//! broken, pending) per site day of the call, team (0: none), agent, QC officer who validated the
//! agree (0: not validated), QC's outcome (`approved`, `returned_closed`, `returned_open`,
//! `not_validated`), service and bucket — `promise_day_stats` — and the same without agent and
//! officer, `promise_team_day_stats`, which the site's and a team's report by team, service,
//! bucket, outcome or month read. Measured before, at a tenth of the site's size: the month's
//! report joined the promises to their cases, validations and follow-ups, p99 1.2–1.3 s.
//!
//! A tombstone of a disposed agree keeps its promise's status (`disposed_records.promise_status`),
//! so a rebuild keeps the report's counts for disposed months as disposal does.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261212_000002_promise_rollup"
    }
}

#[derive(DeriveIden)]
enum PromiseDayStats {
    Table,
    Day,
    TeamId,
    AgentId,
    QcoId,
    Outcome,
    Service,
    Bucket,
    Kept,
    Broken,
    Pending,
}

#[derive(DeriveIden)]
enum PromiseTeamDayStats {
    Table,
}

#[derive(DeriveIden)]
enum DisposedRecords {
    Table,
    PromiseStatus,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use PromiseDayStats as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(string_len(P::Day, 10))
                    .col(integer(P::TeamId))
                    .col(integer(P::AgentId))
                    .col(integer(P::QcoId))
                    .col(string_len(P::Outcome, 16))
                    .col(string_len(P::Service, 10))
                    .col(string_len(P::Bucket, 10))
                    .col(big_integer(P::Kept).default(0))
                    .col(big_integer(P::Broken).default(0))
                    .col(big_integer(P::Pending).default(0))
                    .primary_key(
                        Index::create()
                            .col(P::Day)
                            .col(P::TeamId)
                            .col(P::AgentId)
                            .col(P::QcoId)
                            .col(P::Outcome)
                            .col(P::Service)
                            .col(P::Bucket),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_promise_day_stats_team")
                    .table(P::Table)
                    .col(P::TeamId)
                    .col(P::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_promise_day_stats_agent")
                    .table(P::Table)
                    .col(P::AgentId)
                    .col(P::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PromiseTeamDayStats::Table)
                    .col(string_len(P::Day, 10))
                    .col(integer(P::TeamId))
                    .col(string_len(P::Outcome, 16))
                    .col(string_len(P::Service, 10))
                    .col(string_len(P::Bucket, 10))
                    .col(big_integer(P::Kept).default(0))
                    .col(big_integer(P::Broken).default(0))
                    .col(big_integer(P::Pending).default(0))
                    .primary_key(
                        Index::create().col(P::Day).col(P::TeamId).col(P::Outcome).col(P::Service).col(P::Bucket),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DisposedRecords::Table)
                    .add_column(string_len_null(DisposedRecords::PromiseStatus, 10))
                    .to_owned(),
            )
            .await
    }
}
