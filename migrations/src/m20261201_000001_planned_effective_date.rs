//! `revisions.planned_effective_date`: the day the document controller plans a draft to take
//! effect, kept apart from `effective_date`, which from now on is only the day the approver set.
//! Until now the plan was written into `effective_date` itself (and overwritten by the
//! approval), so the revisions not yet approved move their date across; approved ones keep
//! theirs as the approver's (their plan was not kept).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000001_planned_effective_date"
    }
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    PlannedEffectiveDate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Revisions::Table)
                    .add_column(string_len_null(Revisions::PlannedEffectiveDate, 10))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE revisions SET planned_effective_date = effective_date, effective_date = NULL \
                 WHERE status IN ('draft', 'in_review', 'checked') AND effective_date IS NOT NULL",
            )
            .await?;
        Ok(())
    }
}
