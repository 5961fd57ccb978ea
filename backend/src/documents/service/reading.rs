//! Reading documents: the revision in force at an instant, "read and understood"
//! confirmations, and who has and has not confirmed.

use super::revisions::view;
use super::shared::{audit_revision, find_document, find_revision, parse_date, status_of};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::site_time::day_start;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Action;
use domain::api::UserRef;
use domain::documents::{Acknowledgement, AcknowledgementStatus, Revision, RevisionStatus};
use entity::{acknowledgements, revisions, users};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// The revision in force at `at`: effective from its effective instant until superseded.
pub async fn in_force(state: &AppState, auth: &AuthUser, code: &str, at: &str) -> ApiResult<Revision> {
    let at = DateTime::parse_from_rfc3339(at)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| parse_date("at", at).map(|d| day_start(state, d)))
        .map_err(|_| ApiError::field("at", "invalid_timestamp"))?;
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .filter(
            revisions::Column::Status.is_in([RevisionStatus::Effective.as_str(), RevisionStatus::Superseded.as_str()]),
        )
        .filter(revisions::Column::EffectiveAt.lte(at))
        .filter(revisions::Column::SupersededAt.is_null().or(revisions::Column::SupersededAt.gt(at)))
        .order_by_desc(revisions::Column::EffectiveAt)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    view(db, auth, &document, model).await
}

/// "Read and understood", for effective revisions; confirming twice changes nothing.
pub async fn acknowledge(state: &AppState, auth: &AuthUser, code: &str, rev: i32) -> ApiResult<()> {
    let txn = state.db.write().await?;
    let document = find_document(&*txn, code).await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    if status_of(&model) != RevisionStatus::Effective {
        return Err(ApiError::conflict("not_effective", "only the effective revision can be confirmed as read"));
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
        audit_revision(&txn, auth, "revision.acknowledged", code, rev, json!({})).await?;
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
