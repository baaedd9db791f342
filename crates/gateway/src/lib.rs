//! The GraphQL API of kinerja: an async-graphql schema served by axum.
//!
//! This is the only crate that knows HTTP and GraphQL. It reads and writes through the store, batches
//! nested lookups with DataLoaders, and turns every error into a GraphQL error with `extensions.code`.

mod error;
mod events;
mod ids;
mod loaders;
mod mutation;
mod proposal;
mod query;
mod subscription;

pub use events::EVENT_BUFFER;
pub use mutation::{CallerNip, MutationRoot};
pub use query::QueryRoot;
pub use subscription::SubscriptionRoot;
mod types;

use std::net::SocketAddr;
use std::time::Duration;

use async_graphql::Schema;
use async_graphql::dataloader::DataLoader;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use kinerja_scoring::RulePacks;
use kinerja_store::Store;

use crate::loaders::StoreLoader;

/// The schema type served by kinerja.
pub type KinerjaSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Limits and switches of the GraphQL endpoint.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Deepest nesting a query may have.
    pub max_depth: usize,
    /// Highest complexity (roughly, fields resolved) a query may have.
    pub max_complexity: usize,
    /// Largest `first` a paginated field accepts.
    pub max_page_size: usize,
    /// Whether clients may introspect the schema (switch off in production if wanted).
    pub introspection: bool,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// How long a DataLoader waits to gather keys from sibling fields before it queries.
    pub batch_delay: Duration,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 20_000,
            max_page_size: 100,
            introspection: true,
            max_body_bytes: 1 << 20,
            batch_delay: Duration::from_millis(2),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("server failed: {0}")]
    Serve(std::io::Error),
    #[error("cannot listen for events: {0}")]
    Events(kinerja_store::StoreError),
}

fn schema_builder(config: &GatewayConfig) -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    let mut builder = Schema::build(QueryRoot, MutationRoot, SubscriptionRoot)
        .limit_depth(config.max_depth)
        .limit_complexity(config.max_complexity)
        .data(config.clone());
    if !config.introspection {
        builder = builder.disable_introspection();
    }
    builder
}

/// Builds the schema over a store and the loaded rule packs, with the process's live-event channel
/// (relaying PostgreSQL notifications when the store is shared). DataLoaders are created per request.
pub async fn build_schema(
    store: Store,
    packs: RulePacks,
    config: &GatewayConfig,
) -> Result<KinerjaSchema, GatewayError> {
    let events = events::EventBus::start(store.clone()).await.map_err(GatewayError::Events)?;
    Ok(schema_builder(config).data(store).data(packs).data(events).finish())
}

/// The schema in SDL, as checked in at `crates/gateway/schema.graphql`.
pub fn sdl() -> String {
    schema_builder(&GatewayConfig::default()).finish().sdl()
}

#[derive(Clone)]
struct AppState {
    schema: KinerjaSchema,
    store: Store,
}

/// The header naming the acting employee until bearer tokens identify callers.
const ACTOR_HEADER: &str = "x-kinerja-actor";

async fn graphql(State(state): State<AppState>, headers: HeaderMap, request: GraphQLRequest) -> GraphQLResponse {
    let caller =
        CallerNip(headers.get(ACTOR_HEADER).and_then(|value| value.to_str().ok()).map(|v| v.trim().to_owned()));
    execute(&state.schema, &state.store, request.into_inner().data(caller)).await.into()
}

/// One line of `POST /ingest/activities`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityLine {
    kind: String,
    external_id: String,
    nip: String,
    occurred_at: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    attributes: std::collections::BTreeMap<String, kinerja_domain::AttributeValue>,
}

