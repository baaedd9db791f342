//! The GraphQL API of kinerja: an async-graphql schema served by axum.
//!
//! This is the only crate that knows HTTP and GraphQL. It reads and writes through the store, batches
//! nested lookups with DataLoaders, and turns every error into a GraphQL error with `extensions.code`.

mod analytics;
pub mod auth;
mod callers;
mod documents;
mod error;
mod events;
mod ids;
mod limits;
mod loaders;
mod mutation;
mod prefetch;
mod query;
mod subscription;

pub use events::EVENT_BUFFER;
pub use mutation::MutationRoot;
pub use query::QueryRoot;
pub use subscription::SubscriptionRoot;
mod types;

use std::borrow::Cow;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::Schema;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql_axum::GraphQLResponse;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use kinerja_scoring::RulePacks;
use kinerja_store::{Actor, Store};

use crate::auth::{AuthError, Authenticator};
use crate::callers::AccessCache;
use crate::limits::{CallerRateLimit, alias_refusal, coded_error};
use crate::loaders::{RequestLoader, StoreLoader};

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
    /// Most aliased fields a request may use.
    pub max_aliases: usize,
    /// Longest a request may run before it is abandoned.
    pub execution_timeout: Duration,
    /// Requests per second a caller may make on average, and in a burst.
    pub rate_per_second: NonZeroU32,
    pub rate_burst: NonZeroU32,
    /// Smallest group an aggregate may describe to a caller outside it (k-anonymity).
    pub min_group_size: u32,
    /// How long a verified token and its caller's access (employee record, reach) are reused; zero to
    /// verify and read them on every request.
    pub access_cache: Duration,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 20_000,
            max_page_size: 1000,
            introspection: true,
            max_body_bytes: 1 << 20,
            batch_delay: Duration::from_millis(2),
            max_aliases: 30,
            execution_timeout: Duration::from_secs(30),
            rate_per_second: NonZeroU32::new(50).expect("non-zero"),
            rate_burst: NonZeroU32::new(100).expect("non-zero"),
            min_group_size: 5,
            access_cache: Duration::from_secs(5),
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
        .data(config.clone())
        .data(documents::ParsedDocuments::new());
    if !config.introspection {
        builder = builder.disable_introspection();
    }
    builder
}

/// Builds the schema over the loaded rule packs, with the process's live-event channel (relaying
/// PostgreSQL notifications when the store is shared). The store is not part of the schema: each
/// request gets it narrowed to its caller's scope, with its own DataLoader.
pub async fn build_schema(
    store: Store,
    packs: RulePacks,
    config: &GatewayConfig,
) -> Result<KinerjaSchema, GatewayError> {
    let events = events::EventBus::start(store).await.map_err(GatewayError::Events)?;
    Ok(schema_builder(config).data(packs).data(events).finish())
}

/// The schema in SDL, as checked in at `crates/gateway/schema.graphql`.
pub fn sdl() -> String {
    schema_builder(&GatewayConfig::default()).finish().sdl()
}

#[derive(Clone)]
struct AppState {
    schema: KinerjaSchema,
    store: Store,
    config: GatewayConfig,
    authenticator: Arc<Authenticator>,
    rate_limit: Arc<CallerRateLimit>,
    access: Arc<AccessCache>,
}

/// What a request knows about its caller once the token is verified: the acting employee (with the
/// role) and the store narrowed to what that role may read.
struct Caller {
    actor: Actor,
    store: Store,
}

/// A refused request: the HTTP status and a GraphQL-shaped error with `extensions.code`.
struct Refusal {
    status: StatusCode,
    error: async_graphql::ServerError,
}

impl Refusal {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { status, error: coded_error(message, code) }
    }

    fn unauthenticated(error: &AuthError) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", error.to_string())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> axum::response::Response {
        let response = async_graphql::Response::from_errors(vec![self.error]);
        (self.status, Json(response)).into_response()
    }
}

