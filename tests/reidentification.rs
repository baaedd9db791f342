//! Nothing an analyst reads singles anyone out, on the demo city, on SQLite and PostgreSQL.
//!
//! Aggregates: every figure an analyst or an employee outside a unit reads about it covers at least
//! `privacy.min_group_size` (5) people, counted against the unmasked figures an HR administrator reads,
//! and no partition (sibling units, groups, talent boxes) withholds exactly one cell, which its total
//! less the others would give away.
//!
//! Records: every member record an analyst can list, with the unit it is shown under and its released
//! position kind, rank, sex and decades, matches at least 5 real people of the administrator's unmasked
//! records, and every list an analyst is given covers at least 5 real people.

mod common;

use std::collections::{BTreeMap, HashMap};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Server, token};
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};

const MIN_GROUP: u64 = 5;
const GROUPINGS: [&str; 5] = ["POSITION_KIND", "RANK", "EMPLOYMENT_TYPE", "SEX", "AGE_BAND"];

fn figures_query() -> String {
    let by_group: String = GROUPINGS
        .iter()
        .map(|by| {
            format!(
                "d_{by}: dimensionsByGroup(period: $period, by: {by}) {{ group withheld dimensions {{ aspect mean people }} }}
                 p_{by}: predikatBreakdown(period: $period, by: {by}) {{ group withheld counts {{ sangatBaik baik butuhPerbaikan kurang sangatKurang }} }}"
            )
        })
        .collect();
    format!(
        "query($code: String!, $period: String!, $year: Int!) {{ unit(code: $code) {{ code children {{ code }}
           dimensions(period: $period) {{ aspect mean people withheld indicatorsBehind(first: 1) {{ totalCount }} }}
           indicatorAchievements(period: $period, first: 1) {{ totalCount }}
           {by_group}
           trend {{ period people withheld counts {{ baik }} dimensions {{ aspect mean people }} }}
           talentBoxes(year: $year) {{ box count withheld }}
           distribution(year: $year) {{ counts {{ sangatBaik baik butuhPerbaikan kurang sangatKurang }} }}
           professionalism(year: $year) {{ withheld people bands {{ band people }} }}
           trainingNeedTopics(year: $year) {{ topic employees }}
           programmeDemand(year: $year) {{ employees }}
         }} }}"
    )
}

fn number(value: &Value) -> u64 {
    value.as_u64().unwrap_or_default()
}

/// The people behind the dimension `aspect` in a list of dimension means.
fn people_of(means: &Value, aspect: &Value) -> u64 {
    means.as_array().into_iter().flatten().find(|m| m["aspect"] == *aspect).map_or(0, |m| number(&m["people"]))
}

fn group<'a>(groups: &'a Value, name: &Value) -> Option<&'a Value> {
    groups.as_array()?.iter().find(|g| g["group"] == *name)
}

/// The groups a breakdown withholds come back as one, under no group's name: the names alone would tell
/// who is in the unit.
fn assert_withheld_unnamed(caller: &str, groups: &Value) {
    let withheld: Vec<&Value> =
        groups.as_array().unwrap().iter().filter(|g| g["withheld"].as_bool().unwrap()).collect();
    assert!(withheld.len() <= 1 && withheld.iter().all(|g| g["group"] == "(withheld)"), "{caller}: {withheld:?}");
}

/// Counts a partition's cells that the truth has and the caller's view withholds.
#[derive(Default)]
struct Partitions(BTreeMap<String, (u32, u32)>, u32);

impl Partitions {
    fn cell(&mut self, partition: String, withheld: bool) {
        self.1 += u32::from(!withheld);
        let entry = self.0.entry(partition).or_default();
        entry.0 += 1;
        entry.1 += u32::from(withheld);
    }

    fn assert_no_lone_withheld_cell(&self, caller: &str) {
        assert!(self.1 > 200, "{caller} saw {} figures of partitions: the walk checked next to nothing", self.1);
        // A partition of one cell is its own total, withheld by the same count.
        for (partition, (cells, withheld)) in &self.0 {
            assert!(
                *withheld != 1 || *cells == 1,
                "{caller}: {partition} withholds one cell of {cells}, which the others give away"
            );
        }
    }
}

