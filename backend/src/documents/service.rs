//! Queries and transactions of document control. Every workflow step goes through
//! `domain::documents::transition`, is a conditional update on the revision's state, and commits
//! with its signature and audit entry; a wrong password changes nothing.

use crate::audit::{self, Actor, Entry};
use crate::auth::AuthUser;
use crate::db::{PageQuery, encode_cursor, now, timestamp};
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::Action;
use domain::api::{
    Acknowledgement, AcknowledgementStatus, DecisionRequest, DiffLine, DocumentDetail, DocumentSummary,
    EffectiveRevisionRef, HistoryRow, NewDocument, NewRevision, Page, Revision, RevisionDiff, RevisionPatch,
    RevisionSummary, Signature, UserRef,
};
use domain::documents::{self as rules, DocKind, Refusal, RevisionAction, RevisionStatus, SignatureMeaning};
use entity::{acknowledgements, documents, revisions, signatures, users};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Longest title, change description and body we accept.
const TITLE_MAX: usize = 300;
const DESCRIPTION_MAX: usize = 2000;
const BODY_MAX: usize = 512 * 1024;

/// SHA-256 of exactly what a signer signs: the document code, revision, title, body, change
/// description and (for the approval) the effective date, as one JSON array.
pub fn content_hash(
    code: &str,
    rev: i32,
    title: &str,
    body: &str,
    change_description: &str,
    effective_date: Option<&str>,
) -> String {
    let input = json!([code, rev, title, body, change_description, effective_date]);
    hex::encode(Sha256::digest(input.to_string().as_bytes()))
}

fn status_of(model: &revisions::Model) -> RevisionStatus {
    RevisionStatus::parse(&model.status).unwrap_or(RevisionStatus::Draft)
}

fn kind_of(model: &documents::Model) -> DocKind {
    DocKind::parse(&model.kind).unwrap_or(DocKind::Procedure)
}

fn refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => {
            ApiError::conflict("wrong_state", "the revision is not in a state where this step applies")
        }
    }
}

/// A line of text for titles and descriptions: no control characters (but newlines in
/// descriptions), no markup brackets.
fn check_text(field: &str, value: &str, max: usize, multiline: bool) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiError::field(field, "required"));
    }
    if value.chars().count() > max {
        return Err(ApiError::field(field, "too_long"));
    }
    if value
        .chars()
        .any(|c| (c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == '<' || c == '>')
    {
        return Err(ApiError::field(field, "invalid_characters"));
    }
    Ok(())
}

/// The body is Markdown, rendered inert by the browser; here only size and NUL bytes are refused.
fn check_body(body: &str) -> ApiResult<()> {
    if body.len() > BODY_MAX {
        return Err(ApiError::field("body", "too_long"));
    }
    if body.contains('\0') {
        return Err(ApiError::field("body", "invalid_characters"));
    }
    Ok(())
}

fn parse_date(field: &str, text: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ApiError::field(field, "invalid_date"))
}

/// 00:00 of `date` in the site's zone, as an instant.
pub fn start_of_day(state: &AppState, date: NaiveDate) -> DateTime<Utc> {
    let offset = state.config.offset();
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    offset
        .from_local_datetime(&midnight)
        .single()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

fn today(state: &AppState, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&state.config.offset()).date_naive()
}

pub async fn find_document(db: &impl ConnectionTrait, code: &str) -> ApiResult<documents::Model> {
    documents::Entity::find().filter(documents::Column::Code.eq(code)).one(db).await?.ok_or(ApiError::NotFound)
}

/// A revision the caller may see: drafts and revisions in workflow only for document roles.
async fn find_revision(
    db: &impl ConnectionTrait,
    auth: &AuthUser,
    document: &documents::Model,
    rev: i32,
) -> ApiResult<revisions::Model> {
    let model = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .filter(revisions::Column::Rev.eq(rev))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if status_of(&model).is_published() || auth.may(Action::SeeDraftRevisions) {
        Ok(model)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Filters of `GET /api/documents`.
#[derive(Debug, Default, Deserialize)]
pub struct DocumentFilter {
    pub kind: Option<String>,
    /// Part of a code or title.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

async fn effective_refs(db: &impl ConnectionTrait, ids: &[i32]) -> ApiResult<HashMap<i32, EffectiveRevisionRef>> {
    let rows = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.is_in(ids.to_vec()))
        .filter(revisions::Column::Status.eq(RevisionStatus::Effective.as_str()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.document_id,
                EffectiveRevisionRef { rev: r.rev, label: rules::rev_label(r.rev), effective_date: r.effective_date },
            )
        })
        .collect())
}

