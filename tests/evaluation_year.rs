//! One agency's whole year, through the public interface only, from an empty database: the organisation
//! imported from files with `kinerja import`, everything after that by GraphQL mutations — plans
//! cascading from the head down, realisations with evidence, the leader's expectations and behaviour
//! ratings, the organisation predikat, decisions (one a reasoned override), finalisation by a bidang head
//! and then by the head of the perangkat daerah over a distribution outside the guidance, an objection
//! upheld. Then every view of the year — the stored evaluations, `Unit.distribution`, the unit
//! analytics, `kinerja export evaluations` and (on PostgreSQL) the BI view — must show the decided
//! predikat. On SQLite and PostgreSQL.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{Server, code, token};
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};

const YEAR: i32 = 2026;

const UNITS: &str = "code,name,kind,parent_code
SKA,Kota Surakarta,city,
SETDA,Sekretariat Daerah,perangkat_daerah,SKA
BKPSDM,Badan Kepegawaian dan Pengembangan Sumber Daya Manusia,perangkat_daerah,SKA
DISKOMINFO,Dinas Komunikasi dan Informatika,perangkat_daerah,SKA
DISKOMINFO-APL,Bidang Aplikasi Informatika,bidang,DISKOMINFO
DISKOMINFO-IKP,Bidang Informasi dan Komunikasi Publik,bidang,DISKOMINFO
";

const POSITIONS: &str = "code,title,kind,unit_code
SETDA-SEKDA,Sekretaris Daerah,jpt_madya,SETDA
BKPSDM-ANALIS,Analis Sumber Daya Manusia Aparatur,pelaksana,BKPSDM
DISKOMINFO-KADIS,Kepala Dinas Komunikasi dan Informatika,jpt_pratama,DISKOMINFO
DISKOMINFO-APL-KABID,Kepala Bidang Aplikasi Informatika,administrator,DISKOMINFO-APL
DISKOMINFO-IKP-KABID,Kepala Bidang Informasi dan Komunikasi Publik,administrator,DISKOMINFO-IKP
DISKOMINFO-APL-PRANATA,Pranata Komputer,pelaksana,DISKOMINFO-APL
DISKOMINFO-IKP-PENGELOLA,Pengelola Informasi Publik,pelaksana,DISKOMINFO-IKP
";

const SEKDA: &str = "196805151990031002";
const ADMIN: &str = "198501012010011001";
const KADIS: &str = "197203102000031003";
const KABID_APL: &str = "197806202003121004";
const KABID_IKP: &str = "198002142005012005";
const APL_1: &str = "199001012015031006";
const APL_2: &str = "199203032016032007";
const IKP_1: &str = "199405052018011008";
const IKP_2: &str = "199607072020122009";
/// Began service in January 2024.
const NEWCOMER: &str = "200001012024012010";

fn employees() -> String {
    let rows = [
        (SEKDA, "Drs. Budi Santoso, M.Si.", "IV/d", "SETDA-SEKDA", "SETDA", ""),
        (ADMIN, "Rina Kusumawati, S.Psi.", "III/c", "BKPSDM-ANALIS", "BKPSDM", ""),
        (KADIS, "Ir. Agus Wibowo, M.T.", "IV/c", "DISKOMINFO-KADIS", "DISKOMINFO", SEKDA),
        (KABID_APL, "Hendra Saputra, S.Kom.", "IV/a", "DISKOMINFO-APL-KABID", "DISKOMINFO-APL", KADIS),
        (KABID_IKP, "Dewi Anggraini, S.Sos.", "IV/a", "DISKOMINFO-IKP-KABID", "DISKOMINFO-IKP", KADIS),
        (APL_1, "Rizky Pratama, A.Md.", "III/a", "DISKOMINFO-APL-PRANATA", "DISKOMINFO-APL", KABID_APL),
        (APL_2, "Sri Lestari, A.Md.", "II/d", "DISKOMINFO-APL-PRANATA", "DISKOMINFO-APL", KABID_APL),
        (IKP_1, "Yoga Nugroho", "II/c", "DISKOMINFO-IKP-PENGELOLA", "DISKOMINFO-IKP", KABID_IKP),
        (IKP_2, "Fajar Hidayat", "II/b", "DISKOMINFO-IKP-PENGELOLA", "DISKOMINFO-IKP", KABID_IKP),
    ];
    let mut csv = String::from("nip,name,employment_type,rank,position_code,unit_code,superior_nip\n");
    for (nip, name, rank, position, unit, superior) in rows {
        csv.push_str(&format!("{nip},\"{name}\",pns,{rank},{position},{unit},{superior}\n"));
    }
    csv
}

fn kinerja(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(args)
        .env("KINERJA__LOG__FILTER", "warn")
        .output()
        .expect("kinerja runs");
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The Kadis's results of the years before kinerja, as the agency's archive and e-Kinerja hold them.
const PAST_RESULTS: &str = "nip,year,score,predikat,source
197203102000031003,2019,92,,SKP 2019 arsip BKPSDM
197203102000031003,2021,100,,e-Kinerja 2021
197203102000031003,2025,,baik,e-Kinerja BKN
";

/// Imports the organisation from files, as an agency starts, with the results of years before kinerja.
fn import_organisation(url: &str, folder: &std::path::Path) {
    for (kind, text) in [
        ("units", UNITS.to_owned()),
        ("positions", POSITIONS.to_owned()),
        ("employees", employees()),
        ("past-results", PAST_RESULTS.to_owned()),
    ] {
        let path = folder.join(format!("{kind}.csv"));
        std::fs::write(&path, text).unwrap();
        kinerja(&["import", kind, path.to_str().unwrap(), "--database", url]);
    }
    // The first HR administrator is granted on the server; the rest of the year runs through the API.
    kinerja(&["role", "grant", "--nip", ADMIN, "--role", "hr-admin", "--database", url]);
}

/// One plan as the test follows it.
#[derive(Debug, Clone)]
struct PlanState {
    id: String,
    work_result: String,
}

struct Year<'a> {
    server: &'a Server,
}

