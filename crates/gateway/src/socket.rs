//! Subscriptions over WebSocket: `graphql-transport-ws` (and the older `graphql-ws`), with the caller's
//! token in the `connection_init` payload. kinerja runs the socket's loop itself, over async-graphql's
//! protocol state machine, so that a refused token closes with the protocol's own codes (4401, 4403)
//! and a server that shuts down closes every socket with 1001 instead of dropping it.

use std::str::FromStr as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU16, Ordering};

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse as _;
use futures::{SinkExt as _, StreamExt as _};

use crate::{AppState, LimitedSchema, bearer_token, loader_over};

/// Read buffer of a subscription connection; a longer message is read in several pieces.
const WEBSOCKET_BUFFER_BYTES: usize = 4096;

/// The bearer token of a `connection_init` payload: `{"Authorization": "Bearer …"}` (any case),
/// `{"token": "…"}`, or Apollo's `{"headers": {"Authorization": "Bearer …"}}`.
fn payload_token(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    object.iter().find_map(|(key, value)| match (key.to_ascii_lowercase().as_str(), value) {
        ("authorization", serde_json::Value::String(text)) => bearer_token(text).map(str::to_owned),
        ("token", serde_json::Value::String(text)) => Some(text.clone()),
        ("headers", headers @ serde_json::Value::Object(_)) => payload_token(headers),
        _ => None,
    })
}

/// The first subprotocol the client offers that kinerja speaks.
fn protocol(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    let offered = headers.get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)?.to_str().ok()?;
    offered.split(',').find_map(|name| WebSocketProtocols::from_str(name.trim()).ok())
}

/// The close code of `graphql-transport-ws` for a refused `connection_init`.
fn close_code(status: StatusCode) -> u16 {
    match status {
        StatusCode::UNAUTHORIZED => 4401,
        StatusCode::FORBIDDEN => 4403,
        StatusCode::TOO_MANY_REQUESTS => 4429,
        _ => 4400,
    }
}

/// `GET /graphql/ws`. Each connection gets its caller's scoped store and its own DataLoader.
pub(crate) async fn graphql_ws(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    let Some(protocol) = protocol(&headers) else {
        let message = "offer the subprotocol graphql-transport-ws (or graphql-ws) in Sec-WebSocket-Protocol";
        return (StatusCode::BAD_REQUEST, message).into_response();
    };
    // Subscribers send a few small messages and receive events now and then: small buffers (instead of
    // 128 KiB each way) keep an idle connection to a few kilobytes.
    upgrade
        .read_buffer_size(WEBSOCKET_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_message_size(state.config.max_body_bytes)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(socket, state, protocol))
        .into_response()
}

/// Who a connection acts for, once its `connection_init` is accepted.
#[derive(Default)]
struct Session {
    nip: std::sync::OnceLock<String>,
    /// Unix time after which the token is refused (0 before `connection_init`).
    valid_until: AtomicI64,
}

/// The id of an operation a client starts (`subscribe`, or `start` in the older protocol), which counts
/// against the caller's rate limit like a request.
fn started_operation(data: &[u8]) -> Option<String> {
    let message: serde_json::Value = serde_json::from_slice(data).ok()?;
    matches!(message["type"].as_str(), Some("subscribe" | "start"))
        .then(|| message["id"].as_str().map(str::to_owned))?
}

/// The protocol's error message for an operation refused before it ran.
fn operation_error(protocol: WebSocketProtocols, id: &str, error: &async_graphql::ServerError) -> String {
    let payload = match protocol {
        WebSocketProtocols::GraphQLWS => serde_json::json!([error]),
        WebSocketProtocols::SubscriptionsTransportWS => serde_json::json!(error),
    };
    serde_json::json!({ "id": id, "type": "error", "payload": payload }).to_string()
}

/// Waits until the session's token expires; forever before `connection_init`.
async fn token_expiry(session: &Session) {
    let valid_until = session.valid_until.load(Ordering::Relaxed);
    if valid_until == 0 {
        return std::future::pending().await;
    }
    let left = valid_until.saturating_sub(crate::callers::unix_now()).saturating_add(1);
    tokio::time::sleep(std::time::Duration::from_secs(u64::try_from(left).unwrap_or(0))).await;
}

