//! The one way the app talks to the server: a generic request function that attaches the access
//! token and renews it once on a 401, and one short function per endpoint. Every body is a
//! `domain::api` type, so the browser and the server agree on each field.

use crate::state::{AuthAction, Session};
use crate::storage;
use domain::api::{ErrorBody, LoginRequest, PasswordChange, RefreshRequest, TokenPair, User};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::collections::BTreeMap;
use yew::Callback;

pub mod audit;
pub mod cases;
pub mod dashboards;
pub mod documents;
pub mod scoring;
pub mod users;

pub use documents::DocFilter;
pub use users::UserFilter;

/// Why a request did not give the answer asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached (or the request could not be built).
    Network,
    /// The server answered with an error status and (usually) our error body.
    Status { status: u16, body: ErrorBody },
    /// A success status with a body that is not what was expected.
    Decode,
    /// The session ended (refresh refused); the app is on its way to the login page.
    SessionExpired,
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The machine code of an error response (`invalid_credentials`, `conflict`, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Status { body, .. } => Some(body.error.as_str()),
            _ => None,
        }
    }

    /// The per-field problems of a 422 (or a 409 that names a field).
    pub fn fields(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            ApiError::Status { body, .. } => body.fields.as_ref(),
            _ => None,
        }
    }

    /// The agree import's typed refusal of a whole file.
    pub fn file_problem(&self) -> Option<&domain::cases::FileProblem> {
        match self {
            ApiError::Status { body, .. } => body.file_problem.as_deref(),
            _ => None,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The 409 code of a write with an outdated `version`.
pub const STALE: &str = "stale_version";

/// Error codes of a 401 that mean "this password is wrong", not "this token is no good": they
/// must reach the page as they are instead of triggering a token refresh.
const CREDENTIAL_ERRORS: [&str; 2] = ["invalid_credentials", "wrong_password"];

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `key=value` pairs of a query string, as written (a leading `?` ignored, a part without
/// `=` skipped): what the pages read their filters from and the router is given.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query.trim_start_matches('?').split('&').filter_map(|pair| pair.split_once('='))
}

/// The value of `key` in a query string (the first, undecoded: ids, days, words), if any.
pub fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query_pairs(query).find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// `path?k=v&…` from the pairs that have a value.
pub fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let query: Vec<String> =
        pairs.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode_component(v)))).collect();
    if query.is_empty() { path.to_owned() } else { format!("{path}?{}", query.join("&")) }
}

/// Turns a status and body into the answer or an [`ApiError`]. A 204 decodes as JSON `null`, so
/// `T = ()` works for endpoints without a body.
pub fn decode<T: DeserializeOwned>(status: u16, text: &str) -> ApiResult<T> {
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() { "null" } else { text };
        crate::json::from_str(text).map_err(|_| ApiError::Decode)
    } else {
        Err(status_error(status, text))
    }
}

/// The JSON answer of `GET path`, or `null` without a path: the loader of every answer the app
/// reads by hand (the dashboards, the last backup). Passed to `use_fetch` as this one function,
/// it makes every such load share one build of the hook's code (about 0.5 KB of the bundle per
/// load otherwise); each page then reads the answer with its reader ([`read_json`]).
pub async fn fetch_json(api: Api, path: String) -> ApiResult<serde_json::Value> {
    if path.is_empty() {
        return Ok(serde_json::Value::Null);
    }
    api.get(&path).await
}

/// A [`fetch_json`] load as its type: the answer read by `read`, a misread one `ApiError::Decode`.
pub fn read_json<T>(
    load: &crate::hooks::Load<serde_json::Value>,
    read: fn(&serde_json::Value) -> Option<T>,
) -> crate::hooks::Load<T> {
    use crate::hooks::Load;
    match load {
        Load::Loading => Load::Loading,
        Load::Failed(error) => Load::Failed(error.clone()),
        Load::Ready(value) => read(value).map_or(Load::Failed(ApiError::Decode), Load::Ready),
    }
}

/// [`decode`] of a `(status, body)` reply.
fn answer<T: DeserializeOwned>((status, text): (u16, String)) -> ApiResult<T> {
    decode(status, &text)
}

/// An error answer as an [`ApiError`]. Kept out of [`decode`] (never inlined) so that its body is
/// built once, not once per answer type: the app has a size budget.
#[inline(never)]
fn status_error(status: u16, text: &str) -> ApiError {
    let body = crate::json::from_str::<ErrorBody>(text).unwrap_or_else(|_| ErrorBody {
        error: format!("http_{status}"),
        message: String::new(),
        fields: None,
        file_problem: None,
    });
    ApiError::Status { status, body }
}

