//! The deadlines of a W-03 follow-up, round by round (issue 12 item 4):
//! - `followups.verify_due_at`: QC's deadline to verify a re-care, set when the agent re-cares
//!   (`MUTU_VERIFY_DAYS` working days later), cleared when QC closes or reopens;
//! - `followups.late_recares`, `followups.late_verifications`: how many re-cares came after the
//!   due date of their round, and how many verifications after their deadline, counted as each
//!   step is recorded, so the F-19 report can count the agent's and QC's punctuality apart;
//! - `followup_steps.due_at` (on `opened` and `reopened`: the agent's due date the step set) and
//!   `followup_steps.verify_due_at` (on `recared`: QC's deadline), so the history keeps them all.
//!
//! Backfilled here, from what the database already holds: every `opened` step's `due_at` (until
//! now a follow-up's due date never moved, so it is the follow-up's `due_at`), and
//! `late_recares` (re-care steps recorded after that due date). Not backfilled: the due date of
//! steps `reopened` before this migration (a reopening set none then), and `late_verifications`
//! (there was no deadline for QC). The QC deadline of follow-ups waiting for QC now needs the
//! site's calendar, which a migration does not know: the server sets it at start
//! (`cases::service::backfill_verify_deadlines`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000002_followup_deadlines"
    }
}

#[derive(DeriveIden)]
enum Followups {
    Table,
    VerifyDueAt,
    LateRecares,
    LateVerifications,
}

#[derive(DeriveIden)]
enum FollowupSteps {
    Table,
    DueAt,
    VerifyDueAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let followups = [
            timestamp_with_time_zone_null(Followups::VerifyDueAt),
            integer(Followups::LateRecares).default(0).to_owned(),
            integer(Followups::LateVerifications).default(0).to_owned(),
        ];
        for mut column in followups {
            manager.alter_table(Table::alter().table(Followups::Table).add_column(&mut column).to_owned()).await?;
        }
        let steps = [
            timestamp_with_time_zone_null(FollowupSteps::DueAt),
            timestamp_with_time_zone_null(FollowupSteps::VerifyDueAt),
        ];
        for mut column in steps {
            manager.alter_table(Table::alter().table(FollowupSteps::Table).add_column(&mut column).to_owned()).await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE followup_steps SET due_at = (SELECT f.due_at FROM followups f WHERE f.id = followup_steps.followup_id) \
             WHERE step = 'opened' AND due_at IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE followups SET late_recares = (SELECT COUNT(*) FROM followup_steps s \
             WHERE s.followup_id = followups.id AND s.step = 'recared' AND s.at > followups.due_at)",
        )
        .await?;
        // The lists and the report ask for follow-ups waiting for QC past their deadline.
        manager
            .create_index(
                Index::create()
                    .name("idx_followups_status_verify_due")
                    .table(Followups::Table)
                    .col(Alias::new("status"))
                    .col(Followups::VerifyDueAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
