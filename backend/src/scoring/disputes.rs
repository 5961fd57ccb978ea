//! The agent's answer to a submitted sheet (acknowledge, or dispute with a reason) and the
//! coordinator's resolution (`uphold`, or `amend` with a new answer set; the old answers and
//! score are kept as an amendment and the daily roll-up is corrected in the same transaction).

use super::evaluations::answers::{answers_of, check_answers, in_form_order, insert_answers};
use super::evaluations::view::{view, visible};
use super::forms::sections_of;
use super::shared::{COMMENT_MAX, audit_entry, check_text, refusal};
use super::stats;
use crate::auth::AuthUser;
use crate::dashboards::rollup::{self, Delta, Key};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::records::retention::close_sheet;
use crate::state::AppState;
use domain::audit::AuditAction;
use domain::documents::Actor as RuleActor;
use domain::problems::{Conflict, Problem};
use domain::records::counts_from;
use domain::scoring::{self as rules, DisputeDecision, Evaluation, EvaluationAction, ResolveRequest};
use entity::{evaluation_amendments, evaluation_answers, evaluations, scoring_forms};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter};
use serde_json::json;

async fn agent_step(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    action: EvaluationAction,
    reason: Option<&str>,
) -> ApiResult<Evaluation> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    let from = model.status;
    let to = rules::evaluation_transition(from, action, RuleActor::User(auth.role)).map_err(refusal)?;
    if model.agent_id != auth.id {
        return Err(ApiError::NotFound);
    }
    let reason = match reason {
        Some(text) => {
            if text.trim().is_empty() {
                return Err(ApiError::field("reason", Problem::Required));
            }
            check_text("reason", text.trim(), COMMENT_MAX)?;
            Some(text.trim().to_owned())
        }
        None => None,
    };
    let at = now();
    let txn = state.db.write().await?;
    let mut update = evaluations::Entity::update_many()
        .col_expr(evaluations::Column::Status, Expr::value(to))
        .col_expr(evaluations::Column::UpdatedAt, Expr::value(at))
        .col_expr(evaluations::Column::Version, Expr::col(evaluations::Column::Version).add(1))
        .filter(evaluations::Column::Id.eq(model.id))
        .filter(evaluations::Column::AgentId.eq(auth.id))
        .filter(evaluations::Column::Status.eq(from));
    update = match &reason {
        Some(reason) => update
            .col_expr(evaluations::Column::DisputeReason, Expr::value(reason.as_str()))
            .col_expr(evaluations::Column::DisputedAt, Expr::value(at)),
        None => update.col_expr(evaluations::Column::AcknowledgedAt, Expr::value(at)),
    };
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(Conflict::WrongState, "the sheet changed meanwhile; reload and try again"));
    }
    if reason.is_none() {
        // Acknowledged: the sheet is closed and its retention starts.
        close_sheet(&txn, state, model.id, at, counts_from::ACKNOWLEDGED).await?;
    }
    if model.calibration_id.is_none() {
        let answered = match &reason {
            Some(_) => Delta { disputed: 1, ..Delta::default() },
            None => Delta { acknowledged: 1, ..Delta::default() },
        };
        rollup::add(&*txn, &Key::of_sheet(state.config.offset(), &model), answered).await?;
    }
    let (name, payload) = match &reason {
        Some(reason) => (AuditAction::EvaluationDisputed, json!({ "reason": reason })),
        None => (AuditAction::EvaluationAcknowledged, json!({})),
    };
    audit_entry(&txn, auth, name, "evaluation", model.id, payload).await?;
    let model = evaluations::Entity::find_by_id(model.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}

