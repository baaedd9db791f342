//! The evaluation year through the GraphQL API: plan lifecycle, realisations with corrections,
//! feedback and dialogues, with versions, roles and error codes — on SQLite and PostgreSQL.

mod common;

use common::{Server, code, token};
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};

const PLAN: &str = r#"query($code: String!) { unit(code: $code) { members(first: 1) { edges { node {
    nip plans { id year version status rater { nip }
      workResults { id code parent { id } indicators { id code realisations { id period version value } } } } } } } } }"#;

async fn check(server: &Server) {
    let data = server.ok(Some(&server.admin), PLAN, json!({ "code": "DLH-KBR-ADU" })).await;
    let member = &data["unit"]["members"]["edges"][0]["node"];
    let staff = member["nip"].as_str().unwrap().to_owned();
    let plan = &member["plans"][0];
    let rater = plan["rater"]["nip"].as_str().unwrap().to_owned();
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    let year = plan["year"].as_i64().unwrap();
    assert_eq!(plan["status"], "APPROVED");
    let indicator = &plan["workResults"][0]["indicators"][0];
    let indicator_id = indicator["id"].as_str().unwrap().to_owned();
    let recorded_periods: Vec<String> = indicator["realisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["period"].as_str().unwrap().to_owned())
        .collect();
    let (staff_token, rater_token) = (token(&staff, "employee"), token(&rater, "rater"));
    let free_period =
        (1..=4).map(|q| format!("{year}-Q{q}")).find(|p| !recorded_periods.contains(p)).expect("a free quarter");

    const RECORD: &str = r#"mutation($input: RecordRealisationInput!) { recordRealisation(input: $input) { realisation { id version value source } } }"#;
    let input = json!({ "input": { "indicatorId": indicator_id, "period": free_period, "value": "21.5", "evidenceNote": "Rekap laporan warga" } });
    // No token: refused.
    assert_eq!(code(&server.call(None, RECORD, input.clone()).await), "UNAUTHENTICATED");
    // The rater cannot record the employee's realisation.
    assert_eq!(code(&server.call(Some(&rater_token), RECORD, input.clone()).await), "FORBIDDEN");
    let recorded =
        server.ok(Some(&staff_token), RECORD, input.clone()).await["recordRealisation"]["realisation"].clone();
    assert_eq!((recorded["value"].as_str(), recorded["version"].as_i64()), (Some("21.5"), Some(1)));
    assert_eq!(code(&server.call(Some(&staff_token), RECORD, input).await), "CONFLICT", "one realisation per period");
    let outside = json!({ "input": { "indicatorId": indicator_id, "period": format!("{}-Q1", year - 1), "value": 1, "evidenceNote": "x" } });
    let refused = server.call(Some(&staff_token), RECORD, outside).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("outside the plan year"), "{refused}");

    const CORRECT: &str = r#"mutation($input: CorrectRealisationInput!) { correctRealisation(input: $input) {
        realisation { value version corrections { value replacedBy { nip } } } } }"#;
    let correction = |version: i64| json!({ "input": { "realisationId": recorded["id"], "expectedVersion": version, "value": "19", "evidenceNote": "Koreksi: dua laporan ganda" } });
    let corrected =
        server.ok(Some(&rater_token), CORRECT, correction(1)).await["correctRealisation"]["realisation"].clone();
    assert_eq!(corrected["version"], 2);
    assert_eq!(corrected["corrections"], json!([{ "value": "21.5", "replacedBy": { "nip": rater } }]));
    let stale = server.call(Some(&staff_token), CORRECT, correction(1)).await;
    assert_eq!(code(&stale), "CONFLICT");
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 2);

    // Editing an approved plan needs the rater to reopen it first.
    const ADD_RESULT: &str = r#"mutation($input: AddWorkResultInput!) { addWorkResult(input: $input) { workResult { id code } plan { version status } } }"#;
    let version = plan["version"].as_i64().unwrap();
    let add = |version: i64| json!({ "input": { "planId": plan_id, "expectedVersion": version, "code": "RHK-9", "section": "TAMBAHAN", "description": "Sosialisasi pemilahan sampah di kelurahan" } });
    assert_eq!(code(&server.call(Some(&staff_token), ADD_RESULT, add(version)).await), "FAILED_PRECONDITION");
    const TRANSITION: &str =
        r#"mutation($input: PlanTransitionInput!) { reopenPlan(input: $input) { plan { version status } } }"#;
    let no_reason = server
        .call(Some(&rater_token), TRANSITION, json!({ "input": { "planId": plan_id, "expectedVersion": version } }))
        .await;
    assert_eq!(code(&no_reason), "BAD_USER_INPUT");
    assert_eq!(
        code(
            &server
                .call(
                    Some(&staff_token),
                    TRANSITION,
                    json!({ "input": { "planId": plan_id, "expectedVersion": version, "comment": "x" } })
                )
                .await
        ),
        "FORBIDDEN"
    );
    let reopened = server.ok(Some(&rater_token), TRANSITION, json!({ "input": { "planId": plan_id, "expectedVersion": version, "comment": "Tambah hasil kerja sosialisasi" } })).await;
    assert_eq!(reopened["reopenPlan"]["plan"], json!({ "version": version + 1, "status": "DRAFT" }));
    assert_eq!(code(&server.call(Some(&staff_token), ADD_RESULT, add(version)).await), "CONFLICT");
    let added = server.ok(Some(&staff_token), ADD_RESULT, add(version + 1)).await["addWorkResult"].clone();
    assert_eq!(added["plan"]["version"], version + 2);
    const ADD_INDICATOR: &str = r#"mutation($input: AddIndicatorInput!) { addIndicator(input: $input) { indicator { code target { kind low } } plan { version } } }"#;
    let bad_target = json!({ "input": { "workResultId": added["workResult"]["id"], "expectedVersion": version + 2, "code": "IKI-9", "indicator": {
        "description": "Jumlah kelurahan yang disosialisasi", "aspect": "KUANTITAS", "target": { "kind": "AT_LEAST", "low": "0" }, "unitOfMeasure": "kelurahan", "accumulation": "SUM" } } });
    assert_eq!(code(&server.call(Some(&staff_token), ADD_INDICATOR, bad_target.clone()).await), "BAD_USER_INPUT");
    let mut good_target = bad_target;
    good_target["input"]["indicator"]["target"]["low"] = json!("6");
    let indicator_added = server.ok(Some(&staff_token), ADD_INDICATOR, good_target.clone()).await;
    assert_eq!(indicator_added["addIndicator"]["plan"]["version"], version + 3);
    // Two additions in one document, each reading the plan back: the second sees the first's indicator
    // (mutations read through an uncached loader; a cache would keep what the first one read).
    const ADD_TWO: &str = r#"mutation($first: AddIndicatorInput!, $second: AddIndicatorInput!) {
        first: addIndicator(input: $first) { plan { version workResults { code indicators { code } } } }
        second: addIndicator(input: $second) { plan { version workResults { code indicators { code } } } } }"#;
    let mut first = good_target["input"].clone();
    first["code"] = json!("IKI-10");
    first["expectedVersion"] = json!(version + 3);
    let mut second = first.clone();
    second["code"] = json!("IKI-11");
    second["expectedVersion"] = json!(version + 4);
    let both = server.ok(Some(&staff_token), ADD_TWO, json!({ "first": first, "second": second })).await;
    let codes_of_new_result = |payload: &Value| {
        let results = payload["plan"]["workResults"].as_array().unwrap();
        results.iter().find(|result| result["code"] == "RHK-9").unwrap()["indicators"].clone()
    };
    assert_eq!(codes_of_new_result(&both["first"]), json!([{ "code": "IKI-9" }, { "code": "IKI-10" }]));
    assert_eq!(
        codes_of_new_result(&both["second"]),
        json!([{ "code": "IKI-9" }, { "code": "IKI-10" }, { "code": "IKI-11" }])
    );
    assert_eq!(both["second"]["plan"]["version"], version + 5);
    const SUBMIT: &str =
        r#"mutation($input: PlanTransitionInput!) { submitPlan(input: $input) { plan { status version } } }"#;
    server
        .ok(Some(&staff_token), SUBMIT, json!({ "input": { "planId": plan_id, "expectedVersion": version + 5 } }))
        .await;
    const APPROVE: &str =
        r#"mutation($input: PlanTransitionInput!) { approvePlan(input: $input) { plan { status version } } }"#;
    assert_eq!(
        code(
            &server
                .call(
                    Some(&staff_token),
                    APPROVE,
                    json!({ "input": { "planId": plan_id, "expectedVersion": version + 6 } })
                )
                .await
        ),
        "FORBIDDEN",
        "no self-approval"
    );
    let approved = server
        .ok(Some(&rater_token), APPROVE, json!({ "input": { "planId": plan_id, "expectedVersion": version + 6 } }))
        .await;
    assert_eq!(approved["approvePlan"]["plan"]["status"], "APPROVED");

    // The rater decides on the proposal; a different rating needs a reason.
    let proposal = server.ok(Some(&server.admin), r#"query($id: ID!) { node(id: $id) { ... on Plan { proposal { resultRating behaviourRating predikat rulePack { id } explanation } } } }"#, json!({ "id": plan_id })).await["node"]["proposal"].clone();
    assert_eq!(proposal["rulePack"]["id"], "permenpanrb-6-2022");
    assert!(proposal["explanation"]["achievements"].as_array().is_some_and(|a| !a.is_empty()));
    const DECIDE: &str = r#"mutation($input: DecideRatingsInput!) { decideRatings(input: $input) { decision { id predikat resultRating proposedResultRating overrideReason version } } }"#;
    let other_level = if proposal["resultRating"] == "AS_EXPECTED" { "ABOVE_EXPECTATION" } else { "AS_EXPECTED" };
    let unexplained = server.call(Some(&rater_token), DECIDE, json!({ "input": { "planId": plan_id, "resultRating": other_level, "behaviourRating": proposal["behaviourRating"] } })).await;
    assert_eq!(code(&unexplained), "BAD_USER_INPUT");
    assert_eq!(code(&server.call(Some(&staff_token), DECIDE, json!({ "input": { "planId": plan_id, "resultRating": proposal["resultRating"], "behaviourRating": proposal["behaviourRating"] } })).await), "FORBIDDEN");
    let decided = server.ok(Some(&rater_token), DECIDE, json!({ "input": { "planId": plan_id, "resultRating": proposal["resultRating"], "behaviourRating": proposal["behaviourRating"] } })).await["decideRatings"]["decision"].clone();
    assert_eq!(decided["predikat"], proposal["predikat"]);
    const OBJECT: &str =
        r#"mutation($input: FileObjectionInput!) { fileObjection(input: $input) { objection { status } } }"#;
    let early = server
        .call(Some(&staff_token), OBJECT, json!({ "input": { "decisionId": decided["id"], "reasons": "Belum final" } }))
        .await;
    assert_eq!(code(&early), "FAILED_PRECONDITION", "objections follow finalisation");

    // Next year's plan: created by the employee, once.
    const CREATE: &str = r#"mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { year status version approach rater { nip } } } }"#;
    let next_year = json!({ "input": { "nip": staff, "year": year + 1, "approach": "KUANTITATIF" } });
    assert_eq!(code(&server.call(None, CREATE, next_year.clone()).await), "UNAUTHENTICATED");
    let created = server.ok(Some(&staff_token), CREATE, next_year.clone()).await["createPlan"]["plan"].clone();
    assert_eq!(
        created,
        json!({ "year": year + 1, "status": "DRAFT", "version": 1, "approach": "KUANTITATIF", "rater": { "nip": rater } })
    );
    assert_eq!(code(&server.call(Some(&rater_token), CREATE, next_year).await), "CONFLICT");
    let bad_year = server
        .call(Some(&staff_token), CREATE, json!({ "input": { "nip": staff, "year": 1999, "approach": "KUANTITATIF" } }))
        .await;
    assert_eq!(code(&bad_year), "BAD_USER_INPUT");

    // Feedback and a dialogue, and the plan's history.
    const FEEDBACK: &str = r#"mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { kind text behaviour author { nip } } } }"#;
    let feedback = server.ok(Some(&rater_token), FEEDBACK, json!({ "input": { "subjectId": indicator_id, "kind": "PRAISE", "text": "Waktu tanggap membaik", "behaviour": "BERORIENTASI_PELAYANAN" } })).await;
    assert_eq!(feedback["giveFeedback"]["feedback"]["author"]["nip"], rater);
    const DIALOGUE: &str =
        r#"mutation($input: RecordDialogueInput!) { recordDialogue(input: $input) { dialogue { heldOn summary } } }"#;
    server.ok(Some(&rater_token), DIALOGUE, json!({ "input": { "planId": plan_id, "heldOn": format!("{year}-10-06"), "participants": "Kepala Seksi; staf",
        "summary": "Capaian waktu tanggap", "agreedActions": "Jadwal piket akhir pekan" } })).await;
    let history = server.ok(Some(&server.admin), r#"query($id: ID!) { node(id: $id) { ... on Plan { status dialogues { summary } history { action actor { nip } after } } } }"#, json!({ "id": plan_id })).await;
    let actions: Vec<&str> =
        history["node"]["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    // The decision made on the plan earlier in this walk is part of its history.
    assert_eq!(actions, ["plan.reopened", "plan.submitted", "plan.approved", "decision.made"]);
    assert_eq!(history["node"]["history"][0]["after"]["comment"], "Tambah hasil kerja sosialisasi");
    let dialogues = history["node"]["dialogues"].as_array().unwrap();
    assert!(dialogues.iter().any(|d| d["summary"] == "Capaian waktu tanggap"), "{history}");
}

#[tokio::test]
async fn the_evaluation_year_runs_through_the_api_on_every_database() {
    for database in TestDatabase::all("the_evaluation_year_runs_through_the_api_on_every_database").await.unwrap() {
        eprintln!("workflow API on {}", database.backend);
        let server = Server::start(&database.url).await;
        check(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}

const MEMBER_PLAN: &str = r#"query($code: String!) { unit(code: $code) { members(first: 1) { edges { node {
    nip plans { year workResults { indicators { id description realisations { period } } } } } } } } }"#;

