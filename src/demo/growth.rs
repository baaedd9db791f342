//! The demo city's year as self-development, written through the same use cases an agency's people use:
//! some employees wrote their self-assessment, raters sent appreciations, and employees planned goals
//! for their training needs with their raters — some agreed, some already kept. BKPSDM's own case is
//! among them: the first of its data and information seksi below expectation in Kompeten plans the
//! HR-software programme, and the rater agrees it. A city of a year that has ended gets only the
//! self-assessments.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use kinerja_domain::{BerakhlakValue, LearningKind, NeedReason, NeedStatus, PlanStatus, RatingLevel, UnitCode};
use kinerja_scoring::RulePacks;
use kinerja_store::records::{EmployeeRecord, PlanBundle};
use kinerja_store::{Actor, AppreciationSubject, Store, TrainingNeedRecord};
use uuid::Uuid;

use super::DemoOptions;

/// Plans read per page.
const PAGE: u64 = 2_000;

/// The seksi whose clerk's case the seed article tells.
const HR_SOFTWARE_CASE: &str = "BKPSDM-PIK-SI";

fn acting(employee: &EmployeeRecord) -> Actor {
    Actor { employee_id: employee.id, nip: employee.employee.nip.clone(), role: None }
}

/// Writes the demo's self-assessments, appreciations and development plans, after scoring and needs.
pub(crate) async fn load(store: &Store, packs: &RulePacks, options: &DemoOptions) -> anyhow::Result<()> {
    let year = options.year;
    // A city of a year that has ended holds only what its plans do: goals and appreciations are for
    // the year that runs.
    let looks_ahead = year >= kinerja_app::earliest_open_year();
    let done_on = options.scored_through().end();
    let case_unit = store.unit_by_code(&UnitCode::parse(HR_SOFTWARE_CASE)?).await?.id;
    let mut case_told = false;
    let mut after = None;
    let mut index = 0usize;
    loop {
        let bundles = store.plan_bundles(year, None, after, PAGE).await?;
        let Some(last) = bundles.last() else { break };
        after = Some(last.plan.id);
        let employee_ids: Vec<Uuid> = bundles.iter().map(|b| b.employee.id).collect();
        let mut needs: HashMap<Uuid, Vec<TrainingNeedRecord>> = HashMap::new();
        for need in store.training_needs_of_employees(&employee_ids, year, None).await? {
            needs.entry(need.employee_id).or_default().push(need);
        }
        let rater_ids: Vec<Uuid> = bundles.iter().filter_map(|b| b.plan.rater_id).collect();
        let raters: HashMap<Uuid, EmployeeRecord> =
            store.employees_by_ids(&rater_ids).await?.into_iter().map(|r| (r.id, r)).collect();
        for bundle in bundles.iter().filter(|b| b.plan.plan.status == PlanStatus::Approved) {
            index += 1;
            let Some(rater) = bundle.plan.rater_id.and_then(|id| raters.get(&id)) else { continue };
            let own = needs.remove(&bundle.employee.id).unwrap_or_default();
            if looks_ahead && !case_told && bundle.employee.unit_id == case_unit {
                let kompeten = own.iter().find(|n| {
                    n.topic == "kompeten"
                        && n.status == NeedStatus::Open
                        && n.suggested_programmes.first().is_some_and(|p| p == "SIASN")
                });
                if let Some(need) = kompeten {
                    plan_the_hr_software_programme(store, packs, bundle, rater, need, year).await?;
                    case_told = true;
                    continue;
                }
            }
            if index.is_multiple_of(6) {
                write_self_assessment(store, bundle, index).await?;
            }
            if looks_ahead
                && index.is_multiple_of(5)
                && let Some(result) = bundle.work_results.first()
            {
                let message = "Terima kasih atas capaian kerja yang konsisten; hasilnya sangat membantu unit kita.";
                kinerja_app::send_appreciation(
                    store,
                    packs,
                    &acting(rater),
                    &bundle.employee.employee.nip,
                    year,
                    AppreciationSubject::WorkResult(result.id),
                    message,
                )
                .await
                .with_context(|| format!("appreciation for {}", bundle.employee.employee.nip))?;
            }
            if looks_ahead && index.is_multiple_of(8) {
                plan_development(store, packs, bundle, rater, &own, index, done_on).await?;
            }
        }
    }
    if looks_ahead && !case_told {
        // A small or differently seeded city may rate nobody there below expectation in Kompeten.
        tracing::warn!("the demo has no clerk of {HR_SOFTWARE_CASE} with an open Kompeten need to plan");
    }
    Ok(())
}

