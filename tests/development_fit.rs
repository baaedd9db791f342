//! Development fits the person, on the demo city, on SQLite and PostgreSQL: no position is offered a
//! programme made for another profession; BKPSDM Surakarta's own case — an HR clerk weak in HR
//! software — ends with the HR-software programme suggested, planned, attended and counted; and the
//! results of functional posts carry the angka kredit they earn.

mod common;

use common::{Server, code, token};
use serde_json::{Value, json};

/// What a position must show to be offered a programme made for some jobs: words of its title, a unit it
/// lies in (or below), or its kind.
struct Audience {
    programme: &'static str,
    titles: &'static [&'static str],
    units: &'static [&'static str],
    kinds: &'static [&'static str],
}

/// The programmes of the built-in catalogue made for some jobs, and for whom. Written out here, apart
/// from the catalogue, so that the catalogue is checked against what its programmes are for.
const PROFESSIONS: &[Audience] = &[
    Audience {
        programme: "PPI",
        titles: &["Perawat", "Bidan", "Dokter", "Puskesmas", "Kesehatan", "RSUD"],
        units: &[],
        kinds: &[],
    },
    Audience { programme: "KIA", titles: &["Bidan"], units: &[], kinds: &[] },
    Audience { programme: "KLINIS", titles: &["Dokter"], units: &[], kinds: &[] },
    Audience { programme: "ASKEP", titles: &["Perawat"], units: &[], kinds: &[] },
    Audience { programme: "JFPERAWAT", titles: &["Perawat"], units: &[], kinds: &[] },
    Audience { programme: "MANPKM", titles: &["Puskesmas", "Pelayanan Kesehatan"], units: &[], kinds: &[] },
    Audience { programme: "AJAR", titles: &["Guru", "Pembelajaran"], units: &[], kinds: &[] },
    Audience { programme: "KASEK", titles: &["Kepala Sekolah"], units: &[], kinds: &[] },
    Audience { programme: "DAPODIK", titles: &["Sekolah", "Pendidikan"], units: &[], kinds: &[] },
    Audience { programme: "SIASN", titles: &["Kepegawaian", "Sumber Daya Manusia"], units: &["BKPSDM"], kinds: &[] },
    Audience { programme: "MERIT", titles: &["Kepegawaian", "Sumber Daya Manusia"], units: &["BKPSDM"], kinds: &[] },
    Audience { programme: "SPBE", titles: &["Informasi", "Komputer", "Teknologi"], units: &[], kinds: &[] },
    Audience { programme: "PEMWIL", titles: &["Lurah", "Camat", "Kecamatan"], units: &[], kinds: &[] },
    Audience { programme: "SAMPAH", titles: &["Kebersihan", "Lingkungan"], units: &["DLH"], kinds: &[] },
    Audience {
        programme: "PBJ",
        titles: &["Pengadaan", "Keuangan", "Bendahara"],
        units: &[],
        kinds: &["JPT_PRATAMA", "ADMINISTRATOR", "PENGAWAS"],
    },
    Audience { programme: "PKN2", titles: &[], units: &[], kinds: &["JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA"] },
    Audience { programme: "PKA", titles: &[], units: &[], kinds: &["ADMINISTRATOR"] },
    Audience { programme: "PKP", titles: &[], units: &[], kinds: &["PENGAWAS"] },
];

const MEMBERS: &str = r#"query($year: Int!, $after: String) { unit(code: "SKA") {
    members(first: 200, after: $after, includeDescendants: true) { pageInfo { hasNextPage endCursor }
      nodes { nip unit { code ancestors { code } } position { title kind }
        trainingNeeds(year: $year) { id reason topic detail status version plannedProgramme
          suggestedProgrammes { code name hours forKinds forTitles forUnits } } } } } }"#;

