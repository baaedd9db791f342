//! The GraphQL API of kinerja: an async-graphql schema served by axum.
//!
//! This is the only crate that knows HTTP and GraphQL. It reads and writes through the store, batches
//! nested lookups with DataLoaders, and turns every error into a GraphQL error with `extensions.code`.

mod analytics;
pub mod auth;
mod callers;
mod completion;
mod documents;
mod error;
mod events;
mod grants;
mod graphiql;
mod growth;
mod ids;
mod limits;
mod loaders;
mod mutation;
mod observe;
mod persisted;
mod prefetch;
mod query;
mod scalars;
mod socket;
mod subscription;

pub use events::EVENT_BUFFER;
pub use mutation::MutationRoot;
pub use query::QueryRoot;
pub use subscription::SubscriptionRoot;
mod types;
mod viewer;

use std::borrow::Cow;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::Schema;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::parser::types::OperationType;
use async_graphql_axum::GraphQLResponse;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
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
    /// Whether clients may introspect the schema; off also drops "did you mean" suggestions from errors.
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
    /// Fewest colleagues' answers the employee reads aggregated; fewer could be told apart.
    pub min_feedback_answers: u32,
    /// How long a verified token and its caller's access (employee record, reach) are reused; zero to
    /// verify and read them on every request.
    pub access_cache: Duration,
    /// Origins whose browser pages may call the API (CORS); `*` for any, empty for none.
    pub cors_origins: Vec<String>,
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
            min_feedback_answers: 3,
            access_cache: Duration::from_secs(5),
            cors_origins: Vec::new(),
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
    #[error("{0}")]
    Config(String),
    #[error("the schema's own SDL does not parse: {0}")]
    Schema(String),
}

fn schema_builder(config: &GatewayConfig) -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    // Depth is limited in `prepare`, which leaves introspection out of it.
    let mut builder = Schema::build(QueryRoot, MutationRoot::default(), SubscriptionRoot)
        .limit_complexity(config.max_complexity)
        .data(config.clone())
        .data(documents::ParsedDocuments::new())
        .data(persisted::PersistedQueries::new());
    if !config.introspection {
        // "Did you mean …" would tell what introspection no longer does.
        builder = builder.disable_introspection().disable_suggestions();
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
    let types = completion::OutputTypes::from_sdl(&exported_sdl()).map_err(GatewayError::Schema)?;
    let events = events::EventBus::start(store).await.map_err(GatewayError::Events)?;
    Ok(schema_builder(config).data(packs).data(events).data(Arc::new(types)).finish())
}

/// The schema in SDL, as checked in at `crates/gateway/schema.graphql`.
pub fn sdl() -> String {
    // Introspection answers `__schema { description }` with async-graphql's fixed text, which its SDL
    // leaves out; the checked-in SDL carries it too, so that tools building the schema either way agree.
    exported_sdl().replacen("schema {", &format!("\"\"\"\n{SCHEMA_DESCRIPTION}\n\"\"\"\nschema {{"), 1)
}

/// The schema as async-graphql exports it, which its own SDL parser reads.
fn exported_sdl() -> String {
    let options = async_graphql::SDLExportOptions::new().include_specified_by();
    schema_builder(&GatewayConfig::default()).finish().sdl_with_options(options)
}

/// What async-graphql's introspection gives as the schema's description.
const SCHEMA_DESCRIPTION: &str = "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available \
    types and directives on the server, as well as the entry points for query, mutation, and subscription operations.";

#[derive(Clone)]
struct AppState {
    schema: KinerjaSchema,
    store: Store,
    config: GatewayConfig,
    authenticator: Arc<Authenticator>,
    rate_limit: Arc<CallerRateLimit>,
    access: Arc<AccessCache>,
    metrics: Arc<observe::Metrics>,
    /// Set when the server shuts down, so that open sockets close with 1001.
    closing: Arc<tokio::sync::watch::Sender<bool>>,
}