impl AppState {
    /// Verifies a bearer token and resolves the caller's role and scope in the store (or takes both from
    /// the access cache while they are fresh), then applies the caller's rate limit.
    async fn caller(&self, token: Option<&str>) -> Result<Caller, Refusal> {
        let token = token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Refusal::unauthenticated(&AuthError::Missing))?;
        if let Some((actor, scope)) = self.access.get(token) {
            if !self.rate_limit.admit(actor.nip.as_str()) {
                return Err(self.rate_limited());
            }
            return Ok(Caller { store: self.store.scoped(scope), actor });
        }
        let identity = self.authenticator.verify(token).map_err(|e| Refusal::unauthenticated(&e))?;
        if !self.rate_limit.admit(identity.nip.as_str()) {
            return Err(self.rate_limited());
        }
        let (actor, scope) =
            self.store.access(&identity.nip, identity.role, self.config.min_group_size).await.map_err(|error| {
                match error {
                    kinerja_store::StoreError::NotFound { .. } => Refusal::new(
                        StatusCode::UNAUTHORIZED,
                        "UNAUTHENTICATED",
                        format!("the token names NIP {}, which no employee has", identity.nip),
                    ),
                    kinerja_store::StoreError::Forbidden { reason } => {
                        Refusal::new(StatusCode::FORBIDDEN, "FORBIDDEN", reason)
                    }
                    other => {
                        tracing::error!(error = %other, "cannot resolve the caller's scope");
                        Refusal::new(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "INTERNAL_SERVER_ERROR",
                            "internal error; the server log has the details",
                        )
                    }
                }
            })?;
        self.access.put(token, identity.valid_until, &actor, &scope);
        Ok(Caller { store: self.store.scoped(scope), actor })
    }

    fn rate_limited(&self) -> Refusal {
        Refusal::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            format!("more than {} requests a second; slow down", self.config.rate_per_second),
        )
    }
}

/// The token of an `Authorization: Bearer …` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    bearer_token(headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?)
}

/// The token of an authorization value `Bearer <token>`.
fn bearer_token(value: &str) -> Option<&str> {
    value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))
}

/// `POST /graphql`. The body is read as bytes so that `max_body_bytes` applies (413 beyond it).
async fn graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let caller = match state.caller(bearer(&headers)).await {
        Ok(caller) => caller,
        Err(refusal) => return refusal.into_response(),
    };
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let request = match async_graphql::http::receive_body(content_type, body.as_ref(), Default::default()).await {
        Ok(request) => request,
        Err(error) => return Refusal::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", error.to_string()).into_response(),
    };
    let running = execute(&state.schema, &caller.store, Some(caller.actor), request);
    match tokio::time::timeout(state.config.execution_timeout, running).await {
        Ok(response) => GraphQLResponse::from(response).into_response(),
        Err(_) => Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "TIMEOUT",
            format!("the request ran longer than {} s and was abandoned", state.config.execution_timeout.as_secs_f32()),
        )
        .into_response(),
    }
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

/// Activity records as JSON Lines, one record a line, taken whole or refused whole. Operational systems
/// call it with a token whose role manages integrations.
async fn ingest_activities(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> axum::response::Response {
    let caller = match state.caller(bearer(&headers)).await {
        Ok(caller) => caller,
        Err(refusal) => return refusal.into_response(),
    };
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
        return refuse(StatusCode::BAD_REQUEST, problems).into_response();
    }
    if batch.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, vec!["the body holds no record".to_owned()]).into_response();
    }
    match kinerja_app::ingest_activities(&caller.store, &caller.actor, batch).await {
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
                .into_response()
        }
        Err(kinerja_app::AppError::Store(kinerja_store::StoreError::InvalidBatch(problems))) => {
            refuse(StatusCode::UNPROCESSABLE_ENTITY, problems).into_response()
        }
        Err(kinerja_app::AppError::Store(kinerja_store::StoreError::Forbidden { reason })) => {
            Refusal::new(StatusCode::FORBIDDEN, "FORBIDDEN", reason).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "activity ingestion failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, vec!["internal error; the server log has the details".to_owned()])
                .into_response()
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
            .header("Authorization", "Bearer paste-a-token-from: kinerja token issue --nip NIP --role ROLE")
            .title("kinerja GraphQL")
            .finish(),
    )
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok", "database": state.store.backend_name() }))
}

/// The bearer token of a `connection_init` payload: `{"Authorization": "Bearer …"}` (any case) or
/// `{"token": "…"}`.
fn payload_token(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    object.iter().find_map(|(key, value)| {
        let text = value.as_str()?;
        match key.to_ascii_lowercase().as_str() {
            "authorization" => bearer_token(text).map(str::to_owned),
            "token" => Some(text.to_owned()),
            _ => None,
        }
    })
}

/// Read buffer of a subscription connection; a longer message is read in several pieces.
const WEBSOCKET_BUFFER_BYTES: usize = 4096;

/// Subscriptions over `graphql-transport-ws` (and the older `graphql-ws`). The token comes in the
/// `connection_init` payload; each connection gets its caller's scoped store and its own DataLoader.
async fn graphql_ws(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    let schema = state.schema.clone();
    // Subscribers send a few small messages and receive events now and then: small buffers (instead of
    // 128 KiB each way) keep an idle connection to a few kilobytes.
    upgrade
        .read_buffer_size(WEBSOCKET_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_message_size(state.config.max_body_bytes)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, LimitedSchema { schema, max_aliases: state.config.max_aliases }, protocol)
                .on_connection_init(move |payload| async move {
                    let token = payload_token(&payload);
                    let caller = state
                        .caller(token.as_deref())
                        .await
                        .map_err(|refusal| async_graphql::Error::new(refusal.error.message))?;
                    let mut data = async_graphql::Data::default();
                    // A connection lives long and its events change what it reads: no cache.
                    data.insert(loader_over(&caller.store, state.config.batch_delay, false));
                    data.insert(caller.store);
                    data.insert(caller.actor);
                    Ok(data)
                })
                .serve()
        })
        .into_response()
}