async fn write_self_assessment(store: &Store, bundle: &PlanBundle, index: usize) -> anyhow::Result<()> {
    let mut views: Vec<kinerja_app::SelfViewInput> = bundle
        .work_results
        .iter()
        .take(2)
        .map(|result| kinerja_app::SelfViewInput::WorkResult {
            work_result_id: result.id,
            achieved: "Target triwulan tercapai sesuai rencana; bukti kegiatan terlampir pada laporan.".to_owned(),
            evidence_link: None,
        })
        .collect();
    let sees_more = index.is_multiple_of(12);
    views.push(kinerja_app::SelfViewInput::Behaviour {
        value: BerakhlakValue::Kolaboratif,
        level: if sees_more { RatingLevel::AboveExpectation } else { RatingLevel::AsExpected },
        note: "Aktif membantu rekan dan bidang lain saat tenggat pekerjaan.".to_owned(),
    });
    views.push(kinerja_app::SelfViewInput::Behaviour {
        value: BerakhlakValue::Kompeten,
        level: RatingLevel::AsExpected,
        note: "Masih perlu memperdalam aplikasi yang dipakai unit.".to_owned(),
    });
    kinerja_app::write_self_assessment(store, &acting(&bundle.employee), bundle.plan.id, views)
        .await
        .with_context(|| format!("self-assessment of {}", bundle.employee.employee.nip))?;
    Ok(())
}

/// BKPSDM's own example: the clerk plans the HR-software programme with a senior operator's mentoring,
/// and the rater agrees, which plans the need.
async fn plan_the_hr_software_programme(
    store: &Store,
    packs: &RulePacks,
    bundle: &PlanBundle,
    rater: &EmployeeRecord,
    need: &TrainingNeedRecord,
    year: i32,
) -> anyhow::Result<()> {
    let goal = kinerja_app::GoalInput {
        nip: bundle.employee.employee.nip.clone(),
        year,
        need_id: Some(need.id),
        competency: "Kompeten: sistem informasi kepegawaian".to_owned(),
        target: "Mengelola data mutasi dan kenaikan pangkat di SIASN tanpa bantuan".to_owned(),
        activities: vec![
            kinerja_app::ActivityInput::Programme {
                code: "SIASN".to_owned(),
                planned_on: NaiveDate::from_ymd_opt(year, 12, 14),
            },
            kinerja_app::ActivityInput::Own {
                kind: LearningKind::Mentoring,
                title: "Pendampingan operator SIASN senior".to_owned(),
                planned_hours: 4,
                planned_on: None,
            },
        ],
    };
    let proposed = kinerja_app::propose_development_goal(store, packs, &acting(&bundle.employee), goal)
        .await
        .context("the HR-software case's goal")?;
    store.agree_development_goal(&acting(rater), proposed.id, None).await.context("agreeing the HR-software goal")?;
    Ok(())
}

/// A goal for the employee's first behaviour or competency need: its first suggested programme and a
/// coaching by the rater; most are agreed, and for some the coaching is already done. Without a need,
/// a goal of learning at work only, which an agreed, recorded coaching keeps.
async fn plan_development(
    store: &Store,
    packs: &RulePacks,
    bundle: &PlanBundle,
    rater: &EmployeeRecord,
    needs: &[TrainingNeedRecord],
    index: usize,
    done_on: NaiveDate,
) -> anyhow::Result<()> {
    let year = bundle.plan.plan.year;
    let need = needs.iter().find(|n| {
        n.status == NeedStatus::Open
            && matches!(n.reason, NeedReason::Behaviour | NeedReason::Competency)
            && !n.suggested_programmes.is_empty()
    });
    let coaching = kinerja_app::ActivityInput::Own {
        kind: LearningKind::Coaching,
        title: "Coaching bulanan oleh atasan langsung".to_owned(),
        planned_hours: 3,
        planned_on: None,
    };
    let (competency, activities) = match need {
        Some(need) => (
            format!("Menguatkan {}", need.topic),
            vec![
                kinerja_app::ActivityInput::Programme { code: need.suggested_programmes[0].clone(), planned_on: None },
                coaching,
            ],
        ),
        None => ("Berbagi praktik baik pelayanan di unit".to_owned(), vec![coaching]),
    };
    let goal = kinerja_app::GoalInput {
        nip: bundle.employee.employee.nip.clone(),
        year,
        need_id: need.map(|n| n.id),
        competency,
        target: "Dibahas dan dinilai bersama atasan pada dialog kinerja triwulan berikutnya".to_owned(),
        activities,
    };
    let nip = &bundle.employee.employee.nip;
    let proposed = kinerja_app::propose_development_goal(store, packs, &acting(&bundle.employee), goal)
        .await
        .with_context(|| format!("development goal of {nip}"))?;
    if index.is_multiple_of(32) {
        return Ok(());
    }
    let agreed = store
        .agree_development_goal(&acting(rater), proposed.id, None)
        .await
        .with_context(|| format!("agreeing the development goal of {nip}"))?;
    if index.is_multiple_of(16) {
        let coaching = agreed.activities.last().context("a goal has activities")?;
        let started = done_on - chrono::Days::new(14);
        kinerja_app::record_development_activity(
            store,
            &acting(rater),
            coaching.id,
            started,
            started,
            coaching.planned.planned_hours,
            Some("Catatan coaching atasan".to_owned()),
        )
        .await
        .with_context(|| format!("coaching of {nip} done"))?;
    }
    Ok(())
}
