//! `case_views`: which QC officer has which agree open, and when their page last said so
//! (issue 14 item 4's "also open by" marker). One row per case and officer, refreshed every few
//! seconds while the page is open and pruned after minutes: presence, not a record, so it is not
//! audited.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000007_case_views"
    }
}

#[derive(DeriveIden)]
enum CaseViews {
    Table,
    CaseId,
    UserId,
    SeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CaseViews::Table)
                    .col(integer(CaseViews::CaseId))
                    .col(integer(CaseViews::UserId))
                    .col(timestamp_with_time_zone(CaseViews::SeenAt))
                    .primary_key(Index::create().col(CaseViews::CaseId).col(CaseViews::UserId))
                    .to_owned(),
            )
            .await
    }
}
