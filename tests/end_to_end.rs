//! Starts the real server on port 0 against a fresh database (SQLite, and PostgreSQL when
//! `KINERJA_TEST_DATABASE_URL` is set), lets it load a small demo city, and checks the dashboard queries.

mod common;

use common::Server;
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};

const UNIT_PAGE: &str = r#"
query Unit($code: String!, $after: String) {
  unit(code: $code) {
    id code name kind depth
    parent { code }
    ancestors { code }
    children { code name kind }
    members(first: 3, after: $after, includeDescendants: true) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { nip name rank unit { code } position { title kind } superior { nip } } }
    }
  }
}"#;

const EMPLOYEE_PLANS: &str = r#"
query Employee($nip: String!, $year: Int!) {
  employee(nip: $nip) {
    id nip name
    plans(year: $year) {
      year status rater { nip }
      workResults {
        code section description parent { code plan { employee { nip } } }
        indicators { code description aspect unitOfMeasure target { kind low high } realised achievement
          realisations { period value evidenceNote evidenceLink source } }
      }
      feedback { kind text behaviour }
      behaviourRatings { value level note }
    }
  }
}"#;

async fn first_member(server: &Server, code: &str) -> Value {
    let data = server.ok(Some(&server.admin), UNIT_PAGE, json!({ "code": code })).await;
    data["unit"]["members"]["edges"][0]["node"].clone()
}

async fn plans_of(server: &Server, nip: &str, year: i64) -> Value {
    server.ok(Some(&server.admin), EMPLOYEE_PLANS, json!({ "nip": nip, "year": year })).await["employee"]["plans"][0]
        .clone()
}

fn all_indicators(plan: &Value) -> Vec<Value> {
    plan["workResults"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|result| result["indicators"].as_array().cloned().unwrap_or_default())
        .collect()
}

