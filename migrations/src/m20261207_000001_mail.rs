//! Email notifications (issue 14 item 2): `users.email` (set by the admin) and `users.digest`
//! (the user's choice of a daily digest), and `mail_outbox`, one row per message planned. A
//! message's `dedupe_key` is unique, so planning it twice (two servers, a restart) inserts it
//! once; `user_id` is the recipient as worked out when it is sent (a digest's from the start);
//! `due_at` is the RETURN round a reminder or escalation is about; `lease_until` lets one server at a time try to send it; what was sent stays in the row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000001_mail"
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Email,
    Digest,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    Kind,
    DedupeKey,
    UserId,
    FollowupId,
    DueAt,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    ToAddress,
    Subject,
    Body,
    LastError,
    CreatedAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        manager
            .alter_table(Table::alter().table(Users::Table).add_column(string_null(Users::Email)).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Users::Table).add_column(boolean(Users::Digest).default(true)).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailOutbox::Table)
                    .col(pk_auto(MailOutbox::Id))
                    .col(string(MailOutbox::Kind))
                    .col(string_uniq(MailOutbox::DedupeKey))
                    .col(integer_null(MailOutbox::UserId))
                    .col(integer_null(MailOutbox::FollowupId))
                    .col(timestamp_with_time_zone_null(MailOutbox::DueAt))
                    .col(string(MailOutbox::Status))
                    .col(integer(MailOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(MailOutbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(MailOutbox::LeaseUntil))
                    .col(string_null(MailOutbox::ToAddress))
                    .col(string_null(MailOutbox::Subject))
                    .col(text_null(MailOutbox::Body))
                    .col(string_null(MailOutbox::LastError))
                    .col(timestamp_with_time_zone(MailOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(MailOutbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("mail_outbox_due")
                    .table(MailOutbox::Table)
                    .col(MailOutbox::Status)
                    .col(MailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("mail_outbox_followup")
                    .table(MailOutbox::Table)
                    .col(MailOutbox::FollowupId)
                    .col(MailOutbox::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("mail_outbox_created")
                    .table(MailOutbox::Table)
                    .col(MailOutbox::CreatedAt)
                    .col(MailOutbox::Id)
                    .to_owned(),
            )
            .await
    }
}
