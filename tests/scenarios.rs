//! The four situations of BKPSDM Surakarta's account of why evaluation matters, replayed through the
//! API only, on SQLite and PostgreSQL.

mod common;

use common::{Server, receive_after, token};
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};

const FIRST_MEMBER: &str = r#"query($code: String!) { unit(code: $code) { members(first: 1) { edges { node {
    nip plans { id year rater { nip } workResults { code description indicators { id description realisations { period } } } } } } } } }"#;

async fn first_member(server: &Server, unit: &str) -> Value {
    server.ok(Some(&server.admin), FIRST_MEMBER, json!({ "code": unit })).await["unit"]["members"]["edges"][0]["node"]
        .clone()
}

fn indicator_of(member: &Value, description: &str) -> Value {
    member["plans"][0]["workResults"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["indicators"].as_array().unwrap().clone())
        .find(|i| i["description"] == description)
        .unwrap_or_else(|| panic!("indicator '{description}'"))
}

fn indicator_id(member: &Value, description: &str) -> String {
    indicator_of(member, description)["id"].as_str().unwrap().to_owned()
}

/// The open quarter of the member's indicator (see `common::open_quarter`).
fn open_quarter(member: &Value, description: &str) -> (i64, String) {
    let indicator = indicator_of(member, description);
    let recorded: Vec<&str> =
        indicator["realisations"].as_array().unwrap().iter().filter_map(|r| r["period"].as_str()).collect();
    common::open_quarter(member["plans"][0]["year"].as_i64().unwrap(), &recorded)
}

/// Dinas Pendidikan: a weak education-quality work result shows in the proposed rating and its reasons.
async fn pendidikan(server: &Server) {
    let analyst = first_member(server, "DISDIK-SD-KUR").await;
    let plan = &analyst["plans"][0];
    let quality_result = plan["workResults"][0]["code"].as_str().unwrap().to_owned();
    assert!(plan["workResults"][0]["description"].as_str().unwrap().contains("peningkatan kualitas pendidikan"));
    let proposal = server
        .ok(
            Some(&token(analyst["nip"].as_str().unwrap(), "employee")),
            r#"query($id: ID!) { node(id: $id) { ... on Plan { proposal { resultRating explanation } } } }"#,
            json!({ "id": plan["id"] }),
        )
        .await["node"]["proposal"]
        .clone();
    assert_eq!(proposal["resultRating"], "BELOW_EXPECTATION");
    let explanation = &proposal["explanation"]["proposed_result_rating"]["explanation"];
    let behind = explanation["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"].as_str().unwrap().starts_with(&quality_result))
        .expect("the education-quality result");
    assert!(behind["value"].as_str().unwrap().ends_with("below_expectation"), "{behind}");
    let reasons: Vec<&str> = explanation["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("utama results below")), "{reasons:?}");
    // The indicators that caused it, with their achievements.
    let achievements = proposal["explanation"]["achievements"].as_array().unwrap();
    let standard = achievements
        .iter()
        .find(|a| {
            a["work_result"] == quality_result.as_str()
                && a["achievement"]["explanation"]["outcome"].as_str().is_some_and(|o| o.ends_with('%'))
        })
        .expect("an achievement of the weak result");
    let percent: f64 = standard["achievement"]["value"].as_str().unwrap().parse().unwrap();
    assert!(percent < 90.0, "{standard}");
}

/// Dinas Lingkungan Hidup: response times to citizens' reports, fed as activity records, drive the
/// response-time indicator (lower is better).
async fn lingkungan_hidup(server: &Server) {
    let cleaner = first_member(server, "DLH-KBR-JLN").await;
    let nip = cleaner["nip"].as_str().unwrap();
    let year = cleaner["plans"][0]["year"].as_i64().unwrap();
    let indicator = indicator_id(&cleaner, "Rata-rata waktu tanggap laporan kebersihan dari warga");
    server.ok(Some(&token(nip, "employee")), r#"mutation($input: SetActivityMappingInput!) { setActivityMapping(input: $input) { mapping { method } } }"#,
        json!({ "input": { "indicatorId": indicator, "activityKind": "cleanliness_report", "method": "P90", "field": "hours_between:received_at:resolved_at" } })).await;
    // Reports of the quarter open for recording, made in its first minutes.
    let (quarter, start) = open_quarter(&cleaner, "Rata-rata waktu tanggap laporan kebersihan dari warga");
    let reports: Vec<String> = (1..=10)
        .map(|n| json!({ "kind": "cleanliness_report", "external_id": format!("JLN-{n}"), "nip": nip, "occurred_at": format!("{start}T00:{n:02}:00Z"),
            "attributes": { "received_at": format!("{start}T00:{n:02}:00Z"), "resolved_at": format!("{start}T{n:02}:{n:02}:00Z") } }).to_string())
        .collect();
    let response = server.ingest(reports.join("\n")).await;
    assert_eq!(response.status(), 200);
    let realisations = server.ok(Some(&server.admin), r#"query($id: ID!) { node(id: $id) { ... on Indicator { target { kind high } realisations { period value source } achievement } } }"#, json!({ "id": indicator })).await;
    let q4 = realisations["node"]["realisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period"] == format!("{year}-Q{quarter}"))
        .cloned()
        .expect("the open quarter's realisation");
    assert_eq!(q4["value"], "9", "the 90th percentile of 1..10 hours");
    assert_eq!(q4["source"], "activity:cleanliness_report");
    assert_eq!(realisations["node"]["target"]["kind"], "AT_MOST");
}

