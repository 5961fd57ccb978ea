//! The one error type of the API. Every variant's doc names its status; the body is always
//! `{"error", "message", "fields"?}` (api.md). Server faults are logged and never shown.

use axum::body::Bytes;
use axum::extract::FromRequest;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::api::ErrorBody;
use domain::problems::{Conflict, Problem};
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
    /// 403: the caller's password was set by the admin and must be changed first
    /// (`POST /api/me/password`); only that, `GET /api/me` and logging out are answered.
    #[error("change your one-time password first")]
    PasswordChangeRequired,
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
    Conflict { code: Conflict, message: String },
    /// 413: body too large.
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// 431: the request line and headers together are longer than the server takes
    /// (`http::serve::MAX_HEADER_BYTES`): usually a query string too long.
    #[error("the request line and headers are too long")]
    HeadTooLarge,
    /// 422: well-formed but invalid values.
    #[error("some fields are invalid")]
    Validation(FieldErrors),
    /// 422: the agree import refused the whole file (`fields.file` is the problem's code, and
    /// `file_problem` the problem with what it names).
    #[error("{0}")]
    FileRefused(domain::cases::FileProblem),
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
    /// A 409 with its typed code (which the browser words) and a message for API clients.
    pub fn conflict(code: Conflict, message: impl Into<String>) -> Self {
        ApiError::Conflict { code, message: message.into() }
    }

    /// A single-field validation error.
    pub fn field(field: &str, problem: Problem) -> Self {
        ApiError::Validation(FieldErrors::from([(field.to_owned(), problem.into())]))
    }

    /// A `domain` check's outcome as the API answers it: its problem code on `field`.
    pub fn checked(field: &str, outcome: Result<(), Problem>) -> ApiResult<()> {
        outcome.map_err(|problem| ApiError::field(field, problem))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::WrongPassword => (StatusCode::UNAUTHORIZED, "wrong_password"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::SegregationOfDuties => (StatusCode::FORBIDDEN, "segregation_of_duties"),
            ApiError::PasswordChangeRequired => (StatusCode::FORBIDDEN, "password_change_required"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Conflict { code, .. } => (StatusCode::CONFLICT, code.as_str()),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::HeadTooLarge => (StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large"),
            ApiError::Validation(_) | ApiError::FileRefused(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            }
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

/// Whether a database error is a unique-key violation (on either database).
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// `.on_constraint(code, message)` on the result of an insert or update: a unique-key violation
/// becomes 409 `code`, anything else stays what it was. The database decides between two
/// concurrent creates of one name, so there is no read-then-insert that both could pass.
/// (After launchbadge/realworld-axum-sqlx's `ResultExt::on_constraint`.)
pub trait ResultExt<T> {
    fn on_constraint(self, code: Conflict, message: &str) -> ApiResult<T>;
}

impl<T, E: Into<ApiError>> ResultExt<T> for Result<T, E> {
    fn on_constraint(self, code: Conflict, message: &str) -> ApiResult<T> {
        self.map_err(|err| match err.into() {
            ApiError::Internal(cause) if cause.downcast_ref::<sea_orm::DbErr>().is_some_and(is_unique_violation) => {
                ApiError::conflict(code, message)
            }
            other => other,
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = ?cause, "request failed");
        }
        let (fields, file_problem) = match &self {
            ApiError::Validation(fields) => (Some(fields.clone()), None),
            ApiError::FileRefused(problem) => (
                Some(FieldErrors::from([("file".to_owned(), problem.code().to_owned())])),
                Some(Box::new(problem.clone())),
            ),
            _ => (None, None),
        };
        let body = ErrorBody { error: code.to_owned(), message: self.to_string(), fields, file_problem };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after_secs } | ApiError::Busy { retry_after_secs } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A JSON body extractor whose rejections come out in our error shape (axum's own answers in
/// plain text, and 422 for wrong types where api.md says 400).
///
/// It is also the boundary for what no handler should have to think about: a NUL character in
/// any string or key is refused (PostgreSQL cannot store one in text), and so is a value that a
/// `deserialize_with` helper of `domain` (the date and timestamp fields) rejects; both are 422
/// naming the field by its path (`calls[2].call_at`).
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::BadRequest("expected a JSON body (Content-Type: application/json)".into()));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest("the request body could not be read".into())
            }
        })?;
        decode_json(&bytes).map(Json)
    }
}

