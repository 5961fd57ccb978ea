//! W-03 steps: the agent's re-care and QC's close or reopen, each a conditional update on status
//! and version, with its history step and audit entry, in one transaction. A re-care sets QC's
//! deadline; a reopening a fresh due date for the agent; a step after its deadline is counted
//! as late on the follow-up (the agent's re-cares and QC's verifications apart).

use super::followups::followup_in_at;
use super::shared::{due_at, verify_due_at};
use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::dashboards::rollup;
use crate::db::{WriteTx, now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::site_time::site_date;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::audit::AuditAction;
use domain::cases::{
    self as rules, Followup, FollowupAction, FollowupStatus, FollowupStepKind, RecareRequest, VerifyRequest,
};
use domain::documents::{Actor as RuleActor, Refusal};
use domain::problems::{Conflict, Problem};
use entity::{cases, followup_steps, followups};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter};
use serde_json::json;

fn followup_refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => {
            ApiError::conflict(Conflict::WrongState, "the follow-up is not in a state where this step applies")
        }
    }
}

fn check_note(field: &str, value: &str, max: usize, required: bool) -> ApiResult<String> {
    let rule = domain::validation::TextRule { required, ..domain::validation::TextRule::free(max) };
    ApiError::checked(field, domain::validation::text(value, rule))?;
    Ok(value.trim().to_owned())
}

/// An instant of a follow-up as the API wrote it.
fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// What a step changes on the follow-up besides its status.
#[derive(Default)]
struct Change {
    closed_at: Option<DateTime<Utc>>,
    comment: Option<String>,
    /// The agent's due date of a new round.
    due_at: Option<DateTime<Utc>>,
    /// QC's deadline: set (`Some(Some)`) by a re-care, cleared (`Some(None)`) by a verification.
    verify_due_at: Option<Option<DateTime<Utc>>>,
    late_recare: bool,
    late_verification: bool,
}

/// Moves a follow-up from `from` (at `version`) to `to`; 409 when someone else moved it first.
async fn move_followup(
    txn: &WriteTx,
    id: i32,
    (from, version): (FollowupStatus, i64),
    to: FollowupStatus,
    at: DateTime<Utc>,
    change: Change,
) -> ApiResult<()> {
    use followups::Column;
    let mut update = followups::Entity::update_many()
        .col_expr(Column::Status, Expr::value(to))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(at));
    if let Some(closed) = change.closed_at {
        update = update.col_expr(Column::ClosedAt, Expr::value(closed));
    }
    if let Some(comment) = change.comment {
        update = update.col_expr(Column::LastComment, Expr::value(comment));
    }
    if let Some(due) = change.due_at {
        update = update.col_expr(Column::DueAt, Expr::value(due));
    }
    if let Some(verify_due) = change.verify_due_at {
        update = update.col_expr(Column::VerifyDueAt, Expr::value(verify_due));
    }
    if change.late_recare {
        update = update.col_expr(Column::LateRecares, Expr::col(Column::LateRecares).add(1));
    }
    if change.late_verification {
        update = update.col_expr(Column::LateVerifications, Expr::col(Column::LateVerifications).add(1));
    }
    let moved = update
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from))
        .filter(Column::Version.eq(version as i32))
        .exec(&**txn)
        .await?
        .rows_affected;
    if moved == 0 {
        return Err(ApiError::conflict(Conflict::StaleVersion, "the follow-up changed meanwhile; reload it"));
    }
    Ok(())
}

/// `POST /api/followups/{id}/recare`: the follow-up's own agent records the re-care.
pub async fn recare(state: &AppState, who: &AuthUser, id: i64, body: RecareRequest) -> ApiResult<Followup> {
    recare_at(state, who, id, body, now(), Trail::EachStep).await
}

