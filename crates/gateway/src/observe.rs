//! What operators watch: a `tracing` span and one access-log line per HTTP request, and `GET /metrics`
//! in the Prometheus text format (requests and latency by operation, errors by code, database
//! connections, open subscription sockets).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::AppState;

/// What the GraphQL handler tells the access log about a request it answered.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccessNote {
    /// `query Name`, `mutation (anonymous)`, or empty when the request never reached a document.
    pub(crate) operation: String,
    pub(crate) role: Option<&'static str>,
    /// The `extensions.code` of each error, in order.
    pub(crate) codes: Vec<String>,
}

impl AccessNote {
    /// The note of a GraphQL response.
    pub(crate) fn of(operation: String, role: Option<&'static str>, response: &async_graphql::Response) -> Self {
        let codes = response
            .errors
            .iter()
            .map(|error| {
                let code = error.extensions.as_ref().and_then(|extensions| extensions.get("code"));
                match code {
                    Some(async_graphql::Value::String(code)) => code.clone(),
                    _ => "UNKNOWN".to_owned(),
                }
            })
            .collect();
        Self { operation, role, codes }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConnectionLabels {
    state: &'static str,
}

/// Distinct operation names kept as label values; later names count as `(other)`, so that a client
/// naming every request differently cannot grow the metrics without bound.
const MAX_OPERATION_NAMES: usize = 200;
const MAX_OPERATION_NAME_LENGTH: usize = 100;

pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabels, Histogram>,
    errors: Family<ErrorLabels, Counter>,
    connections: Family<ConnectionLabels, Gauge>,
    sockets: Gauge,
    operations: Mutex<HashSet<String>>,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut registry = Registry::with_prefix("kinerja");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by GraphQL operation and status", requests.clone());
        let latency = Family::<OperationLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 16))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by GraphQL operation",
            latency.clone(),
        );
        let errors = Family::<ErrorLabels, Counter>::default();
        registry.register("graphql_errors", "GraphQL errors returned, by extensions.code", errors.clone());
        let connections = Family::<ConnectionLabels, Gauge>::default();
        registry.register("database_connections", "Database connections, open and idle", connections.clone());
        let sockets = Gauge::default();
        registry.register("subscription_sockets", "Open subscription WebSockets", sockets.clone());
        Self { registry, requests, latency, errors, connections, sockets, operations: Mutex::new(HashSet::new()) }
    }

    fn operation_label(&self, operation: &str) -> String {
        if operation.is_empty() {
            return "(none)".to_owned();
        }
        if operation.len() > MAX_OPERATION_NAME_LENGTH {
            return "(other)".to_owned();
        }
        let mut known = self.operations.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.contains(operation) || known.len() < MAX_OPERATION_NAMES {
            known.insert(operation.to_owned());
            operation.to_owned()
        } else {
            "(other)".to_owned()
        }
    }

    fn record(&self, note: Option<&AccessNote>, status: u16, seconds: f64) {
        let operation = self.operation_label(note.map_or("", |note| note.operation.as_str()));
        self.requests.get_or_create(&RequestLabels { operation: operation.clone(), status }).inc();
        self.latency.get_or_create(&OperationLabels { operation }).observe(seconds);
        for code in note.iter().flat_map(|note| &note.codes) {
            self.errors.get_or_create(&ErrorLabels { code: code.clone() }).inc();
        }
    }

    /// Counts a subscription socket while the returned guard lives.
    pub(crate) fn socket_opened(self: &Arc<Self>) -> SocketGuard {
        self.sockets.inc();
        SocketGuard(Arc::clone(self))
    }
}

pub(crate) struct SocketGuard(Arc<Metrics>);

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.0.sockets.dec();
    }
}

/// Wraps every HTTP request in a span and logs one line when it is answered.
pub(crate) async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let span = tracing::info_span!("request", %method, %path, operation = Empty, role = Empty, status = Empty);
    let response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let note = response.extensions().get::<AccessNote>();
    let operation = note.map_or("", |note| note.operation.as_str());
    let role = note.and_then(|note| note.role).unwrap_or("");
    let codes = note.map(|note| note.codes.join(",")).unwrap_or_default();
    span.record("operation", operation).record("role", role).record("status", status);
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    if path == "/metrics" || path == "/healthz" {
        tracing::debug!(target: "kinerja::access", parent: &span, duration_ms, "answered");
    } else {
        tracing::info!(target: "kinerja::access", parent: &span, duration_ms, codes, "answered");
        state.metrics.record(note, status, elapsed.as_secs_f64());
    }
    response
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let pool = state.store.pool_status();
    state.metrics.connections.get_or_create(&ConnectionLabels { state: "open" }).set(i64::from(pool.open));
    state.metrics.connections.get_or_create(&ConnectionLabels { state: "idle" }).set(i64::from(pool.idle));
    let mut text = String::new();
    if prometheus_client::encoding::text::encode(&mut text, &state.metrics.registry).is_err() {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "cannot encode the metrics").into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text).into_response()
}
