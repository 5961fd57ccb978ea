//! The original file (PDF or DOCX) attached to a draft: recognising it from its bytes, a safe
//! stored name, the download header, and storing and serving it.

use super::shared::{audit_revision, find_document, find_revision, refusal};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use domain::Action;
use domain::audit::AuditAction;
use domain::documents::{self as rules, AttachmentInfo, RevisionAction};
use domain::problems::Problem;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Uploads are refused above this (api.md).
pub const UPLOAD_LIMIT: usize = domain::limits::UPLOAD_MAX_BYTES;

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
    rules::transition(model.status, RevisionAction::Edit, rules::Actor::User(auth.role)).map_err(refusal)?;
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
) -> ApiResult<AttachmentInfo> {
    auth.require(Action::PrepareRevision)?;
    if bytes.is_empty() {
        return Err(ApiError::field("file", Problem::Required));
    }
    let content_type = sniff_original(&bytes).ok_or_else(|| ApiError::field("file", Problem::NotPdfOrDocx))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let filename = clean_filename(filename, content_type);
    let size = bytes.len() as i64;
    let txn = state.db.write().await?;
    let document = find_document(&*txn, code).await?;
    let model = find_revision(&*txn, auth, &document, rev).await?;
    rules::transition(model.status, RevisionAction::Edit, rules::Actor::User(auth.role)).map_err(refusal)?;
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
        AuditAction::RevisionAttachment,
        code,
        rev,
        json!({ "filename": filename, "content_type": content_type, "size": size, "sha256": sha256 }),
    )
    .await?;
    txn.commit().await?;
    Ok(AttachmentInfo { filename, content_type: content_type.into(), size, sha256, uploaded_at: timestamp(at) })
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
