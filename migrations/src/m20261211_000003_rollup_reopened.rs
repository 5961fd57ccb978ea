//! The overview's roll-up counts, of the closed RETURNs, those QC reopened at least once
//! (`reopened`), for the work dashboard's reopened share (issue 13, chart 4), which summed a
//! correlated look-up of every closed follow-up's steps (159 ms a month at a tenth of the site's
//! size on SQLite). The server rebuilds the roll-up at start (its build's version 2).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261211_000003_rollup_reopened"
    }
}

#[derive(DeriveIden)]
enum DashboardDayStats {
    Table,
    Reopened,
}

#[derive(DeriveIden)]
enum DashboardTeamDayStats {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for table in [DashboardDayStats::Table.into_iden(), DashboardTeamDayStats::Table.into_iden()] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(ColumnDef::new(DashboardDayStats::Reopened).big_integer().not_null().default(0))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