/// The HTTP routes: `POST /graphql`, GraphiQL on `GET /graphql`, subscriptions on `GET /graphql/ws`,
/// `GET /healthz`, and `POST /ingest/activities` (JSON Lines) for operational systems.
pub async fn router(
    store: Store,
    packs: RulePacks,
    config: &GatewayConfig,
    authenticator: Authenticator,
) -> Result<Router, GatewayError> {
    let state = AppState {
        schema: build_schema(store.clone(), packs, config).await?,
        store,
        config: config.clone(),
        authenticator: Arc::new(authenticator),
        rate_limit: Arc::new(CallerRateLimit::new(config.rate_per_second, config.rate_burst)),
        access: Arc::new(AccessCache::new(config.access_cache)),
    };
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
        authenticator: Authenticator,
    ) -> Result<Self, GatewayError> {
        let listener =
            tokio::net::TcpListener::bind(address).await.map_err(|source| GatewayError::Bind { address, source })?;
        Ok(Self { listener, router: router(store, packs, config, authenticator).await? })
    }

    pub fn local_addr(&self) -> Result<SocketAddr, GatewayError> {
        self.listener.local_addr().map_err(GatewayError::Serve)
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), GatewayError> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown).await.map_err(GatewayError::Serve)
    }
}

/// A DataLoader reading through the caller's store, one per request or WebSocket connection; `cached`
/// keeps what it read for the rest of its life (see `prefetch`).
fn loader_over(store: &Store, batch_delay: Duration, cached: bool) -> RequestLoader {
    let loader = DataLoader::with_cache(StoreLoader { store: store.clone() }, tokio::spawn, HashMapCache::new())
        .delay(batch_delay);
    loader.enable_all_cache(cached);
    loader
}

/// The schema as subscription connections run it: with the alias limit that [`execute`] applies.
#[derive(Clone)]
struct LimitedSchema {
    schema: KinerjaSchema,
    max_aliases: usize,
}

impl async_graphql::Executor for LimitedSchema {
    async fn execute(&self, mut request: async_graphql::Request) -> async_graphql::Response {
        match alias_refusal(&mut request, self.max_aliases) {
            None => self.schema.execute(request).await,
            Some(refused) => refused,
        }
    }

    fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures::stream::BoxStream<'static, async_graphql::Response> {
        match alias_refusal(&mut request, self.max_aliases) {
            None => async_graphql::Executor::execute_stream(&self.schema, request, session_data),
            Some(refused) => Box::pin(futures::stream::once(async { refused })),
        }
    }
}

/// Whether every operation of the request's document is a query, so that nothing it reads changes
/// while it runs. A document that does not parse counts as not; the schema reports it.
fn reads_only(request: &mut async_graphql::Request) -> bool {
    request.parsed_query().is_ok_and(|document| {
        document.operations.iter().all(|(_, operation)| operation.node.ty == OperationType::Query)
    })
}

/// Runs one GraphQL request without HTTP (for tests and tools): `store` is the caller's, already narrowed
/// with [`Store::scoped`], and `actor` the acting employee for mutations. Queries read through a cached
/// loader and prefetch nested lists; mutations read through an uncached one.
pub async fn execute(
    schema: &KinerjaSchema,
    store: &Store,
    actor: Option<Actor>,
    request: impl Into<async_graphql::Request>,
) -> async_graphql::Response {
    // Every schema of this crate carries its limits (`schema_builder`); the defaults stand in otherwise.
    let config = schema.data::<GatewayConfig>().map_or_else(|| Cow::Owned(GatewayConfig::default()), Cow::Borrowed);
    let mut request = request.into();
    if let Some(documents) = schema.data::<documents::ParsedDocuments>() {
        documents.attach(&mut request);
    }
    if let Some(refused) = alias_refusal(&mut request, config.max_aliases) {
        return refused;
    }
    let cached = reads_only(&mut request);
    let mut request = request.data(loader_over(store, config.batch_delay, cached)).data(store.clone());
    if cached {
        request = request.data(prefetch::CachedReads);
    }
    if let Some(actor) = actor {
        request = request.data(actor);
    }
    schema.execute(request).await
}