impl Year<'_> {
    async fn ok(&self, nip: &str, role: &str, document: &str, input: Value) -> Value {
        self.server.ok(Some(&token(nip, role)), document, json!({ "input": input })).await
    }

    async fn refused(&self, nip: &str, role: &str, document: &str, input: Value) -> Value {
        let response = self.server.call(Some(&token(nip, role)), document, json!({ "input": input })).await;
        assert!(response.get("errors").is_some(), "expected a refusal: {response}");
        response
    }

    /// The rater drafts the plan of `owner` with one utama RHK (cascading from `parent`) and one summed
    /// IKI with a target of 40, sets the leader's expectation of Kompeten, the owner submits and the
    /// rater approves.
    async fn plan(&self, owner: &str, rater: &str, parent: Option<&str>, description: &str) -> PlanState {
        self.plan_of_year(YEAR, owner, rater, parent, description).await
    }

    async fn plan_of_year(
        &self,
        plan_year: i32,
        owner: &str,
        rater: &str,
        parent: Option<&str>,
        description: &str,
    ) -> PlanState {
        const CREATE: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id version status rater { nip } } } }";
        let created = self
            .ok(rater, "rater", CREATE, json!({ "nip": owner, "year": plan_year, "approach": "KUANTITATIF" }))
            .await;
        let plan = &created["createPlan"]["plan"];
        assert_eq!(plan["rater"]["nip"], rater, "the plan is rated by the owner's superior");
        let id = plan["id"].as_str().unwrap().to_owned();

        const EXPECT: &str = "mutation($input: SetBehaviourExpectationsInput!) { setBehaviourExpectations(input: $input) { plan { version } } }";
        let expected = self
            .ok(
                rater,
                "rater",
                EXPECT,
                json!({ "planId": id, "expectedVersion": plan["version"], "expectations": [
                    { "value": "KOMPETEN", "expectation": "Menguasai aplikasi layanan yang dikelola dan membagikannya ke rekan" }
                ] }),
            )
            .await;
        let version = expected["setBehaviourExpectations"]["plan"]["version"].as_i64().unwrap();

        const ADD_RESULT: &str = "mutation($input: AddWorkResultInput!) { addWorkResult(input: $input) { workResult { id } plan { version } } }";
        let mut input = json!({ "planId": id, "expectedVersion": version, "code": "RHK-1", "section": "UTAMA", "description": description });
        if let Some(parent) = parent {
            input["parentId"] = json!(parent);
        }
        let added = self.ok(rater, "rater", ADD_RESULT, input).await;
        let work_result = added["addWorkResult"]["workResult"]["id"].as_str().unwrap().to_owned();
        let version = added["addWorkResult"]["plan"]["version"].as_i64().unwrap();

        const ADD_INDICATOR: &str = "mutation($input: AddIndicatorInput!) { addIndicator(input: $input) { indicator { id } plan { version } } }";
        let indicator = json!({ "description": format!("Layanan terselesaikan: {description}"), "aspect": "KUANTITAS",
            "target": { "kind": "AT_LEAST", "low": "40" }, "unitOfMeasure": "layanan", "accumulation": "SUM" });
        let added = self
            .ok(
                rater,
                "rater",
                ADD_INDICATOR,
                json!({ "workResultId": work_result, "expectedVersion": version, "code": "IKI-1", "indicator": indicator }),
            )
            .await;
        let version = added["addIndicator"]["plan"]["version"].as_i64().unwrap();

        const SUBMIT: &str =
            "mutation($input: PlanTransitionInput!) { submitPlan(input: $input) { plan { version status } } }";
        let submitted = self.ok(owner, "employee", SUBMIT, json!({ "planId": id, "expectedVersion": version })).await;
        let version = submitted["submitPlan"]["plan"]["version"].as_i64().unwrap();
        const APPROVE: &str =
            "mutation($input: PlanTransitionInput!) { approvePlan(input: $input) { plan { version status } } }";
        let approved = self.ok(rater, "rater", APPROVE, json!({ "planId": id, "expectedVersion": version })).await;
        assert_eq!(approved["approvePlan"]["plan"]["status"], "APPROVED");
        PlanState { id, work_result }
    }

    /// The owner records each quarter's realisation with evidence.
    async fn realise(&self, owner: &str, plan: &PlanState, per_quarter: u32) {
        const INDICATOR: &str =
            "query($id: ID!) { node(id: $id) { ... on Plan { workResults { indicators { id } } } } }";
        let read = self.server.ok(Some(&token(owner, "employee")), INDICATOR, json!({ "id": plan.id })).await;
        let indicator = read["node"]["workResults"][0]["indicators"][0]["id"].as_str().unwrap().to_owned();
        const RECORD: &str =
            "mutation($input: RecordRealisationInput!) { recordRealisation(input: $input) { realisation { id } } }";
        for quarter in 1..=4 {
            self.ok(
                owner,
                "employee",
                RECORD,
                json!({ "indicatorId": indicator, "period": format!("{YEAR}-Q{quarter}"), "value": per_quarter.to_string(),
                    "evidenceNote": format!("Rekap layanan triwulan {quarter}"), "evidenceLink": "https://arsip.surakarta.go.id/layanan" }),
            )
            .await;
        }
    }

    /// The rater rates all seven BerAKHLAK values at `level`.
    async fn rate(&self, rater: &str, plan: &PlanState, level: &str) {
        const RATE: &str = "mutation($input: RateBehaviourInput!) { rateBehaviour(input: $input) { ratings { value level expectation } } }";
        let values = ["BERORIENTASI_PELAYANAN", "AKUNTABEL", "KOMPETEN", "HARMONIS", "LOYAL", "ADAPTIF", "KOLABORATIF"];
        let ratings: Vec<Value> = values
            .iter()
            .map(|value| json!({ "value": value, "level": level, "note": "Sesuai pengamatan sepanjang tahun" }))
            .collect();
        let rated = self.ok(rater, "rater", RATE, json!({ "planId": plan.id, "ratings": ratings })).await;
        let kompeten = rated["rateBehaviour"]["ratings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["value"] == "KOMPETEN")
            .cloned()
            .unwrap();
        assert!(
            kompeten["expectation"].as_str().unwrap().starts_with("Menguasai aplikasi"),
            "the rating carries the expectation set at planning: {kompeten}"
        );
    }

    async fn proposal(&self, rater: &str, plan: &PlanState) -> (String, String) {
        const PROPOSAL: &str =
            "query($id: ID!) { node(id: $id) { ... on Plan { proposal { resultRating behaviourRating predikat } } } }";
        let read = self.server.ok(Some(&token(rater, "rater")), PROPOSAL, json!({ "id": plan.id })).await;
        let proposal = &read["node"]["proposal"];
        (proposal["resultRating"].as_str().unwrap().to_owned(), proposal["predikat"].as_str().unwrap().to_owned())
    }

    /// The rater decides (or, with the version last seen, revises) the year's ratings.
    async fn decide(
        &self,
        rater: &str,
        plan: &PlanState,
        (result, behaviour): (&str, &str),
        reason: Option<&str>,
        seen: Option<&Value>,
    ) -> Value {
        const DECIDE: &str = "mutation($input: DecideRatingsInput!) { decideRatings(input: $input) { decision { id version predikat proposedResultRating } } }";
        let mut input = json!({ "planId": plan.id, "resultRating": result, "behaviourRating": behaviour });
        if let Some(reason) = reason {
            input["overrideReason"] = json!(reason);
        }
        if let Some(seen) = seen {
            input["expectedVersion"] = seen["version"].clone();
        }
        self.ok(rater, "rater", DECIDE, input).await["decideRatings"]["decision"].clone()
    }
}