pub async fn acknowledge(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<Evaluation> {
    agent_step(state, auth, id, EvaluationAction::Acknowledge, None).await
}

pub async fn dispute(state: &AppState, auth: &AuthUser, id: i64, reason: &str) -> ApiResult<Evaluation> {
    agent_step(state, auth, id, EvaluationAction::Dispute, Some(reason)).await
}

/// `uphold` keeps the sheet; `amend` replaces the whole answer set (checked like a submission),
/// recomputes the score and keeps the old answers in the history.
pub async fn resolve(state: &AppState, auth: &AuthUser, id: i64, body: ResolveRequest) -> ApiResult<Evaluation> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    let from = model.status;
    let to =
        rules::evaluation_transition(from, EvaluationAction::Resolve, RuleActor::User(auth.role)).map_err(refusal)?;
    let decision: DisputeDecision =
        body.decision.parse().map_err(|_| ApiError::field("decision", Problem::UnknownDecision))?;
    let amend = decision == DisputeDecision::Amend;
    if body.comment.trim().is_empty() {
        return Err(ApiError::field("comment", Problem::Required));
    }
    check_text("comment", body.comment.trim(), COMMENT_MAX)?;
    let form = scoring_forms::Entity::find_by_id(model.form_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let sections = sections_of(&form);
    let new_answers = if amend {
        let answers = body.answers.clone().ok_or_else(|| ApiError::field("answers", Problem::Required))?;
        check_answers(&sections, &answers, true)?;
        Some(answers)
    } else {
        None
    };
    let at = now();
    let txn = state.db.write().await?;
    let mut update = evaluations::Entity::update_many()
        .col_expr(evaluations::Column::Status, Expr::value(to))
        .col_expr(evaluations::Column::ResolutionDecision, Expr::value(decision))
        .col_expr(evaluations::Column::ResolutionComment, Expr::value(body.comment.trim()))
        .col_expr(evaluations::Column::ResolvedBy, Expr::value(auth.id))
        .col_expr(evaluations::Column::ResolvedAt, Expr::value(at))
        .col_expr(evaluations::Column::UpdatedAt, Expr::value(at))
        .col_expr(evaluations::Column::Version, Expr::col(evaluations::Column::Version).add(1))
        .filter(evaluations::Column::Id.eq(model.id))
        .filter(evaluations::Column::Status.eq(from));
    let mut payload = json!({ "decision": body.decision, "comment": body.comment.trim() });
    if let Some(answers) = &new_answers {
        let result = rules::score(&sections, answers);
        update = update
            .col_expr(evaluations::Column::Score, Expr::value(result.score))
            .col_expr(evaluations::Column::Fatal, Expr::value(result.fatal));
        payload["old_score"] = json!(model.score);
        payload["new_score"] = json!(result.score);
        payload["new_fatal"] = json!(result.fatal);
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(Conflict::WrongState, "the sheet changed meanwhile; reload and try again"));
    }
    close_sheet(&txn, state, model.id, at, counts_from::RESOLVED).await?;
    if let Some(answers) = &new_answers {
        let old = answers_of(&*txn, &[model.id]).await?.remove(&model.id).unwrap_or_default();
        let old = in_form_order(&sections, old);
        evaluation_amendments::Entity::insert(evaluation_amendments::ActiveModel {
            evaluation_id: Set(model.id),
            old_answers: Set(serde_json::to_string(&old).map_err(anyhow::Error::from)?),
            old_score: Set(model.score),
            old_fatal: Set(model.fatal),
            comment: Set(Some(body.comment.trim().to_owned())),
            amended_by: Set(auth.id),
            amended_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(&*txn)
        .await?;
        evaluation_answers::Entity::delete_many()
            .filter(evaluation_answers::Column::EvaluationId.eq(model.id))
            .exec(&*txn)
            .await?;
        insert_answers(&txn, model.id, answers).await?;
        if model.calibration_id.is_none() {
            let key = Key::of_sheet(state.config.offset(), &model);
            stats::add(&*txn, &key, &old, -1).await?;
            stats::add(&*txn, &key, answers, 1).await?;
            let result = rules::score(&sections, answers);
            let change = Delta::sheet(model.score, model.fatal, -1).plus(Delta::sheet(result.score, result.fatal, 1));
            rollup::add(&*txn, &key, change).await?;
        }
    }
    audit_entry(&txn, auth, AuditAction::EvaluationResolved, "evaluation", model.id, payload).await?;
    let model = evaluations::Entity::find_by_id(model.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}
