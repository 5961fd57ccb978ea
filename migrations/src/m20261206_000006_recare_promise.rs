//! `followup_steps.promise_date`: a new promised payment date the customer gave on the re-care
//! call (issue 14 item 6), kept on the `recared` step. The case keeps the promise of the call QC
//! validated: a record shows what was true when it was made.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000006_recare_promise"
    }
}

#[derive(DeriveIden)]
enum FollowupSteps {
    Table,
    PromiseDate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(FollowupSteps::Table)
                    .add_column(string_len_null(FollowupSteps::PromiseDate, 10))
                    .to_owned(),
            )
            .await
    }
}