/// Checks what `view` (the caller's) shows of one unit against `truth` (the administrator's).
/// `masked` for an analyst, whose reach counts everyone's records: figures counted within reach (the
/// predikat breakdown, needs, demand) must then cover enough people too; anyone else's count only the
/// records in their reach.
fn check_unit(
    caller: &str,
    masked: bool,
    parent: Option<&str>,
    view: &Value,
    truth: &Value,
    partitions: &mut Partitions,
) {
    let code = truth["code"].as_str().unwrap();
    let small = |people: u64, what: String| {
        assert!(people >= MIN_GROUP, "{caller} sees {what} of {code}, which covers {people} people");
    };
    for dimension in truth["dimensions"].as_array().unwrap() {
        let aspect = &dimension["aspect"];
        let shown = view["dimensions"].as_array().unwrap().iter().find(|d| d["aspect"] == *aspect);
        let shown = shown.filter(|d| !d["mean"].is_null());
        if shown.is_some() {
            small(number(&dimension["people"]), format!("the {aspect} mean"));
        }
        // The records behind a withheld figure would give it back, person by person.
        let behind = view["dimensions"].as_array().unwrap().iter().find(|d| d["aspect"] == *aspect);
        if masked && shown.is_none() && !dimension["mean"].is_null() {
            let rows = behind.map_or(0, |d| number(&d["indicatorsBehind"]["totalCount"]));
            assert_eq!(rows, 0, "{caller} reads the indicators behind the withheld {aspect} mean of {code}");
            assert_eq!(number(&view["indicatorAchievements"]["totalCount"]), 0, "{caller}: {code}'s indicators");
        }
        if let (Some(parent), Some(_)) = (parent, dimension["mean"].as_f64()) {
            partitions.cell(format!("the {aspect} means of the units below {parent}"), shown.is_none());
        }
    }
    for by in GROUPINGS {
        let key = format!("d_{by}");
        for truth_group in truth[&key].as_array().unwrap() {
            let name = &truth_group["group"];
            let shown = group(&view[&key], name).map_or(&Value::Null, |g| &g["dimensions"]);
            for dimension in truth_group["dimensions"].as_array().into_iter().flatten() {
                let aspect = &dimension["aspect"];
                let visible =
                    shown.as_array().into_iter().flatten().any(|m| m["aspect"] == *aspect && !m["mean"].is_null());
                if visible {
                    small(people_of(&truth_group["dimensions"], aspect), format!("the {aspect} mean of {by} {name}"));
                }
                partitions.cell(format!("the {aspect} means of {code} by {by}"), !visible);
            }
        }
        assert_withheld_unnamed(caller, &view[&key]);
        // Anyone but an analyst counts only the records in their reach here.
        if !masked {
            continue;
        }
        let key = format!("p_{by}");
        let total = |counts: &Value| counts.as_object().map_or(0, |c| c.values().map(number).sum::<u64>());
        for shown in view[&key].as_array().unwrap().iter().filter(|g| !g["withheld"].as_bool().unwrap()) {
            let truth_group = group(&truth[&key], &shown["group"]).expect("a shown group exists");
            small(total(&truth_group["counts"]), format!("the predikat of {by} {}", shown["group"]));
        }
        for truth_group in truth[&key].as_array().unwrap() {
            let shown = group(&view[&key], &truth_group["group"]).is_some_and(|g| !g["withheld"].as_bool().unwrap());
            partitions.cell(format!("the predikat of {code} by {by}"), !shown);
        }
        assert_withheld_unnamed(caller, &view[&key]);
    }
    for period in view["trend"].as_array().unwrap() {
        let truth_period = truth["trend"].as_array().unwrap().iter().find(|p| p["period"] == period["period"]).unwrap();
        if !period["counts"].is_null() {
            small(number(&truth_period["people"]), format!("the predikat of {}", period["period"]));
        } else {
            assert!(
                period["people"].is_null(),
                "{caller} reads the headcount of {code}'s withheld {}",
                period["period"]
            );
        }
        for mean in period["dimensions"].as_array().into_iter().flatten().filter(|m| !m["mean"].is_null()) {
            small(people_of(&truth_period["dimensions"], &mean["aspect"]), format!("the {} trend", mean["aspect"]));
        }
    }
    let total = |counts: &Value| counts.as_object().map_or(0, |c| c.values().map(number).sum::<u64>());
    if !truth["distribution"].is_null() {
        if !view["distribution"].is_null() {
            small(total(&truth["distribution"]["counts"]), "the distribution".to_owned());
        }
        if let Some(parent) = parent {
            partitions.cell(format!("the distributions of the units below {parent}"), view["distribution"].is_null());
        }
    }
    let boxes = view["talentBoxes"].as_array().into_iter().flatten();
    for talent_box in boxes {
        if let Some(count) = talent_box["count"].as_u64() {
            small(count, format!("talent box {}", talent_box["box"]));
        }
        partitions.cell(format!("the talent boxes of {code}"), talent_box["withheld"].as_bool().unwrap());
    }
    let professionalism = &view["professionalism"];
    if !professionalism["withheld"].as_bool().unwrap() {
        small(number(&truth["professionalism"]["people"]), "the Indeks Profesionalitas".to_owned());
        for band in professionalism["bands"].as_array().unwrap().iter().filter(|b| !b["people"].is_null()) {
            small(number(&band["people"]), format!("IP ASN band {}", band["band"]));
        }
    }
    if !masked {
        return;
    }
    for topic in view["trainingNeedTopics"].as_array().unwrap() {
        small(number(&topic["employees"]), format!("the training-need topic {}", topic["topic"]));
    }
    for demand in view["programmeDemand"].as_array().unwrap() {
        small(number(&demand["employees"]), "a programme's demand".to_owned());
    }
}