/// The first member of a unit, the plan year and the indicator with this description.
async fn indicator_of(server: &Server, unit: &str, description: &str) -> (String, i64, String, Vec<String>) {
    let data = server.ok(Some(&server.admin), MEMBER_PLAN, json!({ "code": unit })).await;
    let member = &data["unit"]["members"]["edges"][0]["node"];
    let plan = &member["plans"][0];
    let indicator = plan["workResults"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["indicators"].as_array().unwrap().clone())
        .find(|i| i["description"] == description)
        .unwrap_or_else(|| panic!("{unit} has '{description}'"));
    let periods = indicator["realisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["period"].as_str().unwrap().to_owned())
        .collect();
    (
        member["nip"].as_str().unwrap().to_owned(),
        plan["year"].as_i64().unwrap(),
        indicator["id"].as_str().unwrap().to_owned(),
        periods,
    )
}

const MAP: &str = r#"mutation($input: SetActivityMappingInput!) { setActivityMapping(input: $input) { mapping { activityKind method field } } }"#;
const REALISATIONS: &str = r#"query($id: ID!) { node(id: $id) { ... on Indicator { realisations { period value source activityRecords { externalId } } } } }"#;

async fn seed_situations(server: &Server) {
    // Dinas Lingkungan Hidup: citizens' cleanliness reports, with received and resolved times, posted as
    // JSON Lines, drive the response-time indicator.
    let (cleaner, year, response_time, periods) =
        indicator_of(server, "DLH-KBR-ADU", "Rata-rata waktu tanggap laporan kebersihan dari warga").await;
    let quarter =
        (1..=4).find(|q| !periods.contains(&format!("{year}-Q{q}"))).expect("a quarter without a realisation");
    // Reports of the quarter open for recording, made in its first minutes (they have all happened).
    let month = quarter * 3 - 2;
    server
        .ok(Some(&token(&cleaner, "employee")), MAP, json!({ "input": { "indicatorId": response_time, "activityKind": "cleanliness_report", "method": "MEAN", "field": "hours_between:received_at:resolved_at" } }))
        .await;
    let line = |id: &str, nip: &str, day: u32, hours: u32| {
        json!({ "kind": "cleanliness_report", "external_id": id, "nip": nip, "occurred_at": format!("{year}-{month:02}-01T00:{day:02}:00Z"),
            "attributes": { "received_at": format!("{year}-{month:02}-01T00:{day:02}:00Z"), "resolved_at": format!("{year}-{month:02}-01T{hours:02}:{day:02}:00Z"), "kelurahan": "Jebres" } })
        .to_string()
    };
    let broken = format!(
        "{}\n{{\"kind\": \"cleanliness_report\"}}\n{}",
        line("ADU-1", &cleaner, 3, 4),
        line("ADU-2", "199912312025011001", 4, 2)
    );
    let response = server.ingest(broken).await;
    assert_eq!(response.status(), 400);
    let refused: Value = response.json().await.unwrap();
    assert!(refused["problems"][0].as_str().unwrap().starts_with("line 2: missing field"), "{refused}");
    let unknown = format!("{}\n{}", line("ADU-1", &cleaner, 3, 4), line("ADU-2", "199912312025011001", 4, 2));
    let response = server.ingest(unknown).await;
    assert_eq!(response.status(), 422);
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["problems"], json!(["line 2: nip: no employee has NIP 199912312025011001"]));
    let good =
        [line("ADU-1", &cleaner, 3, 4), line("ADU-2", &cleaner, 4, 2), line("ADU-3", &cleaner, 5, 12)].join("\n");
    let response = server.ingest(good).await;
    assert_eq!(response.status(), 200);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!((accepted["accepted"].as_u64(), accepted["realisations_updated"].as_u64()), (Some(3), Some(1)));
    let realisations = server.ok(Some(&server.admin), REALISATIONS, json!({ "id": response_time })).await;
    let derived = realisations["node"]["realisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period"] == format!("{year}-Q{quarter}"))
        .cloned()
        .expect("derived realisation");
    assert_eq!(derived["value"], "6", "(4 + 2 + 12) / 3 hours");
    assert_eq!(derived["source"], "activity:cleanliness_report");
    assert_eq!(derived["activityRecords"].as_array().unwrap().len(), 3);

    // Dinas Kesehatan: service visits recorded by the health application, posted through the mutation.
    let (nurse, year, visits, periods) =
        indicator_of(server, "DINKES-PKM-PAJANG", "Jumlah kunjungan pelayanan kesehatan yang dilayani").await;
    let quarter =
        (1..=4).find(|q| !periods.contains(&format!("{year}-Q{q}"))).expect("a quarter without a realisation");
    server
        .ok(
            Some(&token(&nurse, "employee")),
            MAP,
            json!({ "input": { "indicatorId": visits, "activityKind": "health_service_visit", "method": "COUNT" } }),
        )
        .await;
    const INGEST: &str = r#"mutation($input: IngestActivitiesInput!) { ingestActivities(input: $input) { accepted realisations { period value source } skipped } }"#;
    let visit = |id: u32| json!({ "kind": "health_service_visit", "externalId": format!("SIMPUS-{id}"), "nip": nurse, "occurredAt": format!("{year}-{:02}-01T00:{id:02}:00Z", quarter * 3 - 2), "attributes": { "layanan": "imunisasi" } });
    let ingested = server
        .ok(Some(&server.admin), INGEST, json!({ "input": { "records": [visit(1), visit(2), visit(3), visit(4)] } }))
        .await["ingestActivities"]
        .clone();
    assert_eq!(ingested["accepted"], 4);
    assert_eq!(
        ingested["realisations"],
        json!([{ "period": format!("{year}-Q{quarter}"), "value": "4", "source": "activity:health_service_visit" }])
    );
    // A visit that has not happened yet would realise a period not begun.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let early =
        json!({ "kind": "health_service_visit", "externalId": "SIMPUS-99", "nip": nurse, "occurredAt": tomorrow });
    let refused = server.call(Some(&server.admin), INGEST, json!({ "input": { "records": [visit(6), early] } })).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert_eq!(
        refused["errors"][0]["extensions"]["problems"],
        json!([format!("line 2: occurred_at {} is in the future", tomorrow.replace('T', " ").replace('Z', " UTC"))])
    );
    let again = server.call(Some(&server.admin), INGEST, json!({ "input": { "records": [visit(5), visit(1)] } })).await;
    assert_eq!(code(&again), "BAD_USER_INPUT");
    assert_eq!(
        again["errors"][0]["extensions"]["problems"],
        json!(["line 2: health_service_visit record 'SIMPUS-1' was already received"])
    );
}

#[tokio::test]
async fn activity_feeds_drive_realisations_on_every_database() {
    for database in TestDatabase::all("activity_feeds_drive_realisations_on_every_database").await.unwrap() {
        eprintln!("activity feeds on {}", database.backend);
        let server = Server::start(&database.url).await;
        seed_situations(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