/// Each plan's evaluation of the whole year as the owner's card shows it: (predikat, basis).
async fn stored_results(server: &Server, plans: &BTreeMap<&str, PlanState>) -> BTreeMap<String, (String, String)> {
    const EVALUATION: &str = r#"query($id: ID!) { node(id: $id) { ... on Plan { employee { nip }
        evaluation(period: "2026") { predikat predikatBasis } } } }"#;
    let mut results = BTreeMap::new();
    for plan in plans.values() {
        let read = server.ok(Some(&server.admin), EVALUATION, json!({ "id": plan.id })).await;
        let evaluation = &read["node"]["evaluation"];
        results.insert(
            read["node"]["employee"]["nip"].as_str().unwrap().to_owned(),
            (
                evaluation["predikat"].as_str().unwrap().to_owned(),
                evaluation["predikatBasis"].as_str().unwrap().to_owned(),
            ),
        );
    }
    results
}

async fn run(server: &Server, url: &str, backend: &str) {
    let year = Year { server };

    // The HR administrator sets DISKOMINFO's organisation predikat for the year.
    const ORGANISATION: &str = "mutation($input: SetOrganisationPredikatInput!) { setOrganisationPredikat(input: $input) { distribution { organisationPredikat counts { headcount } } } }";
    let refused = year
        .refused(
            KADIS,
            "unit-head",
            ORGANISATION,
            json!({ "unitCode": "DISKOMINFO", "year": YEAR, "predikat": "ISTIMEWA" }),
        )
        .await;
    assert_eq!(code(&refused), "FORBIDDEN");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("hr-admin"), "{refused}");
    let set = year
        .ok(ADMIN, "hr-admin", ORGANISATION, json!({ "unitCode": "DISKOMINFO", "year": YEAR, "predikat": "BAIK" }))
        .await;
    assert_eq!(set["setOrganisationPredikat"]["distribution"]["organisationPredikat"], "BAIK");

    // Plans cascade from the head down: the Sekda approves the Kadis's plan, the Kadis the kabids', the
    // kabids their staff's; each RHK intervenes the rater's.
    let kadis = year.plan(KADIS, SEKDA, None, "Meningkatnya layanan pemerintahan berbasis elektronik").await;
    let apl = year.plan(KABID_APL, KADIS, Some(&kadis.work_result), "Aplikasi layanan publik terintegrasi").await;
    let ikp = year.plan(KABID_IKP, KADIS, Some(&kadis.work_result), "Informasi publik tersampaikan tepat waktu").await;
    let apl_1 = year.plan(APL_1, KABID_APL, Some(&apl.work_result), "Pemeliharaan aplikasi layanan").await;
    let apl_2 = year.plan(APL_2, KABID_APL, Some(&apl.work_result), "Dukungan pengguna aplikasi").await;
    let ikp_1 = year.plan(IKP_1, KABID_IKP, Some(&ikp.work_result), "Publikasi informasi kegiatan").await;
    let ikp_2 = year.plan(IKP_2, KABID_IKP, Some(&ikp.work_result), "Pengelolaan aduan warga").await;
    const CASCADE: &str = "query($id: ID!) { node(id: $id) { ... on Plan { workResults { parent { id } } } } }";
    let cascade = server.ok(Some(&token(KABID_APL, "rater")), CASCADE, json!({ "id": apl_1.id })).await;
    assert_eq!(cascade["node"]["workResults"][0]["parent"]["id"], apl.work_result.as_str());
    // The employee sees the rater's work results to cascade from, their text only, and not the rater's plan.
    const OPTIONS: &str =
        "query($id: ID!) { node(id: $id) { ... on Plan { cascadeOptions { id code description indicators { id } }
        workResults { parent { description plan { id } } } } } }";
    let options = server.ok(Some(&token(APL_1, "employee")), OPTIONS, json!({ "id": apl_1.id })).await;
    assert_eq!(
        options["node"]["cascadeOptions"],
        json!([{ "id": apl.work_result, "code": "RHK-1", "description": "Aplikasi layanan publik terintegrasi", "indicators": [] }])
    );
    assert_eq!(
        options["node"]["workResults"][0]["parent"],
        json!({ "description": "Aplikasi layanan publik terintegrasi", "plan": null })
    );

    // Realisations through the year: 10 a quarter meets the target of 40; 15 exceeds it; 5 falls short.
    for (owner, plan, per_quarter) in [
        (KADIS, &kadis, 10),
        (KABID_APL, &apl, 10),
        (KABID_IKP, &ikp, 10),
        (APL_1, &apl_1, 15),
        (APL_2, &apl_2, 10),
        (IKP_1, &ikp_1, 5),
        (IKP_2, &ikp_2, 5),
    ] {
        year.realise(owner, plan, per_quarter).await;
    }
    // Behaviour ratings: all as expected, the outstanding pranata komputer above.
    for (rater, plan, level) in [
        (SEKDA, &kadis, "AS_EXPECTED"),
        (KADIS, &apl, "AS_EXPECTED"),
        (KADIS, &ikp, "AS_EXPECTED"),
        (KABID_APL, &apl_1, "ABOVE_EXPECTATION"),
        (KABID_APL, &apl_2, "AS_EXPECTED"),
        (KABID_IKP, &ikp_1, "AS_EXPECTED"),
        (KABID_IKP, &ikp_2, "AS_EXPECTED"),
    ] {
        year.rate(rater, plan, level).await;
    }
    // The last plan's ratings come from the paper form the kabid signed, imported by HR as rateBehaviour
    // would record them: an identical rating is left alone, the rest replace the earlier ones.
    const IMPORT: &str =
        "mutation($input: ImportRecordsInput!) { importRecords(input: $input) { rows inserted updated unchanged } }";
    let values = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"];
    let mut rows = String::from("nip,year,value,level,note\n");
    for value in values {
        let note =
            if value == "kolaboratif" { "Sesuai pengamatan sepanjang tahun" } else { "Formulir penilaian perilaku" };
        rows.push_str(&format!("{IKP_2},{YEAR},{value},as_expected,{note}\n"));
    }
    let imported = year.ok(ADMIN, "hr-admin", IMPORT, json!({ "kind": "BEHAVIOUR_RATINGS", "data": rows })).await;
    assert_eq!(
        imported["importRecords"],
        json!({ "rows": 7, "inserted": 0, "updated": 6, "unchanged": 1 }),
        "{backend}: behaviour ratings by import"
    );
    const RATINGS: &str =
        "query($id: ID!) { node(id: $id) { ... on Plan { behaviourRatings { value note expectation } } } }";
    let ratings = server.ok(Some(&server.admin), RATINGS, json!({ "id": ikp_2.id })).await;
    let kompeten =
        ratings["node"]["behaviourRatings"].as_array().unwrap().iter().find(|r| r["value"] == "KOMPETEN").unwrap();
    assert_eq!(kompeten["note"], "Formulir penilaian perilaku");
    assert!(kompeten["expectation"].as_str().unwrap().starts_with("Menguasai aplikasi"), "{kompeten}");
    // Before anyone has decided or scored the year, the Kadis's results already show its proposal so far.
    const LATEST: &str = "query($nip: String!) { employee(nip: $nip) { resultsByYear { year basis predikat } } }";
    let latest = server.ok(Some(&token(KADIS, "employee")), LATEST, json!({ "nip": KADIS })).await;
    assert_eq!(
        latest["employee"]["resultsByYear"][0],
        json!({ "year": YEAR, "basis": "PROPOSED", "predikat": "baik" }),
        "{backend}: a year not scored yet"
    );

    // The proposals follow the records; decisions take them, the predikat follows the matrix.
    assert_eq!(year.proposal(KABID_APL, &apl_1).await, ("ABOVE_EXPECTATION".into(), "SANGAT_BAIK".into()));
    assert_eq!(year.proposal(KABID_IKP, &ikp_1).await, ("BELOW_EXPECTATION".into(), "BUTUH_PERBAIKAN".into()));
    let unexplained = year
        .refused(
            KABID_IKP,
            "rater",
            "mutation($input: DecideRatingsInput!) { decideRatings(input: $input) { decision { id } } }",
            json!({ "planId": ikp_2.id, "resultRating": "AS_EXPECTED", "behaviourRating": "AS_EXPECTED" }),
        )
        .await;
    assert!(unexplained["errors"][0]["message"].as_str().unwrap().contains("reason"), "{unexplained}");
    let mut decisions = BTreeMap::new();
    for (rater, owner, plan, result, behaviour) in [
        (SEKDA, KADIS, &kadis, "AS_EXPECTED", "AS_EXPECTED"),
        (KADIS, KABID_APL, &apl, "AS_EXPECTED", "AS_EXPECTED"),
        (KADIS, KABID_IKP, &ikp, "AS_EXPECTED", "AS_EXPECTED"),
        (KABID_APL, APL_1, &apl_1, "ABOVE_EXPECTATION", "ABOVE_EXPECTATION"),
        (KABID_APL, APL_2, &apl_2, "AS_EXPECTED", "AS_EXPECTED"),
        (KABID_IKP, IKP_1, &ikp_1, "BELOW_EXPECTATION", "AS_EXPECTED"),
        (KABID_IKP, IKP_2, &ikp_2, "BELOW_EXPECTATION", "AS_EXPECTED"),
    ] {
        decisions.insert(owner, year.decide(rater, plan, (result, behaviour), None, None).await);
    }
    assert_eq!(decisions[KADIS]["predikat"], "BAIK", "the Kadis is rated on the unit's result");
    let plans: BTreeMap<&str, PlanState> = [
        (KADIS, kadis.clone()),
        (KABID_APL, apl.clone()),
        (KABID_IKP, ikp.clone()),
        (APL_1, apl_1.clone()),
        (APL_2, apl_2.clone()),
        (IKP_1, ikp_1.clone()),
        (IKP_2, ikp_2.clone()),
    ]
    .into();

    // SB 1, B 4, BP 2 of 7 keeps to the guidance of a Baik unit: the bidang head may finalise his part.
    const FINALISE: &str = "mutation($input: FinaliseUnitInput!) { finaliseUnit(input: $input) { plansFinalised overridden { constraint } overrideReason } }";
    let finalised =
        year.ok(KABID_APL, "unit-head", FINALISE, json!({ "unitCode": "DISKOMINFO-APL", "year": YEAR })).await;
    assert_eq!(finalised["finaliseUnit"]["plansFinalised"], 3);

    // A reasoned override lifts one BP to Baik: B 5 of 7 is past 70%.
    let reason = "Aduan warga melonjak akibat banjir; semua ditangani";
    let revised =
        year.decide(KABID_IKP, &ikp_2, ("AS_EXPECTED", "AS_EXPECTED"), Some(reason), Some(&decisions[IKP_2])).await;
    assert_eq!(revised["predikat"], "BAIK");
    // A bidang head cannot finalise a part of a distribution outside the guidance, nor bypass it.
    let bypass =
        year.refused(KABID_IKP, "unit-head", FINALISE, json!({ "unitCode": "DISKOMINFO-IKP", "year": YEAR })).await;
    assert_eq!(code(&bypass), "FAILED_PRECONDITION");
    assert!(bypass["errors"][0]["message"].as_str().unwrap().contains("only the head of DISKOMINFO"), "{bypass}");
    let bypass_with_reason = year
        .refused(
            KABID_IKP,
            "unit-head",
            FINALISE,
            json!({ "unitCode": "DISKOMINFO-IKP", "year": YEAR, "overrideReason": "Sudah dibahas" }),
        )
        .await;
    assert_eq!(code(&bypass_with_reason), "FAILED_PRECONDITION");
    // The head of the perangkat daerah finalises the rest over the guidance, with a reason.
    let unreasoned =
        year.refused(KADIS, "unit-head", FINALISE, json!({ "unitCode": "DISKOMINFO", "year": YEAR })).await;
    assert!(unreasoned["errors"][0]["message"].as_str().unwrap().contains("baik ≤ 70%"), "{unreasoned}");
    let reason = "Lonjakan aduan banjir ditangani seluruhnya; disetujui Sekda";
    let finalised = year
        .ok(KADIS, "unit-head", FINALISE, json!({ "unitCode": "DISKOMINFO", "year": YEAR, "overrideReason": reason }))
        .await;
    assert_eq!(finalised["finaliseUnit"]["plansFinalised"], 4, "the APL part was final already");
    assert_eq!(finalised["finaliseUnit"]["overrideReason"], reason);
    assert!(!finalised["finaliseUnit"]["overridden"].as_array().unwrap().is_empty());

    // An objection: the pranata komputer rated Baik objects; the rater's superior (the Kadis, acting as a
    // rater) upholds it.
    const FILE: &str =
        "mutation($input: FileObjectionInput!) { fileObjection(input: $input) { objection { id status } } }";
    let filed = year
        .ok(
            APL_2,
            "employee",
            FILE,
            json!({ "decisionId": decisions[APL_2]["id"], "reasons": "Dukungan pengguna saat migrasi server tidak tercatat" }),
        )
        .await;
    let objection = filed["fileObjection"]["objection"]["id"].as_str().unwrap().to_owned();
    // The HR administrator's dashboard hears the change, and whose it is.
    let mut socket = server
        .subscribe(
            &server.admin,
            r#"subscription { evaluationChanged(unitCode: "DISKOMINFO") { predikat plan { employee { nip } } } }"#,
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    const DECIDE_OBJECTION: &str = "mutation($input: DecideObjectionInput!) { decideObjection(input: $input) { objection { status } decision { predikat } } }";
    let upheld = year
        .ok(
            KADIS,
            "rater",
            DECIDE_OBJECTION,
            json!({ "objectionId": objection, "upheld": true, "reasons": "Bukti log migrasi sah",
                "resultRating": "ABOVE_EXPECTATION", "behaviourRating": "ABOVE_EXPECTATION" }),
        )
        .await;
    assert_eq!(upheld["decideObjection"]["decision"]["predikat"], "SANGAT_BAIK");
    let heard = common::next_message(&mut socket).await.expect("the decision's event");
    assert_eq!(
        heard["payload"]["data"]["evaluationChanged"],
        json!({ "predikat": "SANGAT_BAIK", "plan": { "employee": { "nip": APL_2 } } }),
        "{heard}"
    );

    // Every view shows the decided year: SB 2 (APL_1, APL_2 after the objection), B 4, BP 1.
    let expected: BTreeMap<String, (String, String)> = [
        (KADIS, "BAIK"),
        (KABID_APL, "BAIK"),
        (KABID_IKP, "BAIK"),
        (APL_1, "SANGAT_BAIK"),
        (APL_2, "SANGAT_BAIK"),
        (IKP_1, "BUTUH_PERBAIKAN"),
        (IKP_2, "BAIK"),
    ]
    .into_iter()
    .map(|(nip, predikat)| (nip.to_owned(), (predikat.to_owned(), "final_ratings".to_owned())))
    .collect();
    assert_eq!(stored_results(server, &plans).await, expected, "{backend}: the stored evaluations");

    const DISTRIBUTION: &str = r#"{ unit(code: "DISKOMINFO") {
        distribution(year: 2026) { counts { sangatBaik baik butuhPerbaikan kurang sangatKurang headcount } }
        predikatBreakdown(period: "2026", by: POSITION_KIND) { counts { sangatBaik baik butuhPerbaikan headcount } } } }"#;
    let views = server.ok(Some(&server.admin), DISTRIBUTION, json!({})).await;
    assert_eq!(
        views["unit"]["distribution"]["counts"],
        json!({ "sangatBaik": 2, "baik": 4, "butuhPerbaikan": 1, "kurang": 0, "sangatKurang": 0, "headcount": 7 }),
        "{backend}: Unit.distribution"
    );
    let mut by_kind = [0, 0, 0, 0];
    for group in views["unit"]["predikatBreakdown"].as_array().unwrap() {
        let counts = &group["counts"];
        for (slot, key) in ["sangatBaik", "baik", "butuhPerbaikan", "headcount"].iter().enumerate() {
            by_kind[slot] += counts[key].as_i64().unwrap();
        }
    }
    assert_eq!(by_kind, [2, 4, 1, 7], "{backend}: the unit analytics");

    let export = kinerja(&["export", "evaluations", "--database", url, "--year", "2026", "--output", "-"]);
    let mut lines = export.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|c| *c == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    let (nip, period, predikat) = (column("nip"), column("period"), column("predikat"));
    let exported: BTreeMap<String, String> = lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter(|cells| cells[period] == "2026")
        .map(|cells| (cells[nip].to_owned(), cells[predikat].to_lowercase()))
        .collect();
    let decided: BTreeMap<String, String> =
        expected.iter().map(|(nip, (predikat, _))| (nip.clone(), predikat.to_lowercase())).collect();
    assert_eq!(exported, decided, "{backend}: kinerja export evaluations");

    if backend == "postgres" {
        let output = Command::new("psql")
            .args([url, "-At", "-F", ",", "-c"])
            .arg("SELECT nip, predikat, predikat_basis, decided_predikat FROM analytics.evaluations WHERE year = 2026 AND period = '2026' ORDER BY nip")
            .output()
            .expect("psql runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let view: BTreeMap<String, String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| {
                let cells: Vec<&str> = line.split(',').collect();
                assert_eq!(cells[2], "final_ratings", "{line}");
                assert_eq!(cells[3], cells[1], "the year's decision beside its evaluation: {line}");
                (cells[0].to_owned(), cells[1].to_lowercase())
            })
            .collect();
        assert_eq!(view, decided, "the BI view");
    }

    // Scoring again keeps the decisions, and scoring one bidang leaves the other rated units alone.
    // SETDA's predikat comes by import, through the same checked writer as the mutation.
    let organisation = format!("unit_code,year,predikat\nSETDA,{YEAR},baik\nDISKOMINFO,{YEAR},baik\n");
    let imported =
        year.ok(ADMIN, "hr-admin", IMPORT, json!({ "kind": "ORGANISATION_PREDIKAT", "data": organisation })).await;
    assert_eq!(imported["importRecords"], json!({ "rows": 2, "inserted": 1, "updated": 0, "unchanged": 1 }));
    let changed = format!("unit_code,year,predikat\nDISKOMINFO,{YEAR},istimewa\n");
    let refused =
        year.refused(ADMIN, "hr-admin", IMPORT, json!({ "kind": "ORGANISATION_PREDIKAT", "data": changed })).await;
    assert!(
        refused["errors"][0]["extensions"]["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("input:2:3: predikat: 7 plan(s) of 2026 in DISKOMINFO are final"),
        "{backend}: {refused}"
    );
    const CHECKED: &str = r#"{ setda: unit(code: "SETDA") { distribution(year: 2026) { computedAt } }
        diskominfo: unit(code: "DISKOMINFO") { distribution(year: 2026) { counts { sangatBaik baik butuhPerbaikan headcount } } } }"#;
    let before = server.ok(Some(&server.admin), CHECKED, json!({})).await;
    kinerja(&["score", "--database", url, "--year", "2026", "--unit", "DISKOMINFO-APL"]);
    let after = server.ok(Some(&server.admin), CHECKED, json!({})).await;
    assert_eq!(after["setda"], before["setda"], "{backend}: SETDA is outside the scored subtree");
    assert_eq!(
        after["diskominfo"]["distribution"]["counts"],
        json!({ "sangatBaik": 2, "baik": 4, "butuhPerbaikan": 1, "headcount": 7 }),
        "{backend}: the perangkat daerah holding the scored bidang is recounted from its decisions"
    );
    kinerja(&["score", "--database", url, "--year", "2026"]);
    assert_eq!(stored_results(server, &plans).await, expected, "{backend}: scoring never overwrites a decision");

    // Nobody's qualification is recorded, so nobody has an Indeks Profesionalitas, and neither has the
    // unit: its index is its members' own.
    const PROFESSIONALISM: &str = r#"query($nip: String!) { employee(nip: $nip) { professionalism(year: 2026) { index } }
        unit(code: "DISKOMINFO") { professionalism(year: 2026) { people unscored average } } }"#;
    let index = server.ok(Some(&server.admin), PROFESSIONALISM, json!({ "nip": APL_1 })).await;
    assert_eq!(index["employee"]["professionalism"], Value::Null);
    assert_eq!(
        index["unit"]["professionalism"],
        json!({ "people": 0, "unscored": 7, "average": null }),
        "{backend}: the unit's index"
    );

    // Behaviour stands against the four pelaksana's ratings: one above expectation, three as expected.
    const STANDINGS: &str = r#"query($nip: String!) { employee(nip: $nip) { behaviourStandings(year: 2026) {
        value level peerCount peerMean } } }"#;
    let standings = server.ok(Some(&server.admin), STANDINGS, json!({ "nip": APL_1 })).await;
    let kompeten = standings["employee"]["behaviourStandings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["value"] == "KOMPETEN")
        .cloned()
        .unwrap();
    assert_eq!(
        kompeten,
        json!({ "value": "KOMPETEN", "level": "ABOVE_EXPECTATION", "peerCount": 4, "peerMean": "0.25" }),
        "{backend}: behaviour standings"
    );

    // The Kadis's results across years: the decided year beside those recorded from before kinerja.
    const ACROSS_YEARS: &str = "query($nip: String!) { employee(nip: $nip) { resultsByYear {
        year basis score predikat predikatTitle rulePack { id } recordedFrom } } }";
    let across = server.ok(Some(&token(KADIS, "employee")), ACROSS_YEARS, json!({ "nip": KADIS })).await;
    let seen: Vec<(i64, &str, &str, &str)> = across["employee"]["resultsByYear"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let score = r["score"].as_str().unwrap_or("-");
            (r["year"].as_i64().unwrap(), r["basis"].as_str().unwrap(), r["predikat"].as_str().unwrap(), score)
        })
        .collect();
    assert_eq!(
        seen,
        [
            (2026, "DECIDED", "baik", "-"),
            (2025, "RECORDED", "baik", "-"),
            (2021, "RECORDED", "baik", "100"),
            (2019, "RECORDED", "sangat_baik", "92"),
        ],
        "{backend}: results across years"
    );
    assert_eq!(across["employee"]["resultsByYear"][3]["rulePack"]["id"], "pp-46-2011");
    assert_eq!(across["employee"]["resultsByYear"][3]["recordedFrom"], "SKP 2019 arsip BKPSDM");
    let as_analyst = token(ADMIN, "analyst");
    let ungranted = server.call(Some(&as_analyst), "{ viewer { role } }", json!({})).await;
    assert_eq!(code(&ungranted), "FORBIDDEN", "an analyst's token needs a grant: {ungranted}");
    const GRANT: &str = "mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { role } } }";
    year.ok(ADMIN, "hr-admin", GRANT, json!({ "nip": ADMIN, "role": "ANALYST" })).await;
    // Seven people are too few to be listed one by one to an analyst, but a record reached by id is masked.
    let small = server
        .call(Some(&as_analyst), "{ unit(code: \"DISKOMINFO\") { name members(first: 1) { totalCount } } }", json!({}))
        .await;
    assert_eq!(code(&small), "FORBIDDEN", "{small}");
    assert_eq!(
        small["data"]["unit"]["name"], "Dinas Komunikasi dan Informatika",
        "the unit's other fields stay: {small}"
    );
    let masked = server
        .ok(
            Some(&as_analyst),
            "query($id: ID!) { node(id: $id) { ... on Plan { employee { unit { code } resultsByYear { recordedFrom } } } } }",
            json!({ "id": plans[KADIS].id }),
        )
        .await;
    let recorded = &masked["node"]["employee"]["resultsByYear"];
    assert!(recorded.as_array().is_some_and(|results| results.len() > 1), "{masked}");
    assert!(
        recorded.as_array().unwrap().iter().all(|r| r["recordedFrom"].is_null() || r["recordedFrom"] == "(masked)"),
        "analysts read no free text: {masked}"
    );

    // The plan's history tells its whole year, finalisation included.
    const HISTORY: &str = "query($id: ID!) { node(id: $id) { ... on Plan { status history { action } } } }";
    let history = server.ok(Some(&token(APL_1, "employee")), HISTORY, json!({ "id": apl_1.id })).await;
    let actions: Vec<&str> =
        history["node"]["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(history["node"]["status"], "FINALISED");
    for action in ["plan.created", "plan.submitted", "plan.approved", "behaviour.rated", "plan.finalised"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    // The decision and the objection to it are part of the plan's story.
    let history = server.ok(Some(&token(APL_2, "employee")), HISTORY, json!({ "id": apl_2.id })).await;
    let actions: Vec<&str> =
        history["node"]["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in
        ["decision.made", "plan.finalised", "objection.filed", "decision.changed_by_objection", "objection.upheld"]
    {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn an_agency_runs_its_year_through_the_api_from_an_empty_database() {
    for database in TestDatabase::all("an_agency_runs_its_year_through_the_api_from_an_empty_database").await.unwrap() {
        eprintln!("the evaluation year on {}", database.backend);
        let folder = tempfile::tempdir().unwrap();
        import_organisation(&database.url, folder.path());
        let server = Server::start(&database.url).await;
        assert_eq!(server.admin_nip, ADMIN, "no demo city was loaded: the imported BKPSDM is all there is");
        run(&server, &database.url, database.backend).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}

/// What cannot be true on the calendar or under the year's rules is refused with a message naming it.
async fn refusals(server: &Server) {
    let year = Year { server };
    let this_year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    const CREATE: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id version } } }";
    let create = |year: i32| json!({ "nip": IKP_1, "year": year, "approach": "KUANTITATIF" });
    let legacy = year.refused(IKP_1, "employee", CREATE, create(2019)).await;
    assert_eq!(code(&legacy), "BAD_USER_INPUT");
    assert!(legacy["errors"][0]["message"].as_str().unwrap().contains("Nomor 46 Tahun 2011"), "{legacy}");
    let far = year.refused(IKP_1, "employee", CREATE, create(2100)).await;
    assert!(far["errors"][0]["message"].as_str().unwrap().contains("not 2100"), "{far}");
    // The newcomer's service began in 2024 (TMT in the NIP).
    let before_service = year
        .refused(NEWCOMER, "employee", CREATE, json!({ "nip": NEWCOMER, "year": 2023, "approach": "KUANTITATIF" }))
        .await;
    assert!(before_service["errors"][0]["message"].as_str().unwrap().contains("began service"), "{before_service}");

    // Next year's plan: its first quarter has not begun.
    let next_year = this_year + 1;
    let next = year.plan_of_year(next_year, IKP_1, KABID_IKP, None, "Publikasi informasi tahun depan").await;
    const INDICATOR: &str = "query($id: ID!) { node(id: $id) { ... on Plan { workResults { indicators { id } } } } }";
    let read = server.ok(Some(&token(IKP_1, "employee")), INDICATOR, json!({ "id": next.id })).await;
    let indicator = read["node"]["workResults"][0]["indicators"][0]["id"].clone();
    const RECORD: &str =
        "mutation($input: RecordRealisationInput!) { recordRealisation(input: $input) { realisation { id } } }";
    let early = year
        .refused(
            IKP_1,
            "employee",
            RECORD,
            json!({ "indicatorId": indicator, "period": format!("{next_year}-Q1"), "value": "3", "evidenceNote": "x" }),
        )
        .await;
    assert!(early["errors"][0]["message"].as_str().unwrap().contains("has not begun"), "{early}");

    // A summed indicator is realised at one granularity: the quarters recorded rule out a month.
    let this = year.plan(IKP_2, KABID_IKP, None, "Pengelolaan aduan warga").await;
    year.realise(IKP_2, &this, 3).await;
    let read = server.ok(Some(&token(IKP_2, "employee")), INDICATOR, json!({ "id": this.id })).await;
    let indicator = read["node"]["workResults"][0]["indicators"][0]["id"].clone();
    let month = year
        .refused(
            IKP_2,
            "employee",
            RECORD,
            json!({ "indicatorId": indicator, "period": format!("{YEAR}-03"), "value": "3", "evidenceNote": "x" }),
        )
        .await;
    assert!(month["errors"][0]["message"].as_str().unwrap().contains("per quarter"), "{month}");

    // A dialogue is recorded once held.
    const DIALOGUE: &str =
        "mutation($input: RecordDialogueInput!) { recordDialogue(input: $input) { dialogue { summary } } }";
    let future = year
        .refused(
            KABID_IKP,
            "rater",
            DIALOGUE,
            json!({ "planId": this.id, "heldOn": format!("{}-01-15", this_year + 1), "participants": "Kabid, staf",
                "summary": "Rencana", "agreedActions": "Tindak lanjut" }),
        )
        .await;
    assert!(future["errors"][0]["message"].as_str().unwrap().contains("in the future"), "{future}");

    // An employee is told which roles may decide, in words.
    let rating = year
        .refused(
            IKP_2,
            "employee",
            "mutation($input: DecideRatingsInput!) { decideRatings(input: $input) { decision { id } } }",
            json!({ "planId": this.id, "resultRating": "AS_EXPECTED", "behaviourRating": "AS_EXPECTED" }),
        )
        .await;
    let message = rating["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("acting as employee") && message.contains("rater or unit-head"), "{message}");
}

#[tokio::test]
async fn impossible_plans_periods_and_dates_are_refused_with_their_reason() {
    for database in TestDatabase::all("impossible_plans_periods_and_dates_are_refused_with_their_reason").await.unwrap()
    {
        let folder = tempfile::tempdir().unwrap();
        import_organisation(&database.url, folder.path());
        let newcomer = folder.path().join("newcomer.csv");
        std::fs::write(
            &newcomer,
            format!("nip,name,employment_type,rank,position_code,unit_code,superior_nip\n{NEWCOMER},Putri Ayuningtyas,pns,III/a,BKPSDM-ANALIS,BKPSDM,\n"),
        )
        .unwrap();
        kinerja(&["import", "employees", newcomer.to_str().unwrap(), "--database", &database.url]);
        let server = Server::start(&database.url).await;
        refusals(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
