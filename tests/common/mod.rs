//! A kinerja server started for a test, and the GraphQL and WebSocket calls tests make to it.

#![allow(dead_code)] // Each test file uses a different part of these helpers.

use std::process::Stdio;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The token secret test servers are started with.
pub const TEST_SECRET: &str = "kinerja test secret: long enough for HS256 and never used elsewhere";

/// A token for the employee with `nip` acting as `role` (e.g. `employee`, `rater`, `hr-admin`).
pub fn token(nip: &str, role: &str) -> String {
    token_for(nip, role, Duration::from_secs(3600))
}

/// [`token`] valid for `ttl` only.
pub fn token_for(nip: &str, role: &str, ttl: Duration) -> String {
    let config = kinerja_gateway::auth::AuthConfig {
        secret: Some(TEST_SECRET.as_bytes().to_vec()),
        ..kinerja_gateway::auth::AuthConfig::default()
    };
    let nip = kinerja_domain::Nip::parse(nip).expect("a valid NIP");
    kinerja_gateway::auth::issue_token(&config, &nip, role.parse().expect("a role"), ttl).expect("a token")
}

pub struct Server {
    _child: Child,
    /// `host:port` the server bound.
    pub address: String,
    pub client: reqwest::Client,
    /// A token of an HR administrator (the first holder of an hr-admin grant by NIP; the demo grants it
    /// to heads in BKPSDM), who reads the whole agency.
    pub admin: String,
    /// The NIP of that administrator.
    pub admin_nip: String,
    /// The NIP of the first holder of an analyst grant (the demo's: the head of BKPSDM-PKIN-KIN); empty
    /// when nobody holds one.
    pub analyst_nip: String,
    /// The NIP of the first holder of an auditor grant (the demo's: the Inspektur); empty when none.
    pub auditor_nip: String,
    /// Every line the server has logged so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// Where the server keeps its audit checkpoints and their key.
    pub audit_files: tempfile::TempDir,
}

impl Server {
    /// Starts `kinerja serve` on port 0; an empty database gets a demo city of 700 employees.
    pub async fn start(database_url: &str) -> Self {
        Self::start_with(database_url, &[]).await
    }

