//! HTTP hygiene: health, headers, fallbacks, the SPA, metrics, and the OpenAPI document checked
//! against the router.

use reqwest::{Method, StatusCode};
use tests::{Backend, Spawn, on_both_databases, scratch_dir, spawn_app, spawn_app_with};

on_both_databases!(
    health_is_open,
    security_headers_are_set,
    unknown_api_paths_are_json_404_and_wrong_methods_json_405,
    an_overlong_request_line_is_431_in_our_shape,
    other_paths_serve_the_spa,
    metrics_count_requests_by_route,
    openapi_documents_exactly_the_routes_that_exist,
);

async fn an_overlong_request_line_is_431_in_our_shape(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token("admin").await;
    // A query string past 16 KiB (a list's filter filled with junk): 431, in the API's shape.
    let long = "%41".repeat(7_000);
    let reply = app.get(&format!("/api/evaluations/xlsx?qco_id={long}&agent_id={long}"), &token).await;
    assert_eq!(reply.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "{}", reply.body);
    assert_eq!(reply.error(), "headers_too_large");
    // Just under the limit it is an ordinary request, refused on its own terms.
    let reply = app.get(&format!("/api/evaluations?agent_id={}", "9".repeat(15_000)), &token).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.error(), "bad_request");
    // Past what a connection buffers hyper closes it; the server goes on answering.
    let huge = "%41".repeat(30_000);
    let _ = app.client.get(app.url(&format!("/api/evaluations?qco_id={huge}"))).bearer_auth(&token).send().await;
    assert_eq!(app.get("/api/me", &token).await.status, StatusCode::OK);
}

async fn health_is_open(backend: Backend) {
    let app = spawn_app(backend).await;
    let reply = app.request::<()>(Method::GET, "/api/health", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, serde_json::json!({ "status": "ok" }));
}

async fn security_headers_are_set(backend: Backend) {
    let app = spawn_app(backend).await;
    let reply = app.request::<()>(Method::GET, "/api/health", None, None).await;
    let csp = reply.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");
    assert_eq!(reply.headers["referrer-policy"], "no-referrer");
    assert_eq!(reply.headers["cache-control"], "no-store");
}

async fn unknown_api_paths_are_json_404_and_wrong_methods_json_405(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token("admin").await;
    // `/api/documents/..` reaches the server as `/api/` (the client resolves the dots).
    for path in ["/api/nope", "/api/users/1/nope", "/api", "/api/", "/api/documents/.."] {
        let reply = app.get(path, &token).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.error(), "not_found");
    }
    let reply = app.request::<()>(Method::DELETE, "/api/users", Some(&token), None).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.error(), "method_not_allowed");
}

async fn other_paths_serve_the_spa(backend: Backend) {
    let dir = scratch_dir("static").join(uuid::Uuid::new_v4().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Mutu</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    let app = spawn_app_with(backend, Spawn { static_dir: Some(dir), ..Default::default() }).await;
    for path in ["/", "/login", "/admin/users", "/documents/OB.IN.OCC.TELK.P-01/revisions/0"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.text().await.unwrap().contains("<title>Mutu</title>"), "{path}");
    }
    let js = app.client.get(app.url("/app.js")).send().await.unwrap();
    assert_eq!(js.text().await.unwrap(), "console.log(1)");
}