async fn check(server: &Server) {
    let trend = server.ok(Some(&server.admin), r#"{ unit(code: "SKA") { trend { period people } } }"#, json!({})).await;
    let period = trend["unit"]["trend"].as_array().unwrap().last().expect("a scored period")["period"].clone();
    let year: i64 = period.as_str().unwrap()[..4].parse().unwrap();
    let outsider = server
        .ok(
            Some(&server.admin),
            r#"{ unit(code: "DLH") { members(first: 3, includeDescendants: true) { nodes { nip } } } }"#,
            json!({}),
        )
        .await["unit"]["members"]["nodes"][2]["nip"]
        .as_str()
        .unwrap()
        .to_owned();
    let callers =
        [("an analyst", token(&server.analyst_nip, "analyst")), ("an employee of DLH", token(&outsider, "employee"))];
    let query = figures_query();
    let mut partitions: Vec<Partitions> = callers.iter().map(|_| Partitions::default()).collect();
    let mut pending = vec![("SKA".to_owned(), None::<String>)];
    let mut units = 0;
    let mut truths = HashMap::new();
    let mut views: Vec<HashMap<String, Value>> = callers.iter().map(|_| HashMap::new()).collect();
    while let Some((code, parent)) = pending.pop() {
        let variables = json!({ "code": code, "period": period, "year": year });
        let truth = server.ok(Some(&server.admin), &query, variables.clone()).await["unit"].clone();
        for (((caller, token), partitions), seen) in callers.iter().zip(&mut partitions).zip(&mut views) {
            let view = server.ok(Some(token), &query, variables.clone()).await["unit"].clone();
            check_unit(caller, *caller == "an analyst", parent.as_deref(), &view, &truth, partitions);
            seen.insert(code.clone(), view);
        }
        pending.extend(
            truth["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["code"].as_str().unwrap().to_owned(), Some(code.clone()))),
        );
        truths.insert(code.clone(), truth);
        units += 1;
    }
    assert!(units > 100, "the whole city was walked ({units} units)");
    for ((caller, _), seen) in callers.iter().zip(&views) {
        assert_no_difference_singles_out(caller, &truths, seen);
    }
    for ((caller, _), partitions) in callers.iter().zip(&partitions) {
        partitions.assert_no_lone_withheld_cell(caller);
    }
}

/// What a caller can work out as a unit's figure less its children's (their people evaluated in each
/// period, their people per dimension) covers nobody or at least five people: the unit's own members,
/// often its head alone, stay hidden in the difference.
fn assert_no_difference_singles_out(caller: &str, truths: &HashMap<String, Value>, views: &HashMap<String, Value>) {
    let (mut shown_wholes, mut differences) = (0, 0);
    for (code, view) in views {
        let children: Vec<&str> =
            truths[code]["children"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
        if children.is_empty() {
            continue;
        }
        let mut difference = |what: String, whole: Option<u64>, parts: Vec<(Option<u64>, u64)>| {
            // A part withheld from the caller though it covers someone keeps the difference unknown.
            let Some(whole) = whole else { return };
            shown_wholes += 1;
            if parts.iter().any(|(shown, truth)| shown.is_none() && *truth > 0) {
                return;
            }
            let left = whole - parts.iter().map(|(shown, _)| shown.unwrap_or_default()).sum::<u64>();
            differences += 1;
            assert!(
                left == 0 || left >= MIN_GROUP,
                "{caller}: {what} of {code} less its units below' leaves {left} people"
            );
        };
        for period in view["trend"].as_array().unwrap() {
            let of = |trend: &Value| -> Option<u64> {
                let found = trend["trend"].as_array().unwrap().iter().find(|p| p["period"] == period["period"]);
                found.and_then(|p| p["people"].as_u64())
            };
            let parts =
                children.iter().map(|child| (of(&views[*child]), of(&truths[*child]).unwrap_or_default())).collect();
            difference(format!("the people evaluated in {}", period["period"]), period["people"].as_u64(), parts);
        }
        for dimension in view["dimensions"].as_array().unwrap() {
            let of = |unit: &Value| -> Option<u64> {
                let found = unit["dimensions"].as_array().unwrap().iter().find(|d| d["aspect"] == dimension["aspect"]);
                found.and_then(|d| d["people"].as_u64())
            };
            let parts =
                children.iter().map(|child| (of(&views[*child]), of(&truths[*child]).unwrap_or_default())).collect();
            difference(format!("the {} mean", dimension["aspect"]), dimension["people"].as_u64(), parts);
        }
    }
    eprintln!("{caller}: {shown_wholes} figures of units with units below, {differences} of them less all of those");
    assert!(shown_wholes > 50, "{caller}: only {shown_wholes} figures of units with units below were checked");
}

/// A person as the administrator reads them: the units from the root down to their own, and the
/// quasi-identifiers an analyst may be shown.
struct Person {
    units: Vec<String>,
    kind: String,
    rank: String,
    sex: String,
    birth: i64,
    service: i64,
}

const STRUCTURAL: [&str; 5] = ["JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA", "ADMINISTRATOR", "PENGAWAS"];

impl Person {
    fn category(&self) -> &'static str {
        if STRUCTURAL.contains(&self.kind.as_str()) {
            "STRUCTURAL"
        } else if self.kind == "PELAKSANA" {
            "PELAKSANA"
        } else {
            "FUNCTIONAL"
        }
    }

    /// Whether the analyst's `record`, listed under `unit`, could be this person.
    fn matches(&self, record: &Value) -> bool {
        let decade = |year: i64| Value::from(year.div_euclid(10) * 10);
        let agrees = |field: &str, truth: Value| record[field].is_null() || record[field] == truth;
        let (golongan, ruang) = self.rank.split_once('/').unwrap_or((self.rank.as_str(), ""));
        let employment = if ruang.is_empty() { "PPPK" } else { "PNS" };
        let rank_agrees = match record["rank"].as_str() {
            None => true,
            Some(shown) if employment == "PNS" => shown == golongan,
            Some(shown) => shown.starts_with("PPPK ") && pppk_band_holds(&shown[5..], golongan),
        };
        self.units.contains(&record["unit"]["code"].as_str().unwrap().to_owned())
            && agrees("positionKind", Value::from(self.kind.as_str()))
            && agrees("positionCategory", Value::from(self.category()))
            && agrees("employmentType", Value::from(employment))
            && agrees("sex", Value::from(self.sex.as_str()))
            && agrees("birthDecade", decade(self.birth))
            && agrees("serviceDecade", decade(self.service))
            && rank_agrees
    }
}

const ROMAN: [&str; 17] =
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"];

/// Whether a band of PPPK grades such as `IX–XII` holds the grade `grade`.
fn pppk_band_holds(band: &str, grade: &str) -> bool {
    let value = |numeral: &str| ROMAN.iter().position(|r| *r == numeral).expect("a grade");
    let (low, high) = band.split_once('–').unwrap_or((band, band));
    (value(low)..=value(high)).contains(&value(grade))
}

const MEMBER_FIELDS: &str = "id unit { code } positionKind positionCategory employmentType rank sex birthDecade serviceDecade \
     birthDate serviceStart superior { id } position { id } plans { rater { id } } feedback: plans { feedback { author { id } } }
     developmentHours(year: $year) { minimum shortfall } behaviourStandings(year: $year) { peerCount }
     indicatorStandings(period: $period) { peerCount } cascade: plans { cascadeOptions { id } }";

/// Every record of a members list, page by page; the error's code when the list is refused.
async fn list(server: &Server, token: &str, code: &str, subtree: bool, period: &Value) -> Result<Vec<Value>, String> {
    let query = format!(
        "query($code: String!, $after: String, $subtree: Boolean!, $year: Int!, $period: String!) {{ unit(code: $code) {{
           members(first: 100, after: $after, includeDescendants: $subtree) {{
             pageInfo {{ hasNextPage endCursor }} nodes {{ {MEMBER_FIELDS} }} }} }} }}"
    );
    let mut records = Vec::new();
    let mut after = Value::Null;
    loop {
        let year: i64 = period.as_str().unwrap()[..4].parse().unwrap();
        let variables = json!({ "code": code, "after": after, "subtree": subtree, "year": year, "period": period });
        let response = server.call(Some(token), &query, variables).await;
        if let Some(error) = response["errors"].get(0) {
            return Err(error["extensions"]["code"].as_str().unwrap_or_default().to_owned());
        }
        let page = &response["data"]["unit"]["members"];
        records.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return Ok(records);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

async fn check_records(server: &Server, database_url: &str) {
    let people_query =
        "query($after: String) { unit(code: \"SKA\") { members(first: 500, after: $after, includeDescendants: true) {
        pageInfo { hasNextPage endCursor }
        nodes { unit { code ancestors { code } } position { kind } rank sex birthDate serviceStart } } } }";
    let mut people = Vec::new();
    let mut after = Value::Null;
    loop {
        let page =
            server.ok(Some(&server.admin), people_query, json!({ "after": after })).await["unit"]["members"].clone();
        for node in page["nodes"].as_array().unwrap() {
            let year = |field: &str| node[field].as_str().unwrap()[..4].parse::<i64>().unwrap();
            let mut units: Vec<String> = node["unit"]["ancestors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["code"].as_str().unwrap().to_owned())
                .collect();
            units.push(node["unit"]["code"].as_str().unwrap().to_owned());
            people.push(Person {
                units,
                kind: node["position"]["kind"].as_str().unwrap().to_owned(),
                rank: node["rank"].as_str().unwrap().to_owned(),
                sex: node["sex"].as_str().unwrap().to_owned(),
                birth: year("birthDate"),
                service: year("serviceStart"),
            });
        }
        if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert!(people.len() > 600, "the city's people were read ({})", people.len());
    let in_subtree = |code: &str| people.iter().filter(|p| p.units.iter().any(|u| u == code)).count();
    let directly = |code: &str| people.iter().filter(|p| p.units.last().is_some_and(|u| u == code)).count();
    let trend = server.ok(Some(&server.admin), r#"{ unit(code: "SKA") { trend { period } } }"#, json!({})).await;
    let period = trend["unit"]["trend"].as_array().unwrap().last().expect("a scored period")["period"].clone();
    let analyst = token(&server.analyst_nip, "analyst");
    let units =
        server.ok(Some(&server.admin), "{ units(search: \"\", first: 1000) { nodes { code } } }", json!({})).await;
    let mut refused: HashMap<bool, u32> = HashMap::new();
    let mut shown_kinds = 0;
    let mut records_checked = 0;
    for unit in units["units"]["nodes"].as_array().unwrap() {
        let code = unit["code"].as_str().unwrap();
        for subtree in [true, false] {
            let covered = if subtree { in_subtree(code) } else { directly(code) };
            let records = match list(server, &analyst, code, subtree, &period).await {
                Err(error) => {
                    assert_eq!(error, "FORBIDDEN", "{code}'s list is refused as forbidden");
                    *refused.entry(subtree).or_default() += 1;
                    continue;
                }
                Ok(records) => records,
            };
            assert!(
                covered as u64 >= MIN_GROUP || records.is_empty(),
                "an analyst lists {code} (subtree {subtree}), which holds {covered} people"
            );
            assert_eq!(records.len(), covered, "{code}'s list (subtree {subtree}) has everyone in it");
            for record in &records {
                let matching = people.iter().filter(|person| person.matches(record)).count();
                assert!(matching as u64 >= MIN_GROUP, "{record} listed under {code} matches {matching} people");
                assert!(record["birthDate"].is_null() && record["serviceStart"].is_null(), "exact dates: {record}");
                assert!(record["superior"].is_null() && record["position"].is_null(), "{record}");
                let links = [&record["plans"], &record["feedback"], &record["cascade"]].map(|plans| plans.to_string());
                assert!(links.iter().all(|l| !l.contains("\"id\":\"")), "no link to another person: {record}");
                assert_tells_nothing_more(record);
                shown_kinds += u32::from(!record["positionKind"].is_null());
                records_checked += 1;
            }
        }
    }
    eprintln!(
        "{records_checked} listed records checked, {shown_kinds} with their position kind; lists refused: {refused:?}"
    );
    assert!(records_checked > 1000, "{records_checked} records checked");
    if database_url.starts_with("postgres") {
        check_masked_view(database_url, &people).await;
    }
    assert!(shown_kinds > 100, "records keep their position kind where enough share it ({shown_kinds})");
    assert!(refused.values().sum::<u32>() > 10, "small units are refused ({refused:?})");
}

/// What else a record shows beside its quasi-identifiers tells none of those it withholds: the lesson
/// hours' minimum (which differs for PNS and PPPK) is null where the employment type is, the standings
/// among holders of the same kind of position (whose number would tell the kind) are empty where the
/// kind is, and the id carries no creation time (which would tell the order people were imported in).
fn assert_tells_nothing_more(record: &Value) {
    if record["employmentType"].is_null() {
        let hours = &record["developmentHours"];
        assert!(hours["minimum"].is_null() && hours["shortfall"].is_null(), "the minimum tells the type: {record}");
    }
    if record["positionKind"].is_null() {
        for standings in ["behaviourStandings", "indicatorStandings"] {
            assert_eq!(record[standings], json!([]), "the peers' number tells the kind: {record}");
        }
    }
    let id = String::from_utf8(URL_SAFE_NO_PAD.decode(record["id"].as_str().unwrap()).unwrap()).unwrap();
    let uuid = id.split_once(':').unwrap().1;
    assert_eq!(uuid.chars().nth(14), Some('4'), "a random id (UUID version 4), not one that carries a time: {id}");
}

/// Every row of the masked BI view of employees, which `kinerja serve` released at start, matches at
/// least five real people, as the API's records do.
async fn check_masked_view(database_url: &str, people: &[Person]) {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let db = Database::connect(database_url).await.unwrap();
    let sql = "SELECT json_build_object('unit', json_build_object('code', unit_code), 'positionKind', position_kind,
        'positionCategory', position_category, 'employmentType', employment_type, 'rank', rank, 'sex', sex,
        'birthDecade', birth_decade, 'serviceDecade', service_decade, 'birthDate', birth_date,
        'superior', superior_key)::text AS row FROM analytics.employees_masked";
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    assert_eq!(rows.len(), people.len(), "the view shows everyone");
    for row in rows {
        let record: Value = serde_json::from_str(&row.try_get::<String>("", "row").unwrap()).unwrap();
        let matching = people.iter().filter(|person| person.matches(&record)).count();
        assert!(matching as u64 >= MIN_GROUP, "employees_masked row {record} matches {matching} people");
        assert!(record["birthDate"].is_null() && record["superior"].is_null(), "{record}");
    }
}

#[tokio::test]
async fn no_record_singles_anyone_out_on_every_database() {
    for database in TestDatabase::all("no_record_singles_anyone_out_on_every_database").await.unwrap() {
        eprintln!("record re-identification on {}", database.backend);
        let server = Server::start(&database.url).await;
        check_records(&server, &database.url).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}

#[tokio::test]
async fn no_figure_singles_anyone_out_on_every_database() {
    for database in TestDatabase::all("no_figure_singles_anyone_out_on_every_database").await.unwrap() {
        eprintln!("re-identification on {}", database.backend);
        let server = Server::start(&database.url).await;
        check(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
