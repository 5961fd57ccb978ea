//! The QCO's sheet: `POST /api/evaluations` (a draft or submitted at once, free or inside a
//! calibration session or for a sampled call) and `PUT /api/evaluations/{id}` (the draft saved
//! again or submitted). Scores come from `domain::scoring::score`; a submission adds the sheet to
//! the daily roll-up (`crate::scoring::stats`) in the same transaction.

use super::answers::{check_answers, insert_answers};
use super::view::{is_participant, view, visible};
use crate::auth::AuthUser;
use crate::dashboards::rollup::{self, Delta, Key};
use crate::db::now;
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::scoring::forms::sections_of;
use crate::scoring::shared::{
    COMMENT_MAX, active_with_role, audit_entry, check_line, check_text, published_form, refusal,
};
use crate::scoring::stats;
use crate::site_time::parse_instant;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::audit::AuditAction;
use domain::cases::{Bucket, Service};
use domain::documents::Actor as RuleActor;
use domain::problems::{Conflict, Problem};
use domain::scoring::{
    self as rules, AssignmentStatus, CalibrationStatus, Evaluation, EvaluationAction, EvaluationStatus, NewEvaluation,
};
use domain::{Action, Role};
use entity::{calibration_sessions, evaluation_answers, evaluations, sampling_assignments, scoring_forms, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter,
};
use serde_json::json;

const CALL_REF_MAX: usize = 100;
const RECORDING_REF_MAX: usize = 200;

/// The call fields of a sheet, checked.
struct Call {
    agent: users::Model,
    call_ref: String,
    call_at: DateTime<Utc>,
    service: Service,
    bucket: Bucket,
    recording_ref: Option<String>,
}

async fn check_call(db: &impl ConnectionTrait, body: &NewEvaluation) -> ApiResult<Call> {
    check_line("call_ref", &body.call_ref, CALL_REF_MAX)?;
    let call_at = parse_instant("call_at", &body.call_at)?;
    if call_at > now() + Duration::days(1) {
        return Err(ApiError::field("call_at", Problem::InFuture));
    }
    let recording_ref = body.recording_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if let Some(r) = &recording_ref {
        check_line("recording_ref", r, RECORDING_REF_MAX)?;
    }
    let agent = active_with_role(db, body.agent_id, Role::Agent)
        .await?
        .ok_or_else(|| ApiError::field("agent_id", Problem::NotAnAgent))?;
    Ok(Call {
        agent,
        call_ref: body.call_ref.trim().to_owned(),
        call_at,
        service: body.service,
        bucket: body.bucket,
        recording_ref,
    })
}

fn check_comment(comment: &Option<String>) -> ApiResult<Option<String>> {
    match comment.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => {
            check_text("comment", c, COMMENT_MAX)?;
            Ok(Some(c.to_owned()))
        }
        None => Ok(None),
    }
}

/// The retention a submitted sheet keeps: its form's in the register now (issue 15). Its
/// `retain_until` is set when it closes (`records::retention::close_sheet`).
async fn retention(db: &impl ConnectionTrait, form: &scoring_forms::Model) -> ApiResult<i32> {
    crate::records::retention::register_months(db, &form.document_code).await
}

