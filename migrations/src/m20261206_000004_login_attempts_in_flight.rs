//! `login_failures.pending` and `login_failures.last_failed_at`: how many of a username's counted
//! attempts are still being checked, and when the last wrong password was found. A right password
//! resets the count only when no other attempt is in flight and no failure was found since it
//! started, so a burst of guesses cannot ride on the real user's login to get five more (issue 10
//! item 8).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000004_login_attempts_in_flight"
    }
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Pending,
    LastFailedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let columns = [
            integer(LoginFailures::Pending).default(0).to_owned(),
            timestamp_with_time_zone_null(LoginFailures::LastFailedAt),
        ];
        for column in columns {
            manager.alter_table(Table::alter().table(LoginFailures::Table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
