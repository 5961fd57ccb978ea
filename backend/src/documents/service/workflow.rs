//! The signed revision workflow: submit, review and approve (each a step through
//! `domain::documents::transition` with the password, segregation of duties, a conditional update,
//! the signature and the audit entry in one transaction), effective dates taking effect, and what
//! waits for each caller.

use super::revisions::view;
use super::shared::{
    DESCRIPTION_MAX, audit_revision, check_text, content_hash, effective_instant, find_document, find_revision,
    parse_date, refusal,
};
use crate::audit::{self, Actor, Entry};
use crate::auth::AuthUser;
use crate::db::{WriteTx, now};
use crate::error::{ApiError, ApiResult};
use crate::site_time::site_day;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Action;
use domain::audit::AuditAction;
use domain::documents::{
    self as rules, DecisionRequest, MyTasks, Refusal, Revision, RevisionAction, RevisionStatus, RevisionTask,
    SignatureSource,
};
use domain::problems::{Conflict, Problem};
use entity::{acknowledgements, documents, revisions, signatures, users};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// The decision of a review or an approval.
enum Decision {
    Approve,
    Return,
}

fn decision(text: &str) -> ApiResult<Decision> {
    match text {
        "approve" => Ok(Decision::Approve),
        "return" => Ok(Decision::Return),
        _ => Err(ApiError::field("decision", Problem::UnknownDecision)),
    }
}

/// One workflow step by a person: checks role and state, the password, segregation of duties,
/// then moves the state conditionally, records the signature (or voids them on return), audits.
async fn step(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
    action: RevisionAction,
    password_text: String,
    comment: &str,
    effective_date: Option<&str>,
) -> ApiResult<Revision> {
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = find_revision(db, auth, &document, rev).await?;
    let from = model.status;
    let to = rules::transition(from, action, rules::Actor::User(auth.role)).map_err(refusal)?;
    // The approver's date is checked once the role and state are (a role that may not approve
    // learns nothing about the body).
    let effective_date = match action {
        RevisionAction::Approve => {
            let text = effective_date.ok_or_else(|| ApiError::field("effective_date", Problem::Required))?;
            let date = parse_date("effective_date", text)?;
            if date < site_day(state, now()) {
                return Err(ApiError::field("effective_date", Problem::InPast));
            }
            Some(date)
        }
        _ => None,
    };
    let returning = matches!(action, RevisionAction::ReturnFromReview | RevisionAction::ReturnFromApproval);
    if returning && comment.trim().is_empty() {
        return Err(ApiError::field("comment", Problem::Required));
    }
    if !comment.is_empty() {
        check_text("comment", comment, DESCRIPTION_MAX, true)?;
    }
    let purpose = match action {
        RevisionAction::Submit => "revision.submit",
        RevisionAction::Check | RevisionAction::ReturnFromReview => "revision.review",
        _ => "revision.approve",
    };
    crate::auth::service::reauthenticate(state, auth, password_text, purpose).await?;
    let signer = users::Entity::find_by_id(auth.id).one(db).await?.ok_or(ApiError::Unauthenticated)?;
    let meaning = action.signature();
    if let Some(meaning) = meaning {
        let other_steps = signatures::Entity::find()
            .filter(signatures::Column::RevisionId.eq(model.id))
            .filter(signatures::Column::UserId.eq(auth.id))
            .filter(signatures::Column::Void.eq(false))
            .filter(signatures::Column::Meaning.ne(meaning))
            .one(db)
            .await?;
        if other_steps.is_some() {
            return Err(ApiError::SegregationOfDuties);
        }
    }

    let at = now();
    let txn = state.db.write().await?;
    let mut update = revisions::Entity::update_many()
        .col_expr(revisions::Column::Status, Expr::value(to))
        .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
        .col_expr(revisions::Column::UpdatedAt, Expr::value(at))
        .filter(revisions::Column::Id.eq(model.id))
        .filter(revisions::Column::Status.eq(from));
    if returning {
        update = update.col_expr(revisions::Column::ReturnComment, Expr::value(comment.trim()));
    } else if action == RevisionAction::Submit {
        update = update.col_expr(revisions::Column::ReturnComment, Expr::value(Option::<String>::None));
    }
    let date_text = effective_date.map(|d| d.format("%Y-%m-%d").to_string());
    if let Some(date) = effective_date {
        // In force from the later of the day's 00:00 and this signature, never before it.
        update = update
            .col_expr(revisions::Column::EffectiveDate, Expr::value(date_text.clone()))
            .col_expr(revisions::Column::EffectiveAt, Expr::value(effective_instant(state, date, at)));
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(Conflict::WrongState, "the revision changed meanwhile; reload and try again"));
    }
    let hash = content_hash(
        &document.code,
        model.rev,
        &model.title,
        &model.body,
        &model.change_description,
        date_text.as_deref(),
    );
    if let Some(meaning) = meaning {
        signatures::Entity::insert(signatures::ActiveModel {
            revision_id: Set(model.id),
            meaning: Set(meaning),
            user_id: Set(Some(auth.id)),
            name: Set(signer.full_name.clone()),
            position: Set(signer.position.clone()),
            signed_at: Set(at),
            content_sha256: Set(hash.clone()),
            source: Set(SignatureSource::Electronic),
            void: Set(false),
            ..Default::default()
        })
        .exec_without_returning(&*txn)
        .await?;
    }
    if returning {
        signatures::Entity::update_many()
            .col_expr(signatures::Column::Void, Expr::value(true))
            .filter(signatures::Column::RevisionId.eq(model.id))
            .exec(&*txn)
            .await?;
    }
    let action_name = match action {
        RevisionAction::Submit => AuditAction::RevisionSubmitted,
        RevisionAction::Check => AuditAction::RevisionChecked,
        RevisionAction::Approve => AuditAction::RevisionApproved,
        _ => AuditAction::RevisionReturned,
    };
    let mut payload = json!({
        "from": from, "to": to, "comment": comment.trim(), "content_sha256": hash,
        "signature": meaning, "effective_date": date_text,
    });
    if action == RevisionAction::Approve {
        payload["planned_effective_date"] = json!(model.planned_effective_date);
    }
    audit_revision(&txn, auth, action_name, code, rev, payload).await?;
    txn.commit().await?;
    if action == RevisionAction::Approve {
        apply_effective_dates(state, now()).await?;
    }
    let model = find_revision(db, auth, &document, rev).await?;
    view(db, auth, &document, model).await
}

