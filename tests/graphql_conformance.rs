//! The GraphQL endpoint as the specification and the ecosystem's tools expect it: null propagation and
//! key order, a code on every error, introspection at the default limits without a token, CORS,
//! compression, automatic persisted queries, `viewer`, the access log and `/metrics`, and subscription
//! sockets that close with the protocol's codes — on SQLite and PostgreSQL.

mod common;

use std::io::Read as _;

use common::{Server, code, next_message, token};
use futures::StreamExt as _;
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio_tungstenite::tungstenite::Message;

/// The raw text of a response, to check the order of its keys (serde_json's map sorts them).
async fn raw(server: &Server, token: Option<&str>, body: Value) -> (reqwest::StatusCode, String) {
    let mut request = server.client.post(server.url("/graphql")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

fn positions(text: &str, keys: &[&str]) -> Vec<usize> {
    keys.iter().map(|key| text.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} in {text}"))).collect()
}

async fn null_propagation_and_key_order(server: &Server) {
    // A failed nullable field is null beside its siblings, with its path and location.
    let response = server
        .call(Some(&server.admin), r#"{ a: employee(nip: "123") { name } b: unit(code: "NOPE") { name } }"#, json!({}))
        .await;
    assert_eq!(response["data"], json!({ "a": null, "b": null }), "{response}");
    assert_eq!(response["errors"][0]["path"], json!(["a"]));
    assert_eq!(response["errors"][0]["locations"][0]["line"], 1);
    assert_eq!(code(&response), "BAD_USER_INPUT");

    // A failed non-null field nulls its nearest nullable parent.
    let response = server
        .call(
            Some(&server.admin),
            r#"{ unit(code: "DLH") { name indicatorAchievements(period: "2026-Q1", first: 5000) { totalCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(response["data"], json!({ "unit": null }), "{response}");
    assert_eq!(response["errors"][0]["path"], json!(["unit", "indicatorAchievements"]));

    // Keys come in selection order, every time, through fragments too.
    const ORDERED: &str = r#"query Ordered { z: rulePacks { version id } a: unit(code: "DLH") { ...Names } m: viewer { masked role } }
        fragment Names on Unit { name code kind }"#;
    for _ in 0..8 {
        let (status, text) = raw(server, Some(&server.admin), json!({ "query": ORDERED })).await;
        assert_eq!(status, 200);
        let top = positions(&text, &["z", "a", "m"]);
        assert!(top.windows(2).all(|pair| pair[0] < pair[1]), "root keys out of order: {text}");
        let unit = positions(&text, &["name", "code", "kind"]);
        assert!(unit.windows(2).all(|pair| pair[0] < pair[1]), "unit keys out of order: {text}");
        let viewer = positions(&text, &["masked", "role"]);
        assert!(viewer[0] < viewer[1], "viewer keys out of order: {text}");
    }
}

async fn every_error_has_a_code(server: &Server) {
    let cases = [
        ("{ unit(code: ", "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
        ("query($n: Int!) { rulePacks { id } }", "GRAPHQL_VALIDATION_FAILED"),
        (
            "{ unit(code: \"DLH\") { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } } }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ];
    for (query, expected) in cases {
        let response = server.call(Some(&server.admin), query, json!({})).await;
        assert_eq!(code(&response), expected, "{query}: {response}");
    }
    // A variable of the wrong shape (a decimal comma) is refused with a code, naming the type it fails.
    let response = server
        .call(
            Some(&server.admin),
            "mutation($input: RecordRealisationInput!) { recordRealisation(input: $input) { realisation { value } } }",
            json!({ "input": { "indicatorId": "x", "period": "2026-Q1", "value": "1,5" } }),
        )
        .await;
    assert_eq!(code(&response), "BAD_USER_INPUT", "{response}");
    assert!(response["errors"][0]["message"].as_str().unwrap().contains("Decimal"), "{response}");
}

async fn introspection_without_a_token(server: &Server) {
    // The depth of graphql-js's standard introspection query (15 levels) does not count.
    let deep = "{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name ofType { name ofType { name ofType { name ofType { name ofType { name } } } } } } } } } } } } }";
    let response = server.call(None, deep, json!({})).await;
    assert!(response.get("errors").is_none(), "{response}");
    assert!(response["data"]["__schema"]["types"].as_array().unwrap().len() > 100);
    let date = server.call(None, r#"{ __type(name: "Date") { specifiedByURL } }"#, json!({})).await;
    assert!(date["data"]["__type"]["specifiedByURL"].as_str().unwrap().starts_with("https://"), "{date}");

    // Anything beyond the schema still needs a token.
    let mixed = server.call(None, "{ __typename viewer { role } }", json!({})).await;
    assert_eq!(code(&mixed), "UNAUTHENTICATED", "{mixed}");
}

async fn persisted_queries(server: &Server) {
    let query = "query Persisted { rulePacks { id } }";
    let hash = format!("{:x}", Sha256::digest(query.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });

    let miss = server.call_with(Some(&server.admin), json!({ "extensions": extensions })).await;
    assert_eq!(code(&miss), "PERSISTED_QUERY_NOT_FOUND", "{miss}");
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");

    let registered = server.call_with(Some(&server.admin), json!({ "query": query, "extensions": extensions })).await;
    assert!(registered["data"]["rulePacks"].is_array(), "{registered}");
    let hit = server.call_with(Some(&server.admin), json!({ "extensions": extensions })).await;
    assert_eq!(hit["data"], registered["data"]);

    let wrong = json!({ "persistedQuery": { "version": 1, "sha256Hash": "00".repeat(32) } });
    let refused = server.call_with(Some(&server.admin), json!({ "query": query, "extensions": wrong })).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
}

async fn the_viewer(server: &Server) {
    const MEMBERS: &str = r#"{ unit(code: "DLH") { members(first: 100, includeDescendants: true) { edges { node { nip position { kind } } } } } }"#;
    let members = server.ok(Some(&server.admin), MEMBERS, json!({})).await;
    let edges = members["unit"]["members"]["edges"].as_array().unwrap().clone();
    let nip_of = |kind: &str| {
        let edge = edges.iter().find(|edge| edge["node"]["position"]["kind"] == kind).expect("a member of that kind");
        edge["node"]["nip"].as_str().unwrap().to_owned()
    };
    const VIEWER: &str = "{ viewer { role capabilities masked reach { kind unit { code } } employee { nip } } }";
    // The head of the dinas itself holds its one JPT Pratama position.
    let head = nip_of("JPT_PRATAMA");
    let viewer = server.ok(Some(&token(&head, "unit-head")), VIEWER, json!({})).await["viewer"].clone();
    assert_eq!(viewer["role"], "UNIT_HEAD");
    assert_eq!(viewer["reach"]["kind"], "SUBTREE");
    assert_eq!(viewer["reach"]["unit"]["code"], "DLH");
    assert_eq!(viewer["employee"]["nip"], head.as_str());
    assert!(viewer["capabilities"].as_array().unwrap().contains(&json!("FINALISE_UNIT")), "{viewer}");

    let staff = nip_of("PELAKSANA");
    let viewer = server.ok(Some(&token(&staff, "employee")), VIEWER, json!({})).await["viewer"].clone();
    assert_eq!(viewer["reach"], json!({ "kind": "OWN", "unit": null }));
    assert_eq!(viewer["capabilities"], json!(["EDIT_PLANS"]));
    let analyst = server.ok(Some(&token(&server.analyst_nip, "analyst")), VIEWER, json!({})).await["viewer"].clone();
    assert_eq!(analyst["masked"], true);
    assert_eq!(analyst["capabilities"], json!([]));
}

async fn compression(server: &Server) {
    const PAGE: &str = r#"{ unit(code: "DLH") { members(first: 200, includeDescendants: true) { edges { node { nip name position { title } } } } } }"#;
    let body = json!({ "query": PAGE });
    let plain = server.client.post(server.url("/graphql")).bearer_auth(&server.admin).json(&body).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    for (encoding, magic) in [("gzip", &[0x1f_u8, 0x8b][..]), ("br", &[][..])] {
        let response = server
            .client
            .post(server.url("/graphql"))
            .bearer_auth(&server.admin)
            .header("accept-encoding", encoding)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
        let compressed = response.bytes().await.unwrap();
        assert!(compressed.starts_with(magic));
        assert!(compressed.len() * 3 < plain.len(), "{encoding}: {} of {} bytes", compressed.len(), plain.len());
        if encoding == "gzip" {
            let mut text = String::new();
            flate2::read::GzDecoder::new(&compressed[..]).read_to_string(&mut text).expect("a gzip body");
            assert_eq!(text.as_bytes(), &plain[..], "the gzip body is the plain body");
        }
    }
}

async fn cors(server: &Server) {
    let preflight = |origin: &'static str| {
        server
            .client
            .request(reqwest::Method::OPTIONS, server.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .send()
    };
    let allowed = preflight("http://localhost:3000").await.unwrap();
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(allowed.headers()["access-control-allow-origin"], "http://localhost:3000");
    let methods = allowed.headers()["access-control-allow-methods"].to_str().unwrap().to_owned();
    assert!(methods.contains("POST"), "{methods}");
    let headers = allowed.headers()["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    assert!(headers.contains("authorization"), "{headers}");

    let other = preflight("https://elsewhere.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none(), "an unlisted origin is not allowed");

    let answer = server
        .client
        .post(server.url("/graphql"))
        .header("origin", "http://localhost:3000")
        .bearer_auth(&server.admin)
        .json(&json!({ "query": "{ rulePacks { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["access-control-allow-origin"], "http://localhost:3000");
}

async fn access_log_and_metrics(server: &Server) {
    server.call(Some(&server.admin), "query Dashboard { rulePacks { id } }", json!({})).await;
    server.call(Some(&server.admin), "{ unit(code: ", json!({})).await;
    server.call(None, "{ viewer { role } }", json!({})).await;

    let metrics = server.client.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for expected in [
        r#"kinerja_http_requests_total{operation="query Dashboard",status="200"}"#,
        r#"kinerja_graphql_errors_total{code="GRAPHQL_PARSE_FAILED"}"#,
        r#"kinerja_http_request_duration_seconds_count{operation="query Dashboard"}"#,
        r#"kinerja_database_connections{state="open"}"#,
        "kinerja_subscription_sockets",
    ] {
        assert!(metrics.contains(expected), "{expected} in\n{metrics}");
    }

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log.lock().unwrap().clone();
    let access: Vec<&String> = log.iter().filter(|line| line.contains("kinerja::access")).collect();
    assert!(
        access.iter().any(|line| line.contains("operation=\"query Dashboard\"") && line.contains("role=\"hr-admin\"")),
        "an access line names the operation and role: {access:#?}"
    );
    assert!(
        access.iter().any(|line| line.contains("status=401") && line.contains("codes=\"UNAUTHENTICATED\"")),
        "a refused request is logged too, with its code: {access:#?}"
    );
    let metrics = server.client.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"kinerja_graphql_errors_total{code="UNAUTHENTICATED"}"#), "{metrics}");

    // GraphiQL's files go compressed only to clients that accept it.
    let plain = server
        .client
        .get(server.url("/graphiql/graphiql.min.css"))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["vary"], "accept-encoding");
    assert!(plain.text().await.unwrap().contains(".graphiql-container"));

    // A body over the limit is refused as GraphQL errors are, with a code (on a connection of its own:
    // the server closes it without reading the rest of the body).
    let oversized = reqwest::Client::new()
        .post(server.url("/graphql"))
        .bearer_auth(&server.admin)
        .body("x".repeat(2 << 20))
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
    let body: Value = oversized.json().await.unwrap();
    assert_eq!(code(&body), "PAYLOAD_TOO_LARGE", "{body}");
}

async fn members_connection(server: &Server) {
    const PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String, $order: MemberOrder, $kinds: [PositionKind!], $name: String) {
        unit(code: "DLH") { members(first: $first, after: $after, last: $last, before: $before, includeDescendants: true,
            orderBy: $order, positionKinds: $kinds, nameContains: $name) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { nip name position { kind } } } } } }"#;
    let page = |variables: Value| async move {
        let data = server.ok(Some(&server.admin), PAGE, variables).await;
        data["unit"]["members"].clone()
    };
    let nips = |members: &Value| -> Vec<String> {
        members["edges"].as_array().unwrap().iter().map(|e| e["node"]["nip"].as_str().unwrap().to_owned()).collect()
    };
    let all = page(json!({ "first": 1000, "order": "NAME" })).await;
    let total = all["totalCount"].as_u64().unwrap() as usize;
    assert_eq!(nips(&all).len(), total);
    let names: Vec<&str> =
        all["edges"].as_array().unwrap().iter().map(|e| e["node"]["name"].as_str().unwrap()).collect();
    assert!(names.windows(2).all(|pair| pair[0] <= pair[1]), "ordered by name");
    // Cursors are opaque and name no NIP.
    for edge in all["edges"].as_array().unwrap() {
        assert!(!edge["cursor"].as_str().unwrap().contains(edge["node"]["nip"].as_str().unwrap()));
    }

    // Forward pages of three, then backward from the end, cover the same members in the same order.
    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let members = page(json!({ "first": 3, "after": after, "order": "NAME" })).await;
        forward.extend(nips(&members));
        assert_eq!(members["pageInfo"]["hasPreviousPage"], !after.is_null());
        if members["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = members["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward, nips(&all));
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let members = page(json!({ "last": 4, "before": before, "order": "NAME" })).await;
        backward.splice(0..0, nips(&members));
        assert_eq!(members["pageInfo"]["hasNextPage"], !before.is_null());
        if members["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before = members["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, nips(&all), "last/before pages back through the same order");

    // Filters narrow the list and its count.
    let heads = page(json!({ "first": 100, "kinds": ["JPT_PRATAMA", "ADMINISTRATOR"] })).await;
    assert!(heads["totalCount"].as_u64().unwrap() >= 1);
    assert!(
        heads["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| { ["JPT_PRATAMA", "ADMINISTRATOR"].contains(&e["node"]["position"]["kind"].as_str().unwrap()) })
    );
    let someone = names[0].split_whitespace().next().unwrap().to_uppercase();
    let named = page(json!({ "first": 100, "name": someone })).await;
    assert!(nips(&named).contains(&nips(&all)[0]), "{someone}");
    assert_eq!(named["totalCount"].as_u64().unwrap() as usize, nips(&named).len());

    // Analysts see names masked: they can neither search nor order by them.
    let analyst = token(&server.analyst_nip, "analyst");
    for variables in [json!({ "first": 5, "name": someone }), json!({ "first": 5, "order": "NAME" })] {
        let refused = server.call(Some(&analyst), PAGE, variables).await;
        assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    }

    let both = server.call(Some(&server.admin), PAGE, json!({ "first": 2, "last": 2 })).await;
    assert_eq!(code(&both), "BAD_USER_INPUT", "{both}");
    let forged = server.call(Some(&server.admin), PAGE, json!({ "first": 2, "after": nips(&all)[0] })).await;
    assert_eq!(code(&forged), "BAD_USER_INPUT", "a NIP is not a cursor: {forged}");
}

async fn audit_log_connection(server: &Server) {
    const LOG: &str = r#"query($first: Int, $after: String, $last: Int, $before: String, $type: String) {
        auditLog(first: $first, after: $after, last: $last, before: $before, entityType: $type) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { sequence entityType } } } }"#;
    let page =
        |variables: Value| async move { server.ok(Some(&server.admin), LOG, variables).await["auditLog"].clone() };
    let sequences = |log: &Value| -> Vec<i64> {
        log["edges"].as_array().unwrap().iter().map(|e| e["node"]["sequence"].as_i64().unwrap()).collect()
    };
    let all = page(json!({ "first": 1000 })).await;
    let every = sequences(&all);
    assert!(every.len() > 4 && every.windows(2).all(|pair| pair[0] < pair[1]), "chain order: {every:?}");
    assert_eq!(all["totalCount"].as_u64().unwrap() as usize, every.len());

    let head = page(json!({ "first": 2 })).await;
    assert_eq!(sequences(&head), every[..2]);
    let next = page(json!({ "first": 2, "after": head["pageInfo"]["endCursor"] })).await;
    assert_eq!(sequences(&next), every[2..4]);
    assert_eq!(next["pageInfo"]["hasPreviousPage"], true);
    let tail = page(json!({ "last": 2 })).await;
    assert_eq!(sequences(&tail), every[every.len() - 2..]);
    assert_eq!(tail["pageInfo"]["hasPreviousPage"], true);
    let before = page(json!({ "last": 1, "before": tail["pageInfo"]["startCursor"] })).await;
    assert_eq!(sequences(&before), every[every.len() - 3..every.len() - 2]);

    let kind = all["edges"][0]["node"]["entityType"].as_str().unwrap().to_owned();
    let filtered = page(json!({ "first": 1000, "type": kind })).await;
    assert!(filtered["edges"].as_array().unwrap().iter().all(|e| e["node"]["entityType"] == kind.as_str()));
    assert_eq!(filtered["totalCount"].as_u64().unwrap() as usize, sequences(&filtered).len());

    let forged = server.call(Some(&server.admin), LOG, json!({ "first": 2, "after": "5" })).await;
    assert_eq!(code(&forged), "BAD_USER_INPUT", "{forged}");
}

async fn units_connection(server: &Server) {
    const UNITS: &str = r#"query($search: String!, $first: Int, $after: String, $last: Int, $before: String) {
        units(search: $search, first: $first, after: $after, last: $last, before: $before) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { code } } }"#;
    let page =
        |variables: Value| async move { server.ok(Some(&server.admin), UNITS, variables).await["units"].clone() };
    let codes = |units: &Value| -> Vec<String> {
        units["nodes"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_owned()).collect()
    };
    let all = page(json!({ "search": "kelurahan", "first": 1000 })).await;
    let every = codes(&all);
    assert!(every.len() > 10, "{all}");
    assert_eq!(all["totalCount"].as_u64().unwrap() as usize, every.len());
    let second = page(json!({ "search": "kelurahan", "first": 5 })).await;
    let third = page(json!({ "search": "kelurahan", "first": 5, "after": second["pageInfo"]["endCursor"] })).await;
    assert_eq!([codes(&second), codes(&third)].concat(), every[..10]);
    let last = page(json!({ "search": "kelurahan", "last": 3 })).await;
    assert_eq!(codes(&last), every[every.len() - 3..]);
    assert_eq!(
        last["pageInfo"],
        json!({ "hasNextPage": false, "hasPreviousPage": true,
        "startCursor": last["pageInfo"]["startCursor"], "endCursor": last["pageInfo"]["endCursor"] })
    );
    let before = page(json!({ "search": "kelurahan", "last": 2, "before": last["pageInfo"]["startCursor"] })).await;
    assert_eq!(codes(&before), every[every.len() - 5..every.len() - 3]);

    let long = server.call(Some(&server.admin), UNITS, json!({ "search": "a".repeat(50_001) })).await;
    assert_eq!(code(&long), "BAD_USER_INPUT", "a search longer than any name is refused, not an internal error");
}

async fn unit_plans_and_needs(server: &Server) {
    let year = server
        .ok(
            Some(&server.admin),
            r#"{ unit(code: "DLH") { members(first: 1, includeDescendants: true) { nodes { plans { year } } } } }"#,
            json!({}),
        )
        .await["unit"]["members"]["nodes"][0]["plans"][0]["year"]
        .as_i64()
        .unwrap();
    const PLANS: &str = r#"query($year: Int!, $status: PlanStatus, $first: Int, $after: String) {
        unit(code: "DLH") { plans(year: $year, status: $status, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } nodes { id status employee { nip } } } } }"#;
    let plans = |token: String, variables: Value| async move {
        server.ok(Some(&token), PLANS, variables).await["unit"]["plans"].clone()
    };
    let all = plans(server.admin.clone(), json!({ "year": year, "first": 1000 })).await;
    let nodes = all["nodes"].as_array().unwrap().clone();
    assert!(!nodes.is_empty());
    assert_eq!(all["totalCount"].as_u64().unwrap() as usize, nodes.len());
    let owners: Vec<&str> = nodes.iter().map(|n| n["employee"]["nip"].as_str().unwrap()).collect();
    assert!(owners.windows(2).all(|pair| pair[0] <= pair[1]), "by the employee's NIP");
    let first_page = plans(server.admin.clone(), json!({ "year": year, "first": 2 })).await;
    let next =
        plans(server.admin.clone(), json!({ "year": year, "first": 2, "after": first_page["pageInfo"]["endCursor"] }))
            .await;
    let paged: Vec<Value> =
        [first_page["nodes"].as_array().unwrap().clone(), next["nodes"].as_array().unwrap().clone()].concat();
    assert_eq!(paged, nodes[..4]);
    let status = nodes[0]["status"].clone();
    let same = plans(server.admin.clone(), json!({ "year": year, "status": status, "first": 1000 })).await;
    assert!(same["nodes"].as_array().unwrap().iter().all(|n| n["status"] == status));
    // An employee reaches only their own plan.
    let own = plans(token(owners[0], "employee"), json!({ "year": year, "first": 1000 })).await;
    assert_eq!(own["totalCount"], 1, "{own}");

    const NEEDS: &str = r#"query($year: Int!, $priority: NeedPriority) {
        unit(code: "DLH") { trainingNeeds(year: $year, priority: $priority, first: 1000) {
            totalCount nodes { priority status employee { nip } } } } }"#;
    let needs = server.ok(Some(&server.admin), NEEDS, json!({ "year": year })).await["unit"]["trainingNeeds"].clone();
    let priorities: Vec<&str> =
        needs["nodes"].as_array().unwrap().iter().map(|n| n["priority"].as_str().unwrap()).collect();
    assert!(!priorities.is_empty(), "the demo raises needs in DLH");
    let rank = |p: &str| ["HIGH", "MEDIUM", "LOW"].iter().position(|q| *q == p).unwrap();
    assert!(priorities.windows(2).all(|pair| rank(pair[0]) <= rank(pair[1])), "highest priority first: {priorities:?}");
    assert_eq!(needs["totalCount"].as_u64().unwrap() as usize, priorities.len());
    let high = server.ok(Some(&server.admin), NEEDS, json!({ "year": year, "priority": "HIGH" })).await["unit"]["trainingNeeds"].clone();
    assert_eq!(high["totalCount"].as_u64().unwrap() as usize, priorities.iter().filter(|p| **p == "HIGH").count());
}

/// The close code of the next close frame within five seconds.
async fn close_code(socket: &mut common::Socket) -> Option<u16> {
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|frame| u16::from(frame.code)),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

async fn sockets_close_with_protocol_codes(server: &Server) {
    let mut refused = server.open_socket("not-a-token").await;
    assert_eq!(close_code(&mut refused).await, Some(4401), "a bad token closes with 4401");

    let mut open = server.open_socket(&server.admin).await;
    let ack = next_message(&mut open).await.expect("an acknowledgement");
    assert_eq!(ack["type"], "connection_ack");
    server.terminate();
    assert_eq!(close_code(&mut open).await, Some(1001), "a shutdown closes open sockets with 1001");
}

#[tokio::test]
async fn the_endpoint_behaves_as_graphql_tools_expect_on_every_database() {
    for database in TestDatabase::all("graphql_conformance").await.unwrap() {
        eprintln!("GraphQL conformance on {}", database.backend);
        let server =
            Server::start_with(&database.url, &[("KINERJA__SERVER__CORS_ORIGINS", "http://localhost:3000")]).await;
        null_propagation_and_key_order(&server).await;
        every_error_has_a_code(&server).await;
        introspection_without_a_token(&server).await;
        persisted_queries(&server).await;
        the_viewer(&server).await;
        members_connection(&server).await;
        audit_log_connection(&server).await;
        units_connection(&server).await;
        unit_plans_and_needs(&server).await;
        compression(&server).await;
        cors(&server).await;
        access_log_and_metrics(&server).await;
        sockets_close_with_protocol_codes(&server).await;
        drop(server);
        production_tells_nothing_of_the_schema(&database.url).await;
    }
}

/// Under `KINERJA_ENV=production` (config/production.toml) the schema is not introspectable and errors
/// suggest no field names.
async fn production_tells_nothing_of_the_schema(database_url: &str) {
    let settings = [("KINERJA_ENV", "production"), ("KINERJA__LOG__FORMAT", "human")];
    let server = Server::start_with(database_url, &settings).await;
    let introspection = server.call(Some(&server.admin), "{ __schema { queryType { name } } }", json!({})).await;
    assert!(introspection["data"]["__schema"].is_null(), "introspection answers nothing: {introspection}");
    let misspelt = server.call(Some(&server.admin), "{ viewr { role } }", json!({})).await;
    assert_eq!(code(&misspelt), "GRAPHQL_VALIDATION_FAILED", "{misspelt}");
    assert!(!misspelt.to_string().to_lowercase().contains("did you mean"), "{misspelt}");
}