async fn demo_year(server: &Server) -> i64 {
    let trend = server.ok(Some(&server.admin), r#"{ unit(code: "SKA") { trend { period } } }"#, json!({})).await;
    let period = trend["unit"]["trend"].as_array().unwrap().last().expect("a scored period")["period"].clone();
    period.as_str().unwrap()[..4].parse().unwrap()
}

async fn members(server: &Server, year: i64) -> Vec<Value> {
    let mut members = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = server.ok(Some(&server.admin), MEMBERS, json!({ "year": year, "after": after })).await;
        let page = &page["unit"]["members"];
        members.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return members;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// Whether `title` holds `words` as whole words, ignoring case.
fn names(title: &str, words: &str) -> bool {
    let split = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let (title, words) = (split(title), split(words));
    title.windows(words.len()).any(|window| window == words.as_slice())
}

async fn every_position_is_offered_programmes_for_its_job(server: &Server, year: i64) {
    let members = members(server, year).await;
    assert!(members.len() > 600, "the city's members were read ({})", members.len());
    let mut offered = std::collections::BTreeMap::<&str, u32>::new();
    let mut suggestions = 0;
    for member in &members {
        let title = member["position"]["title"].as_str().unwrap();
        let kind = member["position"]["kind"].as_str().unwrap();
        let mut units: Vec<&str> =
            member["unit"]["ancestors"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
        units.push(member["unit"]["code"].as_str().unwrap());
        for need in member["trainingNeeds"].as_array().unwrap() {
            for programme in need["suggestedProgrammes"].as_array().unwrap() {
                suggestions += 1;
                let code = programme["code"].as_str().unwrap();
                let audience = ["forKinds", "forTitles", "forUnits"].map(|f| programme[f].as_array().unwrap().len());
                let Some(audience_of) = PROFESSIONS.iter().find(|p| p.programme == code) else {
                    assert_eq!(audience, [0, 0, 0], "{code} is made for some jobs: add it to PROFESSIONS");
                    continue;
                };
                let fits = audience_of.titles.iter().any(|words| names(title, words))
                    || audience_of.units.iter().any(|unit| units.contains(unit))
                    || audience_of.kinds.contains(&kind);
                assert!(fits, "{title} ({kind}, in {units:?}) is offered {code}, made for another job: {need}");
                *offered.entry(code).or_default() += 1;
            }
        }
    }
    eprintln!("{suggestions} suggestions checked; programmes for some jobs offered: {offered:?}");
    for code in ["PPI", "AJAR", "SIASN"] {
        assert!(offered.get(code).is_some_and(|n| *n > 0), "the walk met {code}: {offered:?}");
    }
}

const UPDATE: &str = r#"mutation($input: UpdateTrainingNeedInput!) { updateTrainingNeed(input: $input) {
    status version completedWithTraining plannedProgramme } }"#;
const IMPORT: &str = r#"mutation($input: ImportRecordsInput!) { importRecords(input: $input) { inserted } }"#;
const PROPOSE: &str = r#"mutation($input: ProposeDevelopmentGoalInput!) { proposeDevelopmentGoal(input: $input) {
    goal { id status version activities { id title classical } } } }"#;

const AGREE: &str = r#"mutation($input: GoalRefInput!) { agreeDevelopmentGoal(input: $input) {
    goal { status need { status } } } }"#;

const RECORD: &str = r#"mutation($input: RecordDevelopmentActivityInput!) { recordDevelopmentActivity(input: $input) {
    goal { status need { status completedWithTraining } } } }"#;

const RATER: &str = r#"query($nip: String!) { employee(nip: $nip) { superior { nip } plans { year rater { nip } } } }"#;

const PLAN: &str = r#"query($nip: String!, $year: Int!) { employee(nip: $nip) { developmentPlan(year: $year) {
    kept creditedHours goals { status need { status }
      activities { id done creditedHours } } } } }"#;

const HOURS: &str = r#"query($nip: String!, $year: Int!) { employee(nip: $nip) { developmentHours(year: $year) {
    hours minimum } trainingNeeds(year: $year) { id reason status version } } }"#;

async fn record_training(server: &Server, nip: &str, programme: &str, started_on: &str, hours: u32) {
    let row = json!({ "nip": nip, "programme": programme, "started_on": started_on, "finished_on": started_on, "hours": hours });
    let input = json!({ "kind": "TRAINING_RECORDS", "format": "JSON_LINES", "data": row.to_string() });
    let imported = server.ok(Some(&server.admin), IMPORT, json!({ "input": input })).await;
    assert_eq!(imported["importRecords"]["inserted"], 1, "{imported}");
}