/// Activity records as JSON Lines, one record a line, taken whole or refused whole.
async fn ingest_activities(State(state): State<AppState>, body: String) -> impl IntoResponse {
    let mut problems = Vec::new();
    let mut batch = Vec::new();
    for (index, line) in body.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        match serde_json::from_str::<ActivityLine>(line) {
            Ok(record) => batch.push(kinerja_store::NewActivity {
                line: index + 1,
                kind: record.kind,
                external_id: record.external_id,
                nip: record.nip,
                occurred_at: record.occurred_at,
                attributes: record.attributes,
            }),
            Err(error) => problems.push(format!("line {}: {error}", index + 1)),
        }
    }
    let refuse = |status: StatusCode, problems: Vec<String>| {
        (status, Json(serde_json::json!({ "error": "the batch was refused as a whole", "problems": problems })))
    };
    if !problems.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, problems);
    }
    if batch.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, vec!["the body holds no record".to_owned()]);
    }
    match state.store.ingest_activities(batch).await {
        Ok(summary) => {
            publish_realisations(&state, &summary.realisations).await;
            (
                StatusCode::OK,
                Json(serde_json::json!({
                    "accepted": summary.accepted,
                    "realisations_updated": summary.realisations.len(),
                    "skipped": summary.skipped,
                })),
            )
        }
        Err(kinerja_store::StoreError::InvalidBatch(problems)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, problems),
        Err(error) => {
            tracing::error!(%error, "activity ingestion failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, vec!["internal error; the server log has the details".to_owned()])
        }
    }
}

async fn publish_realisations(state: &AppState, realisations: &[kinerja_store::records::RealisationRecord]) {
    if let Some(bus) = state.schema.data::<events::EventBus>() {
        for realisation in realisations {
            if let Ok(plan_id) = state.store.plan_of_indicator(realisation.indicator_id).await {
                bus.publish(events::Topic::Realisation, realisation.id, plan_id).await;
            }
        }
    }
}

async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("kinerja GraphQL")
            .finish(),
    )
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok", "database": state.store.backend_name() }))
}

/// Subscriptions over `graphql-transport-ws` (and the older `graphql-ws`), each connection with its own
/// DataLoader.
async fn graphql_ws(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    let AppState { schema, store } = state;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, schema, protocol)
                .on_connection_init(move |_payload| async move {
                    let mut data = async_graphql::Data::default();
                    data.insert(DataLoader::new(StoreLoader { store }, tokio::spawn).delay(Duration::from_millis(2)));
                    Ok(data)
                })
                .serve()
        })
        .into_response()
}

/// The HTTP routes: `POST /graphql`, GraphiQL on `GET /graphql`, subscriptions on `GET /graphql/ws`,
/// `GET /healthz`, and `POST /ingest/activities` (JSON Lines) for operational systems.
pub async fn router(store: Store, packs: RulePacks, config: &GatewayConfig) -> Result<Router, GatewayError> {
    let state = AppState { schema: build_schema(store.clone(), packs, config).await?, store };
    Ok(Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(health))
        .route("/ingest/activities", axum::routing::post(ingest_activities))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .with_state(state))
}

/// A bound, not yet serving, HTTP server.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl Server {
    /// Binds `address` (port 0 picks a free port).
    pub async fn bind(
        address: SocketAddr,
        store: Store,
        packs: RulePacks,
        config: &GatewayConfig,
    ) -> Result<Self, GatewayError> {
        let listener =
            tokio::net::TcpListener::bind(address).await.map_err(|source| GatewayError::Bind { address, source })?;
        Ok(Self { listener, router: router(store, packs, config).await? })
    }

    pub fn local_addr(&self) -> Result<SocketAddr, GatewayError> {
        self.listener.local_addr().map_err(GatewayError::Serve)
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), GatewayError> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown).await.map_err(GatewayError::Serve)
    }
}

/// Runs one GraphQL request without HTTP, with the per-request DataLoader (for tests and tools).
/// A request's data may carry a [`CallerNip`] naming the acting employee.
pub async fn execute(
    schema: &KinerjaSchema,
    store: &Store,
    request: impl Into<async_graphql::Request>,
) -> async_graphql::Response {
    let delay = schema.data::<GatewayConfig>().map_or(Duration::from_millis(2), |config| config.batch_delay);
    let loader = DataLoader::new(StoreLoader { store: store.clone() }, tokio::spawn).delay(delay);
    schema.execute(request.into().data(loader)).await
}
