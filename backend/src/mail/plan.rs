//! Planning: which messages are due at an instant, inserted once each into `mail_outbox`.
//!
//! Nothing is planned before `MUTU_MAIL_HOUR` on a working day, nor on other days. Then:
//! - a **digest** for each active user with an address and the digest on (once per day: the
//!   day is marked in `settings` once planned; key `digest:{user}:{day}`);
//! - a **due reminder** for each RETURN waiting for its agent and due by the end of the next
//!   working day, one per round (key `due:{followup}:{due}`);
//! - an **escalation** for each RETURN overdue by `MUTU_ESCALATE_DAYS` working days or more, one
//!   per round (key `escalation:{followup}:{due}`).
//!
//! Reminders and escalations are looked for at every tick (a RETURN may open after the hour);
//! rows already planned are passed over in the query and, should two servers race, by the key.

use super::MailSettings;
use crate::site_time::{day_end, offset, site_date};
use crate::state::AppState;
use chrono::{DateTime, Timelike, Utc};
use domain::cases::FollowupStatus;
use domain::dates::Date;
use domain::mail::{MailKind, MailStatus};
use entity::{followups, mail_outbox, settings, users};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect};

/// The `settings` key of the last day whose digests were planned.
const PLANNED_DAY: &str = "mail_digest_planned_day";
/// Rows inserted per statement.
const CHUNK: usize = 200;

/// Plans what is due at `at`; returns how many messages it added.
pub async fn plan(state: &AppState, settings: &MailSettings, at: DateTime<Utc>) -> anyhow::Result<u64> {
    let today = site_date(state, at);
    let local_hour = at.with_timezone(&offset(state)).hour();
    if !today.is_working_day() || local_hour < settings.hour {
        return Ok(0);
    }
    let mut planned = digests(state, today, at).await?;
    planned += due_reminders(state, today, at).await?;
    planned += escalations(state, settings, today, at).await?;
    Ok(planned)
}

/// A row to plan.
fn row(
    kind: MailKind,
    key: String,
    user: Option<i32>,
    followup: Option<(i32, DateTime<Utc>)>,
    at: DateTime<Utc>,
) -> mail_outbox::ActiveModel {
    mail_outbox::ActiveModel {
        kind: Set(kind),
        dedupe_key: Set(key),
        user_id: Set(user),
        followup_id: Set(followup.map(|f| f.0)),
        due_at: Set(followup.map(|f| f.1)),
        status: Set(MailStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(at),
        created_at: Set(at),
        ..Default::default()
    }
}

/// Inserts `rows`, passing over keys already planned; returns how many were new.
async fn insert(db: &impl ConnectionTrait, rows: Vec<mail_outbox::ActiveModel>) -> anyhow::Result<u64> {
    let mut added = 0;
    for chunk in rows.chunks(CHUNK) {
        added += mail_outbox::Entity::insert_many(chunk.to_vec())
            .on_conflict(OnConflict::column(mail_outbox::Column::DedupeKey).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(added)
}

async fn digests(state: &AppState, today: Date, at: DateTime<Utc>) -> anyhow::Result<u64> {
    let db = &state.db.conn;
    let day = today.to_string();
    let done = settings::Entity::find_by_id(PLANNED_DAY.to_owned()).one(db).await?;
    if done.is_some_and(|d| d.value == day) {
        return Ok(0);
    }
    let recipients: Vec<i32> = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Digest.eq(true))
        .filter(users::Column::Email.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let rows = recipients
        .into_iter()
        .map(|user| row(MailKind::Digest, format!("digest:{user}:{day}"), Some(user), None, at))
        .collect();
    let added = insert(db, rows).await?;
    settings::Entity::insert(settings::ActiveModel { key: Set(PLANNED_DAY.into()), value: Set(day.clone()) })
        .on_conflict(OnConflict::column(settings::Column::Key).update_column(settings::Column::Value).to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(added)
}

/// RETURNs waiting for their agent whose due time lies in `(after, until]` and that have no
/// message of `kind` for this round yet: (id, due time).
async fn waiting_rounds(
    db: &impl ConnectionTrait,
    kind: MailKind,
    after: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
) -> anyhow::Result<Vec<(i32, DateTime<Utc>)>> {
    let planned = Query::select()
        .expr(Expr::val(1))
        .from(mail_outbox::Entity)
        .and_where(
            Expr::col((mail_outbox::Entity, mail_outbox::Column::FollowupId))
                .equals((followups::Entity, followups::Column::Id)),
        )
        .and_where(Expr::col((mail_outbox::Entity, mail_outbox::Column::Kind)).eq(kind.to_string()))
        .and_where(
            Expr::col((mail_outbox::Entity, mail_outbox::Column::DueAt))
                .equals((followups::Entity, followups::Column::DueAt)),
        )
        .to_owned();
    let mut query = followups::Entity::find()
        .select_only()
        .column(followups::Column::Id)
        .column(followups::Column::DueAt)
        .filter(followups::Column::Status.is_in([FollowupStatus::Open, FollowupStatus::Reopened]))
        .filter(followups::Column::DueAt.lte(until))
        .filter(Expr::exists(planned).not());
    if let Some(after) = after {
        query = query.filter(followups::Column::DueAt.gt(after));
    }
    Ok(query.into_tuple().all(db).await?)
}

async fn due_reminders(state: &AppState, today: Date, at: DateTime<Utc>) -> anyhow::Result<u64> {
    let db = &state.db.conn;
    let next = today.add_working_days(1);
    let rounds = waiting_rounds(db, MailKind::DueReminder, Some(day_end(state, today)), day_end(state, next)).await?;
    let rows = rounds
        .into_iter()
        .map(|(id, due)| row(MailKind::DueReminder, format!("due:{id}:{}", due.timestamp()), None, Some((id, due)), at))
        .collect();
    insert(db, rows).await
}

/// The last day whose end, `days` working days on, is today or earlier: a RETURN due by its end
/// is overdue by at least `days` working days today.
fn escalation_cutoff(today: Date, days: u32) -> Date {
    let mut day = today.add_days(-1);
    while day.add_working_days(days) > today {
        day = day.add_days(-1);
    }
    day
}

async fn escalations(state: &AppState, settings: &MailSettings, today: Date, at: DateTime<Utc>) -> anyhow::Result<u64> {
    let db = &state.db.conn;
    let cutoff = escalation_cutoff(today, settings.escalate_days);
    let rounds = waiting_rounds(db, MailKind::Escalation, None, day_end(state, cutoff)).await?;
    let rows = rounds
        .into_iter()
        .map(|(id, due)| {
            row(MailKind::Escalation, format!("escalation:{id}:{}", due.timestamp()), None, Some((id, due)), at)
        })
        .collect();
    insert(db, rows).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_is_escalated_once_overdue_by_whole_working_days() {
        let escalated = |due: Date, today: Date, days: u32| due <= escalation_cutoff(today, days);
        let (friday, monday, tuesday) =
            (Date::new(2026, 12, 4).unwrap(), Date::new(2026, 12, 7).unwrap(), Date::new(2026, 12, 8).unwrap());
        assert!(escalated(friday, monday, 1), "due Friday, one working day overdue on Monday");
        assert!(!escalated(monday, monday, 1), "due today is not overdue");
        assert!(!escalated(friday, monday, 2));
        assert!(escalated(friday, tuesday, 2));
        assert!(escalated(monday, tuesday, 1));
        assert!(!escalated(tuesday, tuesday, 1));
    }
}