/// Dinas Kesehatan: service-visit records drive realisations, and the head's live dashboard sees them arrive.
async fn kesehatan(server: &Server) {
    let nurse = first_member(server, "DINKES-PKM-GILINGAN").await;
    let nip = nurse["nip"].as_str().unwrap().to_owned();
    let indicator = indicator_id(&nurse, "Jumlah kunjungan pelayanan kesehatan yang dilayani");
    let (_, start) = open_quarter(&nurse, "Jumlah kunjungan pelayanan kesehatan yang dilayani");
    server.ok(Some(&token(&nip, "employee")), r#"mutation($input: SetActivityMappingInput!) { setActivityMapping(input: $input) { mapping { method } } }"#,
        json!({ "input": { "indicatorId": indicator, "activityKind": "health_service_visit", "method": "COUNT" } })).await;
    let mut dashboard = server
        .subscribe(&server.admin, r#"subscription { realisationRecorded(unitCode: "DINKES") { value source } }"#)
        .await;
    let arrived = receive_after(&mut dashboard, |attempt| {
        let nip = nip.clone();
        let start = start.clone();
        async move {
            let visits: Vec<Value> = (0..3)
                .map(|n| json!({ "kind": "health_service_visit", "externalId": format!("SIMPUS-{attempt}-{n}"), "nip": nip, "occurredAt": format!("{start}T00:0{n}:00Z") }))
                .collect();
            server.ok(Some(&server.admin), r#"mutation($input: IngestActivitiesInput!) { ingestActivities(input: $input) { accepted } }"#, json!({ "input": { "records": visits } })).await;
        }
    })
    .await;
    assert_eq!(arrived["realisationRecorded"]["source"], "activity:health_service_visit");
}

/// BKPSDM: HR staff weak in IT skills: the weakness shows in the Kompeten rating, and the rater's
/// suggestion reaches the employee live.
async fn bkpsdm(server: &Server) {
    let analyst = first_member(server, "BKPSDM-PIK-SI").await;
    let nip = analyst["nip"].as_str().unwrap().to_owned();
    let plan = analyst["plans"][0]["id"].as_str().unwrap().to_owned();
    let rater = analyst["plans"][0]["rater"]["nip"].as_str().unwrap().to_owned();
    let ratings = server
        .ok(
            Some(&token(&rater, "rater")),
            r#"query($id: ID!) { node(id: $id) { ... on Plan { behaviourRatings { value level note } } } }"#,
            json!({ "id": plan }),
        )
        .await;
    let kompeten = ratings["node"]["behaviourRatings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == "KOMPETEN")
        .cloned()
        .unwrap();
    assert_eq!(kompeten["level"], "BELOW_EXPECTATION");
    assert!(kompeten["note"].as_str().unwrap().contains("SIASN"));
    let mut inbox = server
        .subscribe(
            &token(&nip, "employee"),
            &format!(r#"subscription {{ feedbackReceived(nip: "{nip}") {{ kind behaviour text }} }}"#),
        )
        .await;
    let received = receive_after(&mut inbox, |_| {
        let (plan, rater) = (plan.clone(), rater.clone());
        async move {
            server.ok(Some(&token(&rater, "rater")), r#"mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { text } } }"#,
                json!({ "input": { "subjectId": plan, "kind": "SUGGESTION", "behaviour": "KOMPETEN", "text": "Ikuti pelatihan aplikasi manajemen SDM bulan depan" } })).await;
        }
    })
    .await;
    assert_eq!(received["feedbackReceived"]["behaviour"], "KOMPETEN");
    assert_eq!(received["feedbackReceived"]["kind"], "SUGGESTION");

    // A text of 900,000 characters is refused by name, and the plan keeps the feedback it had.
    const FEEDBACK: &str = "query($id: ID!) { node(id: $id) { ... on Plan { feedback { text } } } }";
    let before = server.ok(Some(&token(&rater, "rater")), FEEDBACK, json!({ "id": plan })).await;
    let flood = "a".repeat(900_000);
    let refused = server
        .call(
            Some(&token(&rater, "rater")),
            r#"mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { text } } }"#,
            json!({ "input": { "subjectId": plan, "kind": "SUGGESTION", "text": flood } }),
        )
        .await;
    assert_eq!(common::code(&refused), "BAD_USER_INPUT", "{}", refused["errors"][0]["message"]);
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("feedback text is 900000 characters long; at most 4000 are allowed"), "{message}");
    assert_eq!(server.ok(Some(&token(&rater, "rater")), FEEDBACK, json!({ "id": plan })).await, before);
}

#[tokio::test]
async fn the_seed_situations_replay_through_the_api_on_every_database() {
    for database in TestDatabase::all("the_seed_situations_replay_through_the_api_on_every_database").await.unwrap() {
        eprintln!("seed situations on {}", database.backend);
        let server = Server::start(&database.url).await;
        pendidikan(&server).await;
        lingkungan_hidup(&server).await;
        kesehatan(&server).await;
        bkpsdm(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
