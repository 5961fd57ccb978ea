//! The one error type of the API. Every variant's doc names its status; the body is always
//! `{"error", "message", "fields"?}` (api.md). Server faults are logged and never shown.

use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::api::ErrorBody;
use domain::validation::FieldErrors;
use serde::de::DeserializeOwned;

/// `Result` of a handler or service.
pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: malformed body or query.
    #[error("{0}")]
    BadRequest(String),
    /// 401: unknown user or wrong password at login.
    #[error("invalid username or password")]
    InvalidCredentials,
    /// 401: no, invalid, expired or revoked token.
    #[error("authentication required")]
    Unauthenticated,
    /// 401: a re-entered password (current password, signing password) is wrong.
    #[error("the password is wrong")]
    WrongPassword,
    /// 403: authenticated but the role may not do this.
    #[error("not allowed")]
    Forbidden,
    /// 403: the signer already signed another step of this revision.
    #[error("you already signed another step of this revision; another person must sign this one")]
    SegregationOfDuties,
    /// 404: not found, or not visible to this user.
    #[error("not found")]
    NotFound,
    /// 405: the path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: state conflict (stale version, duplicate, wrong workflow state).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 413: body too large.
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// 422: well-formed but invalid values.
    #[error("some fields are invalid")]
    Validation(FieldErrors),
    /// 429: too many failed attempts; retry after the given seconds.
    #[error("too many failed attempts; try again later")]
    TooManyAttempts { retry_after_secs: u64 },
    /// 503: the server is at a bound it keeps to stay up for everyone (password hashing queue
    /// full); retry after the given seconds.
    #[error("the server is busy; try again in a moment")]
    Busy { retry_after_secs: u64 },
    /// 500: anything unexpected. Logged with its cause; the client sees only a generic message.
    #[error("internal error")]
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Conflict { code, message: message.into() }
    }

    /// A single-field validation error.
    pub fn field(field: &str, problem: &str) -> Self {
        ApiError::Validation(FieldErrors::from([(field.to_owned(), problem.to_owned())]))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::WrongPassword => (StatusCode::UNAUTHORIZED, "wrong_password"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::SegregationOfDuties => (StatusCode::FORBIDDEN, "segregation_of_duties"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            ApiError::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            ApiError::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, "server_busy"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        ApiError::Internal(err)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        ApiError::Internal(anyhow::Error::new(err))
    }
}

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(err: sea_orm::TransactionError<ApiError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(api) => api,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = ?cause, "request failed");
        }
        let fields = match &self {
            ApiError::Validation(fields) => Some(fields.clone()),
            _ => None,
        };
        let body = ErrorBody { error: code.to_owned(), message: self.to_string(), fields };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after_secs } | ApiError::Busy { retry_after_secs } = self {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// A JSON body extractor whose rejections come out in our error shape (axum's own answers in
/// plain text, and 422 for wrong types where api.md says 400).
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::PayloadTooLarge;
    }
    let message = match &rejection {
        JsonRejection::MissingJsonContentType(_) => "expected a JSON body (Content-Type: application/json)".to_owned(),
        JsonRejection::JsonSyntaxError(_) => "the body is not valid JSON".to_owned(),
        // serde's message names the field and the expected type, never internals.
        JsonRejection::JsonDataError(err) => format!("the body does not match the expected shape: {}", serde_error_text(err)),
        _ => "the request body could not be read".to_owned(),
    };
    ApiError::BadRequest(message)
}

fn serde_error_text(err: &impl std::error::Error) -> String {
    let mut source: &dyn std::error::Error = err;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

/// Query-string extractor with our error shape.
pub struct Query<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(ApiError::BadRequest(format!("invalid query: {}", serde_error_text(&rejection)))),
        }
    }
}

/// Path extractor with our error shape (a non-numeric id is a 404: no such resource).
pub struct Path<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(ApiError::NotFound),
        }
    }
}