/// The preparer signs and sends the draft for review.
pub async fn submit(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
    password_text: String,
) -> ApiResult<Revision> {
    step(state, auth, code, rev, RevisionAction::Submit, password_text, "", None).await
}

/// The 404 and 403 of a step, answered before its body is looked at: a role that may not take
/// the step learns nothing about what it sent.
async fn may_take(state: &AppState, auth: &AuthUser, code: &str, rev: i32, action: RevisionAction) -> ApiResult<()> {
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = find_revision(db, auth, &document, rev).await?;
    match rules::transition(model.status, action, rules::Actor::User(auth.role)) {
        Err(Refusal::NotAllowed) => Err(ApiError::Forbidden),
        _ => Ok(()),
    }
}

/// The two signatures after the preparer's: the checker's (review) and the approver's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Review,
    Approval,
}

/// The checker or the approver signs (the approver with the effective date), or returns the
/// revision to draft with a reason.
pub async fn decide(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
    stage: Stage,
    body: DecisionRequest,
) -> ApiResult<Revision> {
    let (sign, send_back) = match stage {
        Stage::Review => (RevisionAction::Check, RevisionAction::ReturnFromReview),
        Stage::Approval => (RevisionAction::Approve, RevisionAction::ReturnFromApproval),
    };
    may_take(state, auth, code, rev, sign).await?;
    let (action, effective_date) = match decision(&body.decision)? {
        Decision::Approve => (sign, body.effective_date.as_deref().filter(|_| stage == Stage::Approval)),
        Decision::Return => (send_back, None),
    };
    step(state, auth, code, rev, action, body.password, &body.comment, effective_date).await
}