async fn check_server(server: &Server) {
    let health: Value = server.client.get(server.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let graphiql = server.client.get(server.url("/graphql")).send().await.unwrap().text().await.unwrap();
    assert!(graphiql.contains("graphiql"), "GraphiQL is served on GET /graphql");

    // The organisation tree.
    let search = server
        .ok(Some(&server.admin), r#"{ units(search: "kesehatan") { totalCount nodes { code name } } }"#, json!({}))
        .await;
    assert!(search["units"]["nodes"].as_array().unwrap().iter().any(|u| u["code"] == "DINKES"), "{search}");
    let page = server.ok(Some(&server.admin), UNIT_PAGE, json!({ "code": "DINKES" })).await["unit"].clone();
    assert_eq!(page["name"], "Dinas Kesehatan");
    assert_eq!(page["kind"], "PERANGKAT_DAERAH");
    assert_eq!(page["parent"]["code"], "SKA");
    assert_eq!(page["ancestors"], json!([{ "code": "SKA" }]));
    assert!(page["children"].as_array().unwrap().iter().any(|c| c["code"] == "DINKES-PKM-PAJANG"));
    let members = &page["members"];
    assert!(members["totalCount"].as_u64().unwrap() > 20);
    assert_eq!(members["edges"].as_array().unwrap().len(), 3);
    assert_eq!(members["pageInfo"]["hasNextPage"], true);
    let next = server
        .ok(Some(&server.admin), UNIT_PAGE, json!({ "code": "DINKES", "after": members["pageInfo"]["endCursor"] }))
        .await;
    let next_first = next["unit"]["members"]["edges"][0]["node"]["nip"].as_str().unwrap().to_owned();
    assert!(
        next_first.as_str() > members["edges"][2]["node"]["nip"].as_str().unwrap(),
        "the next page follows the first"
    );

    // Relay refetch by global id.
    let refetched = server
        .ok(
            Some(&server.admin),
            r#"query($id: ID!) { node(id: $id) { id ... on Unit { code } } }"#,
            json!({ "id": page["id"] }),
        )
        .await;
    assert_eq!(refetched["node"]["code"], "DINKES");

    // An employee's plan with the cascade, targets and realisations.
    let staff = first_member(server, "DINKES-PKM-PAJANG").await;
    let nip = staff["nip"].as_str().unwrap();
    let year = server
        .ok(
            Some(&server.admin),
            r#"query($nip: String!) { employee(nip: $nip) { plans { year } } }"#,
            json!({ "nip": nip }),
        )
        .await["employee"]["plans"][0]["year"]
        .as_i64()
        .unwrap();
    let plan = plans_of(server, nip, year).await;
    assert_eq!(plan["year"], year);
    let first_result = &plan["workResults"][0];
    assert_eq!(
        first_result["parent"]["plan"]["employee"]["nip"], plan["rater"]["nip"],
        "work results cascade from the rater's plan"
    );
    let indicators = all_indicators(&plan);
    assert!((3..=6).contains(&indicators.len()), "3-6 indicators, found {}", indicators.len());
    // Dinas Kesehatan: realisations counted from recorded health-service visits.
    let visits = indicators
        .iter()
        .find(|i| i["description"] == "Jumlah kunjungan pelayanan kesehatan yang dilayani")
        .expect("visit indicator");
    let realisations = visits["realisations"].as_array().unwrap();
    assert!(!realisations.is_empty());
    assert!(realisations.iter().all(|r| r["source"] == "activity:health_service_visit"
        && r["evidenceLink"].as_str().unwrap().starts_with("https://")));

    // Dinas Pendidikan: the first analyst of the curriculum section is behind on education quality.
    let analyst = first_member(server, "DISDIK-SD-KUR").await;
    let analyst_plan = plans_of(server, analyst["nip"].as_str().unwrap(), year).await;
    assert!(
        analyst_plan["workResults"][0]["description"].as_str().unwrap().contains("peningkatan kualitas pendidikan")
    );
    let quality = all_indicators(&analyst_plan)
        .into_iter()
        .find(|i| i["description"] == "Persentase sekolah dasar binaan yang memenuhi standar nasional pendidikan")
        .expect("education-quality indicator");
    let achievement: f64 = quality["achievement"].as_str().unwrap().parse().unwrap();
    assert!(achievement < 70.0, "the education-quality indicator is behind: {achievement}%");

    // The scored evaluation of the analyst, with its rule pack and explanation.
    let evaluation = server
        .ok(Some(&server.admin), r#"query($nip: String!, $year: Int!) { employee(nip: $nip) { plans(year: $year) {
                evaluation { period predikat predikatBasis proposedResultRating rulePack { id version } explanation } } } }"#,
            json!({ "nip": analyst["nip"], "year": year }),
        )
        .await["employee"]["plans"][0]["evaluation"]
        .clone();
    assert_eq!(evaluation["proposedResultRating"], "BELOW_EXPECTATION", "{evaluation}");
    assert_eq!(evaluation["rulePack"]["id"], "permenpanrb-6-2022");
    assert_eq!(evaluation["predikatBasis"], "proposed_ratings");
    assert!(evaluation["period"].as_str().unwrap().starts_with(&year.to_string()));
    let reasons = &evaluation["explanation"]["proposed_result_rating"]["explanation"]["reasons"];
    assert!(reasons.as_array().is_some_and(|r| !r.is_empty()), "{evaluation}");

    // Unit distribution against the organisation predikat, and the loaded rule packs.
    let distribution = server
        .ok(Some(&server.admin), r#"query($year: Int!) { unit(code: "DINKES") { distribution(year: $year) {
                organisationPredikat withinGuidance counts { sangatBaik baik headcount } violations { constraint actual limit } } } }"#,
            json!({ "year": year }),
        )
        .await["unit"]["distribution"]
        .clone();
    assert_eq!(distribution["organisationPredikat"], "ISTIMEWA");
    assert_eq!(distribution["counts"]["headcount"], members["totalCount"], "every member of the subtree is counted");
    assert_eq!(distribution["withinGuidance"], distribution["violations"].as_array().unwrap().is_empty());
    let packs = server.ok(Some(&server.admin), "{ rulePacks { id version yearsFrom yearsTo } }", json!({})).await;
    assert_eq!(packs["rulePacks"].as_array().unwrap().len(), 3);

    // Dinas Lingkungan Hidup: response time to citizens' cleanliness reports, fed from activity records.
    let cleaner = first_member(server, "DLH-KBR-ADU").await;
    let cleaner_plan = plans_of(server, cleaner["nip"].as_str().unwrap(), year).await;
    let response_time = all_indicators(&cleaner_plan)
        .into_iter()
        .find(|i| i["description"] == "Rata-rata waktu tanggap laporan kebersihan dari warga")
        .expect("response-time indicator");
    assert_eq!(response_time["target"]["kind"], "AT_MOST");
    assert_eq!(response_time["aspect"], "WAKTU");
    assert_eq!(response_time["realisations"][0]["source"], "activity:cleanliness_report");

    // BKPSDM: HR staff weak in IT skills, with a suggestion on the Kompeten value.
    let hr = first_member(server, "BKPSDM-PIK-SI").await;
    let hr_plan = plans_of(server, hr["nip"].as_str().unwrap(), year).await;
    let kompeten = hr_plan["behaviourRatings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == "KOMPETEN")
        .cloned()
        .expect("Kompeten rating");
    assert_eq!(kompeten["level"], "BELOW_EXPECTATION");
    assert!(
        hr_plan["feedback"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["behaviour"] == "KOMPETEN" && f["kind"] == "SUGGESTION")
    );

    // Bad input is refused with a code and a message naming the problem.
    let bad_nip =
        server.call(Some(&server.admin), r#"{ employee(nip: "198502302010011003") { name } }"#, json!({})).await;
    assert_eq!(bad_nip["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(bad_nip["errors"][0]["message"].as_str().unwrap().contains("birth date"), "{bad_nip}");
    let unknown =
        server.ok(Some(&server.admin), r#"{ employee(nip: "198507142010011999") { name } }"#, json!({})).await;
    assert_eq!(unknown["employee"], Value::Null);
    let too_big = server
        .call(Some(&server.admin), r#"{ unit(code: "SKA") { members(first: 1001) { totalCount } } }"#, json!({}))
        .await;
    assert_eq!(too_big["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let deep = "{ unit(code: \"SKA\") { children { children { children { children { children { children { children { children { children { children { children { code } } } } } } } } } } } } }";
    let too_deep = server.call(Some(&server.admin), deep, json!({})).await;
    assert!(
        too_deep["errors"][0]["message"].as_str().unwrap().to_lowercase().contains("nested too deep"),
        "{too_deep}"
    );
}

/// The predikat by group of a subtree equals what the members' own evaluations add up to, and small
/// groups are withheld from analysts and from an employee outside the unit's scope.
async fn check_breakdown(server: &Server) {
    const MEMBERS: &str = r#"{ unit(code: "DLH") { members(first: 100, includeDescendants: true) {
        totalCount edges { node { nip employmentType plans { evaluation { period predikat } } } } } } }"#;
    let data = server.ok(Some(&server.admin), MEMBERS, json!({})).await;
    let members = data["unit"]["members"]["edges"].as_array().unwrap().clone();
    assert_eq!(data["unit"]["members"]["totalCount"].as_u64().unwrap() as usize, members.len(), "one page holds DLH");
    let period = members
        .iter()
        .find_map(|m| m["node"]["plans"][0]["evaluation"]["period"].as_str())
        .expect("scored plans")
        .to_owned();
    let mut expected: std::collections::BTreeMap<String, [u64; 5]> = std::collections::BTreeMap::new();
    const ORDER: [&str; 5] = ["SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG"];
    for member in &members {
        let evaluation = &member["node"]["plans"][0]["evaluation"];
        if evaluation["period"] != period.as_str() {
            continue;
        }
        let group = member["node"]["employmentType"].as_str().unwrap().to_lowercase();
        let slot = ORDER.iter().position(|p| evaluation["predikat"] == *p).unwrap();
        expected.entry(group).or_default()[slot] += 1;
    }
    const BREAKDOWN: &str = r#"query($period: String!, $by: Grouping!) { unit(code: "DLH") {
        predikatBreakdown(period: $period, by: $by) { group withheld counts { sangatBaik baik butuhPerbaikan kurang sangatKurang headcount } } } }"#;
    let variables = json!({ "period": period, "by": "EMPLOYMENT_TYPE" });
    let breakdown = server.ok(Some(&server.admin), BREAKDOWN, variables.clone()).await;
    let groups = breakdown["unit"]["predikatBreakdown"].as_array().unwrap();
    let found: std::collections::BTreeMap<String, [u64; 5]> = groups
        .iter()
        .map(|g| {
            let c = &g["counts"];
            let n = |key: &str| c[key].as_u64().unwrap();
            (
                g["group"].as_str().unwrap().to_owned(),
                [n("sangatBaik"), n("baik"), n("butuhPerbaikan"), n("kurang"), n("sangatKurang")],
            )
        })
        .collect();
    assert_eq!(found, expected, "the breakdown equals the members' evaluations of {period}");

    let analyst = common::token(&server.analyst_nip, "analyst");
    let masked = server.ok(Some(&analyst), BREAKDOWN, variables.clone()).await;
    // Groups under five are withheld; a lone one takes the smallest shown group with it, which the total
    // less the others would otherwise give away. The withheld come back as one, under no group's name.
    let groups = masked["unit"]["predikatBreakdown"].as_array().unwrap();
    let mut sizes: Vec<u64> = expected.values().map(|counts| counts.iter().sum()).collect();
    sizes.sort_unstable();
    let small = sizes.iter().filter(|&&size| size < 5).count();
    let withheld = if small == 1 { 2 } else { small };
    let shown = groups.iter().filter(|g| g["withheld"] == false).count();
    assert_eq!(shown, expected.len() - withheld, "{masked}");
    let merged: Vec<&Value> = groups.iter().filter(|g| g["withheld"] == true).collect();
    assert_eq!(merged.len(), usize::from(withheld > 0), "{masked}");
    assert!(merged.iter().all(|g| g["group"] == "(withheld)" && g["counts"].is_null()), "{masked}");
    for group in groups.iter().filter(|g| g["withheld"] == false) {
        let size: u64 = expected[group["group"].as_str().unwrap()].iter().sum();
        assert!(size >= 5 && !group["counts"].is_null(), "{group}");
    }
    let staff = members[0]["node"]["nip"].as_str().unwrap();
    let own = server.ok(Some(&common::token(staff, "employee")), BREAKDOWN, variables).await;
    assert!(
        own["unit"]["predikatBreakdown"].as_array().unwrap().iter().all(|g| g["withheld"] == true),
        "an employee sees at most their own evaluation, a group of one: {own}"
    );
    for by in ["POSITION_KIND", "RANK", "SEX", "AGE_BAND"] {
        let grouped = server.ok(Some(&server.admin), BREAKDOWN, json!({ "period": period, "by": by })).await;
        let total: u64 = grouped["unit"]["predikatBreakdown"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["counts"]["headcount"].as_u64().unwrap())
            .sum();
        assert_eq!(total, expected.values().flatten().sum::<u64>(), "{by} covers everyone evaluated");
    }
}

#[tokio::test]
async fn the_server_answers_the_dashboard_queries_on_every_database() {
    for database in TestDatabase::all("the_server_answers_the_dashboard_queries_on_every_database").await.unwrap() {
        eprintln!("end-to-end on {}", database.backend);
        let server = Server::start(&database.url).await;
        check_server(&server).await;
        check_breakdown(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
