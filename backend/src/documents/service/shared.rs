//! Helpers several of the document services use: the text and date checks, the content hash a
//! signer signs, a revision's effective instant, the look-ups of a document and of a revision the
//! caller may see, the mapping of a workflow refusal to an error, and the audit entry of a
//! person's step on a revision.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::site_time::CalendarDay;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::Action;
use domain::audit::AuditAction;
use domain::documents::{self as rules, Refusal};
use domain::problems::Conflict;
use domain::validation::{TextRule, text};
use entity::{documents, revisions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Longest title and change description we accept.
pub(super) const TITLE_MAX: usize = 300;
pub(super) const DESCRIPTION_MAX: usize = domain::limits::TEXT_MAX;

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

pub(super) fn refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => {
            ApiError::conflict(Conflict::WrongState, "the revision is not in a state where this step applies")
        }
    }
}

/// A line of text for titles and descriptions: no control characters (but newlines in
/// descriptions), no markup brackets.
pub(super) fn check_text(field: &str, value: &str, max: usize, multiline: bool) -> ApiResult<()> {
    let rule = if multiline { TextRule::free(max).required() } else { TextRule::line(max) };
    ApiError::checked(field, text(value, rule.no_brackets()))
}

pub(super) fn parse_date(field: &str, text: &str) -> ApiResult<NaiveDate> {
    crate::site_time::parse_day(field, text).map(CalendarDay::naive)
}

/// The effective instant of a revision approved at `approved_at` to take effect on `date`: the
/// later of the date's 00:00 in the site zone and the approval, so that no revision is in force
/// before it was approved.
pub fn effective_instant(state: &AppState, date: NaiveDate, approved_at: DateTime<Utc>) -> DateTime<Utc> {
    crate::site_time::day_start(state, date).max(approved_at)
}

/// The document with `code`, or 404.
pub async fn find_document(db: &impl ConnectionTrait, code: &str) -> ApiResult<documents::Model> {
    documents::Entity::find().filter(documents::Column::Code.eq(code)).one(db).await?.ok_or(ApiError::NotFound)
}

/// A revision the caller may see: drafts and revisions in workflow only for document roles.
pub(super) async fn find_revision(
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
    if model.status.is_published() || auth.may(Action::SeeDraftRevisions) { Ok(model) } else { Err(ApiError::NotFound) }
}

/// Audits a person's step on a revision, in the step's transaction.
pub(super) async fn audit_revision(
    tx: &crate::db::WriteTx,
    auth: &AuthUser,
    action: AuditAction,
    code: &str,
    rev: i32,
    payload: serde_json::Value,
) -> ApiResult<()> {
    let entity_id = Some(rules::full_reference(code, rev));
    audit::append(tx, Entry { actor: &auth.actor(), action, entity: "revision", entity_id, payload }).await.map(|_| ())
}
