//! A QCO validates a case (W-04): APPROVED, or RETURN, which opens the W-03 follow-up. One
//! transaction: the conditional update of the pending case, the validation (its unique `case_id`
//! settles races between QCOs), the follow-up with its first step, and the audit entry.

use super::checklist::{checklist_changed, version_in_force};
use super::followups::add_step;
use super::queue::case_in;
use super::shared::due_at;
use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::dashboards::rollup;
use crate::db::now;
use crate::error::{ApiError, ApiResult, is_unique_violation};
use crate::site_time::site_date;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::audit::AuditAction;
use domain::cases::{
    self as rules, Case, CaseStatus, FollowupStatus, FollowupStepKind, NewValidation, ValidationResult,
};
use domain::problems::{Conflict, Problem};
use entity::{cases, followups, validations};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

fn already_validated() -> ApiError {
    ApiError::conflict(
        Conflict::AlreadyValidated,
        "this case has already been validated by another QCO; open the next case in the queue",
    )
}

/// Months a validation (an F-19 record) is kept: the F-19 register entry's retention, else 24.
async fn f19_retention(db: &impl ConnectionTrait) -> ApiResult<u32> {
    let doc =
        entity::documents::Entity::find().filter(entity::documents::Column::Code.eq(rules::F19_CODE)).one(db).await?;
    Ok(doc.and_then(|d| d.retention_months).and_then(|m| u32::try_from(m).ok()).filter(|m| *m > 0).unwrap_or(24))
}

/// The F-18 sheet a validation refers to must exist (`not_found`) and score the case's own agent
/// (`other_agent`): 422 on `evaluation_id` otherwise.
async fn check_evaluation(db: &impl ConnectionTrait, evaluation: i64, agent_id: i64) -> ApiResult<()> {
    let sheet = entity::evaluations::Entity::find_by_id(evaluation).one(db).await?;
    match sheet {
        None => Err(ApiError::field("evaluation_id", Problem::NotFound)),
        Some(sheet) if i64::from(sheet.agent_id) != agent_id => {
            Err(ApiError::field("evaluation_id", Problem::OtherAgent))
        }
        Some(_) => Ok(()),
    }
}

/// `POST /api/cases/{id}/validation`.
pub async fn validate(state: &AppState, who: &AuthUser, case_id: i64, body: NewValidation) -> ApiResult<Case> {
    validate_at(state, who, case_id, body, now(), Trail::EachStep).await
}