/// BKPSDM Surakarta's own example: HR staff weak in IT get training in HR software.
async fn the_hr_clerk_weak_in_hr_software_gets_the_hr_software_programme(server: &Server, year: i64) {
    let members = members(server, year).await;
    let clerk = members
        .iter()
        .filter(|m| {
            m["unit"]["code"].as_str().unwrap().starts_with("BKPSDM-PIK") && m["position"]["kind"] != "ADMINISTRATOR"
        })
        .find(|m| {
            m["trainingNeeds"].as_array().unwrap().iter().any(|n| n["topic"] == "kompeten" && n["status"] == "OPEN")
        })
        .expect("someone of BKPSDM's data and information bidang rated below expectation in Kompeten");
    let nip = clerk["nip"].as_str().unwrap();
    let need = clerk["trainingNeeds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["topic"] == "kompeten" && n["status"] == "OPEN")
        .unwrap();
    let told = members
        .iter()
        .filter(|m| m["unit"]["code"] == "BKPSDM-PIK-SI")
        .flat_map(|m| m["trainingNeeds"].as_array().unwrap())
        .find(|n| n["topic"] == "kompeten" && n["status"] == "PLANNED")
        .expect("the demo city tells the case: a clerk of BKPSDM-PIK-SI has planned the HR-software programme");
    assert!(told["plannedProgramme"].as_str().unwrap().contains("SIASN"), "{told}");
    let first = &need["suggestedProgrammes"][0];
    assert_eq!(first["code"], "SIASN", "the HR-software programme comes first: {need}");
    let detail = need["detail"].as_str().unwrap();
    assert!(detail.starts_with("Nilai BerAKHLAK Kompeten masih di bawah ekspektasi"), "{detail}");
    assert!(detail.contains("Catatan penilai:") && detail.contains("SIASN"), "the rater's note is the cause: {detail}");

    let programme = first["name"].as_str().unwrap();
    let planned_on = format!("{year}-12-07");
    // The clerk adds it to their development plan; their rater agrees, which plans the need.
    let own = token(nip, "employee");
    let proposed = server
        .ok(
            Some(&own),
            PROPOSE,
            json!({ "input": { "nip": nip, "year": year, "needId": need["id"], "competency": "Kompeten: sistem informasi kepegawaian",
                               "target": "Mengelola data mutasi dan kenaikan pangkat sendiri di SIASN",
                               "activities": [{ "programme": "SIASN", "plannedOn": planned_on },
                                              { "kind": "MENTORING", "title": "Pendampingan operator SIASN senior",
                                                "plannedHours": 4 }] } }),
        )
        .await;
    let goal = &proposed["proposeDevelopmentGoal"]["goal"];
    assert_eq!(goal["status"], "PROPOSED", "{proposed}");
    assert_eq!(goal["activities"][0]["title"], programme, "the catalogue names the programme: {goal}");
    assert_eq!(goal["activities"][0]["classical"], true, "{goal}");
    assert_eq!(goal["activities"][1]["classical"], false, "{goal}");
    let rater = server.ok(Some(&server.admin), RATER, json!({ "nip": nip })).await;
    let rater_nip = rater["employee"]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["year"] == year)
        .and_then(|p| p["rater"]["nip"].as_str())
        .or_else(|| rater["employee"]["superior"]["nip"].as_str())
        .expect("the clerk has a rater")
        .to_owned();
    let refused = server
        .call(Some(&own), AGREE, json!({ "input": { "goalId": goal["id"], "expectedVersion": goal["version"] } }))
        .await;
    assert_eq!(code(&refused), "FORBIDDEN", "the employee does not agree their own goal: {refused}");
    let agreed = server
        .ok(
            Some(&token(&rater_nip, "rater")),
            AGREE,
            json!({ "input": { "goalId": goal["id"], "expectedVersion": goal["version"] } }),
        )
        .await;
    assert_eq!(agreed["agreeDevelopmentGoal"]["goal"]["status"], "AGREED", "{agreed}");
    assert_eq!(agreed["agreeDevelopmentGoal"]["goal"]["need"]["status"], "PLANNED", "{agreed}");

    let before = server.ok(Some(&server.admin), HOURS, json!({ "nip": nip, "year": year })).await;
    let before_hours = before["employee"]["developmentHours"]["hours"].as_i64().unwrap();
    let minimum = before["employee"]["developmentHours"]["minimum"].as_i64().unwrap();
    // A short course leaves the year below the minimum: the hours need may not complete on it.
    let short_hours = u32::try_from((minimum - before_hours - 1).clamp(1, 8)).unwrap();
    record_training(server, nip, "Coaching dan Mentoring Kinerja", &format!("{year}-11-02"), short_hours).await;
    let needs = server.ok(Some(&server.admin), HOURS, json!({ "nip": nip, "year": year })).await;
    if let Some(hours_need) =
        needs["employee"]["trainingNeeds"].as_array().unwrap().iter().find(|n| n["reason"] == "HOURS")
        && before_hours + i64::from(short_hours) < minimum
    {
        let refused = server
            .call(
                Some(&server.admin),
                UPDATE,
                json!({ "input": { "id": hours_need["id"], "status": "COMPLETED",
                                   "trainingProgramme": "Coaching dan Mentoring Kinerja",
                                   "trainingStartedOn": format!("{year}-11-02") } }),
            )
            .await;
        assert_eq!(code(&refused), "FAILED_PRECONDITION", "{refused}");
        let message = refused["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(&format!("of {minimum} JP")), "{message}");
    }

    let hours = first["hours"].as_u64().unwrap() as u32;
    record_training(server, nip, programme, &planned_on, hours).await;
    // The programme's record credits its activity; the mentoring is still to be done.
    let plan = server.ok(Some(&own), PLAN, json!({ "nip": nip, "year": year })).await;
    let goal = &plan["employee"]["developmentPlan"]["goals"][0];
    assert_eq!(goal["status"], "AGREED", "{plan}");
    assert_eq!(goal["activities"][0]["done"], true, "{plan}");
    assert_eq!(goal["activities"][0]["creditedHours"], hours, "{plan}");
    assert_eq!(goal["need"]["status"], "PLANNED", "the need waits for the whole goal: {plan}");
    let mentoring = &goal["activities"][1];
    let done = server
        .ok(
            Some(&token(&rater_nip, "rater")),
            RECORD,
            json!({ "input": { "activityId": mentoring["id"], "startedOn": format!("{year}-11-09"),
                               "finishedOn": format!("{year}-11-10"), "hours": 4, "evidence": "Log pendampingan" } }),
        )
        .await;
    let goal = &done["recordDevelopmentActivity"]["goal"];
    assert_eq!(goal["status"], "ACHIEVED", "every activity done achieves the goal: {done}");
    assert_eq!(goal["need"]["status"], "COMPLETED", "and completes the need: {done}");
    assert_eq!(goal["need"]["completedWithTraining"], true, "{done}");
    let plan = server.ok(Some(&own), PLAN, json!({ "nip": nip, "year": year })).await;
    assert_eq!(plan["employee"]["developmentPlan"]["kept"], true, "{plan}");
    assert_eq!(plan["employee"]["developmentPlan"]["creditedHours"], hours + 4, "{plan}");
    let hours = hours + 4;
    let after = server.ok(Some(&server.admin), HOURS, json!({ "nip": nip, "year": year })).await;
    let after_hours = after["employee"]["developmentHours"]["hours"].as_i64().unwrap();
    assert_eq!(after_hours, before_hours + i64::from(short_hours + hours), "the programme's JP count: {after}");
    // The clerk reads it too, in their own words.
    let own = server.ok(Some(&token(nip, "employee")), HOURS, json!({ "nip": nip, "year": year })).await;
    let statuses: Vec<&Value> =
        own["employee"]["trainingNeeds"].as_array().unwrap().iter().map(|n| &n["status"]).collect();
    assert!(statuses.contains(&&json!("COMPLETED")), "{own}");
}

/// Angka kredit per year in a functional post (PermenPANRB 1/2023 as the pack writes it): percent of the
/// predikat × the post's koefisien, here for a full year.
fn expected_angka_kredit(predikat: &str, kind: &str) -> Option<f64> {
    let percent = match predikat {
        "sangat_baik" => 150.0,
        "baik" => 100.0,
        "butuh_perbaikan" => 75.0,
        "kurang" => 50.0,
        "sangat_kurang" => 25.0,
        _ => return None,
    };
    let koefisien = match kind {
        "AHLI_PERTAMA" => 12.5,
        "AHLI_MUDA" => 25.0,
        "AHLI_MADYA" => 37.5,
        "AHLI_UTAMA" => 50.0,
        "PEMULA" => 3.75,
        "TERAMPIL" => 5.0,
        "MAHIR" => 12.5,
        "PENYELIA" => 25.0,
        _ => return None,
    };
    Some(percent / 100.0 * koefisien)
}

/// Every record's results across years carry the angka kredit their predikat earns a functional post,
/// and none for other posts; an analyst reads it only where the position kind is released.
async fn angka_kredit_shows_on_the_records(server: &Server) {
    const RESULTS: &str = r#"{ unit(code: "SKA") { members(first: 300, includeDescendants: true) { nodes {
        position { kind } positionKind resultsByYear { year predikat angkaKredit } } } } }"#;
    let members = server.ok(Some(&server.admin), RESULTS, json!({})).await;
    let mut credited = 0;
    for member in members["unit"]["members"]["nodes"].as_array().unwrap() {
        let kind = member["position"]["kind"].as_str().unwrap();
        for result in member["resultsByYear"].as_array().unwrap() {
            let expected = expected_angka_kredit(result["predikat"].as_str().unwrap(), kind);
            let shown = result["angkaKredit"].as_str().map(|text| text.parse::<f64>().unwrap());
            // Rounded to the pack's two decimals.
            let agrees = match (shown, expected) {
                (Some(shown), Some(expected)) => (shown - expected).abs() <= 0.005 + 1e-9,
                (shown, expected) => shown == expected,
            };
            assert!(agrees, "{kind}: {result} against {expected:?}");
            credited += usize::from(shown.is_some());
        }
    }
    assert!(credited > 20, "functional posts earn angka kredit on the demo ({credited})");
    let analyst = server.ok(Some(&token(&server.analyst_nip, "analyst")), RESULTS, json!({})).await;
    for member in analyst["unit"]["members"]["nodes"].as_array().unwrap() {
        if member["positionKind"].is_null() {
            assert!(
                !member["resultsByYear"].as_array().unwrap().iter().any(|r| !r["angkaKredit"].is_null()),
                "{member}"
            );
        }
    }
}