/// `application/json` or any `application/*+json`, as axum's own extractor accepts.
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A JSON body as `T`, with the boundary checks of [`Json`].
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    // A NUL can only be written `\u0000` in JSON (a raw control character is a syntax error), so
    // the tree is walked only when that escape is there.
    if memmem(bytes, br"\u0000") {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|_| ApiError::BadRequest("the body is not valid JSON".into()))?;
        if let Some(path) = nul_path(&value, String::new()) {
            // The path names the field, without the NUL itself when it was in a key.
            let path: String = path.chars().filter(|c| !c.is_control()).take(200).collect();
            return Err(ApiError::field(if path.is_empty() { "body" } else { &path }, Problem::InvalidCharacters));
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                data_error(&path, &inner.to_string(), "the body does not match the expected shape")
            }
            _ => ApiError::BadRequest("the body is not valid JSON".into()),
        }
    })?;
    deserializer.end().map_err(|_| ApiError::BadRequest("the body is not valid JSON".into()))?;
    Ok(value)
}

fn memmem(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// The path (`items[0].label`) of the first string or key holding a NUL, if any.
fn nul_path(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(text) => text.contains('\0').then_some(path),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| nul_path(item, format!("{path}[{i}]")))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if key.contains('\0') { Some(path) } else { nul_path(item, path) }
        }),
        _ => None,
    }
}

/// A deserialisation error of a well-formed body or query: a field problem raised by a
/// `domain` helper becomes 422 with the field's path; anything else (wrong type, missing
/// field) is a malformed request, 400, with serde's text, which names the field and the
/// expected type and never internals.
fn data_error(path: &str, text: &str, context: &str) -> ApiError {
    if let Some(problem) = domain::validation::parse_field_problem(text).and_then(|code| code.parse::<Problem>().ok()) {
        let field = if path.is_empty() || path == "." { "body".to_owned() } else { echo(path, ECHO_MAX) };
        return ApiError::field(&field, problem);
    }
    let text = echo(text.split(" at line ").next().unwrap_or(text), ECHO_MAX);
    if path.is_empty() || path == "." {
        ApiError::BadRequest(format!("{context}: {text}"))
    } else {
        ApiError::BadRequest(format!("{context}: {}: {text}", echo(path, ECHO_MAX)))
    }
}

/// At most this many characters of what a client sent come back in an error message (serde
/// quotes the offending value, which can be as long as the body).
pub const ECHO_MAX: usize = 120;

/// `text` cut to `max` characters, with an ellipsis when it was longer.
pub fn echo(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Query-string extractor with our error shape. A NUL in any name or value is refused (422
/// naming the parameter), and so are the values `domain`'s `deserialize_with` helpers reject.
pub struct Query<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        decode_query(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// A query string as `T`, with the boundary checks of [`Query`].
pub fn decode_query<T: DeserializeOwned>(query: &str) -> ApiResult<T> {
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name.contains('\0') || value.contains('\0') {
            let field: String = name.chars().filter(|c| !c.is_control()).take(64).collect();
            return Err(ApiError::field(if field.is_empty() { "query" } else { &field }, Problem::InvalidCharacters));
        }
    }
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        data_error(&path, &err.into_inner().to_string(), "invalid query")
    })
}

/// Path extractor with our error shape (a non-numeric id is a 404: no such resource; a NUL in a
/// segment is a malformed request, 400).
pub struct Path<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw =
            axum::extract::RawPathParams::from_request_parts(parts, state).await.map_err(|_| ApiError::NotFound)?;
        if raw.iter().any(|(_, value)| value.contains('\0')) {
            return Err(ApiError::BadRequest("the path holds a NUL character".into()));
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(ApiError::NotFound),
        }
    }
}