async fn metrics_count_requests_by_route(backend: Backend) {
    const METRICS_TOKEN: &str = "metrics-token-for-the-http-test";
    let app = spawn_app_with(
        backend,
        Spawn { configure: |config| config.metrics_token = Some(METRICS_TOKEN.into()), ..Spawn::default() },
    )
    .await;
    let token = app.token("admin").await;
    app.get("/api/users/1", &token).await;
    // `/metrics` is the metrics token's only (see hardening::metrics_are_only_for_the_token…).
    let text =
        app.client.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap().text().await.unwrap();
    assert!(text.contains(r#"route="/api/users/{id}""#), "{text}");
    assert!(text.contains("mutu_http_request_duration_seconds"));
}

/// The document lists exactly the routes of api.md that exist so far, and every documented
/// operation is routed. (Routes are registered from the same annotations that make the document,
/// through utoipa-axum, so an undocumented route cannot be added by accident.)
async fn openapi_documents_exactly_the_routes_that_exist(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token("admin").await;
    let doc = app.request::<()>(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let paths = doc.body["paths"].as_object().expect("paths");
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "patch", "put", "delete"] {
            if item.get(method).is_some() {
                documented.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    documented.sort();
    let mut expected = vec![
        "GET /api/audit",
        "GET /api/audit/verify",
        "GET /api/documents",
        "GET /api/documents/{code}",
        "GET /api/documents/{code}/in-force",
        "GET /api/documents/{code}/revisions/{rev}",
        "GET /api/documents/{code}/revisions/{rev}/acknowledgements",
        "GET /api/documents/{code}/revisions/{rev}/attachment",
        "POST /api/documents/{code}/revisions/{rev}/attachment",
        "GET /api/documents/{code}/revisions/{rev}/diff",
        "GET /api/documents/review-flags",
        "GET /api/health",
        "GET /api/site",
        "GET /api/me",
        "GET /api/me/tasks",
        "GET /api/me/inbox",
        "GET /api/openapi.json",
        "GET /api/teams",
        "GET /api/teams/{id}",
        "GET /api/users",
        "GET /api/users/summary",
        "GET /api/users/{id}",
        "PATCH /api/documents/{code}/revisions/{rev}",
        "PATCH /api/teams/{id}",
        "PATCH /api/users/{id}",
        "POST /api/users/{id}/unlock",
        "POST /api/users/{id}/password",
        "POST /api/auth/login",
        "POST /api/auth/logout",
        "POST /api/auth/refresh",
        "POST /api/documents",
        "POST /api/documents/{code}/revisions",
        "POST /api/documents/{code}/revisions/{rev}/acknowledge",
        "POST /api/documents/{code}/revisions/{rev}/approve",
        "POST /api/documents/{code}/revisions/{rev}/review",
        "POST /api/documents/{code}/revisions/{rev}/submit",
        "POST /api/me/password",
        "POST /api/teams",
        "POST /api/users",
    ];
    // Each part lists its own routes and calls every one of them in its own scenarios.
    let parts: Vec<&str> = crate::cases::ROUTES
        .iter()
        .chain(crate::scoring::ROUTES)
        .chain(crate::audit::ROUTES)
        .chain(crate::mail::ROUTES)
        .chain(crate::payments::ROUTES)
        .chain(crate::promises::ROUTES)
        .chain(crate::dashboards::ROUTES)
        .chain(crate::heatmap::ROUTES)
        .chain(crate::workload::ROUTES)
        .chain(crate::backups::ROUTES)
        .chain(crate::records::ROUTES)
        .copied()
        .collect();
    expected.extend(&parts);
    expected.sort();
    assert_eq!(documented, expected);
    for operation in documented.iter().filter(|op| !parts.contains(&op.as_str())) {
        let (method, path) = operation.split_once(' ').unwrap();
        let path = path.replace("{id}", "1").replace("{code}", "OB.IN.OCC.TELK.P-01").replace("{rev}", "0");
        let reply = app
            .request(Method::from_bytes(method.as_bytes()).unwrap(), &path, Some(&token), Some(&serde_json::json!({})))
            .await;
        // User 1, team 1 and P-01 Rev.00 exist, so a 404 or 405 here means the operation is not
        // routed (in-force without `at` answers 422).
        assert_ne!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{operation}");
        // Rev.00 has no attached file, so its download is the handler's own 404.
        if !operation.ends_with("/attachment") {
            assert_ne!(reply.status, StatusCode::NOT_FOUND, "{operation}");
        }
    }
}
