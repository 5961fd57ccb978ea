//! Controlled documents: the register, revisions and their signatures, the original files,
//! differences, the revision in force, reading acknowledgements, the reader's tasks and review flags.

use super::{Api, ApiError, ApiResult, Body, Download, encode_component, with_query};
use domain::api::{
    AcknowledgementStatus, AttachmentInfo, DecisionRequest, DocumentDetail, DocumentSummary, MyTasks, NewDocument,
    NewRevision, Page, ReviewFlag, Revision, RevisionDiff, RevisionPatch, SignRequest,
};
use gloo_net::http::Method;

/// The query of `GET /api/documents`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocFilter {
    pub kind: Option<String>,
    pub q: Option<String>,
}

/// Documents per register page.
pub const DOC_PAGE: u32 = 50;

impl Api {
    /// `/api/documents/{code}/revisions/{rev}`.
    fn revision_path(code: &str, rev: i32) -> String {
        format!("/api/documents/{}/revisions/{rev}", encode_component(code))
    }

    /// The original file of a revision.
    fn attachment_path(code: &str, rev: i32) -> String {
        format!("{}/attachment", Self::revision_path(code, rev))
    }

    /// `GET /api/documents` (register), filtered by kind and a search text.
    pub async fn list_documents(&self, filter: &DocFilter, cursor: Option<String>) -> ApiResult<Page<DocumentSummary>> {
        let path = with_query(
            "/api/documents",
            &[
                ("kind", filter.kind.clone()),
                ("q", filter.q.clone()),
                ("limit", Some(DOC_PAGE.to_string())),
                ("cursor", cursor),
            ],
        );
        self.get(&path).await
    }

    /// `POST /api/documents` → 201 the document.
    pub async fn create_document(&self, body: &NewDocument) -> ApiResult<DocumentDetail> {
        self.post("/api/documents", body).await
    }

    /// `GET /api/documents/{code}`.
    pub async fn get_document(&self, code: &str) -> ApiResult<DocumentDetail> {
        self.get(&format!("/api/documents/{}", encode_component(code))).await
    }

    /// `POST /api/documents/{code}/revisions` → 201 the new draft.
    pub async fn create_revision(&self, code: &str, body: &NewRevision) -> ApiResult<Revision> {
        self.post(&format!("/api/documents/{}/revisions", encode_component(code)), body).await
    }

    /// `GET /api/documents/{code}/revisions/{rev}`.
    pub async fn get_revision(&self, code: &str, rev: i32) -> ApiResult<Revision> {
        self.get(&Self::revision_path(code, rev)).await
    }

    /// `PATCH …/revisions/{rev}` (drafts only; 409 when `version` is stale).
    pub async fn update_revision(&self, code: &str, rev: i32, body: &RevisionPatch) -> ApiResult<Revision> {
        self.patch(&Self::revision_path(code, rev), body).await
    }

    /// `POST …/submit`: the preparer's signature.
    pub async fn submit_revision(&self, code: &str, rev: i32, body: &SignRequest) -> ApiResult<Revision> {
        self.post(&format!("{}/submit", Self::revision_path(code, rev)), body).await
    }

    /// `POST …/review`: the checker's signature or a return.
    pub async fn review_revision(&self, code: &str, rev: i32, body: &DecisionRequest) -> ApiResult<Revision> {
        self.post(&format!("{}/review", Self::revision_path(code, rev)), body).await
    }

    /// `POST …/approve`: the approver's signature or a return.
    pub async fn approve_revision(&self, code: &str, rev: i32, body: &DecisionRequest) -> ApiResult<Revision> {
        self.post(&format!("{}/approve", Self::revision_path(code, rev)), body).await
    }

    /// `POST …/attachment` (multipart, field `file`) → 201 what was stored.
    pub async fn upload_attachment(&self, code: &str, rev: i32, file: &web_sys::File) -> ApiResult<AttachmentInfo> {
        let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
        form.append_with_blob_and_filename("file", file, &file.name()).map_err(|_| ApiError::Network)?;
        self.request(Method::POST, &Self::attachment_path(code, rev), Body::Form(&form)).await
    }

    /// `GET …/attachment`: the original file's bytes, with the bearer token (a plain link
    /// could not send it).
    pub async fn download_attachment(&self, code: &str, rev: i32) -> ApiResult<Download> {
        self.download(&Self::attachment_path(code, rev)).await
    }

    /// `GET …/diff?against={other}`.
    pub async fn revision_diff(&self, code: &str, rev: i32, against: i32) -> ApiResult<RevisionDiff> {
        self.get(&format!("{}/diff?against={against}", Self::revision_path(code, rev))).await
    }

    /// `GET /api/documents/{code}/in-force?at=` → the revision in force then (404: none).
    pub async fn in_force(&self, code: &str, at: &str) -> ApiResult<Revision> {
        let path =
            with_query(&format!("/api/documents/{}/in-force", encode_component(code)), &[("at", Some(at.to_owned()))]);
        self.get(&path).await
    }

    /// `POST …/acknowledge` → 204.
    pub async fn acknowledge(&self, code: &str, rev: i32) -> ApiResult<()> {
        self.post(&format!("{}/acknowledge", Self::revision_path(code, rev)), &serde_json::json!({})).await
    }

    /// `GET …/acknowledgements`.
    pub async fn acknowledgements(&self, code: &str, rev: i32) -> ApiResult<AcknowledgementStatus> {
        self.get(&format!("{}/acknowledgements", Self::revision_path(code, rev))).await
    }

    /// `GET /api/me/tasks`.
    pub async fn my_tasks(&self) -> ApiResult<MyTasks> {
        self.get("/api/me/tasks").await
    }

    /// `GET /api/documents/review-flags`.
    pub async fn review_flags(&self) -> ApiResult<Vec<ReviewFlag>> {
        self.get("/api/documents/review-flags").await
    }
}