pub async fn recare_at(
    state: &AppState,
    who: &AuthUser,
    id: i64,
    body: RecareRequest,
    at: DateTime<Utc>,
    trail: Trail,
) -> ApiResult<Followup> {
    let note = check_note("note", &body.note, domain::limits::TEXT_MAX, true)?;
    let call_ref = check_note("recare_call_ref", &body.recare_call_ref, 100, true)?;
    let recared_at = DateTime::parse_from_rfc3339(body.recared_at.trim())
        .map_err(|_| ApiError::field("recared_at", Problem::InvalidTimestamp))?
        .with_timezone(&Utc);
    if recared_at > at + chrono::Duration::minutes(5) {
        return Err(ApiError::field("recared_at", Problem::InTheFuture));
    }
    // A new promise the customer gave on the re-care call: from that call's site day on.
    let promise_date = body.promise_date.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
    if let Some(promise) = &promise_date {
        let recare_day = site_date(state, recared_at);
        ApiError::checked("promise_date", domain::cases::check_new_promise(promise, recare_day))?;
    }
    let txn = state.db.write().await?;
    let current = followup_in_at(&*txn, who, id, at).await?;
    // Only the follow-up's own agent re-cares; to anyone else who sees it, it is not theirs.
    if who.role == Role::Agent && current.agent_id != i64::from(who.id) {
        return Err(ApiError::NotFound);
    }
    let next = rules::followup_transition(current.status, FollowupAction::Recare, RuleActor::User(who.role))
        .map_err(followup_refusal)?;
    // Compared at the precision the client sent: a re-care stamped in the RETURN's own second
    // (or minute, as the browser's form sends it) is not before it.
    let unit = rules::sent_precision_micros(body.recared_at.trim());
    let opened = DateTime::parse_from_rfc3339(&current.opened_at).map(|d| d.timestamp_micros()).ok();
    if let Some(opened) = opened
        && recared_at.timestamp_micros() < opened - opened.rem_euclid(unit)
    {
        return Err(ApiError::field("recared_at", Problem::BeforeTheReturn));
    }
    // The agent's round ends when the re-care is recorded, not at the call time they give.
    let late = instant(&current.due_at).is_some_and(|due| at > due);
    let verify_due = verify_due_at(state, at);
    let change = Change { verify_due_at: Some(Some(verify_due)), late_recare: late, ..Change::default() };
    move_followup(&txn, id as i32, (current.status, current.version), next, at, change).await?;
    add_step(
        &txn,
        id as i32,
        FollowupStepKind::Recared,
        who,
        at,
        Some(note.clone()),
        Some(call_ref.clone()),
        Some(recared_at),
        promise_date.clone(),
    )
    .await?;
    who.audit(&txn, trail, AuditAction::FollowupRecared, "followup", id.to_string(), json!({ "case_id": current.case_id, "note": note, "recare_call_ref": call_ref, "recared_at": timestamp(recared_at), "due_at": current.due_at, "late": late, "verify_due_at": timestamp(verify_due), "promise_date": promise_date })).await?;
    let view = followup_in_at(&*txn, who, id, at).await?;
    txn.commit().await?;
    Ok(view)
}

/// `POST /api/followups/{id}/verify`: QC closes, or reopens with a comment.
pub async fn verify(state: &AppState, who: &AuthUser, id: i64, body: VerifyRequest) -> ApiResult<Followup> {
    verify_at(state, who, id, body, now(), Trail::EachStep).await
}

