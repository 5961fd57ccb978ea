//! Prometheus metrics at `/metrics`: requests by method, route template and status, their
//! latency, and the listener's connections. Labels come from closed sets only (the standard
//! methods, the router's route templates, status codes), never from what a client sends: 20,000
//! requests with made-up methods once grew the page to 53 MB. `/metrics` answers only to the
//! bearer token in `MUTU_METRICS_TOKEN`; without it, and to anyone else, it does not exist (404).

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The registry of one server (no process-wide globals: tests run many servers at once).
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    connections_open: Gauge,
    connections_refused: Counter,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms … ~4 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 14))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("mutu");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency", latency.clone());
        let connections_open = Gauge::default();
        let connections_refused = Counter::default();
        registry.register("http_connections_open", "Open client connections", connections_open.clone());
        registry.register(
            "http_connections_refused",
            "Connections refused at the connection cap",
            connections_refused.clone(),
        );
        Metrics { registry, requests, latency, connections_open, connections_refused }
    }
}

impl Metrics {
    pub fn connection_opened(&self) {
        self.connections_open.inc();
    }
    pub fn connection_closed(&self) {
        self.connections_open.dec();
    }
    pub fn connection_refused(&self) {
        self.connections_refused.inc();
    }
}

/// The method as a label: one of the standard methods, or `OTHER`.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method as M;
    match *method {
        M::GET => "GET",
        M::POST => "POST",
        M::PUT => "PUT",
        M::PATCH => "PATCH",
        M::DELETE => "DELETE",
        M::HEAD => "HEAD",
        M::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// Middleware: counts and times every request.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let route = match route {
        Some(route) => route,
        None if request.uri().path().starts_with("/api") => "/api/unmatched".to_owned(),
        None => "/spa".to_owned(),
    };
    let method = method_label(request.method()).to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    state.metrics.requests.get_or_create(&RequestLabels { method: method.clone(), route: route.clone(), status }).inc();
    state.metrics.latency.get_or_create(&RouteLabels { method, route }).observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics` in the Prometheus text format, for the holder of `MUTU_METRICS_TOKEN` only.
pub async fn render(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let presented =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let allowed = match (&state.config.metrics_token, presented) {
        (Some(token), Some(presented)) => constant_time_eq(token.as_bytes(), presented.trim().as_bytes()),
        _ => false,
    };
    if !allowed {
        return crate::error::ApiError::NotFound.into_response();
    }
    let mut body = String::new();
    if prometheus_client::encoding::text::encode(&mut body, &state.metrics.registry).is_err() {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response()
}

/// Equality that takes as long wherever the first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_standard_methods_become_labels() {
        assert_eq!(method_label(&axum::http::Method::GET), "GET");
        assert_eq!(method_label(&axum::http::Method::from_bytes(b"FOOBAR").unwrap()), "OTHER");
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
