//! Who may see and change what, field by field of the SDL: every root query, mutation and subscription
//! runs as every role against records inside and outside that role's scope. The test asserts allowed
//! or denied, and that nothing out of scope (a NIP, a name, a plan id) appears anywhere in a response.
//! A root field added to the SDL without a row here fails the test.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{Server, Socket, code, token};
use futures::StreamExt;
use kinerja_domain::Role;
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// One employee of the demo city, with what the rows need to aim at their records.
#[derive(Debug, Clone)]
struct Person {
    nip: String,
    name: String,
    unit: String,
    plan_id: String,
    plan_version: i64,
    year: i64,
    rater: Option<String>,
    work_result_id: String,
    indicator_id: String,
    realisation_id: String,
    realisation_version: i64,
    position_kind: String,
    /// One of the person's training needs of the plan year.
    need_id: String,
    /// The first quarter of the plan year that has begun and has no realisation on the indicator.
    open_period: String,
    /// The first day of that quarter.
    open_start: String,
    /// The perangkat daerah (or kecamatan) the person works in, which holds an organisation predikat.
    perangkat: String,
    /// A goal of the person's development plan and its activity (the employee's proposed, the outsider's
    /// agreed); empty for the others.
    goal_id: String,
    activity_id: String,
}

const PERSON: &str = r#"query($nip: String!) { employee(nip: $nip) { nip name
    unit { code kind ancestors { code kind } } position { kind } plans {
    id version year rater { nip }
    workResults { id indicators { id realisations { id version period } } } } } }"#;

async fn person(server: &Server, nip: &str) -> Person {
    let data = server.ok(Some(&server.admin), PERSON, json!({ "nip": nip })).await;
    let employee = &data["employee"];
    let plan = &employee["plans"][0];
    let result = &plan["workResults"][0];
    let indicator = &result["indicators"][0];
    let realisation = &indicator["realisations"][0];
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let needs = server
        .ok(
            Some(&server.admin),
            "query($nip: String!, $year: Int!) { employee(nip: $nip) { trainingNeeds(year: $year) { id } } }",
            json!({ "nip": nip, "year": plan["year"] }),
        )
        .await;
    let year = plan["year"].as_i64().unwrap();
    let recorded: Vec<&str> =
        indicator["realisations"].as_array().unwrap().iter().filter_map(|r| r["period"].as_str()).collect();
    let open_period = (1..=4)
        .map(|quarter| (quarter, format!("{year}-Q{quarter}")))
        .find(|(quarter, period)| {
            let begins = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).unwrap(), quarter * 3 - 2, 1).unwrap();
            begins <= chrono::Utc::now().date_naive() && !recorded.contains(&period.as_str())
        })
        .unwrap_or_else(|| panic!("the demo left no begun, unrecorded quarter of {year} on {nip}'s indicator"));
    let (quarter, open_period) = open_period;
    let unit = &employee["unit"];
    let perangkat = std::iter::once(unit)
        .chain(unit["ancestors"].as_array().unwrap())
        .find(|u| u["kind"] == "PERANGKAT_DAERAH" || u["kind"] == "KECAMATAN")
        .map(|u| text(&u["code"]))
        .unwrap_or_else(|| panic!("{nip} works in no perangkat daerah"));
    Person {
        perangkat,
        open_start: format!("{year}-{:02}-01", quarter * 3 - 2),
        open_period,
        need_id: text(&needs["employee"]["trainingNeeds"][0]["id"]),
        nip: text(&employee["nip"]),
        name: text(&employee["name"]),
        unit: text(&employee["unit"]["code"]),
        plan_id: text(&plan["id"]),
        plan_version: plan["version"].as_i64().unwrap(),
        year: plan["year"].as_i64().unwrap(),
        rater: plan["rater"]["nip"].as_str().map(str::to_owned),
        work_result_id: text(&result["id"]),
        indicator_id: text(&indicator["id"]),
        realisation_id: text(&realisation["id"]),
        realisation_version: realisation["version"].as_i64().unwrap_or(1),
        position_kind: text(&employee["position"]["kind"]),
        goal_id: String::new(),
        activity_id: String::new(),
    }
}

/// Gives `person` a goal of their development plan, agreed by their rater when `agreed`.
async fn with_goal(server: &Server, mut person: Person, agreed: bool) -> Person {
    let proposed = server
        .ok(
            Some(&token(&person.nip, "employee")),
            "mutation($input: ProposeDevelopmentGoalInput!) { proposeDevelopmentGoal(input: $input) {
               goal { id version activities { id } } } }",
            json!({ "input": { "nip": person.nip, "year": person.year, "competency": "Pelayanan publik",
                               "target": "Survei kepuasan di atas 80", "activities": [
                                 { "kind": "SELF_STUDY", "title": "Belajar mandiri standar pelayanan", "plannedHours": 2 }] } }),
        )
        .await;
    let goal = &proposed["proposeDevelopmentGoal"]["goal"];
    person.goal_id = goal["id"].as_str().unwrap().to_owned();
    person.activity_id = goal["activities"][0]["id"].as_str().unwrap().to_owned();
    if agreed {
        let rater = token(person.rater.as_deref().expect("the outsider has a rater"), "rater");
        server
            .ok(
                Some(&rater),
                "mutation($input: GoalRefInput!) { agreeDevelopmentGoal(input: $input) { goal { status } } }",
                json!({ "input": { "goalId": person.goal_id } }),
            )
            .await;
    }
    person
}

/// The id of a feedback request that is nobody's: a request id made of the person's plan id.
fn unsent_request_id(person: &Person) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let plan = String::from_utf8(engine.decode(&person.plan_id).unwrap()).unwrap();
    engine.encode(plan.replacen("Plan:", "FeedbackRequest:", 1))
}

async fn member_nips(server: &Server, unit: &str) -> Vec<String> {
    const MEMBERS: &str = r#"query($code: String!) { unit(code: $code) {
        members(first: 100, includeDescendants: true) { edges { node { nip } } } } }"#;
    let data = server.ok(Some(&server.admin), MEMBERS, json!({ "code": unit })).await;
    data["unit"]["members"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["nip"].as_str().unwrap().to_owned())
        .collect()
}

/// The cast: an employee, a colleague rated by the same rater, that rater, the head above the rater,
/// and an outsider in another perangkat daerah.
struct World {
    employee: Person,
    colleague: Person,
    rater: Person,
    head: Person,
    outsider: Person,
}

async fn world(server: &Server) -> World {
    let staff = member_nips(server, "DLH").await;
    let mut people = Vec::new();
    for nip in &staff {
        people.push(person(server, nip).await);
    }
    // Two people with the same rater, who has a rater in turn.
    let (employee, colleague) = people
        .iter()
        .flat_map(|a| people.iter().map(move |b| (a, b)))
        .find(|(a, b)| {
            a.nip != b.nip
                && a.rater.is_some()
                && a.rater == b.rater
                && people.iter().any(|r| Some(&r.nip) == a.rater.as_ref() && r.rater.is_some())
        })
        .map(|(a, b)| (a.clone(), b.clone()))
        .expect("two colleagues with the same rater");
    let rater = person(server, employee.rater.as_deref().unwrap()).await;
    let head = person(server, rater.rater.as_deref().unwrap()).await;
    let outsider = person(server, &member_nips(server, "DINKES-PKM-GILINGAN").await[1]).await;
    let employee = with_goal(server, employee, false).await;
    let outsider = with_goal(server, outsider, true).await;
    World { employee, colleague, rater, head, outsider }
}