/// Makes every approved revision whose effective instant has come effective, and supersedes the
/// one it replaces. Idempotent and safe on several servers: each change is conditional on the
/// state it expects. Returns how many revisions took effect.
pub async fn apply_effective_dates(state: &AppState, at: DateTime<Utc>) -> ApiResult<u32> {
    let due = revisions::Entity::find()
        .filter(revisions::Column::Status.eq(RevisionStatus::Approved))
        .filter(revisions::Column::EffectiveAt.lte(at))
        .order_by_asc(revisions::Column::EffectiveAt)
        .order_by_asc(revisions::Column::Id)
        .all(&state.db.conn)
        .await?;
    let mut count = 0;
    for revision in due {
        let txn = state.db.write().await?;
        let took = revisions::Entity::update_many()
            .col_expr(revisions::Column::Status, Expr::value(RevisionStatus::Effective))
            .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
            .filter(revisions::Column::Id.eq(revision.id))
            .filter(revisions::Column::Status.eq(RevisionStatus::Approved))
            .exec(&*txn)
            .await?
            .rows_affected
            == 1;
        if !took {
            continue;
        }
        let document =
            documents::Entity::find_by_id(revision.document_id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
        let previous = revisions::Entity::find()
            .filter(revisions::Column::DocumentId.eq(revision.document_id))
            .filter(revisions::Column::Status.eq(RevisionStatus::Effective))
            .filter(revisions::Column::Id.ne(revision.id))
            .all(&*txn)
            .await?;
        for old in &previous {
            revisions::Entity::update_many()
                .col_expr(revisions::Column::Status, Expr::value(RevisionStatus::Superseded))
                .col_expr(revisions::Column::SupersededAt, Expr::value(revision.effective_at))
                .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
                .filter(revisions::Column::Id.eq(old.id))
                .filter(revisions::Column::Status.eq(RevisionStatus::Effective))
                .exec(&*txn)
                .await?;
            let by = rules::full_reference(&document.code, revision.rev);
            system_step(&txn, AuditAction::RevisionSuperseded, &document, old.rev, json!({ "by": by })).await?;
        }
        let payload = json!({ "effective_date": revision.effective_date });
        system_step(&txn, AuditAction::RevisionEffective, &document, revision.rev, payload).await?;
        txn.commit().await?;
        count += 1;
    }
    Ok(count)
}

/// The audit entry of a step the server took by itself on a revision (its effective date came).
async fn system_step(
    txn: &WriteTx,
    action: AuditAction,
    document: &documents::Model,
    rev: i32,
    payload: serde_json::Value,
) -> ApiResult<()> {
    let entity_id = Some(rules::full_reference(&document.code, rev));
    audit::append(txn, Entry { actor: &Actor::system(), action, entity: "revision", entity_id, payload }).await?;
    Ok(())
}

fn task(document: &documents::Model, model: revisions::Model) -> RevisionTask {
    let status = model.status;
    RevisionTask {
        code: document.code.clone(),
        rev: model.rev,
        label: rules::rev_label(model.rev),
        title: model.title,
        status,
        effective_date: model.effective_date,
        planned_effective_date: model.planned_effective_date,
        return_comment: model.return_comment,
    }
}

/// What waits for the caller: drafts, checks, approvals by role; unread effective revisions.
pub async fn my_tasks(state: &AppState, auth: &AuthUser) -> ApiResult<MyTasks> {
    let db = &state.db.conn;
    let docs: HashMap<i32, documents::Model> =
        documents::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let open = revisions::Entity::find()
        .filter(revisions::Column::Status.is_in([
            RevisionStatus::Draft,
            RevisionStatus::InReview,
            RevisionStatus::Checked,
            RevisionStatus::Effective,
        ]))
        .order_by_asc(revisions::Column::UpdatedAt)
        .all(db)
        .await?;
    let read: HashSet<i32> = acknowledgements::Entity::find()
        .filter(acknowledgements::Column::UserId.eq(auth.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.revision_id)
        .collect();
    let mut tasks = MyTasks { drafts: vec![], to_check: vec![], to_approve: vec![], to_read: vec![] };
    for model in open {
        let Some(document) = docs.get(&model.document_id) else { continue };
        match model.status {
            RevisionStatus::Draft if auth.may(Action::PrepareRevision) => tasks.drafts.push(task(document, model)),
            RevisionStatus::InReview if auth.may(Action::CheckRevision) => tasks.to_check.push(task(document, model)),
            RevisionStatus::Checked if auth.may(Action::ApproveRevision) => {
                tasks.to_approve.push(task(document, model))
            }
            RevisionStatus::Effective if !read.contains(&model.id) => tasks.to_read.push(task(document, model)),
            _ => {}
        }
    }
    tasks.drafts.sort_by_key(|t| t.return_comment.is_none());
    tasks.to_read.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(tasks)
}
