//! The agrees waiting for validation counted per site day of the call, team, service and bucket
//! (`dashboard_team_day_stats.pending`): added by the agree import, taken away by each
//! validation, so the overview's "waiting" figures and the work dashboard's backlog by age sum
//! the days with something pending (a partial index holds only those) instead of counting the
//! pending agrees, which at the site's size are a million rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261212_000003_rollup_pending"
    }
}

#[derive(DeriveIden)]
enum DashboardTeamDayStats {
    Table,
    Pending,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DashboardTeamDayStats::Table)
                    .add_column(big_integer(DashboardTeamDayStats::Pending).default(0))
                    .to_owned(),
            )
            .await?;
        // The same words on both engines: a partial index of the days with agrees waiting.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_dashboard_team_day_stats_pending ON dashboard_team_day_stats (day) WHERE pending <> 0",
            )
            .await?;
        Ok(())
    }
}