async fn serve(socket: WebSocket, state: AppState, protocol: WebSocketProtocols) {
    let _open = state.metrics.socket_opened();
    let mut closing = state.closing.subscribe();
    let refused_with = Arc::new(AtomicU16::new(0));
    let session = Arc::new(Session::default());
    let (refusals, mut refused_operations) = tokio::sync::mpsc::unbounded_channel::<String>();
    let (mut sink, incoming) = socket.split();
    let rate_limit = Arc::clone(&state.rate_limit);
    let limited = state.rate_limited().error;
    let counted = Arc::clone(&session);
    let incoming = incoming.take_while(|message| std::future::ready(message.is_ok())).filter_map(move |message| {
        let data = match message {
            Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
            _ => None,
        };
        // An operation over the socket costs what a request costs: over the caller's rate, it is refused
        // with the request's error and never reaches the executor.
        let refused = data
            .as_ref()
            .zip(counted.nip.get())
            .and_then(|(data, nip)| started_operation(data).filter(|_| !rate_limit.admit(nip)));
        std::future::ready(match refused {
            Some(id) => {
                let _ = refusals.send(operation_error(protocol, &id, &limited));
                None
            }
            None => data,
        })
    });
    let executor = LimitedSchema { schema: state.schema.clone() };
    let refusal = Arc::clone(&refused_with);
    let initialised = Arc::clone(&session);
    let outgoing = async_graphql::http::WebSocket::new(executor, incoming, protocol).on_connection_init(
        move |payload| async move {
            let token = payload_token(&payload);
            let caller = state.caller(token.as_deref()).await.map_err(|refused| {
                refusal.store(close_code(refused.status), Ordering::Relaxed);
                async_graphql::Error::new(refused.error.message)
            })?;
            let _ = initialised.nip.set(caller.actor.nip.to_string());
            initialised.valid_until.store(caller.valid_until, Ordering::Relaxed);
            let mut data = async_graphql::Data::default();
            // A connection lives long and its events change what it reads: no cache.
            data.insert(loader_over(&caller.store, state.config.batch_delay, false));
            data.insert(caller.store);
            data.insert(caller.actor);
            Ok(data)
        },
    );
    futures::pin_mut!(outgoing);
    let shutting_down = async move {
        // A server without a shutdown signal never closes its sockets itself.
        if closing.wait_for(|closing| *closing).await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    futures::pin_mut!(shutting_down);
    loop {
        let message = tokio::select! {
            message = outgoing.next() => message,
            Some(refused) = refused_operations.recv() => Some(WsMessage::Text(refused)),
            // The session ends with its token, as a request with that token would be refused.
            () = token_expiry(&session) => Some(WsMessage::Close(4401, "the token has expired".to_owned())),
            () = &mut shutting_down => Some(WsMessage::Close(1001, "the server is shutting down".to_owned())),
        };
        let frame = match message {
            Some(WsMessage::Text(text)) => Message::Text(text.into()),
            Some(WsMessage::Close(code, reason)) => {
                // async-graphql closes a refused connection_init with 1002; the protocol asks for 4401/4403.
                let code = match refused_with.load(Ordering::Relaxed) {
                    0 => code,
                    refused => refused,
                };
                let _ = sink.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
                break;
            }
            None => break,
        };
        if sink.send(frame).await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_in_every_payload_shape_clients_send() {
        let shapes = [
            serde_json::json!({ "Authorization": "Bearer abc" }),
            serde_json::json!({ "authorization": "Bearer abc" }),
            serde_json::json!({ "token": "abc" }),
            serde_json::json!({ "headers": { "Authorization": "Bearer abc" } }),
        ];
        for payload in shapes {
            assert_eq!(payload_token(&payload).as_deref(), Some("abc"), "{payload}");
        }
        assert_eq!(payload_token(&serde_json::json!({ "Authorization": "abc" })), None);
    }
}
