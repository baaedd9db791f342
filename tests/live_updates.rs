//! Live updates over `graphql-transport-ws`: a subscriber sees feedback and realisations as they happen,
//! within one server on SQLite and across two servers sharing one PostgreSQL database.

use std::process::Stdio;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

struct Server {
    _child: Child,
    address: String,
}

async fn start(database_url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(["serve", "--database", database_url, "--listen", "127.0.0.1:0", "--demo-employees", "700"])
        .env("KINERJA__LOG__FILTER", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("kinerja starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let address = tokio::time::timeout(Duration::from_secs(300), async {
        while let Some(line) = lines.next_line().await.expect("log line") {
            if let Some(start) = line.find("listening on http://") {
                let url = line[start + "listening on http://".len()..].split_whitespace().next().unwrap_or_default();
                return url.trim_end_matches("/graphql").to_owned();
            }
        }
        panic!("the server exited before listening");
    })
    .await
    .expect("the server starts");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Server { _child: child, address }
}

async fn graphql(server: &Server, actor: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("http://{}/graphql", server.address))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(nip) = actor {
        request = request.header("X-Kinerja-Actor", nip);
    }
    let response: Value = request.send().await.unwrap().json().await.unwrap();
    assert!(response.get("errors").is_none(), "{response}");
    response["data"].clone()
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a `graphql-transport-ws` connection and starts one subscription.
async fn subscribe(server: &Server, query: &str) -> Socket {
    let mut request = format!("ws://{}/graphql/ws", server.address).into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("websocket opens");
    socket.send(Message::Text(json!({ "type": "connection_init", "payload": {} }).to_string().into())).await.unwrap();
    let ack = next_message(&mut socket).await.expect("an acknowledgement");
    assert_eq!(ack["type"], "connection_ack");
    socket
        .send(Message::Text(
            json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }).to_string().into(),
        ))
        .await
        .unwrap();
    socket
}

async fn next_message(socket: &mut Socket) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => return serde_json::from_str(&text).ok(),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

/// Runs `trigger` until the subscriber receives a `next` message (a subscription starts asynchronously).
async fn receive_after<F, Fut>(socket: &mut Socket, mut trigger: F) -> Value
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

const STAFF: &str =
    r#"{ unit(code: "DLH-KBR-ADU") { members(first: 2) { edges { node { nip plans { id rater { nip } } } } } } }"#;

async fn check(writer: &Server, reader: &Server) {
    let data = graphql(writer, None, STAFF, json!({})).await;
    let member = &data["unit"]["members"]["edges"][1]["node"];
    let nip = member["nip"].as_str().unwrap().to_owned();
    let plan = member["plans"][0]["id"].as_str().unwrap().to_owned();
    let rater = member["plans"][0]["rater"]["nip"].as_str().unwrap().to_owned();

    let mut feedback = subscribe(
        reader,
        &format!(r#"subscription {{ feedbackReceived(nip: "{nip}") {{ kind text author {{ nip }} }} }}"#),
    )
    .await;
    const GIVE: &str = r#"mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { text } } }"#;
    let received = receive_after(&mut feedback, |attempt| {
        let (plan, rater) = (plan.clone(), rater.clone());
        async move {
            graphql(writer, Some(&rater), GIVE, json!({ "input": { "subjectId": plan, "kind": "PRAISE", "text": format!("Tanggap cepat ({attempt})") } })).await;
        }
    })
    .await;
    assert_eq!(received["feedbackReceived"]["kind"], "PRAISE");
    assert_eq!(received["feedbackReceived"]["author"]["nip"], rater);

    let mut realisations =
        subscribe(reader, r#"subscription { realisationRecorded(unitCode: "DLH") { value source } }"#).await;
    let year = graphql(writer, None, &format!(r#"{{ employee(nip: "{nip}") {{ plans {{ year }} }} }}"#), json!({}))
        .await["employee"]["plans"][0]["year"]
        .as_i64()
        .unwrap();
    let received = receive_after(&mut realisations, |attempt| {
        let nip = nip.clone();
        async move {
            let line = json!({ "kind": "street_sweep", "external_id": format!("SWEEP-{attempt}"), "nip": nip, "occurred_at": format!("{year}-11-02T06:00:00Z"), "attributes": { "km": 3 } });
            let response = reqwest::Client::new()
                .post(format!("http://{}/ingest/activities", writer.address))
                .body(line.to_string())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
        }
    });
    // The future above runs only when awaited: map the sweeps to an indicator first, so that each batch
    // derives a realisation.
    let indicator = graphql(
        writer,
        None,
        &format!(r#"{{ employee(nip: "{nip}") {{ plans {{ workResults {{ indicators {{ id }} }} }} }} }}"#),
        json!({}),
    )
    .await["employee"]["plans"][0]["workResults"][0]["indicators"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    graphql(writer, Some(&nip), r#"mutation($input: SetActivityMappingInput!) { setActivityMapping(input: $input) { mapping { method } } }"#, json!({ "input": { "indicatorId": indicator, "activityKind": "street_sweep", "method": "SUM", "field": "km" } })).await;
    let received = received.await;
    assert_eq!(received["realisationRecorded"]["source"], "activity:street_sweep");
}

#[tokio::test]
async fn subscribers_see_changes_within_one_server_and_across_servers() {
    let sqlite = TestDatabase::sqlite();
    let server = start(&sqlite.url).await;
    check(&server, &server).await;
    drop(server);

    match TestDatabase::postgres("subscribers_see_changes_within_one_server_and_across_servers").await.unwrap() {
        Some(database) => {
            let writer = start(&database.url).await;
            // The second process shares the database the first one loaded.
            let reader = start(&database.url).await;
            check(&writer, &reader).await;
            drop((writer, reader));
            database.dispose().await.unwrap();
        }
        None => eprintln!("skipped: KINERJA_TEST_DATABASE_URL unset (the two-server case needs PostgreSQL)"),
    }
}