/// What a request knows about its caller once the token is verified: the acting employee (with the
/// role) and the store narrowed to what that role may read.
struct Caller {
    actor: Actor,
    store: Store,
    /// Unix time after which the caller's token is refused.
    valid_until: i64,
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
        // The access log and the error metrics count refusals by their code too.
        let note = observe::AccessNote::of(String::new(), None, &response);
        let mut answer = (self.status, Json(response)).into_response();
        answer.extensions_mut().insert(note);
        answer
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
        if let Some((actor, scope, valid_until)) = self.access.get(token) {
            if !self.rate_limit.admit(actor.nip.as_str()) {
                return Err(self.rate_limited());
            }
            return Ok(Caller { store: self.store.scoped(scope), actor, valid_until });
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
        Ok(Caller { store: self.store.scoped(scope), actor, valid_until: identity.valid_until })
    }

    fn rate_limited(&self) -> Refusal {
        Refusal::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            format!("more than {} requests a second; slow down", self.config.rate_per_second),
        )
    }
}

/// The token of an `Authorization: Bearer …` header; `Bearer ` with nothing after it (GraphiQL's empty
/// Headers editor) counts as no token.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let token = bearer_token(headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?)?.trim();
    (!token.is_empty()).then_some(token)
}

/// The token of an authorization value `Bearer <token>`.
fn bearer_token(value: &str) -> Option<&str> {
    value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))
}

/// `POST /graphql`. The body is read as bytes so that `max_body_bytes` applies (413 beyond it). A request
/// without a token may read the schema itself, so that GraphiQL and code generators can start from it.
async fn graphql(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut request = match async_graphql::http::receive_body(content_type, body.as_ref(), Default::default()).await {
        Ok(request) => request,
        Err(error) => return Refusal::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", error.to_string()).into_response(),
    };
    let token = bearer(&headers);
    let anonymous = token.is_none()
        && state.config.introspection
        && request.parsed_query().is_ok_and(limits::reads_only_the_schema);
    let (store, actor) = if anonymous {
        let address = extensions.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        let key = address.map_or_else(|| "anonymous".to_owned(), |address| format!("anonymous {address}"));
        if !state.rate_limit.admit(&key) {
            return state.rate_limited().into_response();
        }
        (state.store.scoped(kinerja_store::Scope::nobody()), None)
    } else {
        match state.caller(token).await {
            Ok(caller) => (caller.store, Some(caller.actor)),
            Err(refusal) => return refusal.into_response(),
        }
    };
    let role = actor.as_ref().and_then(|actor| actor.role).map(kinerja_domain::Role::as_str);
    let running = execute_named(&state.schema, &store, actor, request);
    match tokio::time::timeout(state.config.execution_timeout, running).await {
        Ok((response, operation)) => {
            let note = observe::AccessNote::of(operation, role, &response);
            let mut answer = GraphQLResponse::from(response).into_response();
            answer.extensions_mut().insert(note);
            answer
        }
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

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok", "database": state.store.backend_name() }))
}

/// axum refuses a body over `max_body_bytes` in plain text; clients read every error as GraphQL's.
async fn coded_payload_refusal(
    State(state): State<AppState>,
    response: axum::response::Response,
) -> axum::response::Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let message = format!("the request body is larger than {} bytes", state.config.max_body_bytes);
    Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", message).into_response()
}

