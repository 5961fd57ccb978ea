//! Legal holds (issue 15 item 3): placed and released with the signer's password, each in one
//! transaction with its audit entry. A held record is never due and is skipped by a disposal
//! that meets the hold, even one approved before it.
use super::select::{self, RecordForm, count};
use crate::auth::AuthUser;
use crate::auth::service::reauthenticate;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use domain::audit::AuditAction;
use domain::problems::Problem;
use domain::records::{FormCount, Hold, HoldRequest, HoldScope, MAX_ACTIVE_HOLDS, ReleaseRequest, reason_fault};
use entity::{legal_holds, teams, users};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Cond, Expr};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// Holds the list shows: every hold in force and the latest released ones.
const LISTED: u64 = 200;

fn scope_of(hold: &legal_holds::Model) -> HoldScope {
    HoldScope {
        record_ids: hold.record_ids.as_deref().and_then(|ids| serde_json::from_str(ids).ok()),
        form: hold.form.clone(),
        agent_id: hold.agent_id,
        team_id: hold.team_id,
        customer_no: hold.customer_no.clone(),
        from: hold.from_day.clone(),
        to: hold.to_day.clone(),
    }
}

async fn covers(state: &AppState, forms: &[RecordForm], hold: &legal_holds::Model) -> ApiResult<Vec<FormCount>> {
    let mut out = Vec::new();
    if hold.released_at.is_some() {
        return Ok(out);
    }
    for form in forms {
        if let Some(cond) = form.held_by(state, hold) {
            out.push(FormCount { form: form.code.clone(), count: count(&state.db.conn, form.from(), cond).await? });
        }
    }
    Ok(out)
}

fn view(hold: legal_holds::Model, covers: Vec<FormCount>) -> Hold {
    Hold {
        id: hold.id.into(),
        scope: scope_of(&hold),
        reason: hold.reason,
        placed_by: hold.placed_by_name,
        placed_at: timestamp(hold.placed_at),
        released_by: hold.released_by_name,
        released_at: hold.released_at.map(timestamp),
        release_reason: hold.release_reason,
        covers,
    }
}

/// Holds in force first (newest first), then the latest released.
pub async fn list(state: &AppState) -> ApiResult<Vec<Hold>> {
    let db = &state.db.conn;
    let forms = select::forms(db).await?;
    let rows = legal_holds::Entity::find()
        .order_by(Expr::col(legal_holds::Column::ReleasedAt).is_null(), sea_orm::Order::Desc)
        .order_by_desc(legal_holds::Column::Id)
        .limit(LISTED)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for hold in rows {
        let covers = covers(state, &forms, &hold).await?;
        out.push(view(hold, covers));
    }
    Ok(out)
}

/// Places a hold: 422 for an empty scope or reason, an unknown form, agent or team; 401 for a
/// wrong password.
pub async fn place(state: &AppState, auth: &AuthUser, body: HoldRequest) -> ApiResult<Hold> {
    let scope = body.scope.normalised();
    if let Some((field, problem)) = scope.fault() {
        return Err(ApiError::field(field, problem));
    }
    if let Some(problem) = reason_fault(&body.reason) {
        return Err(ApiError::field("reason", problem));
    }
    let db = &state.db.conn;
    if let Some(code) = &scope.form {
        select::form(db, "scope.form", code).await?;
    }
    if let Some(agent) = scope.agent_id
        && users::Entity::find_by_id(agent).one(db).await?.is_none()
    {
        return Err(ApiError::field("scope.agent_id", Problem::NotFound));
    }
    if let Some(team) = scope.team_id
        && teams::Entity::find_by_id(team).one(db).await?.is_none()
    {
        return Err(ApiError::field("scope.team_id", Problem::NotFound));
    }
    let in_force = legal_holds::Entity::find().filter(legal_holds::Column::ReleasedAt.is_null()).count(db).await?;
    if in_force as usize >= MAX_ACTIVE_HOLDS {
        return Err(ApiError::field("scope", Problem::TooLong));
    }
    reauthenticate(state, auth, body.password, "hold.place").await?;
    let at = now();
    let txn = state.db.write().await?;
    let record_ids = scope.record_ids.as_ref().map(|ids| serde_json::to_string(ids).unwrap_or_default());
    let id = legal_holds::Entity::insert(legal_holds::ActiveModel {
        form: Set(scope.form.clone()),
        record_ids: Set(record_ids),
        agent_id: Set(scope.agent_id),
        team_id: Set(scope.team_id),
        customer_no: Set(scope.customer_no.clone()),
        from_day: Set(scope.from.clone()),
        to_day: Set(scope.to.clone()),
        reason: Set(body.reason.trim().to_owned()),
        placed_by: Set(auth.id),
        placed_by_name: Set(auth.name().to_owned()),
        placed_at: Set(at),
        ..Default::default()
    })
    .exec(&*txn)
    .await?
    .last_insert_id;
    let payload = json!({ "scope": scope, "reason": body.reason.trim(), "signed_by": auth.name() });
    auth.audit(&txn, crate::audit::Trail::EachStep, AuditAction::HoldPlaced, "hold", id.to_string(), payload).await?;
    let hold = legal_holds::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    let forms = select::forms(db).await?;
    let covers = covers(state, &forms, &hold).await?;
    Ok(view(hold, covers))
}

/// Releases a hold in force: 404 for an unknown one, 409 `wrong_state` for one released already.
pub async fn release(state: &AppState, auth: &AuthUser, id: i64, body: ReleaseRequest) -> ApiResult<Hold> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let db = &state.db.conn;
    let hold = legal_holds::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if let Some(problem) = reason_fault(&body.reason) {
        return Err(ApiError::field("reason", problem));
    }
    if hold.released_at.is_some() {
        return Err(ApiError::conflict(domain::problems::Conflict::WrongState, "this hold was released already"));
    }
    reauthenticate(state, auth, body.password, "hold.release").await?;
    let at = now();
    let txn = state.db.write().await?;
    let released = legal_holds::Entity::update_many()
        .col_expr(legal_holds::Column::ReleasedBy, Expr::value(auth.id))
        .col_expr(legal_holds::Column::ReleasedByName, Expr::value(auth.name()))
        .col_expr(legal_holds::Column::ReleasedAt, Expr::value(at))
        .col_expr(legal_holds::Column::ReleaseReason, Expr::value(body.reason.trim()))
        .filter(Cond::all().add(legal_holds::Column::Id.eq(id)).add(legal_holds::Column::ReleasedAt.is_null()))
        .exec(&*txn)
        .await?;
    if released.rows_affected == 0 {
        return Err(ApiError::conflict(domain::problems::Conflict::WrongState, "this hold was released already"));
    }
    let payload = json!({ "reason": body.reason.trim(), "signed_by": auth.name(), "scope": scope_of(&hold) });
    auth.audit(&txn, crate::audit::Trail::EachStep, AuditAction::HoldReleased, "hold", id.to_string(), payload).await?;
    let hold = legal_holds::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    Ok(view(hold, Vec::new()))
}
