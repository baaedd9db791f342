//! Live updates over `graphql-transport-ws`: a subscriber sees feedback and realisations as they happen,
//! within one server on SQLite and across two servers sharing one PostgreSQL database.

mod common;

use common::{Server, receive_after, token};
use kinerja_store::test_support::TestDatabase;
use serde_json::json;

const STAFF: &str =
    r#"{ unit(code: "DLH-KBR-ADU") { members(first: 2) { edges { node { nip plans { id rater { nip } } } } } } }"#;

async fn check(writer: &Server, reader: &Server) {
    let data = writer.ok(Some(&writer.admin), STAFF, json!({})).await;
    let member = &data["unit"]["members"]["edges"][1]["node"];
    let nip = member["nip"].as_str().unwrap().to_owned();
    let plan = member["plans"][0]["id"].as_str().unwrap().to_owned();
    let rater = member["plans"][0]["rater"]["nip"].as_str().unwrap().to_owned();

    // The employee follows the feedback on their own plans.
    let mut feedback = reader
        .subscribe(
            &token(&nip, "employee"),
            &format!(r#"subscription {{ feedbackReceived(nip: "{nip}") {{ kind text author {{ nip }} }} }}"#),
        )
        .await;
    const GIVE: &str = r#"mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { text } } }"#;
    let received = receive_after(&mut feedback, |attempt| {
        let (plan, rater) = (plan.clone(), rater.clone());
        async move {
            writer.ok(Some(&token(&rater, "rater")), GIVE, json!({ "input": { "subjectId": plan, "kind": "PRAISE", "text": format!("Tanggap cepat ({attempt})") } })).await;
        }
    })
    .await;
    assert_eq!(received["feedbackReceived"]["kind"], "PRAISE");
    assert_eq!(received["feedbackReceived"]["author"]["nip"], rater);

    let mut realisations = reader
        .subscribe(&reader.admin, r#"subscription { realisationRecorded(unitCode: "DLH") { value source } }"#)
        .await;
    let year = writer
        .ok(Some(&writer.admin), &format!(r#"{{ employee(nip: "{nip}") {{ plans {{ year }} }} }}"#), json!({}))
        .await["employee"]["plans"][0]["year"]
        .as_i64()
        .unwrap();
    let indicator = &writer
        .ok(
            Some(&writer.admin),
            &format!(r#"{{ employee(nip: "{nip}") {{ plans {{ workResults {{ indicators {{ id realisations {{ period }} }} }} }} }} }}"#),
            json!({}),
        )
        .await["employee"]["plans"][0]["workResults"][0]["indicators"][0];
    let recorded: Vec<&str> =
        indicator["realisations"].as_array().unwrap().iter().filter_map(|r| r["period"].as_str()).collect();
    let (_, start) = common::open_quarter(year, &recorded);
    let indicator = indicator["id"].as_str().unwrap().to_owned();
    let received = receive_after(&mut realisations, |attempt| {
        let nip = nip.clone();
        let start = start.clone();
        async move {
            let line = json!({ "kind": "street_sweep", "external_id": format!("SWEEP-{attempt}"), "nip": nip, "occurred_at": format!("{start}T00:{:02}:00Z", attempt % 60), "attributes": { "km": 3 } });
            let response = writer.ingest(line.to_string()).await;
            assert_eq!(response.status(), 200);
        }
    });
    // The future above runs only when awaited: map the sweeps to the indicator first, so that each batch
    // derives a realisation.
    writer.ok(Some(&token(&nip, "employee")), r#"mutation($input: SetActivityMappingInput!) { setActivityMapping(input: $input) { mapping { method } } }"#, json!({ "input": { "indicatorId": indicator, "activityKind": "street_sweep", "method": "SUM", "field": "km" } })).await;
    let received = received.await;
    assert_eq!(received["realisationRecorded"]["source"], "activity:street_sweep");
}

#[tokio::test]
async fn subscribers_see_changes_within_one_server_and_across_servers() {
    let sqlite = TestDatabase::sqlite();
    let server = Server::start(&sqlite.url).await;
    check(&server, &server).await;
    drop(server);

    // The two-server case needs PostgreSQL; without it the skip is announced.
    let test_name = "subscribers_see_changes_within_one_server_and_across_servers";
    if let Some(database) = TestDatabase::postgres(test_name).await.unwrap() {
        let writer = Server::start(&database.url).await;
        // The second process shares the database the first one loaded.
        let reader = Server::start(&database.url).await;
        check(&writer, &reader).await;
        drop((writer, reader));
        database.dispose().await.unwrap();
    }
}