const ROLES: [Role; 6] = Role::ALL;

impl World {
    fn subject(&self, role: Role, server: &Server) -> String {
        match role {
            Role::Employee => self.employee.nip.clone(),
            Role::Rater => self.rater.nip.clone(),
            Role::UnitHead => self.head.nip.clone(),
            Role::HrAdmin => server.admin_nip.clone(),
            Role::Analyst => server.analyst_nip.clone(),
            Role::Auditor => server.auditor_nip.clone(),
        }
    }

    fn targets(&self) -> [&Person; 3] {
        [&self.employee, &self.colleague, &self.outsider]
    }

    /// Whether a role reaches a person's records.
    fn reaches(&self, role: Role, target: &Person) -> bool {
        match role {
            Role::Employee => target.nip == self.employee.nip,
            Role::Rater | Role::UnitHead => target.nip != self.outsider.nip,
            Role::HrAdmin | Role::Analyst | Role::Auditor => true,
        }
    }

    /// Text that must not appear in a response to `role`: the identities and plans of the people out of
    /// its reach, and for analysts every name and NIP.
    fn forbidden_text(&self, role: Role) -> Vec<String> {
        let mut hidden = Vec::new();
        for person in [&self.employee, &self.colleague, &self.rater, &self.head, &self.outsider] {
            let out_of_reach =
                !self.reaches(role, person) && person.nip != self.rater.nip && person.nip != self.head.nip;
            if out_of_reach {
                hidden.extend([person.nip.clone(), person.name.clone(), person.plan_id.clone()]);
            }
            if role == Role::Analyst {
                hidden.extend([person.nip.clone(), person.name.clone()]);
            }
        }
        hidden
    }
}

