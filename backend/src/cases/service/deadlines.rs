//! The deadlines of a W-03 follow-up. Each round has the agent's due date (`due_at`, set at the
//! opening and afresh at each reopening: `MUTU_FOLLOWUP_DAYS` working days) and, once re-cared,
//! QC's deadline to verify (`verify_due_at`: `MUTU_VERIFY_DAYS` working days from the re-care).
//! Both are read against the clock when asked: "overdue" is waiting for the agent past `due_at`,
//! "verification overdue" waiting for QC past `verify_due_at` — QC's delay is never the agent's.
//! Lateness that is over (a re-care or a verification after its deadline) is counted on the
//! follow-up as the step is recorded (`late_recares`, `late_verifications`).

use super::shared::{FOLLOWUP_TABLE, stored, verify_due_at};
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::cases::{FollowupStatus, FollowupStepKind};
use entity::{followup_steps, followups};
use sea_orm::sea_query::{Expr, Func, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};

/// The follow-ups' column `column` (aliased `f`).
fn f(column: followups::Column) -> Expr {
    Expr::col((FOLLOWUP_TABLE, column))
}

/// Waiting for the agent: open or reopened.
pub(crate) fn awaits_agent() -> Expr {
    f(followups::Column::Status).is_in([stored(FollowupStatus::Open), stored(FollowupStatus::Reopened)])
}

/// Not closed yet: open, re-cared or reopened. Written as the statuses it is rather than
/// `<> 'closed'`, so that the `(status, …)` indexes serve it: the open follow-ups are a small part
/// of all of them at the site's size.
pub(crate) fn not_closed() -> Expr {
    f(followups::Column::Status).is_in(
        FollowupStatus::ALL.iter().filter(|s| **s != FollowupStatus::Closed).map(|s| stored(*s)).collect::<Vec<_>>(),
    )
}

/// Waiting for the agent past due at `at`.
pub(crate) fn overdue_expr(at: DateTime<Utc>) -> Expr {
    awaits_agent().and(f(followups::Column::DueAt).lt(at))
}

/// Waiting for QC past its deadline at `at`.
pub(crate) fn verify_overdue_expr(at: DateTime<Utc>) -> Expr {
    f(followups::Column::Status).eq(stored(FollowupStatus::Recared)).and(f(followups::Column::VerifyDueAt).lt(at))
}

/// `SUM(CASE WHEN condition THEN 1 ELSE 0 END)`: how many rows meet `condition`.
pub(crate) fn how_many(condition: Expr) -> Expr {
    Func::sum(Expr::case(condition, 1).finally(0)).into()
}

/// Adds the counts the summary and the inbox give of the follow-ups `f` at `at`, as columns
/// `open` (waiting for the agent), `recared`, `overdue` and `verify_overdue`.
pub(crate) fn count_columns(query: &mut SelectStatement, at: DateTime<Utc>) {
    query
        .expr_as(how_many(awaits_agent()), "open")
        .expr_as(how_many(f(followups::Column::Status).eq(stored(FollowupStatus::Recared))), "recared")
        .expr_as(how_many(overdue_expr(at)), "overdue")
        .expr_as(how_many(verify_overdue_expr(at)), "verify_overdue");
}

/// The list's order: the agent's overdue first (0), then QC's overdue (1), then the rest (2).
pub(super) fn rank_expr(at: DateTime<Utc>) -> Expr {
    Expr::case(overdue_expr(at), 0).case(verify_overdue_expr(at), 1).finally(2).into()
}

/// Gives QC's deadline to the follow-ups waiting for QC that have none: those re-cared before
/// deadlines were kept (migration `m20261206_000002_followup_deadlines`), counted from their
/// latest re-care with this server's calendar and `MUTU_VERIFY_DAYS`. Run at start; a
/// conditional update, so it does nothing the second time and is safe on several servers.
/// Returns how many follow-ups it gave a deadline.
pub async fn backfill_verify_deadlines(state: &AppState) -> ApiResult<u64> {
    let db = &state.db.conn;
    let waiting: Vec<i32> = followups::Entity::find()
        .select_only()
        .column(followups::Column::Id)
        .filter(followups::Column::Status.eq(FollowupStatus::Recared))
        .filter(followups::Column::VerifyDueAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut done = 0;
    for followup in waiting {
        // Its latest re-care.
        let Some(step) = followup_steps::Entity::find()
            .filter(followup_steps::Column::FollowupId.eq(followup))
            .filter(followup_steps::Column::Step.eq(FollowupStepKind::Recared))
            .order_by_desc(followup_steps::Column::Id)
            .one(db)
            .await?
        else {
            continue;
        };
        let deadline = verify_due_at(state, step.at);
        let txn = state.db.write().await?;
        let given = followups::Entity::update_many()
            .col_expr(followups::Column::VerifyDueAt, Expr::value(deadline))
            .filter(followups::Column::Id.eq(followup))
            .filter(followups::Column::Status.eq(FollowupStatus::Recared))
            .filter(followups::Column::VerifyDueAt.is_null())
            .exec(&*txn)
            .await?
            .rows_affected;
        if given == 1 {
            followup_steps::Entity::update_many()
                .col_expr(followup_steps::Column::VerifyDueAt, Expr::value(deadline))
                .filter(followup_steps::Column::Id.eq(step.id))
                .filter(followup_steps::Column::VerifyDueAt.is_null())
                .exec(&*txn)
                .await?;
            done += 1;
        }
        txn.commit().await?;
    }
    Ok(done)
}
