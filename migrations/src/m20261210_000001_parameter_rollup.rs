//! `parameter_day_stats`: the F-18 answers per site day of the call, team, agent, service, bucket
//! and parameter key — how many counted sheets (submitted, not calibration) passed, failed or
//! marked the parameter N/A — for the dashboards' fail-rate heatmap (issue 13), which sums a
//! period of it per team (the site) or per agent (a team) instead of scanning the answers. It is
//! changed in the transaction that submits or amends a sheet, beside `evaluation_day_stats`
//! (which keeps the same counts per team only, for the fail-rate report). `team_id` 0 stands
//! for "no team" (the primary key takes no NULL). The server builds it from the answers the
//! first time it starts with this table, see `backend/src/scoring/stats.rs`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261210_000001_parameter_rollup"
    }
}

#[derive(DeriveIden)]
enum ParameterDayStats {
    Table,
    Day,
    TeamId,
    AgentId,
    Service,
    Bucket,
    ParameterKey,
    Passed,
    Failed,
    Na,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ParameterDayStats as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(string_len(P::Day, 10))
                    .col(integer(P::TeamId))
                    .col(integer(P::AgentId))
                    .col(string_len(P::Service, 10))
                    .col(string_len(P::Bucket, 10))
                    .col(string_len(P::ParameterKey, 64))
                    .col(big_integer(P::Passed).default(0))
                    .col(big_integer(P::Failed).default(0))
                    .col(big_integer(P::Na).default(0))
                    .primary_key(
                        Index::create()
                            .col(P::Day)
                            .col(P::TeamId)
                            .col(P::AgentId)
                            .col(P::Service)
                            .col(P::Bucket)
                            .col(P::ParameterKey),
                    )
                    .to_owned(),
            )
            .await?;
        // A team's stretch of days (its agents' map); the site's map reads a stretch of days,
        // which the primary key (led by `day`) serves.
        manager
            .create_index(
                Index::create()
                    .name("idx_parameter_day_stats_team")
                    .table(P::Table)
                    .col(P::TeamId)
                    .col(P::Day)
                    .to_owned(),
            )
            .await
    }
}
