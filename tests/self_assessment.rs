//! The self-assessment (penilaian diri), on the demo city, on SQLite and PostgreSQL: the employee writes
//! their own view of the year, the rater reads it beside the proposal, the values they see differently
//! become the next dialogue's agenda, and nobody else can write it — nor anyone once the year is decided.

mod common;

use common::{Server, code, token};
use serde_json::json;

const MEMBERS: &str = r#"{ unit(code: "SKA") { members(first: 300, includeDescendants: true) { nodes {
    nip plans { id year status rater { nip } decision { id } workResults { id }
      behaviourRatings { value level period } } } } } }"#;

const WRITE: &str = r#"mutation($input: WriteSelfAssessmentInput!) { writeSelfAssessment(input: $input) {
    plan { id } } }"#;

const READ: &str = r#"query($id: ID!) { node(id: $id) { ... on Plan {
    selfAssessment { workResults { workResult { id } achieved evidenceLink writtenAt }
      behaviour { value level note writtenAt } }
    dialogueAgenda { value ownLevel ratedLevel topic }
    proposal { evaluation: explanation } } } }"#;

/// The opposite view of a level: what the employee writes where the rater saw otherwise.
fn other_level(level: &str) -> &'static str {
    if level == "AS_EXPECTED" { "ABOVE_EXPECTATION" } else { "AS_EXPECTED" }
}

