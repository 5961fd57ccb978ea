//! `/api/documents/...`: thin handlers over [`super::service`].

use crate::auth::AuthUser;
use crate::documents::service;
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::http::upload;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use domain::Action;
use domain::api::{ErrorBody, Page};
use domain::documents::DocumentFilter;
use domain::documents::{
    AcknowledgementStatus, AttachmentInfo, DecisionRequest, DocumentDetail, DocumentSummary, MyTasks, NewDocument,
    NewRevision, ReviewFlag, Revision, RevisionDiff, RevisionPatch, SignRequest,
};
use domain::problems::Problem;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail))
        .routes(routes!(create_revision))
        .routes(routes!(get_revision, patch_revision))
        .routes(routes!(submit))
        .routes(routes!(review))
        .routes(routes!(approve))
        .routes(routes!(diff))
        .routes(routes!(in_force))
        .routes(routes!(acknowledge))
        .routes(routes!(acknowledgements))
        .routes(routes!(my_tasks))
        .routes(routes!(review_flags))
        // Only the upload route gets the 50 MiB limit; every JSON route keeps 1 MiB.
        .merge(OpenApiRouter::new().routes(routes!(upload_attachment, download_attachment)).layer(upload::body_limit()))
}

/// What waits for the caller: drafts, checks, approvals, unread effective revisions.
#[utoipa::path(get, path = "/me/tasks", tag = "documents", responses((status = 200, body = MyTasks)), security(("bearer" = [])))]
async fn my_tasks(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<MyTasks>> {
    service::my_tasks(&state, &auth).await.map(axum::Json)
}

/// Documents whose parent changed after their own effective date (document roles).
#[utoipa::path(get, path = "/documents/review-flags", tag = "documents",
    responses((status = 200, body = Vec<ReviewFlag>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn review_flags(State(state): State<AppState>, auth: AuthUser) -> ApiResult<axum::Json<Vec<ReviewFlag>>> {
    auth.require(Action::SeeDraftRevisions)?;
    service::review_flags(&state).await.map(axum::Json)
}

/// The register (filters `kind`, `q`).
#[utoipa::path(get, path = "/documents", tag = "documents",
    params(DocumentFilter),
    responses((status = 200, body = Page<DocumentSummary>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(filter): Query<DocumentFilter>,
) -> ApiResult<axum::Json<Page<DocumentSummary>>> {
    auth.require(Action::ReadDocuments)?;
    service::list(&state.db.conn, &filter).await.map(axum::Json)
}

/// Register a document (doc_controller, admin).
#[utoipa::path(post, path = "/documents", tag = "documents", request_body = NewDocument,
    responses((status = 201, body = DocumentDetail), (status = 403, body = ErrorBody), (status = 409, description = "code_taken", body = ErrorBody),
               (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewDocument>,
) -> ApiResult<(StatusCode, axum::Json<DocumentDetail>)> {
    let detail = service::create(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, axum::Json(detail)))
}

/// A document with its revisions and children.
#[utoipa::path(get, path = "/documents/{code}", tag = "documents", params(("code" = String, Path)),
    responses((status = 200, body = DocumentDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn detail(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(code): Path<String>,
) -> ApiResult<axum::Json<DocumentDetail>> {
    service::detail(&state, &auth, &code).await.map(axum::Json)
}

/// Start a new draft revision (a copy of the latest unless title or body are given).
#[utoipa::path(post, path = "/documents/{code}/revisions", tag = "documents", params(("code" = String, Path)), request_body = NewRevision,
    responses((status = 201, body = Revision), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "revision_in_progress", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn create_revision(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(code): Path<String>,
    Json(body): Json<NewRevision>,
) -> ApiResult<(StatusCode, axum::Json<Revision>)> {
    let revision = service::create_revision(&state, &auth, &code, body).await?;
    Ok((StatusCode::CREATED, axum::Json(revision)))
}

/// A revision with its signatures and history (not-yet-effective ones: document roles only).
#[utoipa::path(get, path = "/documents/{code}/revisions/{rev}", tag = "documents", params(("code" = String, Path), ("rev" = i32, Path)),
    responses((status = 200, body = Revision), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_revision(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
) -> ApiResult<axum::Json<Revision>> {
    service::revision(&state, &auth, &code, rev).await.map(axum::Json)
}

/// Edit a draft (with `version`).
#[utoipa::path(patch, path = "/documents/{code}/revisions/{rev}", tag = "documents", params(("code" = String, Path), ("rev" = i32, Path)),
    request_body = RevisionPatch,
    responses((status = 200, body = Revision), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, description = "wrong_state or stale_version", body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn patch_revision(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
    Json(body): Json<RevisionPatch>,
) -> ApiResult<axum::Json<Revision>> {
    service::patch_revision(&state, &auth, &code, rev, body).await.map(axum::Json)
}

/// Sign as preparer and send for review.
#[utoipa::path(post, path = "/documents/{code}/revisions/{rev}/submit", tag = "documents", params(("code" = String, Path), ("rev" = i32, Path)),
    request_body = SignRequest,
    responses((status = 200, body = Revision), (status = 401, description = "wrong password (counts towards the lock-out, audited)", body = ErrorBody), (status = 429, description = "too_many_attempts: the signer's username is locked", body = ErrorBody), (status = 503, description = "server_busy: retry after Retry-After", body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn submit(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
    Json(body): Json<SignRequest>,
) -> ApiResult<axum::Json<Revision>> {
    service::submit(&state, &auth, &code, rev, body.password).await.map(axum::Json)
}

/// Check (sign) or return to draft (qc_coordinator).
#[utoipa::path(post, path = "/documents/{code}/revisions/{rev}/review", tag = "documents", params(("code" = String, Path), ("rev" = i32, Path)),
    request_body = DecisionRequest,
    responses((status = 200, body = Revision), (status = 401, description = "wrong password (counts towards the lock-out, audited)", body = ErrorBody),
               (status = 403, description = "forbidden or segregation_of_duties", body = ErrorBody),
               (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, description = "too_many_attempts: the signer's username is locked", body = ErrorBody),
               (status = 503, description = "server_busy: retry after Retry-After", body = ErrorBody)), security(("bearer" = [])))]
async fn review(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
    Json(body): Json<DecisionRequest>,
) -> ApiResult<axum::Json<Revision>> {
    service::decide(&state, &auth, &code, rev, service::Stage::Review, body).await.map(axum::Json)
}

/// Approve (sign, set the effective date) or return to draft (manager). The revision takes effect at
/// the later of the date's 00:00 (site zone) and this signature: approved for today, at once.
#[utoipa::path(post, path = "/documents/{code}/revisions/{rev}/approve", tag = "documents", params(("code" = String, Path), ("rev" = i32, Path)),
    request_body = DecisionRequest,
    responses((status = 200, body = Revision), (status = 401, description = "wrong password (counts towards the lock-out, audited)", body = ErrorBody),
               (status = 403, description = "forbidden or segregation_of_duties", body = ErrorBody),
               (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, description = "too_many_attempts: the signer's username is locked", body = ErrorBody),
               (status = 503, description = "server_busy: retry after Retry-After", body = ErrorBody)), security(("bearer" = [])))]
async fn approve(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
    Json(body): Json<DecisionRequest>,
) -> ApiResult<axum::Json<Revision>> {
    service::decide(&state, &auth, &code, rev, service::Stage::Approval, body).await.map(axum::Json)
}

#[derive(Debug, Deserialize)]
struct DiffQuery {
    against: Option<i32>,
}

/// Line diff of this revision's body against another revision.
#[utoipa::path(get, path = "/documents/{code}/revisions/{rev}/diff", tag = "documents",
    params(("code" = String, Path), ("rev" = i32, Path), ("against" = i32, Query)),
    responses((status = 200, body = RevisionDiff), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
async fn diff(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
    Query(query): Query<DiffQuery>,
) -> ApiResult<axum::Json<RevisionDiff>> {
    let against = query.against.ok_or_else(|| ApiError::field("against", Problem::Required))?;
    service::diff(&state, &auth, &code, rev, against).await.map(axum::Json)
}

#[derive(Debug, Deserialize)]
struct AtQuery {
    #[serde(default, deserialize_with = "domain::dates::de::opt_day_or_timestamp")]
    at: Option<String>,
}

/// The revision in force at an instant. A revision is in force from its `effective_at` — the
/// later of its effective date's 00:00 in the site zone (`MUTU_TIMEZONE`) and its approval — until
/// `superseded_at`. For an instant still to come, an approved revision scheduled by then is the
/// answer, with `scheduled: true` (document roles only; other roles get 404 for such an instant).
#[utoipa::path(get, path = "/documents/{code}/in-force", tag = "documents",
    params(("code" = String, Path),
           ("at" = String, Query, description = "RFC 3339 instant, a date `YYYY-MM-DD` (its 00:00 site time), or a site-local `YYYY-MM-DDThh:mm[:ss]`")),
    responses((status = 200, body = Revision), (status = 404, description = "none in force then (or not visible to the caller)", body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn in_force(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(code): Path<String>,
    Query(query): Query<AtQuery>,
) -> ApiResult<axum::Json<Revision>> {
    let at = query.at.ok_or_else(|| ApiError::field("at", Problem::Required))?;
    service::in_force(&state, &auth, &code, &at).await.map(axum::Json)
}

/// Confirm having read and understood an effective revision.
#[utoipa::path(post, path = "/documents/{code}/revisions/{rev}/acknowledge", tag = "documents", params(("code" = String, Path), ("rev" = i32, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, description = "not_effective", body = ErrorBody)), security(("bearer" = [])))]
async fn acknowledge(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
) -> ApiResult<StatusCode> {
    service::acknowledge(&state, &auth, &code, rev).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who has and who has not confirmed reading.
#[utoipa::path(get, path = "/documents/{code}/revisions/{rev}/acknowledgements", tag = "documents",
    params(("code" = String, Path), ("rev" = i32, Path)),
    responses((status = 200, body = AcknowledgementStatus), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn acknowledgements(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
) -> ApiResult<axum::Json<AcknowledgementStatus>> {
    service::acknowledgements(&state, &auth, &code, rev).await.map(axum::Json)
}

/// Attach the original file (PDF or DOCX by content, at most 50 MiB) to a draft; multipart
/// field `file`.
#[utoipa::path(post, path = "/documents/{code}/revisions/{rev}/attachment", tag = "documents",
    params(("code" = String, Path), ("rev" = i32, Path)),
    request_body(content_type = "multipart/form-data", description = "field `file`: the PDF or DOCX"),
    responses((status = 201, body = AttachmentInfo), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 413, body = ErrorBody), (status = 422, description = "not_pdf_or_docx", body = ErrorBody)), security(("bearer" = [])))]
async fn upload_attachment(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
    headers: axum::http::HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> ApiResult<(StatusCode, axum::Json<AttachmentInfo>)> {
    // Everything that can refuse the upload is checked before a byte of it is read: an agent's
    // 49 MB upload was once read whole to be told 403.
    service::check_attachable(&state, &auth, &code, rev).await?;
    upload::refuse_declared_too_large(&headers, &mut multipart).await?;
    let info = upload::with_file(&mut multipart, async |field| {
        let filename = field.file_name().unwrap_or("original").to_owned();
        let bytes = field.bytes().await.map_err(upload::upload_error)?;
        if bytes.len() > service::UPLOAD_LIMIT {
            return Err(ApiError::PayloadTooLarge);
        }
        service::attach(&state, &auth, &code, rev, &filename, bytes.to_vec()).await
    })
    .await?;
    Ok((StatusCode::CREATED, axum::Json(info)))
}

/// Download the original file.
#[utoipa::path(get, path = "/documents/{code}/revisions/{rev}/attachment", tag = "documents",
    params(("code" = String, Path), ("rev" = i32, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn download_attachment(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((code, rev)): Path<(String, i32)>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let file = service::attachment(&state, &auth, &code, rev).await?;
    let disposition = service::content_disposition(&file.filename);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, file.content_type.clone()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (axum::http::HeaderName::from_static("x-content-sha256"), file.sha256.clone()),
        ],
        file.data,
    )
        .into_response())
}
