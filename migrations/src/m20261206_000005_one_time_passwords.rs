//! `users.must_change_password`: the password was set by the admin (a one-time password) and must
//! be changed at the next login before anything else can be done (issue 14 item 5).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000005_one_time_passwords"
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    MustChangePassword,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(boolean(Users::MustChangePassword).default(false))
                    .to_owned(),
            )
            .await
    }
}
