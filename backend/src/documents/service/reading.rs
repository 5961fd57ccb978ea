//! Reading documents: the revision in force at an instant, "read and understood"
//! confirmations, and who has and has not confirmed.

use super::revisions::view;
use super::shared::{audit_revision, find_document, find_revision, parse_date};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::site_time::{day_start, local_to_utc};
use crate::state::AppState;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::Action;
use domain::api::UserRef;
use domain::audit::AuditAction;
use domain::documents::{Acknowledgement, AcknowledgementStatus, Revision, RevisionStatus};
use domain::problems::{Conflict, Problem};
use entity::{acknowledgements, revisions, users};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// `at` of `in-force`: an RFC 3339 instant, a day (its 00:00 in the site zone), or a site-local
/// wall time `YYYY-MM-DDThh:mm[:ss]` (what a browser's date and time fields give).
fn instant(state: &AppState, at: &str) -> ApiResult<DateTime<Utc>> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(at) {
        return Ok(instant.with_timezone(&Utc));
    }
    if let Ok(day) = parse_date("at", at) {
        return Ok(day_start(state, day));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(at, format).ok())
        .map(|local| local_to_utc(state, local))
        .ok_or_else(|| ApiError::field("at", Problem::InvalidTimestamp))
}

/// The revision in force at `at`: in force from its effective instant until superseded. An
/// approved revision whose instant is still to come counts from that instant (answered with
/// `scheduled`), so a later `at` answers it rather than the revision in force today; a role that
/// may not see revisions not yet in force gets 404 for an instant such a revision covers.
pub async fn in_force(state: &AppState, auth: &AuthUser, code: &str, at: &str) -> ApiResult<Revision> {
    let at = instant(state, at)?;
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .filter(revisions::Column::Status.is_in([
            RevisionStatus::Approved,
            RevisionStatus::Effective,
            RevisionStatus::Superseded,
        ]))
        .filter(revisions::Column::EffectiveAt.lte(at))
        .filter(revisions::Column::SupersededAt.is_null().or(revisions::Column::SupersededAt.gt(at)))
        .order_by_desc(revisions::Column::EffectiveAt)
        .order_by_desc(revisions::Column::Rev)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !model.status.is_published() && !auth.may(Action::SeeDraftRevisions) {
        return Err(ApiError::NotFound);
    }
    view(db, auth, &document, model).await
}

/// "Read and understood", for effective revisions; confirming twice changes nothing.
pub async fn acknowledge(state: &AppState, auth: &AuthUser, code: &str, rev: i32) -> ApiResult<()> {
    let txn = state.db.write().await?;
    let document = find_document(&*txn, code).await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    if model.status != RevisionStatus::Effective {
        return Err(ApiError::conflict(Conflict::NotEffective, "only the effective revision can be confirmed as read"));
    }
    let inserted = acknowledgements::Entity::insert(acknowledgements::ActiveModel {
        revision_id: Set(model.id),
        user_id: Set(auth.id),
        acknowledged_at: Set(now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([acknowledgements::Column::RevisionId, acknowledgements::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    if inserted == 1 {
        audit_revision(&txn, auth, AuditAction::RevisionAcknowledged, code, rev, json!({})).await?;
    }
    txn.commit().await
}

/// Who has and who has not confirmed reading (active accounts).
pub async fn acknowledgements(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
) -> ApiResult<AcknowledgementStatus> {
    if !(auth.may(Action::SeeDraftRevisions) || auth.may(Action::ViewTeam)) {
        return Err(ApiError::Forbidden);
    }
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = find_revision(db, auth, &document, rev).await?;
    let acks =
        acknowledgements::Entity::find().filter(acknowledgements::Column::RevisionId.eq(model.id)).all(db).await?;
    let users = users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::FullName)
        .all(db)
        .await?;
    let by_user: HashMap<i32, DateTime<Utc>> = acks.into_iter().map(|a| (a.user_id, a.acknowledged_at)).collect();
    let mut acknowledged = Vec::new();
    let mut pending = Vec::new();
    let mut seen = HashSet::new();
    for user in users {
        seen.insert(user.id);
        let reference = UserRef { id: user.id.into(), username: user.username, full_name: user.full_name };
        match by_user.get(&user.id) {
            Some(at) => acknowledged.push(Acknowledgement { user: reference, acknowledged_at: timestamp(*at) }),
            None => pending.push(reference),
        }
    }
    Ok(AcknowledgementStatus { code: document.code, rev: model.rev, acknowledged, pending })
}
