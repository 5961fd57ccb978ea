//! `dashboard_day_stats`: the overview's tallies kept per site day of the call, team, agent,
//! service and bucket (issue 13, part 2), and `dashboard_team_day_stats` the same without the
//! agent (what the site's and a team's overview read: some 30 × teams × 3 rows a month), changed in the transaction of every write that changes
//! them (a sheet submitted, answered or amended; an agree validated; a RETURN closed), so the
//! dashboards sum at most days × agents × services × buckets rows instead of scanning sheets,
//! cases and follow-ups. `team_id` 0 stands for "no team" (the primary key takes no NULL).
//! The server rebuilds it from the rows when the site zone it was built for changes (and the
//! first time it starts with this table), see `backend/src/dashboards/rollup.rs`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000010_dashboard_rollup"
    }
}

#[derive(DeriveIden)]
enum DashboardTeamDayStats {
    Table,
}

#[derive(DeriveIden)]
enum DashboardDayStats {
    Table,
    Day,
    TeamId,
    AgentId,
    Service,
    Bucket,
    Sheets,
    Fatal,
    ScoreHundredths,
    Acknowledged,
    Disputed,
    Approved,
    Returned,
    Closed,
    ClosedInTime,
    RecaredInTime,
    VerifiedInTime,
}

/// The counts both tables keep, each a `BIGINT` that starts at 0.
const COUNTS: [DashboardDayStats; 11] = [
    DashboardDayStats::Sheets,
    DashboardDayStats::Fatal,
    DashboardDayStats::ScoreHundredths,
    DashboardDayStats::Acknowledged,
    DashboardDayStats::Disputed,
    DashboardDayStats::Approved,
    DashboardDayStats::Returned,
    DashboardDayStats::Closed,
    DashboardDayStats::ClosedInTime,
    DashboardDayStats::RecaredInTime,
    DashboardDayStats::VerifiedInTime,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DashboardDayStats as D;
        let mut table = Table::create();
        table
            .table(D::Table)
            .col(string_len(D::Day, 10))
            .col(integer(D::TeamId))
            .col(integer(D::AgentId))
            .col(string_len(D::Service, 10))
            .col(string_len(D::Bucket, 10));
        for count in COUNTS {
            table.col(big_integer(count).default(0));
        }
        table.primary_key(Index::create().col(D::Day).col(D::TeamId).col(D::AgentId).col(D::Service).col(D::Bucket));
        manager.create_table(table.to_owned()).await?;
        // The same counts without the agent.
        let mut team = Table::create();
        team.table(DashboardTeamDayStats::Table)
            .col(string_len(D::Day, 10))
            .col(integer(D::TeamId))
            .col(string_len(D::Service, 10))
            .col(string_len(D::Bucket, 10));
        for count in COUNTS {
            team.col(big_integer(count).default(0));
        }
        team.primary_key(Index::create().col(D::Day).col(D::TeamId).col(D::Service).col(D::Bucket));
        manager.create_table(team.to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_dashboard_team_day_stats_team")
                    .table(DashboardTeamDayStats::Table)
                    .col(D::TeamId)
                    .col(D::Day)
                    .to_owned(),
            )
            .await?;
        // An agent's stretch of days (the site's and a team's read the table without agents).
        manager
            .create_index(
                Index::create()
                    .name("idx_dashboard_day_stats_agent")
                    .table(D::Table)
                    .col(D::AgentId)
                    .col(D::Day)
                    .to_owned(),
            )
            .await
    }
}