/// Marks a sampled call as scored once its sheet is submitted.
async fn settle_assignment(
    txn: &DatabaseTransaction,
    assignment_id: Option<i64>,
    evaluation_id: i64,
    submitted: bool,
) -> ApiResult<()> {
    if let (Some(id), true) = (assignment_id, submitted) {
        sampling_assignments::Entity::update_many()
            .col_expr(sampling_assignments::Column::Status, Expr::value(AssignmentStatus::Done))
            .col_expr(sampling_assignments::Column::EvaluationId, Expr::value(evaluation_id))
            .filter(sampling_assignments::Column::Id.eq(id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// `POST /api/evaluations`: a new sheet by a QCO, as a draft or submitted at once.
pub async fn create_evaluation(state: &AppState, auth: &AuthUser, body: NewEvaluation) -> ApiResult<Evaluation> {
    auth.require(Action::ScoreCalls)?;
    let action = if body.submit { EvaluationAction::Submit } else { EvaluationAction::EditDraft };
    rules::evaluation_transition(EvaluationStatus::Draft, action, RuleActor::User(auth.role)).map_err(refusal)?;
    let comment = check_comment(&body.comment)?;
    let txn = state.db.write().await?;
    let (form, call, calibration_id) = match body.calibration_id {
        Some(session_id) => {
            let session_id = i32::try_from(session_id).map_err(|_| ApiError::NotFound)?;
            let session =
                calibration_sessions::Entity::find_by_id(session_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
            if !is_participant(&*txn, session.id, auth.id).await? {
                return Err(ApiError::NotFound);
            }
            if session.status != CalibrationStatus::Open {
                return Err(ApiError::conflict(Conflict::CalibrationClosed, "this calibration session is closed"));
            }
            let taken = evaluations::Entity::find()
                .filter(evaluations::Column::CalibrationId.eq(session.id))
                .filter(evaluations::Column::QcoId.eq(auth.id))
                .count(&*txn)
                .await?;
            if taken > 0 {
                return Err(ApiError::conflict(
                    Conflict::AlreadyScored,
                    "you already have a sheet in this calibration session; edit that one",
                ));
            }
            let form =
                scoring_forms::Entity::find_by_id(session.form_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
            let agent = users::Entity::find_by_id(session.agent_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
            let call = Call {
                agent,
                call_ref: session.call_ref.clone(),
                call_at: session.call_at,
                service: session.service,
                bucket: session.bucket,
                recording_ref: session.recording_ref.clone(),
            };
            (form, call, Some(session.id))
        }
        None => {
            let form = published_form(&*txn, body.form_id).await?;
            (form, check_call(&*txn, &body).await?, None)
        }
    };
    if let Some(assignment_id) = body.assignment_id {
        let assignment = sampling_assignments::Entity::find_by_id(assignment_id)
            .filter(sampling_assignments::Column::QcoId.eq(auth.id))
            .one(&*txn)
            .await?
            .ok_or_else(|| ApiError::field("assignment_id", Problem::NotFound))?;
        if assignment.agent_id != call.agent.id {
            return Err(ApiError::field("assignment_id", Problem::OtherAgent));
        }
        if assignment.status != AssignmentStatus::Pending || assignment.evaluation_id.is_some() {
            return Err(ApiError::conflict(Conflict::AlreadyScored, "this assigned call already has a sheet"));
        }
    }
    let sections = sections_of(&form);
    check_answers(&sections, &body.answers, body.submit)?;
    let result = rules::score(&sections, &body.answers);
    let at = now();
    let status = if body.submit { EvaluationStatus::Submitted } else { EvaluationStatus::Draft };
    let inserted = evaluations::Entity::insert(evaluations::ActiveModel {
        form_id: Set(form.id),
        agent_id: Set(call.agent.id),
        qco_id: Set(auth.id),
        team_id: Set(call.agent.team_id),
        call_ref: Set(call.call_ref.clone()),
        call_at: Set(call.call_at),
        service: Set(call.service),
        bucket: Set(call.bucket),
        recording_ref: Set(call.recording_ref.clone()),
        comment: Set(comment),
        score: Set(result.score),
        fatal: Set(result.fatal),
        status: Set(status),
        created_at: Set(at),
        updated_at: Set(at),
        submitted_at: Set(body.submit.then_some(at)),
        acknowledged_at: Set(None),
        retain_until: Set(None),
        retention_months: Set(if body.submit { Some(retention(&*txn, &form).await?) } else { None }),
        version: Set(1),
        calibration_id: Set(calibration_id),
        assignment_id: Set(body.assignment_id),
        ..Default::default()
    })
    .exec(&*txn)
    .await
    .on_constraint(Conflict::AlreadyScored, "you already have a sheet in this calibration session")?;
    let id = inserted.last_insert_id;
    insert_answers(&txn, id, &body.answers).await?;
    if body.submit && calibration_id.is_none() {
        let key =
            Key::of(state.config.offset(), call.call_at, call.agent.team_id, call.agent.id, call.service, call.bucket)
                .by(auth.id);
        stats::add(&*txn, &key, &body.answers, 1).await?;
        rollup::add(&*txn, &key, Delta::sheet(result.score, result.fatal, 1)).await?;
    }
    if let Some(assignment_id) = body.assignment_id {
        let linked = sampling_assignments::Entity::update_many()
            .col_expr(sampling_assignments::Column::EvaluationId, Expr::value(id))
            .col_expr(
                sampling_assignments::Column::Status,
                Expr::value(if body.submit { AssignmentStatus::Done } else { AssignmentStatus::Pending }),
            )
            .filter(sampling_assignments::Column::Id.eq(assignment_id))
            .filter(sampling_assignments::Column::Status.eq(AssignmentStatus::Pending))
            .filter(sampling_assignments::Column::EvaluationId.is_null())
            .exec(&*txn)
            .await?
            .rows_affected;
        if linked == 0 {
            return Err(ApiError::conflict(Conflict::AlreadyScored, "this assigned call already has a sheet"));
        }
    }
    let action_name = if body.submit { AuditAction::EvaluationSubmitted } else { AuditAction::EvaluationDrafted };
    audit_entry(
        &txn,
        auth,
        action_name,
        "evaluation",
        id,
        json!({
            "form": format!("{} v{}", form.code, form.version), "agent_id": call.agent.id, "call_ref": call.call_ref,
            "score": result.score, "fatal": result.fatal, "answers": body.answers.len(), "calibration_id": calibration_id,
            "assignment_id": body.assignment_id,
        }),
    )
    .await?;
    if let (Some(session), true) = (calibration_id, body.submit) {
        crate::scoring::calibration::close_when_all_scored(&txn, session).await?;
    }
    let model = evaluations::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}

/// `PUT /api/evaluations/{id}`: the QCO saves their draft again, or submits it.
pub async fn update_evaluation(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    body: NewEvaluation,
) -> ApiResult<Evaluation> {
    let db = &state.db.conn;
    let model = visible(db, auth, id).await?;
    let action = if body.submit { EvaluationAction::Submit } else { EvaluationAction::EditDraft };
    rules::evaluation_transition(model.status, action, RuleActor::User(auth.role)).map_err(refusal)?;
    if model.qco_id != auth.id {
        return Err(ApiError::Forbidden);
    }
    let version = body.version.ok_or_else(|| ApiError::field("version", Problem::Required))?;
    if body.form_id != i64::from(model.form_id) {
        return Err(ApiError::field("form_id", Problem::Pinned));
    }
    let comment = check_comment(&body.comment)?;
    let txn = state.db.write().await?;
    if let Some(session) = model.calibration_id
        && calibration_sessions::Entity::find_by_id(session)
            .one(&*txn)
            .await?
            .is_none_or(|s| s.status != CalibrationStatus::Open)
    {
        return Err(ApiError::conflict(
            Conflict::CalibrationClosed,
            "this calibration session is closed; its sheets are revealed",
        ));
    }
    // A calibration sheet's call is the session's; only answers and comment change.
    let call = if model.calibration_id.is_some() { None } else { Some(check_call(&*txn, &body).await?) };
    if let (Some(assignment_id), Some(call)) = (model.assignment_id, &call) {
        let assignment = sampling_assignments::Entity::find_by_id(assignment_id).one(&*txn).await?;
        if assignment.is_some_and(|a| a.agent_id != call.agent.id) {
            return Err(ApiError::field("agent_id", Problem::OtherAgent));
        }
    }
    let form = scoring_forms::Entity::find_by_id(model.form_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let sections = sections_of(&form);
    check_answers(&sections, &body.answers, body.submit)?;
    let result = rules::score(&sections, &body.answers);
    let at = now();
    let status = if body.submit { EvaluationStatus::Submitted } else { EvaluationStatus::Draft };
    let mut update = evaluations::Entity::update_many()
        .col_expr(evaluations::Column::Score, Expr::value(result.score))
        .col_expr(evaluations::Column::Fatal, Expr::value(result.fatal))
        .col_expr(evaluations::Column::Comment, Expr::value(comment))
        .col_expr(evaluations::Column::Status, Expr::value(status))
        .col_expr(evaluations::Column::UpdatedAt, Expr::value(at))
        .col_expr(evaluations::Column::Version, Expr::col(evaluations::Column::Version).add(1))
        .filter(evaluations::Column::Id.eq(model.id))
        .filter(evaluations::Column::QcoId.eq(auth.id))
        .filter(evaluations::Column::Status.eq(EvaluationStatus::Draft))
        .filter(evaluations::Column::Version.eq(version));
    if let Some(call) = &call {
        update = update
            .col_expr(evaluations::Column::AgentId, Expr::value(call.agent.id))
            .col_expr(evaluations::Column::TeamId, Expr::value(call.agent.team_id))
            .col_expr(evaluations::Column::CallRef, Expr::value(call.call_ref.as_str()))
            .col_expr(evaluations::Column::CallAt, Expr::value(call.call_at))
            .col_expr(evaluations::Column::Service, Expr::value(call.service.as_str()))
            .col_expr(evaluations::Column::Bucket, Expr::value(call.bucket.as_str()))
            .col_expr(evaluations::Column::RecordingRef, Expr::value(call.recording_ref.clone()));
    }
    if body.submit {
        update = update
            .col_expr(evaluations::Column::SubmittedAt, Expr::value(at))
            .col_expr(evaluations::Column::RetentionMonths, Expr::value(retention(&*txn, &form).await?));
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(
            Conflict::StaleVersion,
            "this sheet was changed meanwhile; reload and try again",
        ));
    }
    evaluation_answers::Entity::delete_many()
        .filter(evaluation_answers::Column::EvaluationId.eq(model.id))
        .exec(&*txn)
        .await?;
    insert_answers(&txn, model.id, &body.answers).await?;
    if body.submit && model.calibration_id.is_none() {
        let (team, agent, call_at, service, bucket) = match &call {
            Some(call) => (call.agent.team_id, call.agent.id, call.call_at, call.service, call.bucket),
            None => (model.team_id, model.agent_id, model.call_at, model.service, model.bucket),
        };
        let key = Key::of(state.config.offset(), call_at, team, agent, service, bucket).by(model.qco_id);
        stats::add(&*txn, &key, &body.answers, 1).await?;
        rollup::add(&*txn, &key, Delta::sheet(result.score, result.fatal, 1)).await?;
    }
    settle_assignment(&txn, model.assignment_id, model.id, body.submit).await?;
    let action_name = if body.submit { AuditAction::EvaluationSubmitted } else { AuditAction::EvaluationEdited };
    audit_entry(
        &txn,
        auth,
        action_name,
        "evaluation",
        model.id,
        json!({ "score": result.score, "fatal": result.fatal, "answers": body.answers.len() }),
    )
    .await?;
    if let (Some(session), true) = (model.calibration_id, body.submit) {
        crate::scoring::calibration::close_when_all_scored(&txn, session).await?;
    }
    let model = evaluations::Entity::find_by_id(model.id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let out = view(&*txn, model).await?;
    txn.commit().await?;
    Ok(out)
}