async fn summaries(db: &impl ConnectionTrait, docs: Vec<documents::Model>) -> ApiResult<Vec<DocumentSummary>> {
    let ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let effective = effective_refs(db, &ids).await?;
    let parent_ids: Vec<i32> = docs.iter().filter_map(|d| d.parent_id).collect();
    let parents: HashMap<i32, String> = documents::Entity::find()
        .filter(documents::Column::Id.is_in(parent_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.code))
        .collect();
    Ok(docs
        .into_iter()
        .map(|d| DocumentSummary {
            kind: kind_of(&d),
            parent_code: d.parent_id.and_then(|p| parents.get(&p).cloned()),
            effective_revision: effective.get(&d.id).cloned(),
            code: d.code,
            title: d.title,
        })
        .collect())
}

pub async fn list(db: &impl ConnectionTrait, filter: &DocumentFilter) -> ApiResult<Page<DocumentSummary>> {
    let page = PageQuery { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = page.limit()?;
    let mut query = documents::Entity::find().order_by_asc(documents::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(documents::Column::Id.gt(after));
    }
    if let Some(kind) = &filter.kind {
        let kind = DocKind::parse(kind).ok_or_else(|| ApiError::field("kind", "unknown_kind"))?;
        query = query.filter(documents::Column::Kind.eq(kind.as_str()));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.replace(['%', '_'], ""));
        query = query.filter(documents::Column::Code.like(pattern.clone()).or(documents::Column::Title.like(pattern)));
    }
    let rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<documents::Model> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more { rows.last().map(|d| encode_cursor(d.id.into())) } else { None };
    Ok(Page { items: summaries(db, rows).await?, next_cursor })
}

pub async fn create(state: &AppState, auth: &AuthUser, body: NewDocument) -> ApiResult<DocumentDetail> {
    auth.require(Action::PrepareRevision)?;
    let kind = DocKind::parse(&body.kind).ok_or_else(|| ApiError::field("kind", "unknown_kind"))?;
    rules::check_code(&body.code, kind).map_err(|problem| ApiError::field("code", problem))?;
    check_text("title", &body.title, TITLE_MAX, false)?;
    match (kind, body.retention_months) {
        (DocKind::Form, Some(months)) if !(1..=600).contains(&months) => {
            return Err(ApiError::field("retention_months", "out_of_range"));
        }
        (DocKind::Form, None) => return Err(ApiError::field("retention_months", "required")),
        (DocKind::Procedure | DocKind::WorkInstruction, Some(_)) => {
            return Err(ApiError::field("retention_months", "forms_only"));
        }
        _ => {}
    }
    if let Some(owner) = &body.record_owner {
        check_text("record_owner", owner, 120, false)?;
    }
    let txn = state.db.write().await?;
    let parent_id = match &body.parent_code {
        Some(code) => {
            Some(find_document(&*txn, code).await.map_err(|_| ApiError::field("parent_code", "not_found"))?.id)
        }
        None => None,
    };
    documents::Entity::insert(documents::ActiveModel {
        code: Set(body.code.clone()),
        kind: Set(kind.as_str().into()),
        title: Set(body.title.trim().into()),
        parent_id: Set(parent_id),
        retention_months: Set(body.retention_months),
        record_owner: Set(if kind == DocKind::Form {
            body.record_owner.clone().or(Some("Quality Control".into()))
        } else {
            None
        }),
        created_at: Set(now()),
        ..Default::default()
    })
    .exec_without_returning(&*txn)
    .await
    .on_constraint("code_taken", "a document with that code exists")?;
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: "document.created",
            entity: "document",
            entity_id: Some(body.code.clone()),
            payload: json!({ "kind": kind, "title": body.title.trim(), "parent_code": body.parent_code, "retention_months": body.retention_months }),
        },
    )
    .await?;
    let detail = detail_in(&*txn, auth, &body.code).await?;
    txn.commit().await?;
    Ok(detail)
}

