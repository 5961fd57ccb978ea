//! File uploads, one way for every route that takes one (an agree export, a document's original):
//! a multipart body with the file in the field `file`, at most [`domain::limits::UPLOAD_MAX_BYTES`]
//! of file plus [`MULTIPART_OVERHEAD`] of envelope. A body declared larger is refused with 413
//! before any of it is parsed; what the client sends meanwhile is read and dropped for up to
//! [`DRAIN_FOR`] (within the route's body limit), so that a browser still sending gets to read the
//! answer, and a client that stops sending still gets it soon.

use crate::error::{ApiError, ApiResult};
use axum::extract::DefaultBodyLimit;
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::http::{HeaderMap, StatusCode, header};
use domain::limits::UPLOAD_MAX_BYTES;
use domain::problems::Problem;

/// Room for the multipart envelope around the file (boundaries, part headers, a file name).
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// How long a refused upload's body is read and dropped before the answer goes out.
pub const DRAIN_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// The body limit of an upload route.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD)
}

/// A multipart error as the API answers it: past the body limit 413, else 400.
pub fn upload_error(err: MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest("the upload could not be read".into())
    }
}

/// 413 for a body whose declared length is past the limit, after reading (and dropping) what the
/// client sends of it; nothing for a body within it or of no declared length (the body limit and
/// the readers' own counts bound those).
pub async fn refuse_declared_too_large(headers: &HeaderMap, multipart: &mut Multipart) -> ApiResult<()> {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD) {
        let drain = async {
            while let Ok(Some(mut field)) = multipart.next_field().await {
                while let Ok(Some(_)) = field.chunk().await {}
            }
        };
        let _ = tokio::time::timeout(DRAIN_FOR, drain).await;
        return Err(ApiError::PayloadTooLarge);
    }
    Ok(())
}

/// Hands the field `file` to `take` (other fields are skipped); 422 `file: required` without one.
pub async fn with_file<T>(
    multipart: &mut Multipart,
    take: impl AsyncFnOnce(Field<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        if field.name() == Some("file") {
            return take(field).await;
        }
    }
    Err(ApiError::field("file", Problem::Required))
}

/// An import route's upload: a body declared too large refused at once (as
/// [`refuse_declared_too_large`]), then the `file` field handed to `run` with its file name
/// (`fallback` when it has none).
pub async fn import_file<T>(
    headers: &HeaderMap,
    multipart: &mut Multipart,
    fallback: &str,
    run: impl AsyncFnOnce(String, Field<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    refuse_declared_too_large(headers, multipart).await?;
    with_file(multipart, async |field| {
        let filename = field.file_name().unwrap_or(fallback).to_owned();
        run(filename, field).await
    })
    .await
}