/// A validation at `at` (the demo data back-dates its validations, and audits them as a whole).
pub async fn validate_at(
    state: &AppState,
    who: &AuthUser,
    case_id: i64,
    body: NewValidation,
    at: DateTime<Utc>,
    trail: Trail,
) -> ApiResult<Case> {
    if !domain::can(who.role, domain::Action::ValidateCases) {
        return Err(ApiError::Forbidden);
    }
    rules::check_validation(&body).map_err(ApiError::Validation)?;
    if let Some(evaluation) = body.evaluation_id
        && (i32::try_from(evaluation).is_err() || evaluation <= 0)
    {
        return Err(ApiError::field("evaluation_id", Problem::NotFound));
    }
    let recommendation = body.recommendation.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if let Some(text) = &recommendation {
        let rule = domain::validation::TextRule::free(domain::limits::TEXT_MAX);
        ApiError::checked("recommendation", domain::validation::text(text, rule))?;
    }
    let txn = state.db.write().await?;
    let case = case_in(&*txn, who, case_id).await?;
    // Refuse before writing anything: a transaction that wrote and then fails keeps SQLite's
    // write lock until its rollback runs, after the writer gate is already released.
    if case.status != CaseStatus::Pending {
        return Err(already_validated());
    }
    if let Some(evaluation) = body.evaluation_id {
        check_evaluation(&*txn, evaluation, case.agent_id).await?;
    }
    // The wording the QCO ticked must still be the one in force (W-04 is a controlled document:
    // a validation names the version it was made with, never one the QCO did not see).
    let checklist_version = version_in_force(&*txn).await?;
    if body.checklist_version.is_some_and(|seen| seen != i64::from(checklist_version)) {
        return Err(checklist_changed());
    }
    let id = case.id as i32;
    let new_status = match body.result {
        ValidationResult::Approved => CaseStatus::Approved,
        ValidationResult::Returned => CaseStatus::Returned,
    };
    // The conditional update: only a pending case can be validated. On PostgreSQL (no writer
    // gate) a concurrent validation waits on the row lock and then finds the case no longer
    // pending; and the unique case_id of validations below settles anything else.
    let updated = cases::Entity::update_many()
        .col_expr(cases::Column::Status, Expr::value(new_status))
        .filter(cases::Column::Id.eq(id))
        .filter(cases::Column::Status.eq(CaseStatus::Pending))
        .exec(&*txn)
        .await?
        .rows_affected;
    if updated == 0 {
        return Err(already_validated());
    }
    // The overview's roll-up counts the agree as validated on its call's day.
    if let Some(row) = cases::Entity::find_by_id(id).one(&*txn).await? {
        let key = rollup::Key::of_case(state.config.offset(), &row).by(who.id);
        rollup::add(&*txn, &key, rollup::Delta::validated(body.result)).await?;
    }
    // The F-19 record keeps the register's retention of now. An APPROVED agree is closed at once;
    // a RETURN closes with its follow-up, which moves `retain_until` (until then it is the
    // earliest it can be).
    let retention = f19_retention(&*txn).await?;
    let validated_on = site_date(state, at);
    let retain_until = domain::dates::retain_until(validated_on, retention).to_string();
    let counts_from = (body.result == ValidationResult::Approved).then_some(domain::records::counts_from::VALIDATED);
    let inserted = validations::Entity::insert(validations::ActiveModel {
        case_id: Set(id),
        result: Set(body.result),
        identity_verified: Set(body.checklist.identity_verified),
        amount_and_date_correct: Set(body.checklist.amount_and_date_correct),
        explicit_agreement: Set(body.checklist.explicit_agreement),
        reason_matches: Set(body.checklist.reason_matches),
        recommendation: Set(recommendation.clone()),
        qco_id: Set(who.id),
        validated_at: Set(at),
        retain_until: Set(retain_until.clone()),
        evaluation_id: Set(body.evaluation_id.map(|e| e as i32)),
        checklist_version: Set(Some(checklist_version)),
        retention_months: Set(Some(retention as i32)),
        retention_from: Set(counts_from.map(str::to_owned)),
        ..Default::default()
    })
    .exec(&*txn)
    .await;
    // The unique case_id is the guarantee: whatever got past the update loses here.
    let validation_id = match inserted {
        Ok(result) => result.last_insert_id,
        Err(err) if is_unique_violation(&err) => return Err(already_validated()),
        Err(err) => return Err(err.into()),
    };
    let mut followup_id = None;
    if body.result == ValidationResult::Returned {
        let due = due_at(state, at);
        let inserted = followups::Entity::insert(followups::ActiveModel {
            case_id: Set(id),
            validation_id: Set(validation_id),
            agent_id: Set(case.agent_id as i32),
            // The agent's team now: the team leader who chases the RETURN is today's.
            team_id: Set(crate::users::moves::team_of(&*txn, case.agent_id as i32).await?),
            recommendation: Set(recommendation.clone().unwrap_or_default()),
            status: Set(FollowupStatus::Open),
            opened_at: Set(at),
            due_at: Set(due),
            closed_at: Set(None),
            version: Set(1),
            last_comment: Set(None),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec(&*txn)
        .await;
        let fid = match inserted {
            Ok(result) => result.last_insert_id,
            Err(err) if is_unique_violation(&err) => return Err(already_validated()),
            Err(err) => return Err(err.into()),
        };
        add_step(&txn, fid, FollowupStepKind::Opened, who, at, recommendation.clone(), None, None, None).await?;
        followup_id = Some(fid);
    }
    // The keep-rate roll-up: the agree's promise, if evaluated yet, counts under QC's outcome now.
    crate::promises::rollup::regrouped(
        &*txn,
        state.config.offset(),
        id,
        domain::promises::QcOutcome::NotValidated,
        Some(0),
    )
    .await?;
    who.audit(
        &txn,
        trail,
        AuditAction::CaseValidated,
        "case",
        id.to_string(),
        json!({
            "result": body.result,
            "checklist": body.checklist,
            "checklist_version": checklist_version,
            "recommendation": recommendation,
            "evaluation_id": body.evaluation_id,
            "validation_id": validation_id,
            "retain_until": retain_until,
            "followup_id": followup_id,
        }),
    )
    .await?;
    // Read back as it now stands (only a QCO validates, and a QCO sees every case).
    let case = case_in(&*txn, who, case_id).await?;
    txn.commit().await?;
    Ok(case)
}
