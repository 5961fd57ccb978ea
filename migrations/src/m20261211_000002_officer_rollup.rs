//! `officer_day_stats`: each QC officer's work per site day of the call, team (0: none), service
//! and bucket — the counted sheets they scored (how many, fatal, Σ score in hundredths) and the
//! agrees they validated — for the work dashboard's officers (issue 13, chart 6), which sums a
//! period of it per officer instead of grouping the sheets and joining validations to cases
//! (measured at a tenth of the site's size: 127 and 178 ms a month on SQLite). Kept with the
//! overview's roll-up by `dashboards::rollup::add`, rebuilt with it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261211_000002_officer_rollup"
    }
}

#[derive(DeriveIden)]
enum OfficerDayStats {
    Table,
    Day,
    QcoId,
    TeamId,
    Service,
    Bucket,
    Sheets,
    Fatal,
    ScoreHundredths,
    Validations,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use OfficerDayStats as O;
        manager
            .create_table(
                Table::create()
                    .table(O::Table)
                    .col(string_len(O::Day, 10))
                    .col(integer(O::QcoId))
                    .col(integer(O::TeamId))
                    .col(string_len(O::Service, 10))
                    .col(string_len(O::Bucket, 10))
                    .col(big_integer(O::Sheets).default(0))
                    .col(big_integer(O::Fatal).default(0))
                    .col(big_integer(O::ScoreHundredths).default(0))
                    .col(big_integer(O::Validations).default(0))
                    .primary_key(
                        Index::create().col(O::Day).col(O::QcoId).col(O::TeamId).col(O::Service).col(O::Bucket),
                    )
                    .to_owned(),
            )
            .await
    }
}