fn is_credential_error(status: u16, text: &str) -> bool {
    status == 401
        && crate::json::from_str::<ErrorBody>(text).is_ok_and(|b| CREDENTIAL_ERRORS.contains(&b.error.as_str()))
}

fn to_json<B: Serialize>(body: &B) -> ApiResult<String> {
    serde_json::to_string(body).map_err(|_| ApiError::Decode)
}

/// What a request carries: nothing, a JSON text, or a multipart form (whose `Content-Type` with
/// its boundary the browser sets itself).
#[derive(Clone, Copy)]
enum Body<'a> {
    Empty,
    Json(&'a str),
    Form(&'a web_sys::FormData),
}

/// Sends one request and hands back the response unread.
async fn send_raw(method: Method, path: &str, body: Body<'_>, token: Option<&str>) -> ApiResult<Response> {
    let mut builder = RequestBuilder::new(path).method(method).header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Body::Json(json) => builder.header("Content-Type", "application/json").body(json),
        Body::Form(form) => builder.body(form),
        Body::Empty => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    request.send().await.map_err(|_| ApiError::Network)
}

/// Sends one request and reads the whole answer as text.
async fn send_body(method: Method, path: &str, body: Body<'_>, token: Option<&str>) -> ApiResult<(u16, String)> {
    let response = send_raw(method, path, body, token).await?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    Ok((status, text))
}

async fn send(method: Method, path: &str, body: Option<&str>, token: Option<&str>) -> ApiResult<(u16, String)> {
    send_body(method, path, body.map_or(Body::Empty, Body::Json), token).await
}

/// Sends `file` as the multipart field `file` with `XMLHttpRequest`, whose upload progress events
/// `fetch` does not have; resolves when the request ends (`loadend`: done, failed or aborted).
async fn xhr_upload(
    path: &str,
    file: &web_sys::File,
    token: &str,
    on_progress: &Callback<f64>,
) -> ApiResult<(u16, String)> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
    form.append_with_blob_and_filename("file", file, &file.name()).map_err(|_| ApiError::Network)?;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    xhr.open("POST", path).map_err(|_| ApiError::Network)?;
    xhr.set_request_header("Accept", "application/json").map_err(|_| ApiError::Network)?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}")).map_err(|_| ApiError::Network)?;
    let report = on_progress.clone();
    let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            report.emit((e.loaded() / e.total()).clamp(0.0, 1.0));
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, _reject| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_form_data(Some(&form)).map_err(|_| ApiError::Network)?;
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().map_err(|_| ApiError::Network)?;
    if status == 0 {
        return Err(ApiError::Network);
    }
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    Ok((status, text))
}

/// A file the server sent, ready to be saved.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

/// `GET /api/site`: the site's time zone (public; asked once before the app first renders).
pub async fn site() -> ApiResult<domain::api::Site> {
    let (status, text) = send(Method::GET, "/api/site", None, None).await?;
    decode(status, &text)
}

/// `POST /api/auth/login`: the only call made without a session (besides [`site`]).
pub async fn login(body: &LoginRequest) -> ApiResult<TokenPair> {
    let body = to_json(body)?;
    let mut attempt = 0;
    loop {
        let (status, text) = send(Method::POST, "/api/auth/login", Some(&body), None).await?;
        // 503: the server's password checking is full (a whole shift signing in at once). It
        // asks for a retry in a second; the person should not have to press the button again.
        if status == 503 && attempt < LOGIN_BUSY_RETRIES {
            attempt += 1;
            gloo_timers::future::TimeoutFuture::new(1000 * attempt).await;
            continue;
        }
        return decode(status, &text);
    }
}

/// How often a login the server is too busy to check is sent again (after 1, 2, 3 seconds).
const LOGIN_BUSY_RETRIES: u32 = 3;

type RefreshFuture = Shared<LocalBoxFuture<'static, ApiResult<String>>>;

