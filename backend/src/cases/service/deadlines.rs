//! The deadlines of a W-03 follow-up. Each round has the agent's due date (`due_at`, set at the
//! opening and afresh at each reopening: `MUTU_FOLLOWUP_DAYS` working days) and, once re-cared,
//! QC's deadline to verify (`verify_due_at`: `MUTU_VERIFY_DAYS` working days from the re-care).
//! Both are read against the clock when asked: "overdue" is waiting for the agent past `due_at`,
//! "verification overdue" waiting for QC past `verify_due_at` — QC's delay is never the agent's.
//! Lateness that is over (a re-care or a verification after its deadline) is counted on the
//! follow-up as the step is recorded (`late_recares`, `late_verifications`).

use super::shared::{Sql, get, verify_due_at};
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};

/// The SQL of "waiting for the agent past due" at `at`, on the follow-ups aliased `f`.
pub(crate) fn overdue_expr(sql: &mut Sql, at: DateTime<Utc>) -> String {
    let p = sql.bind(at);
    format!("(f.status IN ('open', 'reopened') AND f.due_at < {p})")
}

/// The SQL of "waiting for QC past its deadline" at `at`, on the follow-ups aliased `f`.
pub(crate) fn verify_overdue_expr(sql: &mut Sql, at: DateTime<Utc>) -> String {
    let p = sql.bind(at);
    format!("(f.status = 'recared' AND f.verify_due_at < {p})")
}

/// The counts the summary and the inbox give of the follow-ups aliased `f` at `at`, as columns
/// `open` (waiting for the agent), `recared`, `overdue` and `verify_overdue`.
pub(crate) fn count_columns(sql: &mut Sql, at: DateTime<Utc>) -> String {
    let overdue = overdue_expr(sql, at);
    let verify_overdue = verify_overdue_expr(sql, at);
    format!(
        "SUM(CASE WHEN f.status IN ('open', 'reopened') THEN 1 ELSE 0 END) AS open, \
         SUM(CASE WHEN f.status = 'recared' THEN 1 ELSE 0 END) AS recared, \
         SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN {verify_overdue} THEN 1 ELSE 0 END) AS verify_overdue"
    )
}

/// The list's order: the agent's overdue first (0), then QC's overdue (1), then the rest (2).
pub(super) fn rank_expr(sql: &mut Sql, at: DateTime<Utc>) -> String {
    let overdue = overdue_expr(sql, at);
    let verify_overdue = verify_overdue_expr(sql, at);
    format!("(CASE WHEN {overdue} THEN 0 WHEN {verify_overdue} THEN 1 ELSE 2 END)")
}

/// Gives QC's deadline to the follow-ups waiting for QC that have none: those re-cared before
/// deadlines were kept (migration `m20261206_000002_followup_deadlines`), counted from their
/// latest re-care with this server's calendar and `MUTU_VERIFY_DAYS`. Run at start; a
/// conditional update, so it does nothing the second time and is safe on several servers.
/// Returns how many follow-ups it gave a deadline.
pub async fn backfill_verify_deadlines(state: &AppState) -> ApiResult<u64> {
    let db = &state.db.conn;
    let rows = Sql::new(
        "SELECT f.id AS followup_id, s.id AS step_id, s.at FROM followups f JOIN followup_steps s ON s.followup_id = f.id \
         WHERE f.status = 'recared' AND f.verify_due_at IS NULL AND s.step = 'recared' \
         AND s.id = (SELECT MAX(l.id) FROM followup_steps l WHERE l.followup_id = f.id AND l.step = 'recared')",
    )
    .all(db)
    .await?;
    let mut done = 0;
    for row in rows {
        let (followup, step): (i32, i32) = (get(&row, "followup_id")?, get(&row, "step_id")?);
        let deadline = verify_due_at(state, get::<DateTime<Utc>>(&row, "at")?);
        let txn = state.db.write().await?;
        let mut update = Sql::new("UPDATE followups SET verify_due_at = ");
        let (p_due, p_id) = (update.bind(deadline), update.bind(followup));
        update.push(&format!("{p_due} WHERE id = {p_id} AND status = 'recared' AND verify_due_at IS NULL"));
        if update.exec(&*txn).await? == 1 {
            let mut step_update = Sql::new("UPDATE followup_steps SET verify_due_at = ");
            let (p_due, p_id) = (step_update.bind(deadline), step_update.bind(step));
            step_update.push(&format!("{p_due} WHERE id = {p_id} AND verify_due_at IS NULL"));
            step_update.exec(&*txn).await?;
            done += 1;
        }
        txn.commit().await?;
    }
    Ok(done)
}