/// A unit's culture figures are what its members' records add up to, as an HR administrator reads them;
/// a unit too small to be shown beside its siblings shows an analyst none.
async fn culture_figures_add_up(server: &Server, year: i64) {
    // One dialogue held in the third quarter, recorded by the employee whose plan it is.
    const PLANS: &str = r#"query($year: Int!) { unit(code: "BKPSDM") { members(first: 50, includeDescendants: true) {
        nodes { nip plans(year: $year) { id status } } } } }"#;
    let listed = server.ok(Some(&server.admin), PLANS, json!({ "year": year })).await;
    let (nip, plan) = listed["unit"]["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|m| {
            m["plans"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["status"] == "APPROVED")
                .map(|p| (m["nip"].clone(), p["id"].clone()))
        })
        .expect("an approved plan in BKPSDM");
    const DIALOGUE: &str =
        "mutation($input: RecordDialogueInput!) { recordDialogue(input: $input) { dialogue { heldOn } } }";
    let input = json!({ "planId": plan, "heldOn": format!("{year}-08-14"), "participants": "Pegawai dan penilai",
                        "summary": "Capaian triwulan III", "agreedActions": "Ikuti pelatihan SIASN" });
    server.ok(Some(&token(nip.as_str().unwrap(), "employee")), DIALOGUE, json!({ "input": input })).await;
    const RECORDS: &str = r#"query($year: Int!) { unit(code: "BKPSDM") {
        cultureFigures(year: $year) { people dialoguesByQuarter { period employees percent } feedbackPerPerson
          selfAssessedPercent jpCoveragePercent }
        members(first: 300, includeDescendants: true) { totalCount nodes {
          developmentHours(year: $year) { hours minimum }
          plans(year: $year) { dialogues { heldOn } feedback { id } selfAssessment { behaviour { value } workResults { achieved } } } } } } }"#;
    let read = server.ok(Some(&server.admin), RECORDS, json!({ "year": year })).await;
    let unit = &read["unit"];
    let members = unit["members"]["nodes"].as_array().unwrap();
    let people = members.len();
    assert_eq!(unit["members"]["totalCount"], people, "one page holds BKPSDM");
    let figures = &unit["cultureFigures"];
    assert_eq!(figures["people"], people, "{figures}");
    let plans = |m: &Value| m["plans"].as_array().unwrap().clone();
    let reached = members
        .iter()
        .filter(|m| {
            m["developmentHours"]["hours"].as_i64().unwrap() >= m["developmentHours"]["minimum"].as_i64().unwrap()
        })
        .count();
    let percent = |n: usize| format!("{:.2}", n as f64 * 100.0 / people as f64);
    let as_text = |v: &Value| format!("{:.2}", v.as_str().unwrap().parse::<f64>().unwrap());
    assert_eq!(as_text(&figures["jpCoveragePercent"]), percent(reached), "{figures}");
    let feedback: usize = members.iter().flat_map(plans).map(|p| p["feedback"].as_array().unwrap().len()).sum();
    assert_eq!(as_text(&figures["feedbackPerPerson"]), format!("{:.2}", feedback as f64 / people as f64), "{figures}");
    let written = |p: &Value| {
        ["behaviour", "workResults"].iter().any(|part| !p["selfAssessment"][part].as_array().unwrap().is_empty())
    };
    let assessed = members.iter().filter(|m| plans(m).iter().any(written)).count();
    assert_eq!(as_text(&figures["selfAssessedPercent"]), percent(assessed), "{figures}");
    for (at, quarter) in figures["dialoguesByQuarter"].as_array().unwrap().iter().enumerate() {
        let months = (at * 3 + 1)..=(at * 3 + 3);
        let held = members
            .iter()
            .filter(|m| {
                plans(m).iter().flat_map(|p| p["dialogues"].as_array().unwrap().clone()).any(|d| {
                    let month: usize = d["heldOn"].as_str().unwrap()[5..7].parse().unwrap();
                    months.contains(&month)
                })
            })
            .count();
        assert_eq!(quarter["period"], format!("{year}-Q{}", at + 1));
        assert_eq!(quarter["employees"], held, "{quarter}");
    }
    assert!(
        figures["dialoguesByQuarter"].as_array().unwrap().iter().any(|q| q["employees"].as_u64().unwrap() > 0),
        "{figures}"
    );
    // An analyst reads none for a unit whose records are too few to be listed.
    let analyst = token(&server.analyst_nip, "analyst");
    let units =
        server.ok(Some(&server.admin), r#"{ units(search: "", first: 1000) { nodes { code } } }"#, json!({})).await;
    let mut withheld = 0;
    for unit in units["units"]["nodes"].as_array().unwrap() {
        const SMALL: &str = r#"query($code: String!, $year: Int!) { unit(code: $code) { cultureFigures(year: $year) { people } members(first: 1, includeDescendants: true) { totalCount } } }"#;
        let read = server.call(Some(&analyst), SMALL, json!({ "code": unit["code"], "year": year })).await;
        if read["errors"].is_array() && read["data"]["unit"]["members"].is_null() {
            assert!(read["data"]["unit"]["cultureFigures"].is_null(), "{read}");
            withheld += 1;
        }
    }
    assert!(withheld > 5, "small units are withheld from analysts ({withheld})");
}

#[tokio::test]
async fn development_fits_the_job_on_every_database() {
    for database in
        kinerja_store::test_support::TestDatabase::all("development_fits_the_job_on_every_database").await.unwrap()
    {
        eprintln!("development fit on {}", database.backend);
        let server = Server::start(&database.url).await;
        let year = demo_year(&server).await;
        every_position_is_offered_programmes_for_its_job(&server, year).await;
        the_hr_clerk_weak_in_hr_software_gets_the_hr_software_programme(&server, year).await;
        angka_kredit_shows_on_the_records(&server).await;
        culture_figures_add_up(&server, year).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