pub async fn verify_at(
    state: &AppState,
    who: &AuthUser,
    id: i64,
    body: VerifyRequest,
    at: DateTime<Utc>,
    trail: Trail,
) -> ApiResult<Followup> {
    if !domain::can(who.role, domain::Action::VerifyFollowups) {
        return Err(ApiError::Forbidden);
    }
    let action = match body.decision.as_str() {
        "close" => FollowupAction::Close,
        "reopen" => FollowupAction::Reopen,
        _ => return Err(ApiError::field("decision", Problem::UnknownDecision)),
    };
    let comment = check_note("comment", &body.comment, domain::limits::TEXT_MAX, action == FollowupAction::Reopen)?;
    let txn = state.db.write().await?;
    let current = followup_in_at(&*txn, who, id, at).await?;
    let next =
        rules::followup_transition(current.status, action, RuleActor::User(who.role)).map_err(followup_refusal)?;
    let comment = (!comment.is_empty()).then_some(comment);
    let late = current.verify_due_at.as_deref().and_then(instant).is_some_and(|deadline| at > deadline);
    // A reopening starts the agent's next round, with a due date counted from now.
    let reopened = next == FollowupStatus::Reopened;
    let new_due = reopened.then(|| due_at(state, at));
    let change = Change {
        closed_at: (next == FollowupStatus::Closed).then_some(at),
        comment: if reopened { comment.clone() } else { None },
        due_at: new_due,
        verify_due_at: Some(None),
        late_verification: late,
        ..Change::default()
    };
    move_followup(&txn, id as i32, (current.status, current.version), next, at, change).await?;
    if next == FollowupStatus::Closed {
        // The overview's roll-up counts the closed RETURN, and whether each deadline was kept, on
        // its case's call day.
        let row = followups::Entity::find_by_id(id as i32).one(&*txn).await?.ok_or(ApiError::NotFound)?;
        if let Some(case) = cases::Entity::find_by_id(row.case_id).one(&*txn).await? {
            // Reopened at least once: a step of this follow-up says so (this close's step is
            // written below).
            let reopened = followup_steps::Entity::find()
                .filter(followup_steps::Column::FollowupId.eq(row.id))
                .filter(followup_steps::Column::Step.eq(FollowupStepKind::Reopened))
                .one(&*txn)
                .await?
                .is_some();
            let delta = rollup::Delta::closed(row.late_recares, row.late_verifications, reopened);
            rollup::add(&*txn, &rollup::Key::of_case(state.config.offset(), &case), delta).await?;
        }
        // The keep-rate roll-up: the agree's promise counts as a RETURN closed now.
        crate::promises::rollup::regrouped(
            &*txn,
            state.config.offset(),
            row.case_id,
            domain::promises::QcOutcome::ReturnedOpen,
            None,
        )
        .await?;
        // The RETURN's validation closes with its follow-up: its retention starts now.
        crate::records::retention::close_validation(&txn, state, row.validation_id, at).await?;
    }
    let step = if reopened { FollowupStepKind::Reopened } else { FollowupStepKind::Closed };
    add_step(&txn, id as i32, step, who, at, comment.clone(), None, None, None).await?;
    let mut payload =
        json!({ "case_id": current.case_id, "comment": comment, "verify_due_at": current.verify_due_at, "late": late });
    if let Some(due) = new_due {
        payload["due_at"] = json!(timestamp(due));
    }
    who.audit(
        &txn,
        trail,
        if reopened { AuditAction::FollowupReopened } else { AuditAction::FollowupClosed },
        "followup",
        id.to_string(),
        payload,
    )
    .await?;
    let view = followup_in_at(&*txn, who, id, at).await?;
    txn.commit().await?;
    Ok(view)
}

/// Appends a step to a follow-up's history, with the deadline the step set, read from the
/// follow-up as it now stands (so callers pass none; the opening inserts its follow-up first):
/// the agent's due date on `opened` and `reopened`, QC's deadline on `recared`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn add_step(
    txn: &WriteTx,
    followup_id: i32,
    step: FollowupStepKind,
    who: &AuthUser,
    at: DateTime<Utc>,
    note: Option<String>,
    recare_call_ref: Option<String>,
    recared_at: Option<DateTime<Utc>>,
    promise_date: Option<String>,
) -> ApiResult<()> {
    let followup = followups::Entity::find_by_id(followup_id).one(&**txn).await?.ok_or(ApiError::NotFound)?;
    let (due, verify_due) = match step {
        FollowupStepKind::Opened | FollowupStepKind::Reopened => (Some(followup.due_at), None),
        FollowupStepKind::Recared => (None, followup.verify_due_at),
        FollowupStepKind::Closed => (None, None),
    };
    followup_steps::Entity::insert(followup_steps::ActiveModel {
        followup_id: Set(followup_id),
        step: Set(step),
        actor_id: Set(Some(who.id)),
        actor_name: Set(who.name().to_owned()),
        at: Set(at),
        note: Set(note),
        recare_call_ref: Set(recare_call_ref),
        recared_at: Set(recared_at),
        due_at: Set(due),
        verify_due_at: Set(verify_due),
        promise_date: Set(promise_date),
        ..Default::default()
    })
    .exec_without_returning(&**txn)
    .await?;
    Ok(())
}