async fn the_year_as_the_employee_sees_it(server: &Server) {
    let members = server.ok(Some(&server.admin), MEMBERS, json!({})).await;
    let nodes = members["unit"]["members"]["nodes"].as_array().unwrap();
    // An employee with an approved plan their rater has rated but not decided.
    let (employee, plan) = nodes
        .iter()
        .flat_map(|m| m["plans"].as_array().unwrap().iter().map(move |p| (m, p)))
        .find(|(_, p)| {
            p["status"] == "APPROVED"
                && p["decision"].is_null()
                && !p["rater"].is_null()
                && p["workResults"].as_array().unwrap().len() >= 2
                && !p["behaviourRatings"].as_array().unwrap().is_empty()
        })
        .expect("an approved, rated, undecided plan on the demo");
    let nip = employee["nip"].as_str().unwrap();
    let rater = plan["rater"]["nip"].as_str().unwrap();
    let plan_id = &plan["id"];
    let rated = &plan["behaviourRatings"][0];
    let own_level = other_level(rated["level"].as_str().unwrap());
    let own = token(nip, "employee");

    let input = json!({ "planId": plan_id,
        "workResults": [{ "workResultId": plan["workResults"][0]["id"], "achieved": "Seluruh data mutasi triwulan III dimutakhirkan",
                          "evidenceLink": "https://drive.example/bukti-mutasi" }],
        "behaviour": [{ "value": rated["value"], "level": own_level, "note": "Saya sudah membimbing dua rekan baru" },
                      { "value": "LOYAL", "level": "AS_EXPECTED", "note": "Menjaga kerahasiaan data" }] });
    server.ok(Some(&own), WRITE, json!({ "input": input })).await;

    // The rater reads it beside the proposal, with the agenda of the next dialogue.
    let read = server.ok(Some(&token(rater, "rater")), READ, json!({ "id": plan_id })).await;
    let assessment = &read["node"]["selfAssessment"];
    assert_eq!(assessment["workResults"][0]["achieved"], "Seluruh data mutasi triwulan III dimutakhirkan", "{read}");
    assert_eq!(assessment["workResults"][0]["workResult"]["id"], plan["workResults"][0]["id"]);
    assert_eq!(assessment["behaviour"].as_array().unwrap().len(), 2, "{read}");
    assert!(!read["node"]["proposal"]["evaluation"].is_null(), "the proposal stands beside it: {read}");
    let agenda = read["node"]["dialogueAgenda"].as_array().unwrap();
    let item = agenda.iter().find(|i| i["value"] == rated["value"]).expect("the value seen otherwise is on the agenda");
    assert_eq!(item["ownLevel"], own_level);
    assert_eq!(item["ratedLevel"], rated["level"]);
    assert!(item["topic"].as_str().unwrap().contains("dialog kinerja berikutnya"), "{item}");
    let loyal_rated = plan["behaviourRatings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == "LOYAL" && r["period"] == rated["period"]);
    if loyal_rated.is_some_and(|r| r["level"] == "AS_EXPECTED") {
        assert!(agenda.iter().all(|i| i["value"] != "LOYAL"), "a value seen alike stays off the agenda: {agenda:?}");
    }

    // Writing a part again replaces it.
    let again = json!({ "planId": plan_id,
        "workResults": [{ "workResultId": plan["workResults"][0]["id"], "achieved": "Data mutasi triwulan III dan IV dimutakhirkan" }] });
    server.ok(Some(&own), WRITE, json!({ "input": again })).await;
    let read = server.ok(Some(&own), READ, json!({ "id": plan_id })).await;
    let results = read["node"]["selfAssessment"]["workResults"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{read}");
    assert_eq!(results[0]["achieved"], "Data mutasi triwulan III dan IV dimutakhirkan");
    assert!(results[0]["evidenceLink"].is_null(), "the part is replaced whole: {read}");
    let before = read["node"]["selfAssessment"].clone();

    // Refused with the reason, and nothing written: someone else, another plan's work result, blank text.
    let colleague =
        nodes.iter().map(|m| m["nip"].as_str().unwrap()).find(|other| *other != nip && *other != rater).unwrap();
    let by_other = server.call(Some(&token(colleague, "employee")), WRITE, json!({ "input": input })).await;
    assert_eq!(code(&by_other), "FORBIDDEN", "{by_other}");
    let by_rater = server.call(Some(&token(rater, "rater")), WRITE, json!({ "input": input })).await;
    assert_eq!(code(&by_rater), "FORBIDDEN", "the rater does not write the employee's view: {by_rater}");
    let foreign = nodes
        .iter()
        .flat_map(|m| m["plans"].as_array().unwrap())
        .find(|p| p["id"] != *plan_id && !p["workResults"].as_array().unwrap().is_empty())
        .unwrap()["workResults"][0]["id"]
        .clone();
    let wrong = json!({ "planId": plan_id, "workResults": [{ "workResultId": foreign, "achieved": "x" }],
                        "behaviour": [{ "value": "ADAPTIF", "level": "AS_EXPECTED", "note": "y" }] });
    let wrong = server.call(Some(&own), WRITE, json!({ "input": wrong })).await;
    assert_eq!(code(&wrong), "FAILED_PRECONDITION", "{wrong}");
    assert!(wrong["errors"][0]["message"].as_str().unwrap().contains("views[0]"), "{wrong}");
    let blank =
        json!({ "planId": plan_id, "behaviour": [{ "value": "ADAPTIF", "level": "AS_EXPECTED", "note": "  " }] });
    let blank = server.call(Some(&own), WRITE, json!({ "input": blank })).await;
    assert!(blank["errors"][0]["message"].as_str().unwrap().contains("note"), "{blank}");
    let after = server.ok(Some(&own), READ, json!({ "id": plan_id })).await;
    assert_eq!(after["node"]["selfAssessment"], before, "a refused write leaves nothing behind");

    // Analysts read it masked, and not when it was written.
    let analyst = server.ok(Some(&token(&server.analyst_nip, "analyst")), READ, json!({ "id": plan_id })).await;
    let masked = &analyst["node"]["selfAssessment"];
    assert_eq!(masked["workResults"][0]["achieved"], "(masked)", "{analyst}");
    assert_eq!(masked["behaviour"][0]["note"], "(masked)", "{analyst}");
    assert!(masked["behaviour"][0]["writtenAt"].is_null(), "{analyst}");

    // Once the rater decides the year, the self-assessment is closed.
    const DECIDE: &str = "mutation($input: DecideRatingsInput!) { decideRatings(input: $input) { decision { id } } }";
    let decided = server
        .call(
            Some(&token(rater, "rater")),
            DECIDE,
            json!({ "input": { "planId": plan_id, "resultRating": "AS_EXPECTED", "behaviourRating": "AS_EXPECTED",
                               "overrideReason": "Keputusan penilai untuk uji penilaian diri" } }),
        )
        .await;
    assert!(decided["errors"].is_null(), "{decided}");
    let late = server.call(Some(&own), WRITE, json!({ "input": input })).await;
    assert_eq!(code(&late), "FAILED_PRECONDITION", "{late}");
    assert!(late["errors"][0]["message"].as_str().unwrap().contains("decided"), "{late}");
}

#[tokio::test]
async fn the_employee_writes_their_own_view_on_every_database() {
    for database in kinerja_store::test_support::TestDatabase::all("the_employee_writes_their_own_view").await.unwrap()
    {
        eprintln!("self-assessment on {}", database.backend);
        let server = Server::start(&database.url).await;
        the_year_as_the_employee_sees_it(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
