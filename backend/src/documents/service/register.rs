//! The register: listing and creating documents, a document's detail with its children and
//! revisions, and the children to review after their parent changed.

use super::shared::{TITLE_MAX, check_text, find_document};
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::now;
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::paging::{Cut, PageQuery, cut};
use crate::state::AppState;
use domain::Action;
use domain::api::Page;
use domain::audit::AuditAction;
use domain::documents::DocumentFilter;
use domain::documents::{
    self as rules, DocKind, DocumentDetail, DocumentSummary, EffectiveRevisionRef, NewDocument, ReviewFlag,
    RevisionStatus, RevisionSummary,
};
use domain::problems::{Conflict, Problem};
use entity::{documents, revisions};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::HashMap;

async fn effective_refs(db: &impl ConnectionTrait, ids: &[i32]) -> ApiResult<HashMap<i32, EffectiveRevisionRef>> {
    let rows = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.is_in(ids.to_vec()))
        .filter(revisions::Column::Status.eq(RevisionStatus::Effective))
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
            kind: d.kind,
            parent_code: d.parent_id.and_then(|p| parents.get(&p).cloned()),
            effective_revision: effective.get(&d.id).cloned(),
            code: d.code,
            title: d.title,
        })
        .collect())
}

/// One page of the register in the order documents were registered, filtered by kind and text.
pub async fn list(db: &impl ConnectionTrait, filter: &DocumentFilter) -> ApiResult<Page<DocumentSummary>> {
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let mut query = documents::Entity::find().order_by_asc(documents::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(documents::Column::Id.gt(after));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(documents::Column::Kind.eq(kind));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.replace(['%', '_'], ""));
        query = query.filter(documents::Column::Code.like(pattern.clone()).or(documents::Column::Title.like(pattern)));
    }
    let Cut { rows, next_cursor } = cut(query.limit(limit + 1).all(db).await?, limit, |d| i64::from(d.id));
    Ok(Page { items: summaries(db, rows).await?, next_cursor })
}

/// Registers a new document (no revision yet), audited in the same transaction.
pub async fn create(state: &AppState, auth: &AuthUser, body: NewDocument) -> ApiResult<DocumentDetail> {
    auth.require(Action::PrepareRevision)?;
    let kind: DocKind = body.kind.parse().map_err(|_| ApiError::field("kind", Problem::UnknownKind))?;
    rules::check_code(&body.code, kind).map_err(|problem| ApiError::field("code", problem))?;
    check_text("title", &body.title, TITLE_MAX, false)?;
    match (kind, body.retention_months) {
        (DocKind::Form, Some(months)) if !(1..=600).contains(&months) => {
            return Err(ApiError::field("retention_months", Problem::OutOfRange));
        }
        (DocKind::Form, None) => return Err(ApiError::field("retention_months", Problem::Required)),
        (DocKind::Procedure | DocKind::WorkInstruction, Some(_)) => {
            return Err(ApiError::field("retention_months", Problem::FormsOnly));
        }
        _ => {}
    }
    if let Some(owner) = &body.record_owner {
        check_text("record_owner", owner, 120, false)?;
    }
    let txn = state.db.write().await?;
    let parent_id = match &body.parent_code {
        Some(code) => {
            Some(find_document(&*txn, code).await.map_err(|_| ApiError::field("parent_code", Problem::NotFound))?.id)
        }
        None => None,
    };
    documents::Entity::insert(documents::ActiveModel {
        code: Set(body.code.clone()),
        kind: Set(kind),
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
    .on_constraint(Conflict::CodeTaken, "a document with that code exists")?;
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::DocumentCreated,
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

/// A document with its parent, children, effective revision and the revisions the caller may see.
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
        .filter(|r| drafts_visible || r.status.is_published())
        .map(|r| RevisionSummary {
            rev: r.rev,
            label: rules::rev_label(r.rev),
            status: r.status,
            title: r.title,
            effective_date: r.effective_date,
        })
        .collect();
    let effective = effective_refs(db, &[document.id]).await?.remove(&document.id);
    Ok(DocumentDetail {
        kind: document.kind,
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

/// Children whose parent's effective revision took effect after their own: to be reviewed.
pub async fn review_flags(state: &AppState) -> ApiResult<Vec<ReviewFlag>> {
    let db = &state.db.conn;
    let docs = documents::Entity::find().order_by_asc(documents::Column::Code).all(db).await?;
    let effective: HashMap<i32, revisions::Model> = revisions::Entity::find()
        .filter(revisions::Column::Status.eq(RevisionStatus::Effective))
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
            flags.push(ReviewFlag {
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
