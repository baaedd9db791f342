//! Evaluation as self-development, on the demo city, on SQLite and PostgreSQL, through the API only: the
//! rater asks colleagues for feedback on behaviour, which the employee reads only once three have
//! answered and never who said what; colleagues send appreciations; the employee's development plan is
//! agreed, kept and puts them on the recognition list; the unit's culture figures count all of it; an
//! open goal goes on into next year's plan; and bad input is refused, naming what is wrong.

mod common;

use common::{Server, code, token};
use serde_json::{Value, json};

const MEMBERS: &str = r#"query($year: Int!) { unit(code: "SKA") { members(first: 700, includeDescendants: true) {
    nodes { nip unit { code } plans { id year status rater { nip } decision { id } workResults { id } }
      developmentPlan(year: $year) { goals { id } } appreciations(year: $year) { message } } } } }"#;

const INVITE: &str = r#"mutation($input: InviteBehaviourFeedbackInput!) { inviteBehaviourFeedback(input: $input) {
    requests { id relation employeeName answeredAt } } }"#;

const ANSWER: &str = r#"mutation($input: AnswerBehaviourFeedbackInput!) { answerBehaviourFeedback(input: $input) {
    request { id answeredAt answers { value level note } } } }"#;

const FEEDBACK: &str = r#"query($id: ID!) { node(id: $id) { ... on Plan {
    behaviourFeedback { respondentName relation answeredAt answers { value level note } }
    behaviourFeedbackSummary { invited answered shown withheldReason
      values { value belowExpectation asExpected aboveExpectation } } } } }"#;

const REQUESTS: &str = r#"{ viewer { feedbackRequests { id employeeName year answeredAt } } }"#;

const APPRECIATE: &str = r#"mutation($input: SendAppreciationInput!) { sendAppreciation(input: $input) {
    appreciation { senderName value workResult { id } message } } }"#;

const APPRECIATIONS: &str = r#"query($nip: String!, $year: Int!) { employee(nip: $nip) {
    appreciations(year: $year) { senderName value workResult { id } message sentAt } } }"#;

const PROPOSE: &str = r#"mutation($input: ProposeDevelopmentGoalInput!) { proposeDevelopmentGoal(input: $input) {
    goal { id status version activities { id kind classical kindTitle title plannedHours } } } }"#;

const AGREE: &str = r#"mutation($input: GoalRefInput!) { agreeDevelopmentGoal(input: $input) {
    goal { id status version agreedBy { nip } } } }"#;

const WITHDRAW: &str =
    r#"mutation($input: GoalRefInput!) { withdrawDevelopmentGoal(input: $input) { withdrawnGoalId } }"#;

const RECORD: &str = r#"mutation($input: RecordDevelopmentActivityInput!) { recordDevelopmentActivity(input: $input) {
    goal { status activities { done creditedHours } } } }"#;

const PLAN: &str = r#"query($nip: String!, $year: Int!) { employee(nip: $nip) { developmentPlan(year: $year) {
    kept plannedHours creditedHours goals { id status carriedFrom competency activities { title done } } } } }"#;

const RECOGNITION: &str = r#"query($code: String!, $year: Int!) { unit(code: $code) { recognitionList(year: $year) {
    employee { nip } predikat keptDevelopmentPlan appreciations reasons } } }"#;

const GROWTH: &str = r#"query($nip: String!) { employee(nip: $nip) { growth { year lessonHours goalsAgreed
    goalsAchieved appreciations periods { period resultRating behaviourRating predikat } result { predikat } } } }"#;

const HOURS: &str =
    r#"query($nip: String!, $year: Int!) { employee(nip: $nip) { developmentHours(year: $year) { hours } } }"#;

const CULTURE: &str = r#"query($code: String!, $year: Int!) { unit(code: $code) { cultureFigures(year: $year) {
    people appreciationsPerPerson colleagueAnswersPerPerson developmentPlanPercent developmentPlansKeptPercent } } }"#;

struct Cast {
    year: i64,
    employee: String,
    rater: String,
    unit: String,
    plan_id: Value,
    work_result: Value,
    colleagues: Vec<String>,
    stranger: String,
}

