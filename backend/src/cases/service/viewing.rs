//! Which QC officers have an agree open (`POST /api/cases/{id}/viewing`): each validation page
//! says so every few seconds and hears who else has the same agree open, so two officers do not
//! validate one agree at once. Kept in `case_views` (so several app servers see the same), one row
//! per case and officer; presence, not a record, so not audited; rows older than
//! [`FORGET_AFTER_SECS`] are pruned by the background work ([`forget_old_views`]), not on the
//! heartbeat.

use super::queue::case_in;
use super::shared::fetch;
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::cases::{CaseStatus, CaseViewer, CaseViewers};
use entity::{case_views, users};
use sea_orm::sea_query::{Expr, JoinType, OnConflict, Order, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, FromQueryResult, QueryFilter};

/// A page that has not said so for this long no longer has the agree open (it says so every 15 s).
pub const OPEN_WITHIN_SECS: i64 = 45;
/// Rows older than this are deleted.
pub const FORGET_AFTER_SECS: i64 = 600;
/// At most this many others are named.
const SHOWN: u64 = 10;

/// Another officer who has the agree open.
#[derive(FromQueryResult)]
struct Viewer {
    user_id: i32,
    full_name: String,
    seen_at: DateTime<Utc>,
}

/// Notes that `who` has case `id` open, and answers who else has it open (none once validated).
pub async fn viewing(state: &AppState, who: &AuthUser, id: i64) -> ApiResult<CaseViewers> {
    viewing_at(state, who, id, now()).await
}

pub async fn viewing_at(state: &AppState, who: &AuthUser, id: i64, at: DateTime<Utc>) -> ApiResult<CaseViewers> {
    let db = &state.db.conn;
    // 404 for a case the caller may not see, as everywhere.
    let case = case_in(db, who, id).await?;
    let case_id = i32::try_from(case.id).map_err(|_| crate::error::ApiError::NotFound)?;
    if case.status != CaseStatus::Pending {
        return Ok(CaseViewers::default());
    }
    case_views::Entity::insert(case_views::ActiveModel {
        case_id: Set(case_id),
        user_id: Set(who.id),
        seen_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([case_views::Column::CaseId, case_views::Column::UserId])
            .update_column(case_views::Column::SeenAt)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let others = Query::select()
        .columns([case_views::Column::UserId, case_views::Column::SeenAt].map(|column| ("v", column)))
        .column(("u", users::Column::FullName))
        .from_as(case_views::Entity, "v")
        .join_as(
            JoinType::InnerJoin,
            users::Entity,
            "u",
            Expr::col(("u", users::Column::Id)).equals(("v", case_views::Column::UserId)),
        )
        .and_where(Expr::col(("v", case_views::Column::CaseId)).eq(case_id))
        .and_where(Expr::col(("v", case_views::Column::UserId)).ne(who.id))
        .and_where(Expr::col(("v", case_views::Column::SeenAt)).gte(at - Duration::seconds(OPEN_WITHIN_SECS)))
        .order_by(("v", case_views::Column::SeenAt), Order::Desc)
        .limit(SHOWN)
        .to_owned();
    let mut answer = CaseViewers::default();
    for row in fetch::<Viewer>(db, &others).await? {
        answer.others.push(CaseViewer {
            user_id: row.user_id.into(),
            name: row.full_name,
            seen_at: timestamp(row.seen_at),
        });
    }
    Ok(answer)
}

/// Deletes the views no page has renewed for [`FORGET_AFTER_SECS`] (run with the background work;
/// a conditional delete, so several servers may run it at once).
pub async fn forget_old_views(state: &AppState, at: DateTime<Utc>) -> ApiResult<u64> {
    let forgotten = case_views::Entity::delete_many()
        .filter(case_views::Column::SeenAt.lt(at - Duration::seconds(FORGET_AFTER_SECS)))
        .exec(&state.db.conn)
        .await?;
    Ok(forgotten.rows_affected)
}