/// The CORS policy of `server.cors_origins`: none when empty, any origin for `*`, else those listed.
/// Tokens travel in the Authorization header, never in cookies, so credentials are not allowed.
fn cors(origins: &[String]) -> Result<Option<tower_http::cors::CorsLayer>, GatewayError> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return Ok(None);
    }
    let allowed = if origins.iter().any(|origin| origin == "*") {
        AllowOrigin::any()
    } else {
        let parsed = origins
            .iter()
            .map(|origin| {
                axum::http::HeaderValue::from_str(origin.trim_end_matches('/'))
                    .map_err(|_| GatewayError::Config(format!("server.cors_origins: '{origin}' is not an origin")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        AllowOrigin::list(parsed)
    };
    Ok(Some(
        CorsLayer::new()
            .allow_origin(allowed)
            .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
            .allow_headers([axum::http::header::AUTHORIZATION, axum::http::header::CONTENT_TYPE])
            .max_age(Duration::from_secs(3600)),
    ))
}

/// The HTTP routes: `POST /graphql`, GraphiQL on `GET /graphql`, subscriptions on `GET /graphql/ws`,
/// `GET /healthz`, `GET /metrics`, and `POST /ingest/activities` (JSON Lines) for operational systems.
/// Answers are compressed (gzip or brotli) when the client accepts it; the socket's upgrade is not.
pub async fn router(
    store: Store,
    packs: RulePacks,
    config: &GatewayConfig,
    authenticator: Authenticator,
) -> Result<Router, GatewayError> {
    Ok(routes(store, packs, config, authenticator).await?.0)
}

/// The router of [`router`], with the signal that closes its open sockets.
async fn routes(
    store: Store,
    packs: RulePacks,
    config: &GatewayConfig,
    authenticator: Authenticator,
) -> Result<(Router, Arc<tokio::sync::watch::Sender<bool>>), GatewayError> {
    let cors = cors(&config.cors_origins)?;
    let state = AppState {
        schema: build_schema(store.clone(), packs, config).await?,
        store,
        config: config.clone(),
        authenticator: Arc::new(authenticator),
        rate_limit: Arc::new(CallerRateLimit::new(config.rate_per_second, config.rate_burst)),
        access: Arc::new(AccessCache::new(config.access_cache)),
        metrics: Arc::new(observe::Metrics::new()),
        closing: Arc::new(tokio::sync::watch::Sender::new(false)),
    };
    let compressed = Router::new()
        .route("/graphql", get(graphiql::page).post(graphql))
        .route("/graphiql/{name}", get(graphiql::asset))
        .route("/healthz", get(health))
        .route("/metrics", get(observe::metrics))
        .route("/ingest/activities", axum::routing::post(ingest_activities))
        .layer(tower_http::compression::CompressionLayer::new());
    let mut router = compressed
        .route("/graphql/ws", get(socket::graphql_ws))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(axum::middleware::map_response_with_state(state.clone(), coded_payload_refusal))
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe::observe));
    if let Some(cors) = cors {
        router = router.layer(cors);
    }
    let closing = Arc::clone(&state.closing);
    Ok((router.with_state(state), closing))
}

/// A bound, not yet serving, HTTP server.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    closing: Arc<tokio::sync::watch::Sender<bool>>,
}

/// How long a shutdown waits for open sockets to send their close frames.
const SOCKET_CLOSE_WAIT: Duration = Duration::from_secs(5);

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
        let (router, closing) = routes(store, packs, config, authenticator).await?;
        Ok(Self { listener, router, closing })
    }

    pub fn local_addr(&self) -> Result<SocketAddr, GatewayError> {
        self.listener.local_addr().map_err(GatewayError::Serve)
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight and closes every open
    /// subscription socket with 1001 (going away).
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), GatewayError> {
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let closing = Arc::clone(&self.closing);
        let signal = async move {
            shutdown.await;
            closing.send_replace(true);
        };
        axum::serve(self.listener, service).with_graceful_shutdown(signal).await.map_err(GatewayError::Serve)?;
        // Upgraded sockets outlive the HTTP connections axum waits for; each drops its receiver once its
        // close frame is sent.
        let deadline = tokio::time::Instant::now() + SOCKET_CLOSE_WAIT;
        while self.closing.receiver_count() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
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

/// The schema as subscription connections run it: through the same [`prepare`] and [`finish`] as
/// [`execute`].
#[derive(Clone)]
struct LimitedSchema {
    schema: KinerjaSchema,
}

impl async_graphql::Executor for LimitedSchema {
    async fn execute(&self, mut request: async_graphql::Request) -> async_graphql::Response {
        match prepare(&self.schema, &mut request) {
            Ok(prepared) => finish(self.schema.execute(request).await, prepared.as_ref()),
            Err(refused) => *refused,
        }
    }

    fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures::stream::BoxStream<'static, async_graphql::Response> {
        use futures::StreamExt as _;
        match prepare(&self.schema, &mut request) {
            Ok(prepared) => Box::pin(
                async_graphql::Executor::execute_stream(&self.schema, request, session_data)
                    .map(move |response| finish(response, prepared.as_ref())),
            ),
            Err(refused) => Box::pin(futures::stream::once(async { *refused })),
        }
    }
}

