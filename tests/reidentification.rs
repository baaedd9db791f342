//! No aggregate singles anyone out: on the demo city, every figure an analyst or an employee outside a
//! unit reads about it covers at least `privacy.min_group_size` (5) people, counted against the
//! unmasked figures an HR administrator reads, and no partition (sibling units, groups, talent boxes)
//! withholds exactly one cell, which its total less the others would give away. On SQLite and
//! PostgreSQL.

mod common;

use std::collections::BTreeMap;

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
        let withheld = view[&key].as_array().unwrap().iter().filter(|g| g["withheld"].as_bool().unwrap()).count();
        for index in 0..truth[&key].as_array().unwrap().len() {
            partitions.cell(format!("the predikat of {code} by {by}"), index < withheld);
        }
    }
    for period in view["trend"].as_array().unwrap() {
        let truth_period = truth["trend"].as_array().unwrap().iter().find(|p| p["period"] == period["period"]).unwrap();
        if !period["counts"].is_null() {
            small(number(&truth_period["people"]), format!("the predikat of {}", period["period"]));
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
    while let Some((code, parent)) = pending.pop() {
        let variables = json!({ "code": code, "period": period, "year": year });
        let truth = server.ok(Some(&server.admin), &query, variables.clone()).await["unit"].clone();
        for ((caller, token), partitions) in callers.iter().zip(&mut partitions) {
            let view = server.ok(Some(token), &query, variables.clone()).await["unit"].clone();
            check_unit(caller, *caller == "an analyst", parent.as_deref(), &view, &truth, partitions);
        }
        pending.extend(
            truth["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["code"].as_str().unwrap().to_owned(), Some(code.clone()))),
        );
        units += 1;
    }
    assert!(units > 100, "the whole city was walked ({units} units)");
    for ((caller, _), partitions) in callers.iter().zip(&partitions) {
        partitions.assert_no_lone_withheld_cell(caller);
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
