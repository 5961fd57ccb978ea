//! Which QC officers have an agree open (`POST /api/cases/{id}/viewing`): each validation page
//! says so every few seconds and hears who else has the same agree open, so two officers do not
//! validate one agree at once. Kept in `case_views` (so several app servers see the same), one row
//! per case and officer; presence, not a record, so not audited; rows older than
//! [`FORGET_AFTER_SECS`] are pruned by the background work ([`forget_old_views`]), not on the
//! heartbeat.

use super::queue::case_in;
use super::shared::{Sql, Who, get};
use crate::db::{now, timestamp};
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::cases::{CaseStatus, CaseViewer, CaseViewers};

/// A page that has not said so for this long no longer has the agree open (it says so every 15 s).
pub const OPEN_WITHIN_SECS: i64 = 45;
/// Rows older than this are deleted.
pub const FORGET_AFTER_SECS: i64 = 600;
/// At most this many others are named.
const SHOWN: i64 = 10;

/// Notes that `who` has case `id` open, and answers who else has it open (none once validated).
pub async fn viewing(state: &AppState, who: &Who, id: i64) -> ApiResult<CaseViewers> {
    viewing_at(state, who, id, now()).await
}

pub async fn viewing_at(state: &AppState, who: &Who, id: i64, at: DateTime<Utc>) -> ApiResult<CaseViewers> {
    let db = &state.db.conn;
    // 404 for a case the caller may not see, as everywhere.
    let case = case_in(db, who, id).await?;
    let case_id = i32::try_from(case.id).map_err(|_| crate::error::ApiError::NotFound)?;
    if case.status != CaseStatus::Pending {
        return Ok(CaseViewers::default());
    }
    let mut upsert = Sql::new("INSERT INTO case_views (case_id, user_id, seen_at) VALUES (");
    let (c, u, t) = (upsert.bind(case_id), upsert.bind(who.id), upsert.bind(at));
    upsert.push(&format!("{c}, {u}, {t}) ON CONFLICT (case_id, user_id) DO UPDATE SET seen_at = excluded.seen_at"));
    upsert.exec(db).await?;
    let mut others = Sql::new(
        "SELECT v.user_id, u.full_name, v.seen_at FROM case_views v JOIN users u ON u.id = v.user_id WHERE v.case_id = ",
    );
    let (c, u, since) =
        (others.bind(case_id), others.bind(who.id), others.bind(at - Duration::seconds(OPEN_WITHIN_SECS)));
    others.push(&format!("{c} AND v.user_id <> {u} AND v.seen_at >= {since} ORDER BY v.seen_at DESC LIMIT {SHOWN}"));
    let mut answer = CaseViewers::default();
    for row in others.all(db).await? {
        answer.others.push(CaseViewer {
            user_id: get::<i32>(&row, "user_id")?.into(),
            name: get(&row, "full_name")?,
            seen_at: timestamp(get::<DateTime<Utc>>(&row, "seen_at")?),
        });
    }
    Ok(answer)
}

/// Deletes the views no page has renewed for [`FORGET_AFTER_SECS`] (run with the background work;
/// a conditional delete, so several servers may run it at once).
pub async fn forget_old_views(state: &AppState, at: DateTime<Utc>) -> ApiResult<u64> {
    let mut prune = Sql::new("DELETE FROM case_views WHERE seen_at < ");
    let p = prune.bind(at - Duration::seconds(FORGET_AFTER_SECS));
    prune.push(&p);
    prune.exec(&state.db.conn).await
}
