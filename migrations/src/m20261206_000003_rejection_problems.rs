//! `import_rejections.problems`: every fault of a refused row as the typed codes of
//! `domain::cases::RowProblem` (JSON), beside the English `error` text. The browser words them in
//! the user's language when it lists or downloads the refused rows (issue 12 item 12). Rows
//! refused before this migration keep only their English text (NULL here).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000003_rejection_problems"
    }
}

#[derive(DeriveIden)]
enum ImportRejections {
    Table,
    Problems,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ImportRejections::Table)
                    .add_column(text_null(ImportRejections::Problems))
                    .to_owned(),
            )
            .await
    }
}
