//! W8: opens many `graphql-transport-ws` subscriptions on one server, triggers one event with a
//! GraphQL mutation, and reports how many subscribers received it, how long the fan-out took and how
//! much resident memory the server gained per connection. Prints one JSON object.

use std::time::{Duration, Instant};

use clap::Parser;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(Parser)]
#[command(about = "Fan one event out to many live subscribers and measure it")]
struct Arguments {
    /// The server's subscription endpoint, e.g. ws://127.0.0.1:8080/graphql/ws.
    #[arg(long)]
    url: String,
    /// Bearer token every subscriber sends in its connection_init.
    #[arg(long)]
    token: String,
    /// The subscription document each subscriber starts.
    #[arg(long)]
    subscription: String,
    /// Number of subscribers, one connection each.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Connections opened at the same time.
    #[arg(long, default_value_t = 200)]
    parallel: usize,
    /// The GraphQL HTTP endpoint the trigger is posted to.
    #[arg(long)]
    trigger_url: String,
    /// Bearer token of the trigger.
    #[arg(long)]
    trigger_token: String,
    /// The mutation that causes the event.
    #[arg(long)]
    trigger: String,
    /// Its variables, as JSON.
    #[arg(long, default_value = "{}")]
    trigger_variables: String,
    /// The server's process id, to read its resident memory before and after connecting.
    #[arg(long)]
    server_pid: u32,
    /// Seconds to wait after the last subscribe for the server to start every subscription.
    #[arg(long, default_value_t = 3)]
    settle_seconds: u64,
    /// Seconds to wait for the event to arrive everywhere.
    #[arg(long, default_value_t = 60)]
    timeout_seconds: u64,
}

/// What happened to one subscriber once the trigger was sent.
enum Outcome {
    Received(Instant),
    Failed(String),
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let arguments = Arguments::parse();
    let resident_before = resident_kib(arguments.server_pid)?;

    let started = Instant::now();
    let (outcomes, mut receipts) = mpsc::unbounded_channel();
    let opened: Vec<Result<Socket, String>> = futures::stream::iter(0..arguments.count)
        .map(|_| subscribe(&arguments.url, &arguments.token, &arguments.subscription))
        .buffer_unordered(arguments.parallel)
        .collect()
        .await;
    let connect_seconds = started.elapsed().as_secs_f64();
    let mut subscribed = 0usize;
    let mut refused = Vec::new();
    for socket in opened {
        match socket {
            Ok(socket) => {
                subscribed += 1;
                tokio::spawn(wait_for_event(socket, outcomes.clone()));
            }
            Err(reason) => refused.push(reason),
        }
    }
    drop(outcomes);
    tokio::time::sleep(Duration::from_secs(arguments.settle_seconds)).await;
    let resident_after = resident_kib(arguments.server_pid)?;

    let triggered = Instant::now();
    trigger(&arguments).await?;
    let deadline = tokio::time::sleep(Duration::from_secs(arguments.timeout_seconds));
    tokio::pin!(deadline);
    let mut delays = Vec::with_capacity(subscribed);
    let mut failures = Vec::new();
    while delays.len() + failures.len() < subscribed {
        tokio::select! {
            outcome = receipts.recv() => match outcome {
                Some(Outcome::Received(at)) => delays.push(at.duration_since(triggered)),
                Some(Outcome::Failed(reason)) => failures.push(reason),
                None => break,
            },
            () = &mut deadline => break,
        }
    }
    delays.sort();
    let millis = |d: Option<&Duration>| d.map(|d| d.as_secs_f64() * 1000.0);
    let per_connection =
        if subscribed == 0 { 0 } else { resident_after.saturating_sub(resident_before) * 1024 / subscribed as u64 };
    refused.truncate(3);
    failures.truncate(3);
    println!(
        "{}",
        json!({
            "subscribers": arguments.count,
            "subscribed": subscribed,
            "received": delays.len(),
            "connect_seconds": connect_seconds,
            "fan_out_ms": millis(delays.last()),
            "p50_ms": millis(delays.get(delays.len() / 2)),
            "server_resident_before_kib": resident_before,
            "server_resident_after_kib": resident_after,
            "resident_bytes_per_connection": per_connection,
            "refused": refused,
            "failures": failures,
        })
    );
    Ok(())
}

/// One connection: `connection_init` with the token, its acknowledgement, then the subscription.
async fn subscribe(url: &str, token: &str, document: &str) -> Result<Socket, String> {
    let mut request = url.into_client_request().map_err(|e| format!("{url}: {e}"))?;
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().expect("a header value"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.map_err(|e| format!("connect: {e}"))?;
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    send(&mut socket, init).await?;
    match tokio::time::timeout(Duration::from_secs(60), next_json(&mut socket)).await {
        Ok(Some(message)) if message["type"] == "connection_ack" => {}
        Ok(other) => return Err(format!("no acknowledgement: {other:?}")),
        Err(_) => return Err("no acknowledgement within 60 s".to_owned()),
    }
    send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": { "query": document } })).await?;
    Ok(socket)
}

async fn send(socket: &mut Socket, message: Value) -> Result<(), String> {
    socket.send(Message::Text(message.to_string().into())).await.map_err(|e| format!("send: {e}"))
}

/// The next text message as JSON; `None` when the connection closes.
async fn next_json(socket: &mut Socket) -> Option<Value> {
    while let Some(message) = socket.next().await {
        match message {
            Ok(Message::Text(text)) => return serde_json::from_str(&text).ok(),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
    None
}

async fn wait_for_event(mut socket: Socket, outcomes: mpsc::UnboundedSender<Outcome>) {
    let outcome = match next_json(&mut socket).await {
        Some(message) if message["type"] == "next" && message["payload"].get("errors").is_none() => {
            Outcome::Received(Instant::now())
        }
        Some(message) => Outcome::Failed(message.to_string()),
        None => Outcome::Failed("connection closed".to_owned()),
    };
    let _ = outcomes.send(outcome);
    // Stay connected until the run ends, so that memory and fan-out are measured with every connection open.
    let _ = next_json(&mut socket).await;
}

async fn trigger(arguments: &Arguments) -> Result<(), String> {
    let variables: Value =
        serde_json::from_str(&arguments.trigger_variables).map_err(|e| format!("trigger variables: {e}"))?;
    let response: Value = reqwest::Client::new()
        .post(&arguments.trigger_url)
        .bearer_auth(&arguments.trigger_token)
        .json(&json!({ "query": arguments.trigger, "variables": variables }))
        .send()
        .await
        .map_err(|e| format!("trigger: {e}"))?
        .json()
        .await
        .map_err(|e| format!("trigger response: {e}"))?;
    match response.get("errors") {
        Some(errors) => Err(format!("the trigger failed: {errors}")),
        None => Ok(()),
    }
}

/// Resident memory of a process in KiB, from /proc.
fn resident_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| format!("process {pid}: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("process {pid} reports no VmRSS"))
}