thread_local! {
    /// The refresh in flight, if any. Requests that fail together must share one refresh: a
    /// refresh token works once, and reusing a spent one revokes the whole login (api.md).
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

/// `POST /api/auth/refresh` with the stored refresh token; stores and announces the new pair.
async fn refresh(on_auth: Callback<AuthAction>, refresh_token: String) -> ApiResult<String> {
    let body = to_json(&RefreshRequest { refresh_token })?;
    let (status, text) = send(Method::POST, "/api/auth/refresh", Some(&body), None).await?;
    match decode::<TokenPair>(status, &text) {
        Ok(pair) => {
            let access = pair.access_token.clone();
            storage::save_session(&Session::from_pair(pair.clone()));
            on_auth.emit(AuthAction::Refreshed(pair));
            Ok(access)
        }
        // The server is busy or broken: the refresh token may still be good, keep the session.
        Err(error @ ApiError::Status { status: 429 | 500.., .. }) => Err(error),
        Err(_) => {
            storage::clear_session();
            on_auth.emit(AuthAction::Expired);
            Err(ApiError::SessionExpired)
        }
    }
}

/// The handle pages use to call the server. It reports session changes (refreshed tokens, an
/// ended session) to the app's auth reducer.
#[derive(Clone, PartialEq)]
pub struct Api {
    on_auth: Callback<AuthAction>,
}

impl Api {
    pub fn new(on_auth: Callback<AuthAction>) -> Self {
        Api { on_auth }
    }

    /// Starts the session of a successful login. Storage is written before the state changes:
    /// the pages that open next read their token from it at once.
    pub fn signed_in(&self, pair: TokenPair) {
        storage::save_session(&Session::from_pair(pair.clone()));
        self.on_auth.emit(AuthAction::LoggedIn(pair));
    }

    fn expire(&self) -> ApiError {
        storage::clear_session();
        self.on_auth.emit(AuthAction::Expired);
        ApiError::SessionExpired
    }

    /// An access token newer than `stale`: the one another request already obtained, the result
    /// of the refresh in flight, or a new refresh.
    async fn fresh_access_token(&self, stale: &str) -> ApiResult<String> {
        let Some(session) = storage::load_session() else { return Err(self.expire()) };
        if session.access_token != stale {
            return Ok(session.access_token);
        }
        let future = REFRESHING.with(|slot| {
            slot.borrow_mut()
                .get_or_insert_with(|| refresh(self.on_auth.clone(), session.refresh_token).boxed_local().shared())
                .clone()
        });
        let result = future.clone().await;
        REFRESHING.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.as_ref().is_some_and(|current| current.ptr_eq(&future)) {
                *slot = None;
            }
        });
        result
    }

    /// `method path` with `body`, the answer decoded as `T`: the one generic step, after the
    /// round trip of [`Api::request_text`].
    async fn request<T: DeserializeOwned>(&self, method: Method, path: &str, body: Body<'_>) -> ApiResult<T> {
        answer(self.request_text(method, path, body).await?)
    }

    /// The round trip of every request, not generic (built once, not once per answer type):
    /// bearer token from storage; on a 401 for the token (not for a wrong password), one refresh
    /// and one retry.
    async fn request_text(&self, method: Method, path: &str, body: Body<'_>) -> ApiResult<(u16, String)> {
        let Some(session) = storage::load_session() else { return Err(self.expire()) };
        let (status, text) = send_body(method.clone(), path, body, Some(&session.access_token)).await?;
        if status != 401 || is_credential_error(status, &text) {
            return Ok((status, text));
        }
        let access = self.fresh_access_token(&session.access_token).await?;
        let (status, text) = send_body(method, path, body, Some(&access)).await?;
        Ok((status, text))
    }

    /// `GET path` decoded as `T` (for the per-capability modules, e.g. `api::cases`).
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        answer(self.request_text(Method::GET, path, Body::Empty).await?)
    }

    /// `POST path` with a JSON body, the answer decoded as `T`.
    pub async fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> ApiResult<T> {
        answer(self.request_text(Method::POST, path, Body::Json(&to_json(body)?)).await?)
    }

    /// `PUT path` with a JSON body, the answer decoded as `T`.
    pub async fn put<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> ApiResult<T> {
        answer(self.request_text(Method::PUT, path, Body::Json(&to_json(body)?)).await?)
    }

    /// `DELETE path` with a JSON body (a signed release), the answer decoded as `T`.
    pub async fn delete<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> ApiResult<T> {
        answer(self.request_text(Method::DELETE, path, Body::Json(&to_json(body)?)).await?)
    }

    async fn patch<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> ApiResult<T> {
        answer(self.request_text(Method::PATCH, path, Body::Json(&to_json(body)?)).await?)
    }

    /// `POST /api/auth/logout`, then the session is forgotten whatever the server said. An
    /// expired access token is renewed first so the login's refresh token really is revoked.
    pub async fn logout(&self) {
        if let Some(session) = storage::load_session() {
            let mut tokens = (session.access_token, session.refresh_token);
            for _ in 0..2 {
                let Ok(body) = to_json(&RefreshRequest { refresh_token: tokens.1.clone() }) else { break };
                let sent = send(Method::POST, "/api/auth/logout", Some(&body), Some(&tokens.0)).await;
                if !matches!(sent, Ok((401, _))) {
                    break;
                }
                match self.fresh_access_token(&tokens.0).await.ok().and(storage::load_session()) {
                    Some(renewed) => tokens = (renewed.access_token, renewed.refresh_token),
                    None => break,
                }
            }
        }
        storage::clear_session();
        self.on_auth.emit(AuthAction::LoggedOut);
    }

    /// `GET /api/me`.
    pub async fn me(&self) -> ApiResult<User> {
        self.get("/api/me").await
    }

    /// `POST /api/me/password` → 204; 401 means the current password is wrong.
    pub async fn change_password(&self, body: &PasswordChange) -> ApiResult<()> {
        self.post("/api/me/password", body).await
    }

    /// `GET path` as a file (exports, attachments): the bytes and their type, fetched with the
    /// bearer token, renewed once on a 401.
    pub async fn download(&self, path: &str) -> ApiResult<Download> {
        let Some(session) = storage::load_session() else { return Err(self.expire()) };
        let mut response = send_raw(Method::GET, path, Body::Empty, Some(&session.access_token)).await?;
        if response.status() == 401 {
            let access = self.fresh_access_token(&session.access_token).await?;
            response = send_raw(Method::GET, path, Body::Empty, Some(&access)).await?;
        }
        let status = response.status();
        if !(200..300).contains(&status) {
            let text = response.text().await.unwrap_or_default();
            return decode::<()>(status, &text).and(Err(ApiError::Decode));
        }
        let content_type = response.headers().get("content-type").unwrap_or_else(|| "application/octet-stream".into());
        let bytes = response.binary().await.map_err(|_| ApiError::Network)?;
        Ok(Download { bytes, content_type })
    }

    /// `POST path` with `file` in the multipart field `file`, reporting how much of it has been
    /// sent (0.0–1.0) to `on_progress` — `fetch` cannot, so this one uses `XMLHttpRequest`.
    /// The token is renewed once on a 401, as for every other request.
    pub async fn upload_with_progress<T: DeserializeOwned>(
        &self,
        path: &str,
        file: &web_sys::File,
        on_progress: Callback<f64>,
    ) -> ApiResult<T> {
        let (status, text) = self.upload_text(path, file, on_progress).await?;
        decode(status, &text)
    }

    /// The body of [`Api::upload_with_progress`], not generic.
    async fn upload_text(
        &self,
        path: &str,
        file: &web_sys::File,
        on_progress: Callback<f64>,
    ) -> ApiResult<(u16, String)> {
        let Some(session) = storage::load_session() else { return Err(self.expire()) };
        let (status, text) = xhr_upload(path, file, &session.access_token, &on_progress).await?;
        if status != 401 || is_credential_error(status, &text) {
            return Ok((status, text));
        }
        let access = self.fresh_access_token(&session.access_token).await?;
        let (status, text) = xhr_upload(path, file, &access, &on_progress).await?;
        Ok((status, text))
    }
}

