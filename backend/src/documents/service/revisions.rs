//! Revisions as drafts: the API view of a revision, starting a new draft, editing it, and the
//! line diff of two revisions.

use super::shared::{
    DESCRIPTION_MAX, TITLE_MAX, audit_revision, check_text, content_hash, find_document, find_revision, parse_date,
    refusal,
};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult, ResultExt};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::Action;
use domain::audit::AuditAction;
use domain::documents::{
    self as rules, AttachmentInfo, DiffLine, HistoryRow, NewRevision, Revision, RevisionAction, RevisionDiff,
    RevisionPatch, RevisionStatus, Signature,
};
use domain::problems::{Conflict, Problem};
use entity::{acknowledgements, documents, revisions, signatures};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

/// Longest body we accept.
const BODY_MAX: usize = 512 * 1024;

/// The body is Markdown, rendered inert by the browser; here only size and NUL bytes are refused.
fn check_body(body: &str) -> ApiResult<()> {
    if body.len() > BODY_MAX {
        return Err(ApiError::field("body", Problem::TooLong));
    }
    if body.contains('\0') {
        return Err(ApiError::field("body", Problem::InvalidCharacters));
    }
    Ok(())
}

/// A planned effective date: a real day, not before the site's today (the approval would refuse
/// it).
fn check_planned(state: &AppState, text: &str) -> ApiResult<()> {
    let field = "planned_effective_date";
    if parse_date(field, text)? < crate::site_time::site_day(state, now()) {
        return Err(ApiError::field(field, Problem::InPast));
    }
    Ok(())
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
            meaning: s.meaning,
            name: s.name,
            position: s.position,
            signed_at: timestamp(s.signed_at),
            content_sha256: s.content_sha256,
            source: s.source,
            void: s.void,
        })
        .collect();
    // Revisions not yet in force (drafts, in workflow, approved for later) only for the roles
    // that may see them, as everywhere else.
    let mut history = revisions::Entity::find().filter(revisions::Column::DocumentId.eq(document.id));
    if !auth.may(Action::SeeDraftRevisions) {
        history =
            history.filter(revisions::Column::Status.is_in([RevisionStatus::Effective, RevisionStatus::Superseded]));
    }
    let history = history
        .order_by_asc(revisions::Column::Rev)
        .all(db)
        .await?
        .into_iter()
        .map(|r| HistoryRow {
            status: r.status,
            rev: r.rev,
            label: rules::rev_label(r.rev),
            effective_date: r.effective_date,
            effective_at: r.effective_at.map(timestamp),
            change_description: r.change_description,
        })
        .collect();
    let acknowledged = acknowledgements::Entity::find()
        .filter(acknowledgements::Column::RevisionId.eq(model.id))
        .filter(acknowledgements::Column::UserId.eq(auth.id))
        .one(db)
        .await?
        .is_some();
    let status = model.status;
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
        .map(|(filename, content_type, size, sha256, at)| AttachmentInfo {
            filename,
            content_type,
            size,
            sha256,
            uploaded_at: timestamp(at),
        });
    Ok(Revision {
        code: document.code.clone(),
        kind: document.kind,
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
        scheduled: status == RevisionStatus::Approved && model.effective_at.is_some_and(|at| at > now()),
        effective_at: model.effective_at.map(timestamp),
        superseded_at: model.superseded_at.map(timestamp),
        planned_effective_date: model.planned_effective_date,
        return_comment: model.return_comment,
        version: model.version.into(),
        signatures,
        history,
        acknowledged,
        attachment,
    })
}

/// One revision, if the caller may see it.
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
    if let Some(date) = &body.planned_effective_date {
        check_planned(state, date)?;
    }
    let txn = state.db.write().await?;
    let document = find_document(&*txn, code).await?;
    let existing = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .order_by_desc(revisions::Column::Rev)
        .all(&*txn)
        .await?;
    if existing.iter().any(|r| !r.status.is_published()) {
        return Err(ApiError::conflict(
            Conflict::RevisionInProgress,
            "this document already has a revision in progress",
        ));
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
        status: Set(RevisionStatus::Draft),
        planned_effective_date: Set(body.planned_effective_date.clone()),
        version: Set(1),
        created_by: Set(Some(auth.id)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .exec_without_returning(&*txn)
    .await
    // Two drafts started at once both saw no revision in progress; the database lets one in.
    .on_constraint(Conflict::RevisionInProgress, "this document already has a revision in progress")?;
    audit_revision(
        &txn,
        auth,
        AuditAction::RevisionCreated,
        code,
        rev,
        json!({ "change_description": body.change_description.trim(), "planned_effective_date": body.planned_effective_date }),
    )
    .await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    let view = view(&*txn, auth, &document, model).await?;
    txn.commit().await?;
    Ok(view)
}

/// Edits a draft: only the fields present change; `version` must be the current one.
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
    rules::transition(model.status, RevisionAction::Edit, rules::Actor::User(auth.role)).map_err(refusal)?;
    let mut update = revisions::Entity::update_many()
        .col_expr(revisions::Column::Version, Expr::col(revisions::Column::Version).add(1))
        .col_expr(revisions::Column::UpdatedAt, Expr::value(now()))
        .filter(revisions::Column::Id.eq(model.id))
        .filter(revisions::Column::Status.eq(RevisionStatus::Draft))
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
    if let Some(date) = &body.planned_effective_date {
        if let Some(date) = date {
            check_planned(state, date)?;
        }
        update = update.col_expr(revisions::Column::PlannedEffectiveDate, Expr::value(date.clone()));
        changed.push("planned_effective_date");
    }
    if update.exec(&*txn).await?.rows_affected == 0 {
        return Err(ApiError::conflict(
            Conflict::StaleVersion,
            "this revision was changed by someone else; reload and try again",
        ));
    }
    audit_revision(&txn, auth, AuditAction::RevisionEdited, code, rev, json!({ "fields": changed })).await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    let view = view(&*txn, auth, &document, model).await?;
    txn.commit().await?;
    Ok(view)
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