pub async fn detail(state: &AppState, auth: &AuthUser, code: &str) -> ApiResult<DocumentDetail> {
    detail_in(&state.db.conn, auth, code).await
}

async fn detail_in(db: &impl ConnectionTrait, auth: &AuthUser, code: &str) -> ApiResult<DocumentDetail> {
    let document = find_document(db, code).await?;
    let parent_code = match document.parent_id {
        Some(id) => documents::Entity::find_by_id(id).one(db).await?.map(|d| d.code),
        None => None,
    };
    let children = documents::Entity::find()
        .filter(documents::Column::ParentId.eq(document.id))
        .order_by_asc(documents::Column::Code)
        .all(db)
        .await?;
    let children = summaries(db, children).await?;
    let drafts_visible = auth.may(Action::SeeDraftRevisions);
    let revisions: Vec<RevisionSummary> = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .order_by_desc(revisions::Column::Rev)
        .all(db)
        .await?
        .into_iter()
        .filter(|r| drafts_visible || status_of(r).is_published())
        .map(|r| RevisionSummary {
            rev: r.rev,
            label: rules::rev_label(r.rev),
            status: status_of(&r),
            title: r.title,
            effective_date: r.effective_date,
        })
        .collect();
    let effective = effective_refs(db, &[document.id]).await?.remove(&document.id);
    Ok(DocumentDetail {
        kind: kind_of(&document),
        code: document.code,
        title: document.title,
        parent_code,
        children,
        retention_months: document.retention_months,
        record_owner: document.record_owner,
        effective_revision: effective,
        revisions,
    })
}

/// The API view of a revision: signatures, the generated history table, the content hash.
pub async fn view(
    db: &impl ConnectionTrait,
    auth: &AuthUser,
    document: &documents::Model,
    model: revisions::Model,
) -> ApiResult<Revision> {
    let signatures = signatures::Entity::find()
        .filter(signatures::Column::RevisionId.eq(model.id))
        .order_by_asc(signatures::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| Signature {
            meaning: match s.meaning.as_str() {
                "checked" => SignatureMeaning::Checked,
                "approved" => SignatureMeaning::Approved,
                _ => SignatureMeaning::Prepared,
            },
            name: s.name,
            position: s.position,
            signed_at: timestamp(s.signed_at),
            content_sha256: s.content_sha256,
            source: s.source,
            void: s.void,
        })
        .collect();
    let history = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .filter(revisions::Column::Status.is_in([
            RevisionStatus::Approved.as_str(),
            RevisionStatus::Effective.as_str(),
            RevisionStatus::Superseded.as_str(),
        ]))
        .order_by_asc(revisions::Column::Rev)
        .all(db)
        .await?
        .into_iter()
        .map(|r| HistoryRow {
            rev: r.rev,
            label: rules::rev_label(r.rev),
            effective_date: r.effective_date,
            change_description: r.change_description,
        })
        .collect();
    let acknowledged = acknowledgements::Entity::find()
        .filter(acknowledgements::Column::RevisionId.eq(model.id))
        .filter(acknowledgements::Column::UserId.eq(auth.id))
        .one(db)
        .await?
        .is_some();
    let status = status_of(&model);
    // The metadata only: the file itself can be large.
    let attachment = entity::attachments::Entity::find()
        .select_only()
        .columns([
            entity::attachments::Column::Filename,
            entity::attachments::Column::ContentType,
            entity::attachments::Column::Size,
            entity::attachments::Column::Sha256,
            entity::attachments::Column::UploadedAt,
        ])
        .filter(entity::attachments::Column::RevisionId.eq(model.id))
        .into_tuple::<(String, String, i64, String, DateTime<Utc>)>()
        .one(db)
        .await?
        .map(|(filename, content_type, size, sha256, at)| domain::api::AttachmentInfo {
            filename,
            content_type,
            size,
            sha256,
            uploaded_at: timestamp(at),
        });
    Ok(Revision {
        code: document.code.clone(),
        kind: kind_of(document),
        reference: rules::full_reference(&document.code, model.rev),
        content_sha256: content_hash(
            &document.code,
            model.rev,
            &model.title,
            &model.body,
            &model.change_description,
            None,
        ),
        rev: model.rev,
        label: rules::rev_label(model.rev),
        title: model.title,
        body: model.body,
        change_description: model.change_description,
        status,
        effective_date: model.effective_date,
        effective_at: model.effective_at.map(timestamp),
        superseded_at: model.superseded_at.map(timestamp),
        return_comment: model.return_comment,
        version: model.version.into(),
        signatures,
        history,
        acknowledged,
        attachment,
    })
}