/// How a root field is exercised.
enum Call {
    /// A query with variables aimed at one person; `shows` says whether the person's record came back;
    /// the `refused` roles may not ask at all.
    Query {
        document: &'static str,
        variables: fn(&Person) -> Value,
        shows: fn(&Value, &Person) -> bool,
        refused: &'static [Role],
    },
    /// A query about no one in particular, allowed to some roles.
    Listing { document: &'static str, allowed: &'static [Role] },
    /// A mutation aimed at one person's records; `roles` carry the capability it needs, and `anywhere`
    /// may use it on anyone's records (integration feeds for the agency).
    Mutation { document: &'static str, input: fn(&Person) -> Value, roles: &'static [Role], anywhere: &'static [Role] },
    /// A subscription aimed at one person or their unit; `personal` when the argument names the person.
    Subscription { document: fn(&Person) -> String, personal: bool },
}

const WRITERS: &[Role] = &[Role::Employee, Role::Rater, Role::UnitHead, Role::HrAdmin];
const RATERS: &[Role] = &[Role::Rater, Role::UnitHead];
const EVERYONE: &[Role] = &ROLES;

fn row_table() -> Vec<(&'static str, Call)> {
    vec![
        (
            "Query.node",
            Call::Query {
                document: r#"query($id: ID!) { node(id: $id) { id ... on Plan { status employee { nip name }
                workResults { description indicators { description realisations { value evidenceNote } } }
                feedback { text author { nip } } dialogues { summary } } } }"#,
                variables: |p| json!({ "id": p.plan_id }),
                shows: |data, _| !data["node"].is_null(),
                refused: &[],
            },
        ),
        (
            "Query.employee",
            Call::Query {
                document: r#"query($nip: String!) { employee(nip: $nip) { nip name birthDate superior { nip name }
                plans { id workResults { description } } } }"#,
                variables: |p| json!({ "nip": p.nip }),
                shows: |data, _| !data["employee"].is_null(),
                refused: &[Role::Analyst],
            },
        ),
        (
            "Query.unit",
            Call::Query {
                document: r#"query($code: String!, $year: Int!) { unit(code: $code) { code
                members(first: 50) { totalCount edges { node { nip name plans { id feedback { text } } } } }
                distribution(year: $year) { counts { baik } } } }"#,
                variables: |p| json!({ "code": p.unit, "year": p.year }),
                shows: |data, p| data.to_string().contains(&p.plan_id),
                refused: &[],
            },
        ),
        ("Query.rulePacks", Call::Listing { document: "{ rulePacks { id version } }", allowed: EVERYONE }),
        (
            "Query.viewer",
            Call::Listing { document: "{ viewer { role capabilities masked reach { kind } } }", allowed: EVERYONE },
        ),
        (
            "Query.auditLog",
            Call::Listing {
                document: "{ auditLog(first: 20) { totalCount edges { cursor node { sequence action entityType actorRole } } } }",
                allowed: &[Role::HrAdmin, Role::Auditor],
            },
        ),
        (
            "Query.roleGrants",
            Call::Listing {
                document: "{ roleGrants { role unitCode employee { nip } } }",
                allowed: &[Role::HrAdmin, Role::Auditor],
            },
        ),
        (
            "Query.units",
            Call::Listing {
                document: r#"{ units(search: "lingkungan") { totalCount nodes { code name } } }"#,
                allowed: EVERYONE,
            },
        ),
        (
            "Mutation.createPlan",
            Call::Mutation {
                document: "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }",
                input: |p| json!({ "nip": p.nip, "year": p.year + 1, "approach": "KUANTITATIF" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.submitPlan",
            Call::Mutation {
                document: "mutation($input: PlanTransitionInput!) { submitPlan(input: $input) { plan { id } } }",
                input: |p| json!({ "planId": p.plan_id, "expectedVersion": p.plan_version }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.approvePlan",
            Call::Mutation {
                document: "mutation($input: PlanTransitionInput!) { approvePlan(input: $input) { plan { id } } }",
                input: |p| json!({ "planId": p.plan_id, "expectedVersion": p.plan_version }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.returnPlan",
            Call::Mutation {
                document: "mutation($input: PlanTransitionInput!) { returnPlan(input: $input) { plan { id } } }",
                input: |p| json!({ "planId": p.plan_id, "expectedVersion": p.plan_version, "comment": "x" }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.reopenPlan",
            Call::Mutation {
                document: "mutation($input: PlanTransitionInput!) { reopenPlan(input: $input) { plan { id } } }",
                input: |p| json!({ "planId": p.plan_id, "expectedVersion": p.plan_version, "comment": "x" }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.addWorkResult",
            Call::Mutation {
                document: "mutation($input: AddWorkResultInput!) { addWorkResult(input: $input) { workResult { id } } }",
                input: |p| json!({ "planId": p.plan_id, "expectedVersion": p.plan_version, "code": "RHK-X", "section": "TAMBAHAN", "description": "x" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.updateWorkResult",
            Call::Mutation {
                document: "mutation($input: UpdateWorkResultInput!) { updateWorkResult(input: $input) { workResult { id } } }",
                input: |p| json!({ "workResultId": p.work_result_id, "expectedVersion": p.plan_version, "section": "UTAMA", "description": "x" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.removeWorkResult",
            Call::Mutation {
                document: "mutation($input: RemoveInput!) { removeWorkResult(input: $input) { plan { id } } }",
                input: |p| json!({ "id": p.work_result_id, "expectedVersion": p.plan_version }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.addIndicator",
            Call::Mutation {
                document: "mutation($input: AddIndicatorInput!) { addIndicator(input: $input) { indicator { id } } }",
                input: |p| {
                    json!({ "workResultId": p.work_result_id, "expectedVersion": p.plan_version, "code": "IKI-X",
                "indicator": { "description": "x", "aspect": "KUANTITAS", "target": { "kind": "AT_LEAST", "low": "1" }, "unitOfMeasure": "x", "accumulation": "SUM" } })
                },
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.updateIndicator",
            Call::Mutation {
                document: "mutation($input: UpdateIndicatorInput!) { updateIndicator(input: $input) { indicator { id } } }",
                input: |p| {
                    json!({ "indicatorId": p.indicator_id, "expectedVersion": p.plan_version,
                "indicator": { "description": "x", "aspect": "KUANTITAS", "target": { "kind": "AT_LEAST", "low": "1" }, "unitOfMeasure": "x", "accumulation": "SUM" } })
                },
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.removeIndicator",
            Call::Mutation {
                document: "mutation($input: RemoveInput!) { removeIndicator(input: $input) { plan { id } } }",
                input: |p| json!({ "id": p.indicator_id, "expectedVersion": p.plan_version }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.recordRealisation",
            Call::Mutation {
                document: "mutation($input: RecordRealisationInput!) { recordRealisation(input: $input) { realisation { id } } }",
                input: |p| json!({ "indicatorId": p.indicator_id, "period": p.open_period, "value": "1", "evidenceNote": "x" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.correctRealisation",
            Call::Mutation {
                document: "mutation($input: CorrectRealisationInput!) { correctRealisation(input: $input) { realisation { id } } }",
                input: |p| json!({ "realisationId": p.realisation_id, "expectedVersion": p.realisation_version, "value": "1", "evidenceNote": "x" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.giveFeedback",
            Call::Mutation {
                document: "mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { id } } }",
                input: |p| json!({ "subjectId": p.plan_id, "kind": "PRAISE", "text": "x" }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.decideRatings",
            Call::Mutation {
                document: "mutation($input: DecideRatingsInput!) { decideRatings(input: $input) { decision { id } } }",
                input: |p| json!({ "planId": p.plan_id, "resultRating": "AS_EXPECTED", "behaviourRating": "AS_EXPECTED" }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.rateBehaviour",
            Call::Mutation {
                document: "mutation($input: RateBehaviourInput!) { rateBehaviour(input: $input) { ratings { level } } }",
                input: |p| json!({ "planId": p.plan_id, "ratings": [{ "value": "KOMPETEN", "level": "AS_EXPECTED" }] }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.setBehaviourExpectations",
            Call::Mutation {
                document: "mutation($input: SetBehaviourExpectationsInput!) { setBehaviourExpectations(input: $input) { plan { id } } }",
                input: |p| json!({ "planId": p.plan_id, "expectedVersion": p.plan_version, "expectations": [{ "value": "KOMPETEN", "expectation": "x" }] }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.writeSelfAssessment",
            Call::Mutation {
                document: "mutation($input: WriteSelfAssessmentInput!) { writeSelfAssessment(input: $input) { plan { id } } }",
                input: |p| json!({ "planId": p.plan_id, "workResults": [{ "workResultId": p.work_result_id, "achieved": "x" }] }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.proposeDevelopmentGoal",
            Call::Mutation {
                document: "mutation($input: ProposeDevelopmentGoalInput!) { proposeDevelopmentGoal(input: $input) { goal { id } } }",
                input: |p| {
                    json!({ "nip": p.nip, "year": p.year, "competency": "x", "target": "y",
                                   "activities": [{ "kind": "SELF_STUDY", "title": "t", "plannedHours": 2 }] })
                },
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.withdrawDevelopmentGoal",
            Call::Mutation {
                document: "mutation($input: GoalRefInput!) { withdrawDevelopmentGoal(input: $input) { withdrawnGoalId } }",
                input: |p| json!({ "goalId": p.goal_id }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.agreeDevelopmentGoal",
            Call::Mutation {
                document: "mutation($input: GoalRefInput!) { agreeDevelopmentGoal(input: $input) { goal { status } } }",
                input: |p| json!({ "goalId": p.goal_id }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            // The outsider's goal is agreed: an HR administrator, who manages everyone's development,
            // records its activity done.
            "Mutation.recordDevelopmentActivity",
            Call::Mutation {
                document: "mutation($input: RecordDevelopmentActivityInput!) { recordDevelopmentActivity(input: $input) { goal { status } } }",
                input: |p| {
                    json!({ "activityId": p.activity_id, "startedOn": format!("{}-01-02", p.year),
                                   "finishedOn": format!("{}-01-03", p.year), "hours": 2 })
                },
                roles: &[Role::Rater, Role::UnitHead, Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            "Mutation.sendAppreciation",
            Call::Mutation {
                document: "mutation($input: SendAppreciationInput!) { sendAppreciation(input: $input) { appreciation { message } } }",
                input: |p| json!({ "nip": p.nip, "year": p.year, "value": "LOYAL", "message": "Terima kasih" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.inviteBehaviourFeedback",
            Call::Mutation {
                document: "mutation($input: InviteBehaviourFeedbackInput!) { inviteBehaviourFeedback(input: $input) { requests { id } } }",
                input: |p| json!({ "planId": p.plan_id, "respondents": [p.nip] }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.answerBehaviourFeedback",
            Call::Mutation {
                document: "mutation($input: AnswerBehaviourFeedbackInput!) { answerBehaviourFeedback(input: $input) { request { id } } }",
                input: |p| json!({ "requestId": unsent_request_id(p), "answers": [{ "value": "LOYAL", "level": "AS_EXPECTED" }] }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.setOrganisationPredikat",
            Call::Mutation {
                document: "mutation($input: SetOrganisationPredikatInput!) { setOrganisationPredikat(input: $input) { distribution { year } } }",
                input: |p| json!({ "unitCode": p.perangkat, "year": p.year, "predikat": "BAIK" }),
                roles: &[Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            "Mutation.grantRole",
            Call::Mutation {
                document: "mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { role } } }",
                input: |p| json!({ "nip": p.nip, "role": "ANALYST" }),
                roles: &[Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            // After grantRole: the HR administrator revokes the grant just made.
            "Mutation.revokeRole",
            Call::Mutation {
                document: "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { role } }",
                input: |p| json!({ "nip": p.nip, "role": "ANALYST" }),
                roles: &[Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            "Mutation.finaliseUnit",
            Call::Mutation {
                document: "mutation($input: FinaliseUnitInput!) { finaliseUnit(input: $input) { plansFinalised } }",
                input: |p| json!({ "unitCode": p.unit, "year": p.year }),
                roles: &[Role::UnitHead],
                anywhere: &[],
            },
        ),
        (
            "Mutation.fileObjection",
            Call::Mutation {
                document: "mutation($input: FileObjectionInput!) { fileObjection(input: $input) { objection { id } } }",
                input: |p| json!({ "decisionId": decision_id_of(p), "reasons": "x" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.decideObjection",
            Call::Mutation {
                document: "mutation($input: DecideObjectionInput!) { decideObjection(input: $input) { objection { id } } }",
                input: |p| json!({ "objectionId": objection_id_of(p), "upheld": false, "reasons": "x" }),
                roles: RATERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.setActivityMapping",
            Call::Mutation {
                document: "mutation($input: SetActivityMappingInput!) { setActivityMapping(input: $input) { mapping { method } } }",
                input: |p| json!({ "indicatorId": p.indicator_id, "activityKind": "street_sweep", "method": "COUNT" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.removeActivityMapping",
            Call::Mutation {
                document: "mutation($input: RemoveActivityMappingInput!) { removeActivityMapping(input: $input) { indicator { id } } }",
                input: |p| json!({ "indicatorId": p.indicator_id, "activityKind": "street_sweep" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.ingestActivities",
            Call::Mutation {
                document: "mutation($input: IngestActivitiesInput!) { ingestActivities(input: $input) { accepted } }",
                input: |p| json!({ "records": [{ "kind": "street_sweep", "externalId": format!("ACL-{}", p.nip), "nip": p.nip, "occurredAt": p.open_start.clone() + "T00:00:00Z" }] }),
                roles: &[Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            "Mutation.recordDialogue",
            Call::Mutation {
                document: "mutation($input: RecordDialogueInput!) { recordDialogue(input: $input) { dialogue { summary } } }",
                input: |p| json!({ "planId": p.plan_id, "heldOn": format!("{}-10-01", p.year), "participants": "x", "summary": "x", "agreedActions": "x" }),
                roles: WRITERS,
                anywhere: &[],
            },
        ),
        (
            "Mutation.updateTrainingNeed",
            Call::Mutation {
                document: "mutation($input: UpdateTrainingNeedInput!) { updateTrainingNeed(input: $input) { status } }",
                input: |p| json!({ "id": p.need_id, "status": "PLANNED", "programme": "Pelayanan Prima", "plannedOn": format!("{}-11-01", p.year) }),
                roles: &[Role::UnitHead, Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            "Mutation.deriveTrainingNeeds",
            Call::Mutation {
                document: "mutation($input: DeriveTrainingNeedsInput!) { deriveTrainingNeeds(input: $input) { employees } }",
                input: |p| json!({ "year": p.year, "unitCode": p.unit }),
                roles: &[Role::UnitHead, Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            "Mutation.importRecords",
            Call::Mutation {
                document: "mutation($input: ImportRecordsInput!) { importRecords(input: $input) { rows inserted dryRun } }",
                input: |p| {
                    let row = json!({ "nip": p.nip, "programme": "Pelatihan Dasar", "started_on": "2025-03-01", "finished_on": "2025-03-02", "hours": 16 });
                    json!({ "kind": "TRAINING_RECORDS", "format": "JSON_LINES", "dryRun": true, "data": row.to_string() })
                },
                roles: &[Role::HrAdmin],
                anywhere: &[Role::HrAdmin],
            },
        ),
        (
            "Subscription.feedbackReceived",
            Call::Subscription {
                document: |p| format!(r#"subscription {{ feedbackReceived(nip: "{}") {{ text }} }}"#, p.nip),
                personal: true,
            },
        ),
        (
            "Subscription.realisationRecorded",
            Call::Subscription {
                document: |p| format!(r#"subscription {{ realisationRecorded(unitCode: "{}") {{ value }} }}"#, p.unit),
                personal: false,
            },
        ),
        (
            "Subscription.evaluationChanged",
            Call::Subscription {
                document: |p| format!(r#"subscription {{ evaluationChanged(unitCode: "{}") {{ id }} }}"#, p.unit),
                personal: false,
            },
        ),
    ]
}

/// No decision or objection exists yet on the demo's plans: a well-formed id of nothing, so that the
/// refusal must come from the access check or the lookup, never from the shape of the input.
fn decision_id_of(_: &Person) -> String {
    global_id("Decision")
}

fn objection_id_of(_: &Person) -> String {
    global_id("Objection")
}

fn global_id(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:0190f5c4-0000-7000-8000-000000000000"))
}

/// Root fields of the SDL as `Type.field`.
fn sdl_root_fields() -> BTreeSet<String> {
    let sdl = kinerja_gateway::sdl();
    let mut fields = BTreeSet::new();
    for (root, name) in [("QueryRoot", "Query"), ("MutationRoot", "Mutation"), ("SubscriptionRoot", "Subscription")] {
        let start = sdl.find(&format!("type {root} {{")).unwrap_or_else(|| panic!("{root} in the SDL"));
        let body = &sdl[start..start + sdl[start..].find("\n}").unwrap()];
        let mut in_description = false;
        for line in body.lines().skip(1) {
            let line = line.trim();
            if line.starts_with("\"\"\"") {
                // A description opens (and maybe closes) on this line.
                let closes_here = line.len() > 3 && line.ends_with("\"\"\"");
                in_description = !in_description && !closes_here;
                continue;
            }
            if in_description || line.is_empty() {
                continue;
            }
            if let Some(end) = line.find(['(', ':']) {
                fields.insert(format!("{name}.{}", &line[..end]));
            }
        }
    }
    fields
}

fn assert_nothing_hidden(response: &Value, hidden: &[String], context: &str) {
    let text = response.to_string();
    for secret in hidden {
        assert!(!text.contains(secret.as_str()), "{context}: the response shows {secret}: {text}");
    }
}

/// The hidden text the caller did not send itself (a message may echo the caller's own input).
fn unsent(hidden: &[String], sent: &str) -> Vec<String> {
    hidden.iter().filter(|text| !sent.contains(text.as_str())).cloned().collect()
}

/// The first message after the acknowledgement within 300 ms, if any (a refusal comes at once).
async fn first_message(socket: &mut Socket) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_millis(300), socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let message: Value = serde_json::from_str(&text).ok()?;
                if message["type"] != "connection_ack" {
                    return Some(message);
                }
            }
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(_)) | None) => return Some(json!({ "type": "closed" })),
            Err(_) => return None,
        }
    }
}

const DENIED: [&str; 2] = ["FORBIDDEN", "NOT_FOUND"];

/// Whether every error of a response is the refusal of a list too small to show an analyst.
fn refused_as_too_small(response: &Value) -> bool {
    response["errors"].as_array().is_some_and(|errors| {
        errors.iter().all(|error| {
            error["extensions"]["code"] == "FORBIDDEN"
                && error["message"].as_str().is_some_and(|m| m.contains("too few people to be listed"))
        })
    })
}

async fn check(server: &Server) {
    let table = row_table();
    let rows: BTreeSet<String> = table.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(rows, sdl_root_fields(), "every root field of the SDL needs a row in the access table, and no more");

    let world = world(server).await;
    for role in ROLES {
        let caller = token(&world.subject(role, server), role.as_str());
        let hidden = world.forbidden_text(role);
        for (name, call) in &table {
            match call {
                Call::Query { document, variables, shows, refused } => {
                    for target in world.targets() {
                        let context = format!("{name} as {} about {}", role.as_str(), target.nip);
                        let response = server.call(Some(&caller), document, variables(target)).await;
                        if refused.contains(&role) {
                            assert_eq!(code(&response), "FORBIDDEN", "{context}: {response}");
                            assert_nothing_hidden(
                                &response,
                                &unsent(&hidden, &variables(target).to_string()),
                                &context,
                            );
                            continue;
                        }
                        // A unit too small to list record by record is refused to analysts (docs/api.md,
                        // Disclosure), field by field, showing nothing of what it would list.
                        if role == Role::Analyst && refused_as_too_small(&response) {
                            assert!(!shows(&response["data"], target), "{context}: {response}");
                            continue;
                        }
                        assert!(response.get("errors").is_none(), "{context}: {response}");
                        assert_eq!(
                            shows(&response["data"], target),
                            world.reaches(role, target),
                            "{context}: {response}"
                        );
                        assert_nothing_hidden(&response, &hidden, &context);
                    }
                    let anonymous = server.call(None, document, variables(&world.employee)).await;
                    assert_eq!(code(&anonymous), "UNAUTHENTICATED", "{name} without a token");
                }
                Call::Listing { document, allowed } => {
                    let context = format!("{name} as {}", role.as_str());
                    let response = server.call(Some(&caller), document, json!({})).await;
                    if allowed.contains(&role) {
                        assert!(response.get("errors").is_none(), "{context}: {response}");
                    } else {
                        assert_eq!(code(&response), "FORBIDDEN", "{context}: {response}");
                    }
                    assert_nothing_hidden(&response, &hidden, &context);
                }
                Call::Mutation { document, input, roles, anywhere } => {
                    // Out of scope, refused: the outsider's records belong to no one in the cast. What the
                    // caller sent may come back in a message; nothing else hidden may.
                    let context = format!("{name} as {} on the outsider", role.as_str());
                    let sent = input(&world.outsider);
                    let response = server.call(Some(&caller), document, json!({ "input": sent })).await;
                    if anywhere.contains(&role) {
                        assert!(response.get("errors").is_none(), "{context}: {response}");
                    } else if sent.get("expectedVersion").is_some() {
                        // A stale version on someone else's record reveals nothing either, not even the version.
                        let mut stale = sent.clone();
                        stale["expectedVersion"] = json!(999);
                        let stale = server.call(Some(&caller), document, json!({ "input": stale })).await;
                        assert!(DENIED.contains(&code(&stale)), "{context} with a stale version: {stale}");
                        assert!(!stale.to_string().contains("currentVersion"), "{context}: {stale}");
                    }
                    if !anywhere.contains(&role) {
                        assert!(DENIED.contains(&code(&response)), "{context}: {response}");
                        let sent = sent.to_string();
                        let unsent: Vec<String> =
                            hidden.iter().filter(|h| !sent.contains(h.as_str())).cloned().collect();
                        assert_nothing_hidden(&response, &unsent, &context);
                    }
                    // A role without the capability is refused before anything is looked up.
                    if !roles.contains(&role) {
                        let context = format!("{name} as {} in their own scope", role.as_str());
                        let response =
                            server.call(Some(&caller), document, json!({ "input": input(&world.employee) })).await;
                        assert_eq!(code(&response), "FORBIDDEN", "{context}: {response}");
                    }
                    let anonymous = server.call(None, document, json!({ "input": input(&world.employee) })).await;
                    assert_eq!(code(&anonymous), "UNAUTHENTICATED", "{name} without a token");
                }
                Call::Subscription { document, personal } => {
                    for target in world.targets() {
                        let context = format!("{name} as {} about {}", role.as_str(), target.nip);
                        let sent = document(target);
                        let mut socket = server.subscribe_unacknowledged(&caller, &sent).await;
                        let message = first_message(&mut socket).await;
                        let refused =
                            message.as_ref().is_some_and(|m| m["type"] == "error" || !m["payload"]["errors"].is_null());
                        // Every event is one person's record, and the moment it arrives tells whose: analysts
                        // follow none; a personal subscription follows someone by NIP, within reach only.
                        let expect_refused = role == Role::Analyst || (*personal && !world.reaches(role, target));
                        assert_eq!(refused, expect_refused, "{context}: {message:?}");
                        if let Some(message) = &message {
                            assert_nothing_hidden(message, &unsent(&hidden, &sent), &context);
                        }
                    }
                }
            }
        }
    }
}

/// A batch through the API is read and checked exactly like a file, with the problems in `extensions`.
async fn import_batch(server: &Server) {
    const IMPORT: &str =
        "mutation($input: ImportRecordsInput!) { importRecords(input: $input) { rows inserted updated unchanged } }";
    let world = world(server).await;
    let data = format!(
        "nip;competency;level;assessed_on\n{};Integritas;4;2025-06-20\n199001012015011001;Kerja Sama;7;2025-06-20\n",
        world.employee.nip
    );
    let batch = |data: &str| json!({ "input": { "kind": "COMPETENCY_ASSESSMENTS", "data": data } });
    let refused = server.call(Some(&server.admin), IMPORT, batch(&data)).await;
    assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
    assert_eq!(
        refused["errors"][0]["extensions"]["problems"],
        json!(["input:3:3: level: 7 is not a level from 1 to 5"])
    );
    let good = data.replace(";7;", ";3;").replace("199001012015011001", &world.colleague.nip);
    let imported = server.ok(Some(&server.admin), IMPORT, batch(&good)).await;
    assert_eq!(imported["importRecords"], json!({ "rows": 2, "inserted": 2, "updated": 0, "unchanged": 0 }));
    let again = server.ok(Some(&server.admin), IMPORT, batch(&good)).await;
    assert_eq!(again["importRecords"]["unchanged"], 2);
}

/// Live events pass the same scope: an employee following the whole city hears their own realisation and
/// not the outsider's, though the outsider's was recorded first.
async fn events_respect_scope(server: &Server) {
    let world = world(server).await;
    let mut socket = server
        .subscribe(
            &token(&world.employee.nip, "employee"),
            r#"subscription { realisationRecorded(unitCode: "SKA") { value evidenceNote } }"#,
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    const RECORD: &str =
        r#"mutation($input: RecordRealisationInput!) { recordRealisation(input: $input) { realisation { id } } }"#;
    for (person, note) in [(&world.outsider, "outsider's evidence"), (&world.employee, "own evidence")] {
        let input = json!({ "input": { "indicatorId": person.indicator_id, "period": person.open_period, "value": "7", "evidenceNote": note } });
        server.ok(Some(&token(&person.nip, "employee")), RECORD, input).await;
    }
    let heard = common::next_message(&mut socket).await.expect("the employee's own event");
    assert_eq!(heard["payload"]["data"]["realisationRecorded"]["evidenceNote"], "own evidence", "{heard}");
}

/// Analysts read records masked and never the audit trail; unit heads must head a unit.
async fn masking_and_claims(server: &Server) {
    let world = world(server).await;
    let analyst = token(&server.analyst_nip, "analyst");
    let lookup = server
        .call(
            Some(&analyst),
            "query($nip: String!) { employee(nip: $nip) { unit { code } } }",
            json!({ "nip": world.colleague.nip }),
        )
        .await;
    assert_eq!(code(&lookup), "FORBIDDEN", "an analyst cannot look a person up by NIP: {lookup}");
    let members = server
        .ok(
            Some(&analyst),
            "query($year: Int!) { unit(code: \"SKA\") { members(first: 50, includeDescendants: true) {
               nodes { nip name birthDate superior { id } position { code }
                 trainingNeeds(year: $year) { detail closedReason plannedProgramme } } } } }",
            json!({ "year": world.colleague.year }),
        )
        .await;
    let masked = &members["unit"]["members"]["nodes"][0];
    assert_eq!(masked["nip"], "(masked)");
    assert_eq!(masked["name"], "(masked)");
    assert!(masked["birthDate"].is_null() && masked["superior"].is_null(), "{masked}");
    assert!(masked["position"].is_null(), "a post held by one person names them: {masked}");
    let small = server
        .call(
            Some(&analyst),
            "query($code: String!) { unit(code: $code) { code members(first: 50) { nodes { nip } } } }",
            json!({ "code": world.colleague.unit }),
        )
        .await;
    assert_eq!(code(&small), "FORBIDDEN", "a small unit is not listed one by one: {small}");
    assert_eq!(small["data"]["unit"]["code"], world.colleague.unit.as_str(), "the rest of the unit stays: {small}");
    let needs: Vec<&Value> = members["unit"]["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|member| member["trainingNeeds"].as_array().unwrap())
        .collect();
    assert!(!needs.is_empty(), "{members}");
    // A unit's needs are listed record by record only on the records.
    let listed = server
        .call(
            Some(&analyst),
            "query($year: Int!) { unit(code: \"SKA\") { trainingNeeds(year: $year, first: 5) { nodes { id } } } }",
            json!({ "year": world.colleague.year }),
        )
        .await;
    assert_eq!(code(&listed), "FORBIDDEN", "{listed}");
    for need in needs {
        assert_eq!(need["detail"], "(masked)", "{need}");
        assert!(need["closedReason"].is_null() || need["closedReason"] == "(masked)", "{need}");
        assert!(need["plannedProgramme"].is_null() || need["plannedProgramme"] == "(masked)", "{need}");
    }
    let history = server
        .call(
            Some(&analyst),
            r#"query($id: ID!) { node(id: $id) { ... on Plan { history { action } } } }"#,
            json!({ "id": world.colleague.plan_id }),
        )
        .await;
    assert_eq!(code(&history), "FORBIDDEN", "{history}");
    let staff = [&world.employee, &world.colleague, &world.outsider]
        .into_iter()
        .find(|p| p.position_kind == "PELAKSANA" || p.position_kind.starts_with("AHLI"))
        .expect("a member of staff");
    let staff_as_head = server.call(Some(&token(&staff.nip, "unit-head")), "{ rulePacks { id } }", json!({})).await;
    assert_eq!(code(&staff_as_head), "FORBIDDEN", "a non-managerial employee cannot act as unit head");
    let mut tokenless =
        server.subscribe_unacknowledged("", r#"subscription { realisationRecorded(unitCode: "SKA") { value } }"#).await;
    assert_eq!(
        first_message(&mut tokenless).await,
        Some(json!({ "type": "closed" })),
        "a socket without a token is closed"
    );
    // A plan for someone out of sight is refused as for someone who does not exist: the NIP's existence
    // is not told.
    const CREATE: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }";
    let employee = token(&world.employee.nip, "employee");
    for nip in [world.outsider.nip.as_str(), "199901012025011999"] {
        let input = json!({ "input": { "nip": nip, "year": world.employee.year + 1, "approach": "KUANTITATIF" } });
        let refused = server.call(Some(&employee), CREATE, input).await;
        assert_eq!(code(&refused), "NOT_FOUND", "{nip}: {refused}");
    }
    let unknown = server.call(Some(&token("199901012025011999", "hr-admin")), "{ rulePacks { id } }", json!({})).await;
    assert_eq!(code(&unknown), "UNAUTHENTICATED", "{unknown}");
}

/// Every text field of the schema is either free text or identifying, masked for analysts, or a code,
/// an enumeration or a public name; a new text field without a rule here fails the test.
const MASKED_TEXT: &[&str] = &[
    "ActivityRecord.externalId",
    "BehaviourExpectation.expectation",
    "BehaviourRating.expectation",
    "BehaviourRating.note",
    "Competency.assessor",
    "Decision.overrideReason",
    "Dialogue.agreedActions",
    "Dialogue.participants",
    "Dialogue.summary",
    "Appreciation.message",
    "Appreciation.senderName",
    "DevelopmentActivity.title",
    "DevelopmentGoal.competency",
    "DevelopmentGoal.target",
    "FeedbackAnswer.note",
    "FeedbackRequest.employeeName",
    "FeedbackRequest.respondentName",
    "Employee.name",
    "Employee.nip",
    "FeedbackNote.text",
    "Indicator.description",
    "Indicator.unitOfMeasure",
    "Objection.decisionReasons",
    "Objection.reasons",
    "Position.code",
    "Position.title",
    "Realisation.evidenceLink",
    "Realisation.evidenceNote",
    "RealisationCorrection.evidenceLink",
    "RealisationCorrection.evidenceNote",
    "SelfAchievement.achieved",
    "SelfAchievement.evidenceLink",
    "SelfRating.note",
    "Training.certificate",
    "Training.programme",
    "TrainingNeed.closedReason",
    "TrainingNeed.detail",
    "TrainingNeed.plannedProgramme",
    "WorkResult.description",
    "WorkResult.perspective",
    "YearResult.recordedFrom",
];

/// Codes, enumerations spelled as text, periods, and the names of units, rule packs and catalogue
/// programmes: public within the agency.
const PUBLIC_TEXT: &[&str] = &[
    "ActivityMapping.activityKind",
    "AgendaItem.topic",
    "ActivityMapping.field",
    "ActivityMapping.method",
    "ActivityRecord.kind",
    "AuditEvent.action",
    "AuditEvent.actorRole",
    "AuditEvent.entityId",
    "AuditEvent.entityType",
    "BandCount.band",
    "BehaviourFeedbackSummary.withheldReason",
    "DevelopmentActivity.kindTitle",
    "DevelopmentActivity.programmeCode",
    "RecognitionListEntry.reasons",
    "BehaviourRating.period",
    "Competency.competency",
    "Employee.rank",
    "Evaluation.period",
    "Evaluation.predikatBasis",
    "Evaluation.reading",
    "Proposal.reading",
    "GroupDimensions.group",
    "GroupPredikat.group",
    "GrowthPeriod.period",
    "Indicator.code",
    "NeedTopic.topic",
    "Objection.status",
    "PeriodTrend.period",
    "Professionalism.band",
    "Programme.builds",
    "Programme.code",
    "Programme.forTitles",
    "Programme.forUnits",
    "Programme.mode",
    "Programme.name",
    "Proposal.through",
    "QuarterShare.period",
    "Realisation.period",
    "Realisation.source",
    "RoleGrant.unitCode",
    "RulePack.id",
    "RulePack.regulation",
    "RulePack.source",
    "RulePackRef.id",
    "TrainingNeed.topic",
    "Unit.code",
    "Unit.name",
    "UnitProfessionalism.band",
    "Violation.constraint",
    "WorkResult.code",
    "YearResult.predikat",
    "YearResult.predikatTitle",
];

/// Every date, time, quantity and explanation of the schema: of a person's record, null for analysts
/// (when something happened ties a record to what someone saw happen; a plan's quantities, like its
/// units of measure, tell whose plan it is, and explanations hold them), or public: a period's bounds, a
/// figure, a rule, a grant, an audit event.
const MASKED_VALUES: &[&str] = &[
    "ActivityRecord.occurredAt",
    "BehaviourExpectation.setAt",
    "Competency.assessedOn",
    "Decision.decidedAt",
    "Decision.finalisedAt",
    "Appreciation.sentAt",
    "DevelopmentActivity.finishedOn",
    "DevelopmentActivity.plannedOn",
    "DevelopmentGoal.agreedAt",
    "FeedbackRequest.answeredAt",
    "FeedbackRequest.invitedAt",
    "Dialogue.createdAt",
    "Dialogue.heldOn",
    "Employee.birthDate",
    "Employee.serviceStart",
    "Evaluation.computedAt",
    "Evaluation.explanation",
    "FeedbackNote.createdAt",
    "Indicator.realised",
    "Objection.decidedAt",
    "Objection.filedAt",
    "Plan.createdAt",
    "Plan.updatedAt",
    "Professionalism.explanation",
    "Proposal.explanation",
    "Realisation.recordedAt",
    "Realisation.value",
    "RealisationCorrection.recordedAt",
    "RealisationCorrection.replacedAt",
    "RealisationCorrection.value",
    "SelfAchievement.writtenAt",
    "SelfRating.writtenAt",
    "Target.high",
    "Target.low",
    "Training.finishedOn",
    "Training.startedOn",
    "TrainingNeed.plannedOn",
    "TrainingNeed.updatedAt",
];

const PUBLIC_VALUES: &[&str] = &[
    "ActivityMapping.limit",
    "ActivityRecord.attributes",
    "AuditEvent.after",
    "AuditEvent.before",
    "AuditEvent.occurredAt",
    "BehaviourStanding.peerMean",
    "BehaviourStanding.standing",
    "CultureFigures.appreciationsPerPerson",
    "CultureFigures.colleagueAnswersPerPerson",
    "CultureFigures.developmentPlanPercent",
    "CultureFigures.developmentPlansKeptPercent",
    "CultureFigures.feedbackPerPerson",
    "CultureFigures.jpCoveragePercent",
    "CultureFigures.selfAssessedPercent",
    "DimensionMean.mean",
    "DimensionStanding.agencyMean",
    "DimensionStanding.mean",
    "DimensionStanding.peerMedian",
    "DimensionStanding.peerSpread",
    "DimensionStanding.standing",
    "Indicator.achievement",
    "IndicatorAchievement.achievement",
    "IndicatorStanding.peerDeviation",
    "IndicatorStanding.peerMean",
    "IndicatorStanding.standing",
    "Professionalism.disiplin",
    "Professionalism.index",
    "Professionalism.kinerja",
    "Professionalism.kompetensi",
    "Professionalism.kualifikasi",
    "Realisation.periodEnd",
    "Realisation.periodStart",
    "RoleGrant.grantedAt",
    "QuarterShare.percent",
    "UnitDistribution.computedAt",
    "UnitDistribution.explanation",
    "UnitProfessionalism.average",
    "YearResult.angkaKredit",
    "YearResult.score",
];

/// The fields of the SDL's object types (payloads, edges and page info aside) that return one of
/// `scalars`, as `Type.field`.
fn sdl_fields_returning(scalars: &[&str]) -> BTreeSet<String> {
    let mut fields = BTreeSet::new();
    let mut current: Option<String> = None;
    for line in include_str!("../crates/gateway/schema.graphql").lines() {
        if let Some(rest) = line.strip_prefix("type ") {
            current = rest.split_whitespace().next().map(str::to_owned);
        } else if line.starts_with('}') {
            current = None;
        } else if let (Some(owner), Some(field)) = (&current, line.strip_prefix('\t')) {
            let name: String = field.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let returns =
                field.rsplit_once("): ").map_or_else(|| field.split_once(": ").map(|(_, t)| t), |(_, t)| Some(t));
            let skipped = ["Payload", "Edge", "PageInfo", "Connection"].iter().any(|end| owner.ends_with(end));
            let scalar = |t: &str| t.trim_start_matches('[').split(['!', ']']).next().map(str::to_owned);
            if !name.is_empty() && !skipped && returns.and_then(scalar).is_some_and(|t| scalars.contains(&t.as_str())) {
                fields.insert(format!("{owner}.{name}"));
            }
        }
    }
    fields
}

/// Walks a response: every text value of a masked field must read `(masked)`, every masked date, time or
/// quantity must be null; returns the masked fields seen.
fn masked_fields_seen(value: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| masked_fields_seen(item, seen)),
        Value::Object(object) => {
            let owner = object.get("__typename").and_then(Value::as_str).unwrap_or_default();
            for (key, field) in object {
                let name = format!("{owner}.{key}");
                if let Value::String(text) = field
                    && MASKED_TEXT.contains(&name.as_str())
                {
                    assert_eq!(text, "(masked)", "an analyst reads {name} unmasked");
                    seen.insert(name);
                } else if MASKED_VALUES.contains(&name.as_str()) {
                    assert!(field.is_null(), "an analyst reads {name}: {field}");
                    seen.insert(name);
                } else {
                    masked_fields_seen(field, seen);
                }
            }
        }
        _ => {}
    }
}

/// Analysts read every free or identifying text masked, across the records of the city.
async fn free_text_reaches_analysts_masked(server: &Server) {
    let classified: BTreeSet<String> = MASKED_TEXT.iter().chain(PUBLIC_TEXT).map(|f| (*f).to_owned()).collect();
    assert_eq!(
        sdl_fields_returning(&["String"]),
        classified,
        "every text field of the SDL needs a rule: masked or public"
    );
    let classified: BTreeSet<String> = MASKED_VALUES.iter().chain(PUBLIC_VALUES).map(|f| (*f).to_owned()).collect();
    let values = sdl_fields_returning(&["Date", "DateTime", "Decimal", "JSON"]);
    assert_eq!(values, classified, "every date, time, quantity and explanation of the SDL needs a rule");
    const RECORDS: &str = r#"query($year: Int!, $after: String) { unit(code: "SKA") {
        members(first: 150, after: $after, includeDescendants: true) { pageInfo { endCursor hasNextPage }
        nodes { __typename nip name birthDate serviceStart position { __typename code title }
          training { __typename programme certificate startedOn finishedOn } competencies { __typename assessor assessedOn }
          resultsByYear { __typename recordedFrom }
          trainingNeeds(year: $year) { __typename detail plannedProgramme closedReason plannedOn updatedAt }
          plans { __typename createdAt updatedAt cascadeOptions { id }
            workResults { __typename description perspective indicators { __typename description unitOfMeasure realised
              target { __typename low high }
              realisations { __typename evidenceNote evidenceLink value recordedAt
                corrections { __typename evidenceNote evidenceLink value recordedAt replacedAt }
                activityRecords { __typename externalId occurredAt } } } }
            feedback { __typename text createdAt } dialogues { __typename participants summary agreedActions heldOn createdAt }
            behaviourRatings { __typename note expectation } behaviourExpectations { __typename expectation setAt }
            evaluations { __typename computedAt explanation } proposal { __typename explanation }
            decision { __typename overrideReason decidedAt finalisedAt
              objections { __typename reasons decisionReasons filedAt decidedAt } } } } } } }"#;
    let year = world(server).await.employee.year;
    let analyst = token(&server.analyst_nip, "analyst");
    let (mut seen, mut after) = (BTreeSet::new(), Value::Null);
    for _ in 0..3 {
        let records = server.ok(Some(&analyst), RECORDS, json!({ "year": year, "after": after })).await;
        masked_fields_seen(&records, &mut seen);
        let text = records.to_string();
        assert!(!text.contains(r#""cascadeOptions":[{"#), "the rater's work results lead to the rater");
        after = records["unit"]["members"]["pageInfo"]["endCursor"].clone();
    }
    // Posts reach analysts only by id (a member's `position` is null to them), masked.
    const POST: &str =
        r#"{ unit(code: "SKA") { members(first: 1, includeDescendants: true) { nodes { position { id } } } } }"#;
    let post =
        server.ok(Some(&server.admin), POST, json!({})).await["unit"]["members"]["nodes"][0]["position"]["id"].clone();
    const BY_ID: &str = "query($id: ID!) { node(id: $id) { ... on Position { __typename code title kind } } }";
    let post = server.ok(Some(&analyst), BY_ID, json!({ "id": post })).await;
    assert!(post["node"]["kind"].is_null(), "{post}");
    masked_fields_seen(&post, &mut seen);
    assert!(seen.len() >= 30, "the walk met only {seen:?}");
}

/// Depth, aliases, page size and body size each have a limit, refused with its own code.
async fn request_limits(server: &Server) {
    let caller = token(&server.auditor_nip, "auditor");
    let aliases: String = (0..31).map(|n| format!("p{n}: rulePacks {{ id }} ")).collect();
    let response = server.call(Some(&caller), &format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(code(&response), "TOO_MANY_ALIASES", "{response}");
    let response =
        server.call(Some(&caller), r#"{ units(search: "a", first: 1001) { nodes { code } } }"#, json!({})).await;
    assert_eq!(code(&response), "BAD_USER_INPUT", "{response}");
    // A page costs its fields once per row it may hold, so pages nested in pages multiply: a thousand
    // members each with a thousand colleagues is refused before it runs, twenty by twenty passes.
    let paged = |rows: u32| {
        format!(
            "{{ unit(code: \"SKA\") {{ members(first: {rows}, includeDescendants: true) {{ nodes {{ nip
             unit {{ members(first: {rows}) {{ nodes {{ nip name }} }} }} }} }} }} }}"
        )
    };
    let costly = server.call(Some(&caller), &paged(1000), json!({})).await;
    let head: String = costly.to_string().chars().take(300).collect();
    assert_eq!(code(&costly), "GRAPHQL_VALIDATION_FAILED", "{head}");
    assert!(costly["errors"][0]["message"].as_str().unwrap().contains("complex"), "{head}");
    let modest = server.call(Some(&caller), &paged(20), json!({})).await;
    assert!(modest.get("errors").is_none(), "{}", modest.to_string().chars().take(300).collect::<String>());
    let deep = format!("{{ unit(code: \"SKA\") {{ {}code{} }} }}", "children { ".repeat(12), " }".repeat(12));
    let too_deep = server.call(Some(&caller), &deep, json!({})).await;
    assert!(too_deep["errors"][0]["message"].as_str().unwrap().contains("too deep"), "{too_deep}");
    let oversized = server
        .client
        .post(server.url("/graphql"))
        .bearer_auth(&caller)
        .json(&json!({ "query": format!("{{ rulePacks {{ id }} }} #{}", "x".repeat(2 << 20)) }))
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
}

/// Execution time and request rate have limits, refused with their own codes; neither the token secret
/// nor a token ever reaches the log.
async fn abuse_limits(database_url: &str) {
    let server = Server::start_with(
        database_url,
        &[
            ("KINERJA__GRAPHQL__EXECUTION_TIMEOUT_MS", "1"),
            ("KINERJA__GRAPHQL__REQUESTS_PER_SECOND", "5"),
            ("KINERJA__GRAPHQL__REQUEST_BURST", "20"),
            ("KINERJA__LOG__FILTER", "debug"),
        ],
    )
    .await;
    let caller = token(&server.auditor_nip, "auditor");
    let heavy = r#"{ unit(code: "SKA") { members(first: 100, includeDescendants: true) { edges { node {
        plans { workResults { indicators { realisations { value } } } } } } } } }"#;
    let timed_out = server.call(Some(&caller), heavy, json!({})).await;
    assert_eq!(code(&timed_out), "TIMEOUT", "{timed_out}");
    let burst =
        futures::future::join_all((0..40).map(|_| server.call(Some(&caller), "{ rulePacks { id } }", json!({})))).await;
    let limited = burst.iter().filter(|response| code(response) == "RATE_LIMITED").count();
    assert!(limited >= 15, "{limited} of 40 requests refused for rate");
    let other = server.call(Some(&token(&server.auditor_nip, "employee")), "{ rulePacks { id } }", json!({})).await;
    assert_eq!(code(&other), "RATE_LIMITED", "the limit is per caller (NIP), whatever the role");
    let bad = server.call(Some(&format!("{caller}x")), "{ rulePacks { id } }", json!({})).await;
    assert_eq!(code(&bad), "UNAUTHENTICATED");

    let log = server.log.lock().unwrap().join("\n");
    assert!(log.contains("listening on"), "the log was captured");
    for secret in [common::TEST_SECRET, caller.as_str(), caller.split('.').nth(2).unwrap()] {
        assert!(!log.contains(secret), "the log shows a secret or token");
    }
}

/// The close code a socket ends with, waiting at most `within`.
async fn close_code(socket: &mut Socket, within: Duration) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

/// A socket's session ends with its token, closed with 4401; operations over a socket count against the
/// caller's rate limit like requests.
async fn socket_sessions(database_url: &str) {
    let server = Server::start_with(
        database_url,
        &[
            ("KINERJA__AUTH__LEEWAY_SECONDS", "0"),
            ("KINERJA__GRAPHQL__REQUESTS_PER_SECOND", "5"),
            ("KINERJA__GRAPHQL__REQUEST_BURST", "10"),
        ],
    )
    .await;
    let brief = common::token_for(&server.admin_nip, "employee", Duration::from_secs(3));
    let mut socket =
        server.subscribe(&brief, r#"subscription { realisationRecorded(unitCode: "SKA") { value } }"#).await;
    let answered = server.call(Some(&brief), "{ viewer { role } }", json!({})).await;
    assert!(answered.get("errors").is_none(), "the token is valid at first: {answered}");
    assert_eq!(close_code(&mut socket, Duration::from_secs(10)).await, Some(4401), "the socket ends with its token");
    let expired = server.call(Some(&brief), "{ viewer { role } }", json!({})).await;
    assert_eq!(code(&expired), "UNAUTHENTICATED", "{expired}");

    let caller = token(&server.auditor_nip, "auditor");
    let mut socket = server.open_socket(&caller).await;
    let ack = common::next_message(&mut socket).await.expect("an acknowledgement");
    assert_eq!(ack["type"], "connection_ack");
    for id in 0..40 {
        let operation =
            json!({ "id": id.to_string(), "type": "subscribe", "payload": { "query": "{ rulePacks { id } }" } });
        common::send(&mut socket, operation).await;
    }
    let (mut answered, mut limited) = (0, 0);
    while answered + limited < 40 {
        let message = common::next_message(&mut socket).await.expect("every operation is answered");
        match message["type"].as_str() {
            Some("next") => answered += 1,
            Some("error") => {
                assert_eq!(message["payload"][0]["extensions"]["code"], "RATE_LIMITED", "{message}");
                limited += 1;
            }
            _ => {}
        }
    }
    assert!(limited >= 25, "{limited} of 40 socket operations refused for rate");
    let over_http = server.call(Some(&caller), "{ rulePacks { id } }", json!({})).await;
    assert_eq!(code(&over_http), "RATE_LIMITED", "sockets and requests share the caller's allowance");
}

#[tokio::test]
async fn every_root_field_respects_every_role_on_every_database() {
    for database in TestDatabase::all("every_root_field_respects_every_role_on_every_database").await.unwrap() {
        eprintln!("access control on {}", database.backend);
        let server = Server::start(&database.url).await;
        check(&server).await;
        masking_and_claims(&server).await;
        free_text_reaches_analysts_masked(&server).await;
        import_batch(&server).await;
        events_respect_scope(&server).await;
        request_limits(&server).await;
        drop(server);
        abuse_limits(&database.url).await;
        socket_sessions(&database.url).await;
        database.dispose().await.unwrap();
    }
}
