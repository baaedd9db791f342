//! kinerja driven by GraphQL clients that no one here wrote: graphql-js (`getIntrospectionQuery`,
//! `buildClientSchema`, `printSchema` against the checked-in SDL), the `graphql-ws` client, and the
//! embedded GraphiQL in headless Chromium. The clients come from npm (`tests/js`, installed with
//! `npm ci --prefix tests/js`) and Chromium from Debian's `chromium`; `.ci/run` installs both. A run
//! without them says loudly that it skipped, unless `KINERJA_REQUIRE_CLIENT_TOOLS` is set (as in CI),
//! which turns the skip into a failure.

mod common;

use std::path::{Path, PathBuf};

use common::{Server, token};
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

fn chromium() -> PathBuf {
    std::env::var_os("KINERJA_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Why the clients cannot run here, if they cannot.
fn missing_tools() -> Option<String> {
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|output| output.status.success()) {
        return Some("node is not on PATH".to_owned());
    }
    for package in ["graphql", "graphql-ws", "ws", "playwright-core"] {
        if !scripts().join("node_modules").join(package).exists() {
            return Some(format!("the npm package {package} is missing; run `npm ci --prefix tests/js`"));
        }
    }
    if !chromium().exists() {
        return Some(format!(
            "no Chromium at {} (Debian's package chromium, or KINERJA_CHROMIUM)",
            chromium().display()
        ));
    }
    None
}

/// Runs `tests/js/<script>` with its configuration; the JSON it prints last.
async fn node(script: &str, config: Value) -> Value {
    let output = tokio::process::Command::new("node")
        .arg(scripts().join(script))
        .arg(config.to_string())
        .current_dir(scripts())
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{script} failed:\n{stderr}\n{stdout}");
    let last = stdout.lines().last().unwrap_or_else(|| panic!("{script} printed nothing; stderr:\n{stderr}"));
    serde_json::from_str(last).unwrap_or_else(|_| panic!("{script} printed no JSON: {last}"))
}

/// An employee of DLH with a plan and a rater: the subscriber, and the rater's feedback that triggers it.
async fn feedback_case(server: &Server) -> (String, Value) {
    const MEMBERS: &str = r#"{ unit(code: "DLH") { members(first: 50, includeDescendants: true) {
        edges { node { nip plans { id rater { nip } } } } } } }"#;
    let data = server.ok(Some(&server.admin), MEMBERS, json!({})).await;
    let member = data["unit"]["members"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"])
        .find(|node| node["plans"][0]["rater"]["nip"].is_string())
        .expect("a member with a rated plan")
        .clone();
    let nip = member["nip"].as_str().unwrap().to_owned();
    let trigger = json!({
        "token": token(member["plans"][0]["rater"]["nip"].as_str().unwrap(), "rater"),
        "query": "mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { text } } }",
        "variables": { "input": { "subjectId": member["plans"][0]["id"], "kind": "PRAISE", "text": "Kerja bagus ({attempt})" } },
    });
    (nip, trigger)
}

async fn clients_work_against(server: &Server) {
    let graphql = server.url("/graphql");
    let sdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/gateway/schema.graphql");
    let schema = node("schema.mjs", json!({ "url": graphql, "sdl": sdl })).await;
    assert!(schema["types"].as_u64().unwrap() > 100, "{schema}");
    assert_eq!(schema["specifiedBy"], json!(["Date", "DateTime"]));

    let (nip, trigger) = feedback_case(server).await;
    let subscription = format!(r#"subscription {{ feedbackReceived(nip: "{nip}") {{ kind text }} }}"#);
    let subscriber = token(&nip, "employee");
    let received = node(
        "subscribe.mjs",
        json!({
            "http": graphql,
            "ws": format!("ws://{}/graphql/ws", server.address),
            "token": subscriber,
            "subscription": subscription,
            "trigger": trigger,
        }),
    )
    .await;
    assert_eq!(received["event"]["data"]["feedbackReceived"]["kind"], "PRAISE", "{received}");
    eprintln!(
        "graphql-ws client: the event came {:.1} ms after the mutation's answer (or before it)",
        received["latencyMs"].as_f64().unwrap()
    );

    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graphiql.png");
    let page = node(
        "graphiql.mjs",
        json!({
            "base": server.url(""),
            "chromium": chromium(),
            "screenshot": screenshot,
            "token": subscriber,
            "subscription": subscription,
            "trigger": trigger,
        }),
    )
    .await;
    let docs = page["docs"].as_str().unwrap();
    assert!(docs.contains("query: QueryRoot") && docs.contains("subscription: SubscriptionRoot"), "{docs}");
    assert_eq!(page["query"]["data"]["viewer"]["role"], "EMPLOYEE", "{page}");
    assert_eq!(page["event"]["data"]["feedbackReceived"]["kind"], "PRAISE", "{page}");
    assert_eq!(page["elsewhere"], json!([]), "GraphiQL loads nothing from outside the server");
    eprintln!("GraphiQL screenshot: {}", screenshot.display());
}

#[tokio::test]
async fn graphql_js_graphql_ws_and_graphiql_work_on_every_database() {
    if let Some(missing) = missing_tools() {
        assert!(
            std::env::var_os("KINERJA_REQUIRE_CLIENT_TOOLS").is_none(),
            "KINERJA_REQUIRE_CLIENT_TOOLS is set but {missing}"
        );
        eprintln!("SKIPPED: the ecosystem client tests did not run: {missing}");
        return;
    }
    for database in TestDatabase::all("ecosystem_clients").await.unwrap() {
        eprintln!("ecosystem clients on {}", database.backend);
        let server = Server::start(&database.url).await;
        clients_work_against(&server).await;
    }
}