/// What every request goes through before the schema runs it, over HTTP and WebSocket alike: a
/// persisted query is looked up, the document parsed (or taken from those kept), and the alias and depth
/// limits applied. Gives what completes the response, `None` when the document does not parse (the
/// schema reports that), or the refusal.
fn prepare(
    schema: &KinerjaSchema,
    request: &mut async_graphql::Request,
) -> Result<Option<completion::Completion>, Box<async_graphql::Response>> {
    let config = schema.data::<GatewayConfig>().map_or_else(|| Cow::Owned(GatewayConfig::default()), Cow::Borrowed);
    if let Some(persisted) = schema.data::<persisted::PersistedQueries>() {
        persisted.resolve(request)?;
    }
    let Some(document) = schema.data::<documents::ParsedDocuments>().and_then(|documents| documents.attach(request))
    else {
        return Ok(None);
    };
    if let Some(refused) = alias_refusal(&document, config.max_aliases) {
        return Err(Box::new(refused));
    }
    if let Some(refused) = limits::depth_refusal(&document, config.max_depth) {
        return Err(Box::new(refused));
    }
    Ok(schema.data::<Arc<completion::OutputTypes>>().map(|types| completion::Completion {
        document,
        operation_name: request.operation_name.clone(),
        types: Arc::clone(types),
    }))
}

/// Completes a response as the specification asks and gives each of its errors a code.
fn finish(
    mut response: async_graphql::Response,
    completion: Option<&completion::Completion>,
) -> async_graphql::Response {
    if let Some(completion) = completion {
        completion.apply(&mut response);
    }
    error::code_uncoded(&mut response, completion.is_some());
    response
}

/// Whether every operation of the document is a query, so that nothing it reads changes while it runs.
fn reads_only(document: &async_graphql::parser::types::ExecutableDocument) -> bool {
    document.operations.iter().all(|(_, operation)| operation.node.ty == OperationType::Query)
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
    execute_named(schema, store, actor, request.into()).await.0
}

/// [`execute`], also naming the operation it ran (`query Name`) for the access log and metrics; empty
/// when the request was refused before its document was read.
async fn execute_named(
    schema: &KinerjaSchema,
    store: &Store,
    actor: Option<Actor>,
    mut request: async_graphql::Request,
) -> (async_graphql::Response, String) {
    // Every schema of this crate carries its limits (`schema_builder`); the defaults stand in otherwise.
    let config = schema.data::<GatewayConfig>().map_or_else(|| Cow::Owned(GatewayConfig::default()), Cow::Borrowed);
    let prepared = match prepare(schema, &mut request) {
        Ok(prepared) => prepared,
        Err(refused) => return (*refused, String::new()),
    };
    let operation = prepared.as_ref().map(completion::Completion::operation_label).unwrap_or_default();
    let cached = prepared.as_ref().is_some_and(|prepared| reads_only(&prepared.document));
    let mut request = request.data(loader_over(store, config.batch_delay, cached)).data(store.clone());
    if cached {
        request = request.data(prefetch::CachedReads);
    }
    if let Some(actor) = actor {
        request = request.data(actor);
    }
    (finish(schema.execute(request).await, prepared.as_ref()), operation)
}
