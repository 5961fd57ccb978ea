//! Everything between the socket and the handlers: the router, security headers, the SPA,
//! compression, tracing, panics, metrics, the OpenAPI document and the JSON fallbacks.

pub mod export;
pub mod metrics;
pub mod serve;
pub mod upload;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{audit, auth, documents, users};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::api::{Health, Site};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// JSON bodies above this are refused with 413 (api.md).
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// The Content-Security-Policy of every response: our own origin only, plus the WASM compiler.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
                       connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[derive(OpenApi)]
#[openapi(
    info(title = "Mutu API", description = "QC audit and document control for the CT-0 / PRANPC outbound call centre."),
    paths(openapi_json),
    modifiers(&BearerAuth),
    // Enums only a query string names (the rest come in with the bodies that hold them).
    components(schemas(domain::api::ErrorBody, domain::promises::PromiseGroup, domain::promises::QcOutcome))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Liveness.
#[utoipa::path(get, path = "/health", tag = "meta", responses((status = 200, body = Health)))]
async fn health() -> axum::Json<Health> {
    axum::Json(Health { status: "ok".into() })
}

/// The site's time zone, in which the browser shows and reads times.
#[utoipa::path(get, path = "/site", tag = "meta", responses((status = 200, body = Site)))]
async fn site(State(state): State<AppState>) -> axum::Json<Site> {
    let offset = crate::site_time::offset(&state);
    axum::Json(Site {
        timezone: state.config.timezone.clone(),
        zone: crate::site_time::label_of(offset).to_owned(),
        utc_offset_seconds: offset.local_minus_utc(),
        recording_url: state.config.recording_url.clone(),
    })
}

/// This document (documented here; served by the closure in [`api`]).
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "the OpenAPI 3.1 document")))]
#[allow(dead_code)]
fn openapi_json() {}

/// The API routes and their OpenAPI document, built from the same handler annotations so the
/// two cannot drift apart.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(
            "/api",
            OpenApiRouter::new()
                .routes(routes!(health))
                .routes(routes!(site))
                .merge(auth::routes::router())
                .merge(users::routes::router())
                .merge(audit::routes::router())
                .merge(documents::routes::router())
                .merge(crate::cases::routes::router())
                .merge(crate::scoring::routes::router())
                .merge(crate::inbox::router())
                .merge(crate::dashboards::router())
                .merge(crate::mail::routes::router())
                .merge(crate::promises::routes::router())
                .merge(crate::backup::register::router())
                .merge(crate::records::router()),
        )
        .split_for_parts();
    // Serialised once: a handler that captured the document itself deep-cloned it (some 2 MB)
    // each time its route was cloned.
    let served = axum::body::Bytes::from(serde_json::to_vec(&doc).unwrap_or_default());
    let router = router
        .route(
            "/api/openapi.json",
            get(move || {
                std::future::ready((
                    [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                    served.clone(),
                ))
            }),
        )
        .route("/api/{*rest}", axum::routing::any(|| async { ApiError::NotFound }))
        .route("/api", axum::routing::any(|| async { ApiError::NotFound }))
        // `{*rest}` takes no empty rest: `/api/` (also what `/api/x/..` comes to) is ours too.
        .route("/api/", axum::routing::any(|| async { ApiError::NotFound }))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    (router, doc)
}

/// Refuses a request whose line and headers together exceed `serve::MAX_HEADER_BYTES` with 431
/// in the API's error shape (hyper's own cap, higher, only bounds what a connection buffers).
async fn head_limit(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let line = request.method().as_str().len() + request.uri().to_string().len() + 12;
    let headers: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    if line + headers > serve::MAX_HEADER_BYTES {
        return ApiError::HeadTooLarge.into_response();
    }
    next.run(request).await
}

/// The whole application: `/api`, `/metrics`, and the SPA for every other path.
pub fn router(state: AppState) -> Router {
    let (api, _) = api();
    let dir = &state.config.static_dir;
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    let spa = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
    let spa = Router::new()
        .fallback_service(spa)
        // File names are not content-hashed: let browsers revalidate (ETag / Last-Modified).
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")));

    Router::new()
        .merge(api)
        .route("/metrics", get(metrics::render))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .fallback_service(spa)
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(axum::middleware::from_fn(head_limit))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| -> Response {
            ApiError::Internal(anyhow::anyhow!("a handler panicked")).into_response()
        }))
        .with_state(state)
}