/// The largest page the API serves; used where the app wants "all" of a short list.
pub const MAX_LIMIT: u32 = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded_and_absent_ones_dropped() {
        assert_eq!(with_query("/api/users", &[]), "/api/users");
        assert_eq!(
            with_query(
                "/api/users",
                &[("role", Some("team_leader".into())), ("team_id", None), ("cursor", Some("a+b/c=".into()))]
            ),
            "/api/users?role=team_leader&cursor=a%2Bb%2Fc%3D"
        );
        assert_eq!(encode_component("Tim 1 &é"), "Tim%201%20%26%C3%A9");
    }

    #[test]
    fn no_content_decodes_as_unit() {
        assert_eq!(decode::<()>(204, ""), Ok(()));
    }

    #[test]
    fn error_bodies_keep_code_and_fields() {
        let text = r#"{"error":"validation","message":"bad","fields":{"username":"taken"}}"#;
        let err = decode::<()>(422, text).unwrap_err();
        assert_eq!(err.status(), Some(422));
        assert_eq!(err.code(), Some("validation"));
        assert_eq!(err.fields().and_then(|f| f.get("username")).map(String::as_str), Some("taken"));
    }

    #[test]
    fn an_error_without_our_body_still_has_a_status() {
        let err = decode::<()>(502, "<html>Bad gateway</html>").unwrap_err();
        assert_eq!(err.status(), Some(502));
        assert_eq!(err.code(), Some("http_502"));
    }

    #[test]
    fn a_bad_success_body_is_a_decode_error() {
        assert_eq!(decode::<User>(200, "{}"), Err(ApiError::Decode));
    }

    #[test]
    fn only_password_401s_skip_the_refresh() {
        assert!(is_credential_error(401, r#"{"error":"invalid_credentials","message":"x"}"#));
        assert!(!is_credential_error(401, r#"{"error":"invalid_token","message":"x"}"#));
        assert!(!is_credential_error(401, "not json"));
        assert!(!is_credential_error(403, r#"{"error":"invalid_credentials","message":"x"}"#));
    }
}