pub async fn revision(state: &AppState, auth: &AuthUser, code: &str, rev: i32) -> ApiResult<Revision> {
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = find_revision(db, auth, &document, rev).await?;
    view(db, auth, &document, model).await
}

/// A new draft, as a copy of the latest revision unless title or body are given.
pub async fn create_revision(state: &AppState, auth: &AuthUser, code: &str, body: NewRevision) -> ApiResult<Revision> {
    auth.require(Action::PrepareRevision)?;
    check_text("change_description", &body.change_description, DESCRIPTION_MAX, true)?;
    if let Some(title) = &body.title {
        check_text("title", title, TITLE_MAX, false)?;
    }
    if let Some(text) = &body.body {
        check_body(text)?;
    }
    if let Some(date) = &body.effective_date {
        parse_date("effective_date", date)?;
    }
    let txn = state.db.write().await?;
    let document = find_document(&*txn, code).await?;
    let existing = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .order_by_desc(revisions::Column::Rev)
        .all(&*txn)
        .await?;
    if existing.iter().any(|r| !status_of(r).is_published()) {
        return Err(ApiError::conflict("revision_in_progress", "this document already has a revision in progress"));
    }
    let latest = existing.first();
    let rev = latest.map(|r| r.rev + 1).unwrap_or(0);
    let title =
        body.title.clone().or_else(|| latest.map(|r| r.title.clone())).unwrap_or_else(|| document.title.clone());
    let text = body.body.clone().or_else(|| latest.map(|r| r.body.clone())).unwrap_or_default();
    let at = now();
    revisions::Entity::insert(revisions::ActiveModel {
        document_id: Set(document.id),
        rev: Set(rev),
        title: Set(title.trim().to_owned()),
        body: Set(text),
        change_description: Set(body.change_description.trim().to_owned()),
        status: Set(RevisionStatus::Draft.as_str().into()),
        effective_date: Set(body.effective_date.clone()),
        version: Set(1),
        created_by: Set(Some(auth.id)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .exec_without_returning(&*txn)
    .await
    // Two drafts started at once both saw no revision in progress; the database lets one in.
    .on_constraint("revision_in_progress", "this document already has a revision in progress")?;
    audit_revision(
        &txn,
        auth,
        "revision.created",
        code,
        rev,
        json!({ "change_description": body.change_description.trim() }),
    )
    .await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    let view = view(&*txn, auth, &document, model).await?;
    txn.commit().await?;
    Ok(view)
}

pub async fn patch_revision(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
    body: RevisionPatch,
) -> ApiResult<Revision> {
    let txn = state.db.write().await?;
    let document = find_document(&*txn, code).await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    rules::transition(status_of(&model), RevisionAction::Edit, rules::Actor::User(auth.role)).map_err(refusal)?;
    let mut update = revisions::Entity::update_many()
        .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
        .col_expr(revisions::Column::UpdatedAt, Expr::value(now()))
        .filter(revisions::Column::Id.eq(model.id))
        .filter(revisions::Column::Status.eq(RevisionStatus::Draft.as_str()))
        .filter(revisions::Column::Version.eq(body.version));
    let mut changed = Vec::new();
    if let Some(title) = &body.title {
        check_text("title", title, TITLE_MAX, false)?;
        update = update.col_expr(revisions::Column::Title, Expr::value(title.trim()));
        changed.push("title");
    }
    if let Some(text) = &body.body {
        check_body(text)?;
        update = update.col_expr(revisions::Column::Body, Expr::value(text.as_str()));
        changed.push("body");
    }
    if let Some(description) = &body.change_description {
        check_text("change_description", description, DESCRIPTION_MAX, true)?;
        update = update.col_expr(revisions::Column::ChangeDescription, Expr::value(description.trim()));
        changed.push("change_description");
    }
    if let Some(date) = &body.effective_date {
        if let Some(date) = date {
            parse_date("effective_date", date)?;
        }
        update = update.col_expr(revisions::Column::EffectiveDate, Expr::value(date.clone()));
        changed.push("effective_date");
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(
            "stale_version",
            "this revision was changed by someone else; reload and try again",
        ));
    }
    audit_revision(&txn, auth, "revision.edited", code, rev, json!({ "fields": changed })).await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    let view = view(&*txn, auth, &document, model).await?;
    txn.commit().await?;
    Ok(view)
}

/// Audits a person's step on a revision, in the step's transaction.
async fn audit_revision(
    tx: &crate::db::WriteTx,
    auth: &AuthUser,
    action: &str,
    code: &str,
    rev: i32,
    payload: serde_json::Value,
) -> ApiResult<()> {
    let entity_id = Some(rules::full_reference(code, rev));
    audit::append(tx, Entry { actor: &auth.actor(), action, entity: "revision", entity_id, payload }).await.map(|_| ())
}

/// The decision of a review or an approval.
enum Decision {
    Approve,
    Return,
}

fn decision(text: &str) -> ApiResult<Decision> {
    match text {
        "approve" => Ok(Decision::Approve),
        "return" => Ok(Decision::Return),
        _ => Err(ApiError::field("decision", "unknown_decision")),
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
    let from = status_of(&model);
    let to = rules::transition(from, action, rules::Actor::User(auth.role)).map_err(refusal)?;
    // The approver's date is checked once the role and state are (a role that may not approve
    // learns nothing about the body).
    let effective_date = match action {
        RevisionAction::Approve => {
            let text = effective_date.ok_or_else(|| ApiError::field("effective_date", "required"))?;
            let date = parse_date("effective_date", text)?;
            if date < today(state, now()) {
                return Err(ApiError::field("effective_date", "in_past"));
            }
            Some(date)
        }
        _ => None,
    };
    let returning = matches!(action, RevisionAction::ReturnFromReview | RevisionAction::ReturnFromApproval);
    if returning && comment.trim().is_empty() {
        return Err(ApiError::field("comment", "required"));
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
            .filter(signatures::Column::Meaning.ne(meaning.as_str()))
            .one(db)
            .await?;
        if other_steps.is_some() {
            return Err(ApiError::SegregationOfDuties);
        }
    }

    let at = now();
    let txn = state.db.write().await?;
    let mut update = revisions::Entity::update_many()
        .col_expr(revisions::Column::Status, Expr::value(to.as_str()))
        .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
        .col_expr(revisions::Column::UpdatedAt, Expr::value(at))
        .filter(revisions::Column::Id.eq(model.id))
        .filter(revisions::Column::Status.eq(from.as_str()));
    if returning {
        update = update.col_expr(revisions::Column::ReturnComment, Expr::value(comment.trim()));
    } else if action == RevisionAction::Submit {
        update = update.col_expr(revisions::Column::ReturnComment, Expr::value(Option::<String>::None));
    }
    let date_text = effective_date.map(|d| d.format("%Y-%m-%d").to_string());
    if let Some(date) = effective_date {
        update = update
            .col_expr(revisions::Column::EffectiveDate, Expr::value(date_text.clone()))
            .col_expr(revisions::Column::EffectiveAt, Expr::value(start_of_day(state, date)));
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict("wrong_state", "the revision changed meanwhile; reload and try again"));
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
            meaning: Set(meaning.as_str().into()),
            user_id: Set(Some(auth.id)),
            name: Set(signer.full_name.clone()),
            position: Set(signer.position.clone()),
            signed_at: Set(at),
            content_sha256: Set(hash.clone()),
            source: Set("electronic".into()),
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
        RevisionAction::Submit => "revision.submitted",
        RevisionAction::Check => "revision.checked",
        RevisionAction::Approve => "revision.approved",
        _ => "revision.returned",
    };
    let payload = json!({
        "from": from, "to": to, "comment": comment.trim(), "content_sha256": hash,
        "signature": meaning, "effective_date": date_text,
    });
    audit_revision(&txn, auth, action_name, code, rev, payload).await?;
    txn.commit().await?;
    if action == RevisionAction::Approve {
        apply_effective_dates(state, now()).await?;
    }
    let model = find_revision(db, auth, &document, rev).await?;
    view(db, auth, &document, model).await
}

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
    match rules::transition(status_of(&model), action, rules::Actor::User(auth.role)) {
        Err(Refusal::NotAllowed) => Err(ApiError::Forbidden),
        _ => Ok(()),
    }
}

pub async fn review(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
    body: DecisionRequest,
) -> ApiResult<Revision> {
    may_take(state, auth, code, rev, RevisionAction::Check).await?;
    let action = match decision(&body.decision)? {
        Decision::Approve => RevisionAction::Check,
        Decision::Return => RevisionAction::ReturnFromReview,
    };
    step(state, auth, code, rev, action, body.password, &body.comment, None).await
}

pub async fn approve(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
    body: DecisionRequest,
) -> ApiResult<Revision> {
    may_take(state, auth, code, rev, RevisionAction::Approve).await?;
    match decision(&body.decision)? {
        Decision::Return => {
            step(state, auth, code, rev, RevisionAction::ReturnFromApproval, body.password, &body.comment, None).await
        }
        Decision::Approve => {
            step(
                state,
                auth,
                code,
                rev,
                RevisionAction::Approve,
                body.password,
                &body.comment,
                body.effective_date.as_deref(),
            )
            .await
        }
    }
}

/// Makes every approved revision whose effective instant has come effective, and supersedes the
/// one it replaces. Idempotent and safe on several servers: each change is conditional on the
/// state it expects. Returns how many revisions took effect.
pub async fn apply_effective_dates(state: &AppState, at: DateTime<Utc>) -> ApiResult<u32> {
    let due = revisions::Entity::find()
        .filter(revisions::Column::Status.eq(RevisionStatus::Approved.as_str()))
        .filter(revisions::Column::EffectiveAt.lte(at))
        .order_by_asc(revisions::Column::EffectiveAt)
        .order_by_asc(revisions::Column::Id)
        .all(&state.db.conn)
        .await?;
    let mut count = 0;
    for revision in due {
        let txn = state.db.write().await?;
        let took = revisions::Entity::update_many()
            .col_expr(revisions::Column::Status, Expr::value(RevisionStatus::Effective.as_str()))
            .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
            .filter(revisions::Column::Id.eq(revision.id))
            .filter(revisions::Column::Status.eq(RevisionStatus::Approved.as_str()))
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
            .filter(revisions::Column::Status.eq(RevisionStatus::Effective.as_str()))
            .filter(revisions::Column::Id.ne(revision.id))
            .all(&*txn)
            .await?;
        for old in &previous {
            revisions::Entity::update_many()
                .col_expr(revisions::Column::Status, Expr::value(RevisionStatus::Superseded.as_str()))
                .col_expr(revisions::Column::SupersededAt, Expr::value(revision.effective_at))
                .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
                .filter(revisions::Column::Id.eq(old.id))
                .filter(revisions::Column::Status.eq(RevisionStatus::Effective.as_str()))
                .exec(&*txn)
                .await?;
            audit::append(
                &txn,
                Entry {
                    actor: &Actor::system(),
                    action: "revision.superseded",
                    entity: "revision",
                    entity_id: Some(rules::full_reference(&document.code, old.rev)),
                    payload: json!({ "by": rules::full_reference(&document.code, revision.rev) }),
                },
            )
            .await?;
        }
        audit::append(
            &txn,
            Entry {
                actor: &Actor::system(),
                action: "revision.effective",
                entity: "revision",
                entity_id: Some(rules::full_reference(&document.code, revision.rev)),
                payload: json!({ "effective_date": revision.effective_date }),
            },
        )
        .await?;
        txn.commit().await?;
        count += 1;
    }
    Ok(count)
}

/// The revision in force at `at`: effective from its effective instant until superseded.
pub async fn in_force(state: &AppState, auth: &AuthUser, code: &str, at: &str) -> ApiResult<Revision> {
    let at = DateTime::parse_from_rfc3339(at)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| parse_date("at", at).map(|d| start_of_day(state, d)))
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

/// A line diff of two revisions' bodies.
pub async fn diff(state: &AppState, auth: &AuthUser, code: &str, rev: i32, against: i32) -> ApiResult<RevisionDiff> {
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let old = find_revision(db, auth, &document, against).await?;
    let new = find_revision(db, auth, &document, rev).await?;
    let text_diff = similar::TextDiff::from_lines(old.body.as_str(), new.body.as_str());
    let mut lines = Vec::new();
    let (mut inserted, mut deleted) = (0, 0);
    for change in text_diff.iter_all_changes() {
        let tag = match change.tag() {
            similar::ChangeTag::Equal => "equal",
            similar::ChangeTag::Insert => {
                inserted += 1;
                "insert"
            }
            similar::ChangeTag::Delete => {
                deleted += 1;
                "delete"
            }
        };
        lines.push(DiffLine {
            tag: tag.into(),
            old_line: change.old_index().map(|i| i + 1),
            new_line: change.new_index().map(|i| i + 1),
            text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
        });
    }
    Ok(RevisionDiff {
        code: document.code,
        from_rev: against,
        to_rev: rev,
        title_changed: old.title != new.title,
        lines,
        inserted,
        deleted,
    })
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

fn task(document: &documents::Model, model: revisions::Model) -> domain::api::RevisionTask {
    let status = status_of(&model);
    domain::api::RevisionTask {
        code: document.code.clone(),
        rev: model.rev,
        label: rules::rev_label(model.rev),
        title: model.title,
        status,
        effective_date: model.effective_date,
        return_comment: model.return_comment,
    }
}

/// What waits for the caller: drafts, checks, approvals by role; unread effective revisions.
pub async fn my_tasks(state: &AppState, auth: &AuthUser) -> ApiResult<domain::api::MyTasks> {
    let db = &state.db.conn;
    let docs: HashMap<i32, documents::Model> =
        documents::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let open = revisions::Entity::find()
        .filter(revisions::Column::Status.is_in([
            RevisionStatus::Draft.as_str(),
            RevisionStatus::InReview.as_str(),
            RevisionStatus::Checked.as_str(),
            RevisionStatus::Effective.as_str(),
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
    let mut tasks = domain::api::MyTasks { drafts: vec![], to_check: vec![], to_approve: vec![], to_read: vec![] };
    for model in open {
        let Some(document) = docs.get(&model.document_id) else { continue };
        match status_of(&model) {
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

/// Children whose parent's effective revision took effect after their own: to be reviewed.
pub async fn review_flags(state: &AppState) -> ApiResult<Vec<domain::api::ReviewFlag>> {
    let db = &state.db.conn;
    let docs = documents::Entity::find().order_by_asc(documents::Column::Code).all(db).await?;
    let effective: HashMap<i32, revisions::Model> = revisions::Entity::find()
        .filter(revisions::Column::Status.eq(RevisionStatus::Effective.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.document_id, r))
        .collect();
    let by_id: HashMap<i32, &documents::Model> = docs.iter().map(|d| (d.id, d)).collect();
    let mut flags = Vec::new();
    for child in &docs {
        let Some(parent) = child.parent_id.and_then(|p| by_id.get(&p)) else { continue };
        let Some(parent_rev) = effective.get(&parent.id) else { continue };
        let own = effective.get(&child.id);
        let stale = match (parent_rev.effective_at, own.and_then(|o| o.effective_at)) {
            (Some(parent_at), Some(own_at)) => parent_at > own_at,
            (Some(_), None) => true,
            _ => false,
        };
        if stale {
            flags.push(domain::api::ReviewFlag {
                code: child.code.clone(),
                title: child.title.clone(),
                parent_code: parent.code.clone(),
                parent_effective_date: parent_rev.effective_date.clone(),
                own_effective_date: own.and_then(|o| o.effective_date.clone()),
            });
        }
    }
    Ok(flags)
}

/// Uploads are refused above this (api.md).
pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Entries a DOCX's zip directory may list: a Word file has a few dozen; past this it is no
/// document of ours, and its directory is not read further.
const DOCX_ENTRIES_MAX: usize = 10_000;

/// What the bytes are, whatever the file name says: a PDF (`%PDF-`), or a DOCX (a ZIP archive
/// whose directory lists `[Content_Types].xml` and `word/document.xml`). Only the zip's
/// directory is read, nothing is decompressed.
pub fn sniff_original(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    if archive.len() > DOCX_ENTRIES_MAX {
        return None;
    }
    let listed = |name: &str| archive.index_for_name(name).is_some();
    (listed("[Content_Types].xml") && listed("word/document.xml")).then_some(DOCX_TYPE)
}

/// The extension a stored original carries: the one of its detected type, never the one the
/// uploader gave (a PDF that is also HTML must not be offered as `.html`).
fn extension_of(content_type: &str) -> &'static str {
    if content_type == DOCX_TYPE { "docx" } else { "pdf" }
}

/// A safe file name to store and offer for download, ending in the detected type's extension.
fn clean_filename(name: &str, content_type: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')'))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_matches('.');
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem.trim(),
        _ => cleaned,
    };
    let stem = if stem.is_empty() { "original" } else { stem };
    format!("{stem}.{}", extension_of(content_type))
}

/// `Content-Disposition` for a download: an ASCII `filename` for old clients and the exact name
/// as `filename*` (RFC 6266 / RFC 5987), so non-ASCII names survive.
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in filename.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Before an upload is read: the caller may attach, and the revision exists, is visible to them
/// and is a draft. Refusals cost the server nothing of the body.
pub async fn check_attachable(state: &AppState, auth: &AuthUser, code: &str, rev: i32) -> ApiResult<()> {
    auth.require(Action::PrepareRevision)?;
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = find_revision(db, auth, &document, rev).await?;
    rules::transition(status_of(&model), RevisionAction::Edit, rules::Actor::User(auth.role)).map_err(refusal)?;
    Ok(())
}

/// Attaches (or replaces) the original file of a draft.
pub async fn attach(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
    filename: &str,
    bytes: Vec<u8>,
) -> ApiResult<domain::api::AttachmentInfo> {
    auth.require(Action::PrepareRevision)?;
    if bytes.is_empty() {
        return Err(ApiError::field("file", "required"));
    }
    let content_type = sniff_original(&bytes).ok_or_else(|| ApiError::field("file", "not_pdf_or_docx"))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let filename = clean_filename(filename, content_type);
    let size = bytes.len() as i64;
    let txn = state.db.write().await?;
    let document = find_document(&*txn, code).await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    rules::transition(status_of(&model), RevisionAction::Edit, rules::Actor::User(auth.role)).map_err(refusal)?;
    entity::attachments::Entity::delete_many()
        .filter(entity::attachments::Column::RevisionId.eq(model.id))
        .exec(&*txn)
        .await?;
    let at = now();
    entity::attachments::Entity::insert(entity::attachments::ActiveModel {
        revision_id: Set(model.id),
        filename: Set(filename.clone()),
        content_type: Set(content_type.into()),
        size: Set(size),
        sha256: Set(sha256.clone()),
        data: Set(bytes),
        uploaded_by: Set(Some(auth.id)),
        uploaded_at: Set(at),
        ..Default::default()
    })
    .exec_without_returning(&*txn)
    .await?;
    audit_revision(
        &txn,
        auth,
        "revision.attachment",
        code,
        rev,
        json!({ "filename": filename, "content_type": content_type, "size": size, "sha256": sha256 }),
    )
    .await?;
    txn.commit().await?;
    Ok(domain::api::AttachmentInfo {
        filename,
        content_type: content_type.into(),
        size,
        sha256,
        uploaded_at: timestamp(at),
    })
}

/// The original file, for those who may see the revision.
pub async fn attachment(
    state: &AppState,
    auth: &AuthUser,
    code: &str,
    rev: i32,
) -> ApiResult<entity::attachments::Model> {
    let db = &state.db.conn;
    let document = find_document(db, code).await?;
    let model = find_revision(db, auth, &document, rev).await?;
    entity::attachments::Entity::find()
        .filter(entity::attachments::Column::RevisionId.eq(model.id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}