/// An employee with an approved, undecided plan, no development goal and no appreciation yet, their rater, four colleagues of their perangkat daerah, and someone
/// of another perangkat daerah.
async fn cast(server: &Server) -> Cast {
    let trend = server.ok(Some(&server.admin), r#"{ unit(code: "SKA") { trend { period } } }"#, json!({})).await;
    let period = trend["unit"]["trend"].as_array().unwrap().last().unwrap()["period"].as_str().unwrap().to_owned();
    let year: i64 = period[..4].parse().unwrap();
    let members = server.ok(Some(&server.admin), MEMBERS, json!({ "year": year })).await;
    let nodes = members["unit"]["members"]["nodes"].as_array().unwrap();
    let agency_of = |m: &Value| m["unit"]["code"].as_str().unwrap().split('-').next().unwrap().to_owned();
    let in_agency = |agency: &str| nodes.iter().filter(|m| agency_of(m) == agency).count();
    let (employee, plan) = nodes
        .iter()
        .flat_map(|m| m["plans"].as_array().unwrap().iter().map(move |p| (m, p)))
        .find(|(m, p)| {
            p["status"] == "APPROVED"
                && p["year"] == year
                && m["developmentPlan"]["goals"].as_array().unwrap().is_empty()
                && m["appreciations"].as_array().unwrap().is_empty()
                && p["decision"].is_null()
                && !p["rater"].is_null()
                && !p["workResults"].as_array().unwrap().is_empty()
                && in_agency(&agency_of(m)) >= 8
        })
        .expect("an approved, undecided plan in a perangkat daerah of eight or more");
    let rater = plan["rater"]["nip"].as_str().unwrap().to_owned();
    let unit = employee["unit"]["code"].as_str().unwrap().to_owned();
    let nip = employee["nip"].as_str().unwrap().to_owned();
    let agency = agency_of(employee);
    let colleagues: Vec<String> = nodes
        .iter()
        .filter(|m| agency_of(m) == agency)
        .map(|m| m["nip"].as_str().unwrap().to_owned())
        .filter(|n| *n != nip && *n != rater)
        .take(4)
        .collect();
    assert_eq!(colleagues.len(), 4, "four colleagues in {agency}");
    let stranger = nodes
        .iter()
        .find(|m| agency_of(m) != agency)
        .map(|m| m["nip"].as_str().unwrap().to_owned())
        .expect("someone of another perangkat daerah");
    Cast {
        year: plan["year"].as_i64().unwrap(),
        employee: nip,
        rater,
        unit,
        plan_id: plan["id"].clone(),
        work_result: plan["workResults"][0]["id"].clone(),
        colleagues,
        stranger,
    }
}

async fn colleagues_give_feedback_the_employee_reads_only_aggregated(server: &Server, cast: &Cast) {
    let rater = token(&cast.rater, "rater");
    let own = token(&cast.employee, "employee");
    let invite = |respondents: Vec<&str>| json!({ "input": { "planId": cast.plan_id, "respondents": respondents } });
    let refused = server.call(Some(&own), INVITE, invite(vec![&cast.colleagues[0]])).await;
    assert_eq!(code(&refused), "FORBIDDEN", "the employee does not pick who judges them: {refused}");
    let refused = server.call(Some(&rater), INVITE, invite(vec![&cast.colleagues[0], &cast.employee])).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("respondents[1]"), "{refused}");
    let refused = server.call(Some(&rater), INVITE, invite(vec![&cast.stranger])).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "peers come from the employee's own perangkat daerah: {refused}");
    let refused = server.call(Some(&rater), INVITE, invite(vec![])).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
    let refused = server.call(Some(&rater), INVITE, invite(vec!["19850101"])).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "a malformed NIP is named: {refused}");
    let summary = server.ok(Some(&own), FEEDBACK, json!({ "id": cast.plan_id })).await;
    assert!(
        summary["node"]["behaviourFeedbackSummary"].is_null(),
        "nothing asked, nothing refused left behind: {summary}"
    );

    let invited = server.ok(Some(&rater), INVITE, invite(cast.colleagues.iter().map(String::as_str).collect())).await;
    let requests = invited["inviteBehaviourFeedback"]["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 4, "{invited}");
    let again = server.call(Some(&rater), INVITE, invite(vec![&cast.colleagues[0]])).await;
    assert_eq!(code(&again), "FAILED_PRECONDITION", "each colleague is asked once: {again}");

    let levels = ["ABOVE_EXPECTATION", "AS_EXPECTED", "AS_EXPECTED", "BELOW_EXPECTATION"];
    let mut answered = 0;
    for (colleague, level) in cast.colleagues.iter().zip(levels) {
        let mine = server.ok(Some(&token(colleague, "employee")), REQUESTS, json!({})).await;
        let request = mine["viewer"]["feedbackRequests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["answeredAt"].is_null() && r["year"] == cast.year)
            .cloned()
            .expect("the request reaches the colleague");
        assert!(!request["employeeName"].as_str().unwrap().is_empty(), "{request}");
        let input = json!({ "input": { "requestId": request["id"], "answers": [
            { "value": "KOLABORATIF", "level": level, "note": "Selalu membantu rekan satu tim" },
            { "value": "KOMPETEN", "level": "AS_EXPECTED" }] } });
        server.ok(Some(&token(colleague, "employee")), ANSWER, input.clone()).await;
        answered += 1;
        let twice = server.call(Some(&token(colleague, "employee")), ANSWER, input).await;
        assert_eq!(code(&twice), "FAILED_PRECONDITION", "an answer is given once: {twice}");
        let read = server.ok(Some(&own), FEEDBACK, json!({ "id": cast.plan_id })).await;
        let summary = &read["node"]["behaviourFeedbackSummary"];
        assert!(read["node"]["behaviourFeedback"].is_null(), "the employee never reads single answers: {read}");
        assert_eq!(summary["answered"], answered, "{read}");
        assert_eq!(summary["invited"], 4, "{read}");
        if answered < 4 {
            // Until the round closes, a count that moved with one answer would tell that answer.
            assert_eq!(summary["shown"], false, "{read}");
            assert_eq!(summary["values"], json!([]), "nothing shown while the round is open: {read}");
            assert!(summary["withheldReason"].as_str().unwrap().contains("sedikitnya 3 orang"), "{read}");
        } else {
            assert_eq!(summary["shown"], true, "{read}");
            assert!(summary["withheldReason"].is_null(), "{read}");
            let kolaboratif =
                summary["values"].as_array().unwrap().iter().find(|v| v["value"] == "KOLABORATIF").unwrap();
            assert_eq!(kolaboratif["aboveExpectation"], 1, "{read}");
            assert_eq!(kolaboratif["asExpected"], 2, "{read}");
            assert_eq!(kolaboratif["belowExpectation"], 1, "{read}");
        }
    }
    let closed = server.call(Some(&rater), INVITE, invite(vec![&cast.stranger])).await;
    assert_eq!(code(&closed), "FAILED_PRECONDITION", "a closed round takes no one more: {closed}");
    // The rater reads every answer, with who gave it.
    let read = server.ok(Some(&rater), FEEDBACK, json!({ "id": cast.plan_id })).await;
    let all = read["node"]["behaviourFeedback"].as_array().unwrap();
    assert_eq!(all.len(), 4, "{read}");
    assert_eq!(all.iter().filter(|r| !r["answeredAt"].is_null()).count(), 4, "{read}");
    assert!(
        all.iter().any(|r| r["answers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["note"] == "Selalu membantu rekan satu tim"))
    );
    let analyst =
        server.call(Some(&token(&server.analyst_nip, "analyst")), FEEDBACK, json!({ "id": cast.plan_id })).await;
    let plan = &analyst["data"]["node"];
    assert!(
        plan.is_null() || (plan["behaviourFeedback"].is_null() && plan["behaviourFeedbackSummary"].is_null()),
        "analysts read no colleague's feedback: {analyst}"
    );
}

async fn colleagues_send_appreciations(server: &Server, cast: &Cast) {
    let colleague = token(&cast.colleagues[0], "employee");
    let send = |input: Value| json!({ "input": input });
    server
        .ok(
            Some(&colleague),
            APPRECIATE,
            send(json!({ "nip": cast.employee, "year": cast.year, "workResultId": cast.work_result,
                         "message": "Terima kasih, laporan triwulan selesai lebih cepat" })),
        )
        .await;
    server
        .ok(
            Some(&token(&cast.rater, "rater")),
            APPRECIATE,
            send(json!({ "nip": cast.employee, "year": cast.year, "value": "KOLABORATIF",
                         "message": "Membantu bidang lain saat tenggat" })),
        )
        .await;
    let refused = server
        .call(
            Some(&colleague),
            APPRECIATE,
            send(json!({ "nip": cast.colleagues[0], "year": cast.year, "value": "LOYAL", "message": "Untuk saya" })),
        )
        .await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "not to oneself: {refused}");
    let refused = server
        .call(
            Some(&token(&cast.stranger, "employee")),
            APPRECIATE,
            send(json!({ "nip": cast.employee, "year": cast.year, "value": "LOYAL", "message": "Bagus" })),
        )
        .await;
    assert_eq!(code(&refused), "FORBIDDEN", "appreciations stay within a perangkat daerah: {refused}");
    let refused = server
        .call(
            Some(&colleague),
            APPRECIATE,
            send(json!({ "nip": cast.employee, "year": cast.year, "value": "LOYAL", "workResultId": cast.work_result,
                         "message": "Dua hal" })),
        )
        .await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");

    let read = server
        .ok(Some(&token(&cast.employee, "employee")), APPRECIATIONS, json!({ "nip": cast.employee, "year": cast.year }))
        .await;
    let received = read["employee"]["appreciations"].as_array().unwrap();
    assert_eq!(received.len(), 2, "{read}");
    assert!(received.iter().any(|a| a["workResult"]["id"] == cast.work_result), "{read}");
    assert!(received.iter().any(|a| a["value"] == "KOLABORATIF"), "{read}");
    assert!(received.iter().all(|a| !a["senderName"].as_str().unwrap().is_empty()), "never anonymous: {read}");
}

async fn a_kept_development_plan_puts_the_employee_on_the_recognition_list(server: &Server, cast: &Cast) {
    let own = token(&cast.employee, "employee");
    let rater = token(&cast.rater, "rater");
    let year = cast.year;
    let propose = |activities: Value| {
        json!({ "input": { "nip": cast.employee, "year": year, "competency": "Kolaborasi lintas bidang",
                           "target": "Memimpin satu rapat koordinasi lintas bidang", "activities": activities } })
    };
    // Bad input is refused, naming what is wrong, and leaves nothing behind.
    for (activities, expected, names) in [
        (json!([]), "BAD_USER_INPUT", "activities"),
        (json!([{ "programme": "TIDAKADA" }]), "BAD_USER_INPUT", "TIDAKADA"),
        (json!([{ "kind": "COACHING", "title": "Coaching", "plannedHours": 0 }]), "BAD_USER_INPUT", "plannedHours"),
        (json!([{ "kind": "COACHING", "title": "Coaching" }]), "BAD_USER_INPUT", "activities[0]"),
        (
            json!([{ "kind": "COACHING", "title": "Coaching", "plannedHours": 2, "plannedOn": format!("{}-01-05", year + 1) }]),
            "BAD_USER_INPUT",
            "plannedOn",
        ),
    ] {
        let refused = server.call(Some(&own), PROPOSE, propose(activities)).await;
        assert_eq!(code(&refused), expected, "{refused}");
        assert!(refused["errors"][0]["message"].as_str().unwrap().contains(names), "{refused}");
    }
    let past = server
        .call(
            Some(&own),
            PROPOSE,
            json!({ "input": { "nip": cast.employee, "year": year - 1, "competency": "x", "target": "y",
                               "activities": [{ "kind": "SELF_STUDY", "title": "Membaca", "plannedHours": 2 }] } }),
        )
        .await;
    assert_eq!(code(&past), "BAD_USER_INPUT", "a year that has ended: {past}");
    let plan = server.ok(Some(&own), PLAN, json!({ "nip": cast.employee, "year": year })).await;
    assert_eq!(plan["employee"]["developmentPlan"]["goals"], json!([]), "nothing left behind: {plan}");

    let proposed = server
        .ok(
            Some(&own),
            PROPOSE,
            propose(json!([{ "kind": "COACHING", "title": "Coaching kolaborasi oleh atasan", "plannedHours": 3 }])),
        )
        .await;
    let goal = proposed["proposeDevelopmentGoal"]["goal"].clone();
    assert_eq!(goal["activities"][0]["kindTitle"], "Coaching", "{goal}");
    let stale =
        server.call(Some(&rater), AGREE, json!({ "input": { "goalId": goal["id"], "expectedVersion": 99 } })).await;
    assert_eq!(code(&stale), "CONFLICT", "{stale}");
    let agreed = server
        .ok(Some(&rater), AGREE, json!({ "input": { "goalId": goal["id"], "expectedVersion": goal["version"] } }))
        .await;
    assert_eq!(agreed["agreeDevelopmentGoal"]["goal"]["agreedBy"]["nip"], cast.rater.as_str(), "{agreed}");
    let twice = server.call(Some(&rater), AGREE, json!({ "input": { "goalId": goal["id"] } })).await;
    assert_eq!(code(&twice), "FAILED_PRECONDITION", "{twice}");
    let withdraw = server.call(Some(&own), WITHDRAW, json!({ "input": { "goalId": goal["id"] } })).await;
    assert_eq!(code(&withdraw), "FAILED_PRECONDITION", "an agreed goal is not withdrawn: {withdraw}");
    let activity = &goal["activities"][0]["id"];
    let record = |hours: i64| {
        json!({ "input": { "activityId": activity, "startedOn": format!("{year}-10-01"), "finishedOn": format!("{year}-10-02"),
                           "hours": hours, "evidence": "Catatan coaching" } })
    };
    let refused = server.call(Some(&own), RECORD, record(3)).await;
    assert_eq!(code(&refused), "FORBIDDEN", "the employee does not credit themself: {refused}");
    let done = server.ok(Some(&rater), RECORD, record(3)).await;
    assert_eq!(done["recordDevelopmentActivity"]["goal"]["status"], "ACHIEVED", "{done}");
    let plan = server.ok(Some(&own), PLAN, json!({ "nip": cast.employee, "year": year })).await;
    assert_eq!(plan["employee"]["developmentPlan"]["kept"], true, "{plan}");
    assert_eq!(plan["employee"]["developmentPlan"]["creditedHours"], 3, "{plan}");

    let list = server.ok(Some(&server.admin), RECOGNITION, json!({ "code": cast.unit, "year": year })).await;
    let entry = list["unit"]["recognitionList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["employee"]["nip"] == cast.employee.as_str())
        .cloned()
        .expect("a kept development plan puts the employee on the recognition list");
    assert_eq!(entry["keptDevelopmentPlan"], true, "{entry}");
    assert_eq!(entry["appreciations"], 2, "{entry}");
    assert!(entry["reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("rencana pengembangan")));
    let refused = server
        .call(Some(&token(&server.analyst_nip, "analyst")), RECOGNITION, json!({ "code": cast.unit, "year": year }))
        .await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");

    // The employee's own growth shows the year: what they learnt, planned and were thanked for.
    let growth = server.ok(Some(&own), GROWTH, json!({ "nip": cast.employee })).await;
    let years = growth["employee"]["growth"].as_array().unwrap();
    let this = years.iter().find(|y| y["year"] == year).expect("the year is in the employee's growth");
    assert_eq!(this["appreciations"], 2, "{this}");
    assert_eq!(this["goalsAgreed"], 1, "{this}");
    assert_eq!(this["goalsAchieved"], 1, "{this}");
    let hours = server.ok(Some(&own), HOURS, json!({ "nip": cast.employee, "year": year })).await;
    assert_eq!(this["lessonHours"], hours["employee"]["developmentHours"]["hours"], "{this}");
    assert!(!this["periods"].as_array().unwrap().is_empty(), "the year's periods as scored: {this}");
    assert!(years.windows(2).all(|w| w[0]["year"].as_i64() > w[1]["year"].as_i64()), "newest first: {growth}");
    // The result itself reads as a step of development, in Bahasa Indonesia.
    let proposal = server
        .ok(
            Some(&own),
            r#"query($id: ID!) { node(id: $id) { ... on Plan { proposal { predikat reading } } } }"#,
            json!({ "id": cast.plan_id }),
        )
        .await;
    let reading = proposal["node"]["proposal"]["reading"].as_str().unwrap();
    assert!(reading.starts_with("Hasil kerja ") && reading.contains("predikat kinerja "), "{proposal}");
    let refused =
        server.call(Some(&token(&server.analyst_nip, "analyst")), GROWTH, json!({ "nip": cast.employee })).await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");

    let culture = server.ok(Some(&server.admin), CULTURE, json!({ "code": cast.unit, "year": year })).await;
    let figures = &culture["unit"]["cultureFigures"];
    let people = figures["people"].as_u64().unwrap() as f64;
    let number =
        |field: &str| figures[field].as_str().map_or_else(|| figures[field].as_f64().unwrap(), |s| s.parse().unwrap());
    assert!(number("appreciationsPerPerson") >= (2.0 / people * 100.0).floor() / 100.0, "{culture}");
    assert!(number("colleagueAnswersPerPerson") > 0.0, "{culture}");
    assert!(number("developmentPlanPercent") > 0.0, "{culture}");
    assert!(number("developmentPlansKeptPercent") > 0.0, "{culture}");
}

async fn an_open_goal_goes_on_into_next_years_plan(server: &Server, cast: &Cast) {
    let own = token(&cast.employee, "employee");
    let year = cast.year;
    let proposed = server
        .ok(
            Some(&own),
            PROPOSE,
            json!({ "input": { "nip": cast.employee, "year": year, "competency": "Analisis data kepegawaian", "target": "Menyusun dasbor sendiri",
                               "activities": [{ "kind": "E_LEARNING", "title": "Kelas daring analisis data", "plannedHours": 10 }] } }),
        )
        .await;
    let goal_id = proposed["proposeDevelopmentGoal"]["goal"]["id"].clone();
    let created = server
        .call(
            Some(&own),
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { year } } }",
            json!({ "input": { "nip": cast.employee, "year": year + 1, "approach": "KUANTITATIF" } }),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let next = server.ok(Some(&own), PLAN, json!({ "nip": cast.employee, "year": year + 1 })).await;
    let goals = next["employee"]["developmentPlan"]["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 1, "{next}");
    assert_eq!(goals[0]["carriedFrom"], goal_id, "{next}");
    assert_eq!(goals[0]["status"], "PROPOSED", "to be agreed again with next year's rater: {next}");
    let this = server.ok(Some(&own), PLAN, json!({ "nip": cast.employee, "year": year })).await;
    let old =
        this["employee"]["developmentPlan"]["goals"].as_array().unwrap().iter().find(|g| g["id"] == goal_id).cloned();
    assert_eq!(old.unwrap()["status"], "CARRIED", "{this}");
    assert_eq!(this["employee"]["developmentPlan"]["kept"], false, "a carried goal is not kept: {this}");
}

const STORY: &str = r#"query($year: Int!) { unit(code: "SKA") {
    talentBoxes(year: $year) { box count }
    professionalism(year: $year) { people unscored }
    recognitionList(year: $year) { keptDevelopmentPlan }
    cultureFigures(year: $year) { selfAssessedPercent appreciationsPerPerson developmentPlanPercent
      developmentPlansKeptPercent } } }"#;

/// The demo city as loaded tells the year as development: talent boxes and the Indeks Profesionalitas
/// filled from the year so far, self-assessments, appreciations, development plans kept, and people on
/// the recognition list.
async fn the_demo_city_tells_the_story(server: &Server, year: i64) {
    let story = server.ok(Some(&server.admin), STORY, json!({ "year": year })).await;
    let unit = &story["unit"];
    let boxed: i64 = unit["talentBoxes"].as_array().unwrap().iter().map(|b| b["count"].as_i64().unwrap()).sum();
    assert!(boxed > 100, "talent boxes filled on load: {story}");
    let scored = unit["professionalism"]["people"].as_i64().unwrap();
    assert!(scored > unit["professionalism"]["unscored"].as_i64().unwrap(), "IP ASN filled on load: {story}");
    assert!(unit["recognitionList"].as_array().unwrap().iter().any(|e| e["keptDevelopmentPlan"] == true), "{story}");
    let culture = &unit["cultureFigures"];
    for figure in
        ["selfAssessedPercent", "appreciationsPerPerson", "developmentPlanPercent", "developmentPlansKeptPercent"]
    {
        let value: f64 =
            culture[figure].as_str().map_or_else(|| culture[figure].as_f64().unwrap(), |s| s.parse().unwrap());
        assert!(value > 0.0, "{figure} on the demo: {story}");
    }
}

#[tokio::test]
async fn evaluation_serves_self_development_on_every_database() {
    for database in
        kinerja_store::test_support::TestDatabase::all("evaluation_serves_self_development_on_every_database")
            .await
            .unwrap()
    {
        eprintln!("self-development on {}", database.backend);
        let server = Server::start(&database.url).await;
        let cast = cast(&server).await;
        the_demo_city_tells_the_story(&server, cast.year).await;
        colleagues_give_feedback_the_employee_reads_only_aggregated(&server, &cast).await;
        colleagues_send_appreciations(&server, &cast).await;
        a_kept_development_plan_puts_the_employee_on_the_recognition_list(&server, &cast).await;
        an_open_goal_goes_on_into_next_years_plan(&server, &cast).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