    /// [`Server::start`] with extra configuration as `KINERJA__…` environment variables.
    pub async fn start_with(database_url: &str, settings: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kinerja"));
        command
            .args(["serve", "--database", database_url, "--listen", "127.0.0.1:0", "--demo-employees", "700"])
            .env("KINERJA__LOG__FILTER", "info")
            .env("KINERJA__AUTH__SECRET", TEST_SECRET)
            // A test sends hundreds of requests a second as one administrator; the per-caller rate limit
            // has its own test (with its own low limit, set through `settings`).
            .env("KINERJA__GRAPHQL__REQUESTS_PER_SECOND", "100000")
            .env("KINERJA__GRAPHQL__REQUEST_BURST", "100000");
        // Each server keeps its audit checkpoints and their key apart from every other test's.
        let audit_files = tempfile::tempdir().expect("a folder for audit checkpoints");
        command
            .env("KINERJA__AUDIT__CHECKPOINT_KEY_FILE", audit_files.path().join("checkpoint.key"))
            .env("KINERJA__AUDIT__CHECKPOINT_FILE", audit_files.path().join("checkpoints.jsonl"));
        for (key, value) in settings {
            command.env(key, value);
        }
        let mut child =
            command.stdout(Stdio::null()).stderr(Stdio::piped()).kill_on_drop(true).spawn().expect("kinerja starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let address = tokio::time::timeout(Duration::from_secs(300), async {
            while let Some(line) = lines.next_line().await.expect("log line") {
                log.lock().unwrap().push(line.clone());
                if let Some(start) = line.find("listening on http://") {
                    let url =
                        line[start + "listening on http://".len()..].split_whitespace().next().unwrap_or_default();
                    return url.trim_end_matches("/graphql").to_owned();
                }
            }
            panic!("the server exited before listening");
        })
        .await
        .expect("the server starts within five minutes");
        // Keep draining the log so that the server never blocks on a full pipe.
        let kept = log.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                kept.lock().unwrap().push(line);
            }
        });
        let [admin_nip, analyst_nip, auditor_nip] = grantees(database_url, ["hr-admin", "analyst", "auditor"]).await;
        assert!(!admin_nip.is_empty(), "nobody holds hr-admin: grant it first with `kinerja role grant`");
        let admin = token(&admin_nip, "hr-admin");
        Self {
            _child: child,
            address,
            client: reqwest::Client::new(),
            admin,
            admin_nip,
            analyst_nip,
            auditor_nip,
            log,
            audit_files,
        }
    }

    /// Asks the server to shut down, as `systemctl stop` would (SIGTERM).
    pub fn terminate(&self) {
        let pid = self._child.id().expect("the server runs");
        let status = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().expect("kill runs");
        assert!(status.success(), "the server could not be signalled");
    }

    /// Opens a `graphql-transport-ws` socket and sends `connection_init` with `token`, without waiting.
    pub async fn open_socket(&self, token: &str) -> Socket {
        self.connect(token).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// A GraphQL request with the bearer `token` when given.
    pub async fn call(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request =
            self.client.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent").json().await.expect("JSON response")
    }

    /// A GraphQL request with a body of the caller's making (extensions, no query).
    pub async fn call_with(&self, token: Option<&str>, body: Value) -> Value {
        let mut request = self.client.post(self.url("/graphql")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent").json().await.expect("JSON response")
    }

    /// [`Server::call`] that must succeed; its `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let response = self.call(token, query, variables).await;
        assert!(response.get("errors").is_none(), "unexpected errors: {response}");
        response["data"].clone()
    }

    /// Posts JSON Lines of activity records to `/ingest/activities` as the administrator.
    pub async fn ingest(&self, lines: String) -> reqwest::Response {
        self.client.post(self.url("/ingest/activities")).bearer_auth(&self.admin).body(lines).send().await.unwrap()
    }

    /// Opens a `graphql-transport-ws` connection with `token` in its `connection_init` and starts one
    /// subscription, waiting for the acknowledgement.
    pub async fn subscribe(&self, token: &str, query: &str) -> Socket {
        let mut socket = self.connect(token).await;
        let ack = next_message(&mut socket).await.expect("an acknowledgement");
        assert_eq!(ack["type"], "connection_ack");
        send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": query } })).await;
        socket
    }

    /// [`Server::subscribe`] without waiting for the acknowledgement, for connections that may be refused.
    pub async fn subscribe_unacknowledged(&self, token: &str, query: &str) -> Socket {
        let mut socket = self.connect(token).await;
        send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": query } })).await;
        socket
    }

    /// A `graphql-transport-ws` connection that has sent its `connection_init` with `token`.
    async fn connect(&self, token: &str) -> Socket {
        let mut request = format!("ws://{}/graphql/ws", self.address).into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("websocket opens");
        send(
            &mut socket,
            json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
        )
        .await;
        socket
    }
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::Text(message.to_string().into())).await.expect("the message is sent");
}

/// The NIP of the first holder of a grant of each of `roles`, empty for a role nobody holds.
async fn grantees<const N: usize>(database_url: &str, roles: [&str; N]) -> [String; N] {
    let store =
        kinerja_store::Store::connect(kinerja_store::StoreOptions::new(database_url)).await.expect("store opens");
    let grants = store.role_grants(None).await.expect("grants");
    store.close().await.expect("store closes");
    roles.map(|role| {
        let role: kinerja_domain::Role = role.parse().expect("a role");
        grants.iter().find(|grant| grant.role == role).map(|grant| grant.nip.to_string()).unwrap_or_default()
    })
}

/// The `extensions.code` of the first error.
/// The first quarter of `year` without a realisation among the `recorded` periods, and its first day: the
/// quarter the demo leaves open (it records the quarters that have ended), which has begun. Activities
/// dated in its first minutes have all happened.
#[allow(dead_code, reason = "not every test binary that shares this module reads an open quarter")]
pub fn open_quarter(year: i64, recorded: &[&str]) -> (i64, String) {
    let quarter = (1..=4).find(|q| !recorded.contains(&format!("{year}-Q{q}").as_str())).expect("an open quarter");
    (quarter, format!("{year}-{:02}-01", quarter * 3 - 2))
}

pub fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"].as_str().unwrap_or_default()
}

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text message within five seconds.
pub async fn next_message(socket: &mut Socket) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => return serde_json::from_str(&text).ok(),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

/// Runs `trigger` until the subscriber receives a `next` message (a subscription starts asynchronously),
/// at most four times; the message's data.
pub async fn receive_after<F, Fut>(socket: &mut Socket, mut trigger: F) -> Value
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = ()>,
{
    tokio::time::sleep(Duration::from_millis(300)).await;
    for attempt in 0..4 {
        trigger(attempt).await;
        if let Some(message) = next_message(socket).await {
            assert_eq!(message["type"], "next", "{message}");
            return message["payload"]["data"].clone();
        }
    }
    panic!("no event reached the subscriber");
}
