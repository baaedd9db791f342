//! The mutation root: every change of the evaluation year. Each mutation takes one `input`, acts as the
//! calling employee, and returns a payload with the changed entity and its new version.

use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, Result, SimpleObject};
use kinerja_domain::{self as domain, Capability, PlanAction};
use kinerja_store::{Actor, FeedbackSubject, NewDialogue, Store};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::{OrGraphqlError, bad_input, forbidden, unauthenticated};
use crate::events::{EventBus, Topic};
use crate::ids::{NodeType, parse_global_id};
use crate::scalars::{Date, DateTime};
use crate::types::*;

/// Every mutation: the evaluation year's, and self-development's.
#[derive(async_graphql::MergedObject, Default)]
pub struct MutationRoot(YearMutation, crate::growth::GrowthMutation);

#[derive(Default)]
pub(crate) struct YearMutation;

/// The acting employee, in the role their token names, refused at once when that role lacks the
/// capability (the store checks again, with the caller's relation to the record).
pub(crate) async fn actor(ctx: &Context<'_>, capability: Capability) -> Result<Actor> {
    let actor = ctx
        .data_opt::<Actor>()
        .cloned()
        .ok_or_else(|| unauthenticated("changes need a caller: send a bearer token"))?;
    match actor.role {
        Some(role) if !role.may(capability) => Err(forbidden(capability.refusal(role))),
        _ => Ok(actor),
    }
}

pub(crate) fn id_of(id: &ID, expected: NodeType, field: &str) -> Result<Uuid> {
    let (node_type, uuid) = parse_global_id(id)?;
    if node_type != expected {
        return Err(bad_input(format!("{field}: expected a {expected:?} id")));
    }
    Ok(uuid)
}

pub(crate) fn domain_input<T, E: std::fmt::Display>(field: &str, result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| bad_input(format!("{field}: {e}")))
}

#[derive(InputObject)]
pub(crate) struct CreatePlanInput {
    /// The employee whose plan it is.
    nip: String,
    year: i32,
    approach: Approach,
}

#[derive(InputObject)]
pub(crate) struct PlanTransitionInput {
    plan_id: ID,
    /// The plan version the caller last saw.
    expected_version: i32,
    /// Required when returning (a comment) or reopening (a reason).
    comment: Option<String>,
}

#[derive(SimpleObject)]
pub(crate) struct PlanPayload {
    plan: Plan,
}

#[derive(InputObject)]
pub(crate) struct TargetInput {
    kind: TargetKind,
    /// The target for `AT_LEAST`, the lower bound for `BETWEEN`.
    low: Option<Decimal>,
    /// The target for `AT_MOST`, the upper bound for `BETWEEN`.
    high: Option<Decimal>,
}

impl TargetInput {
    fn to_domain(&self) -> Result<domain::Target> {
        let missing = |which: &str| bad_input(format!("target.{which} is required for {:?}", self.kind));
        let target = match self.kind {
            TargetKind::AtLeast => domain::Target::at_least(self.low.ok_or_else(|| missing("low"))?),
            TargetKind::AtMost => domain::Target::at_most(self.high.ok_or_else(|| missing("high"))?),
            TargetKind::Between => domain::Target::between(
                self.low.ok_or_else(|| missing("low"))?,
                self.high.ok_or_else(|| missing("high"))?,
            ),
        };
        domain_input("target", target)
    }
}

#[derive(InputObject)]
pub(crate) struct AddWorkResultInput {
    plan_id: ID,
    expected_version: i32,
    /// The work result's code within the plan, e.g. `RHK-3`.
    code: String,
    section: WorkResultSection,
    description: String,
    perspective: Option<String>,
    /// The rater's work result that this one intervenes.
    parent_id: Option<ID>,
}

#[derive(InputObject)]
pub(crate) struct UpdateWorkResultInput {
    work_result_id: ID,
    expected_version: i32,
    section: WorkResultSection,
    description: String,
    perspective: Option<String>,
}

#[derive(InputObject)]
pub(crate) struct RemoveInput {
    /// The work result or indicator to remove.
    id: ID,
    expected_version: i32,
}

#[derive(SimpleObject)]
pub(crate) struct WorkResultPayload {
    work_result: WorkResult,
    plan: Plan,
}

#[derive(InputObject)]
pub(crate) struct IndicatorInput {
    description: String,
    aspect: Aspect,
    target: TargetInput,
    unit_of_measure: String,
    accumulation: Accumulation,
}

impl IndicatorInput {
    fn to_domain(&self) -> Result<domain::Indicator> {
        let target = self.target.to_domain()?;
        domain_input(
            "indicator",
            domain::Indicator::new(
                &self.description,
                self.aspect.into(),
                target,
                &self.unit_of_measure,
                self.accumulation.into(),
            ),
        )
    }
}

#[derive(InputObject)]
pub(crate) struct AddIndicatorInput {
    work_result_id: ID,
    expected_version: i32,
    code: String,
    indicator: IndicatorInput,
}

#[derive(InputObject)]
pub(crate) struct UpdateIndicatorInput {
    indicator_id: ID,
    expected_version: i32,
    indicator: IndicatorInput,
}

#[derive(SimpleObject)]
pub(crate) struct IndicatorPayload {
    indicator: Indicator,
    plan: Plan,
}

#[derive(InputObject)]
pub(crate) struct RecordRealisationInput {
    indicator_id: ID,
    /// `2026-Q1`, `2026-07`, `2026-S1` or `2026`, within the plan year.
    period: String,
    value: Decimal,
    evidence_note: Option<String>,
    evidence_link: Option<String>,
}

#[derive(InputObject)]
pub(crate) struct CorrectRealisationInput {
    realisation_id: ID,
    /// The realisation version the caller last saw.
    expected_version: i32,
    value: Decimal,
    evidence_note: Option<String>,
    evidence_link: Option<String>,
}

#[derive(SimpleObject)]
pub(crate) struct RealisationPayload {
    realisation: Realisation,
}

#[derive(InputObject)]
pub(crate) struct GiveFeedbackInput {
    /// A plan, work result or indicator id.
    subject_id: ID,
    kind: FeedbackKind,
    text: String,
    /// The BerAKHLAK value the feedback is about, if any.
    behaviour: Option<BerakhlakValue>,
}

#[derive(SimpleObject)]
pub(crate) struct FeedbackPayload {
    feedback: FeedbackNote,
}

#[derive(InputObject)]
pub(crate) struct RecordDialogueInput {
    plan_id: ID,
    held_on: Date,
    participants: String,
    summary: String,
    agreed_actions: String,
}

#[derive(SimpleObject)]
pub(crate) struct DialoguePayload {
    dialogue: Dialogue,
}

#[derive(InputObject)]
pub(crate) struct DecideRatingsInput {
    plan_id: ID,
    result_rating: RatingLevel,
    behaviour_rating: RatingLevel,
    /// Required when the decision differs from the proposal.
    override_reason: Option<String>,
    /// The decision version the caller saw, when revising a decision.
    expected_version: Option<i32>,
}

#[derive(SimpleObject)]
pub(crate) struct DecisionPayload {
    decision: Decision,
}

#[derive(InputObject)]
pub(crate) struct BehaviourRatingEntry {
    value: BerakhlakValue,
    level: RatingLevel,
    /// What the rating rests on, for the employee.
    note: Option<String>,
}

#[derive(InputObject)]
pub(crate) struct RateBehaviourInput {
    plan_id: ID,
    /// The period rated: the plan's year (the default) or a period of a periodic evaluation.
    period: Option<String>,
    ratings: Vec<BehaviourRatingEntry>,
}

#[derive(SimpleObject)]
pub(crate) struct RateBehaviourPayload {
    plan: Plan,
    ratings: Vec<BehaviourRating>,
}

#[derive(InputObject)]
pub(crate) struct BehaviourExpectationEntry {
    value: BerakhlakValue,
    /// The leader's specific expectation; empty to remove it.
    expectation: String,
}

#[derive(InputObject)]
pub(crate) struct SetBehaviourExpectationsInput {
    plan_id: ID,
    /// The plan version the caller last saw.
    expected_version: i32,
    expectations: Vec<BehaviourExpectationEntry>,
}

/// What the employee achieved on one of their work results.
#[derive(InputObject)]
pub(crate) struct SelfAchievementInput {
    work_result_id: ID,
    achieved: String,
    evidence_link: Option<String>,
}

/// The level the employee sees in themselves on one BerAKHLAK value, and why.
#[derive(InputObject)]
pub(crate) struct SelfRatingInput {
    value: BerakhlakValue,
    level: RatingLevel,
    note: String,
}

#[derive(InputObject)]
pub(crate) struct WriteSelfAssessmentInput {
    plan_id: ID,
    #[graphql(default)]
    work_results: Vec<SelfAchievementInput>,
    #[graphql(default)]
    behaviour: Vec<SelfRatingInput>,
}

#[derive(InputObject)]
pub(crate) struct SetOrganisationPredikatInput {
    /// The perangkat daerah.
    unit_code: String,
    year: i32,
    predikat: OrganisationPredikat,
}

#[derive(SimpleObject)]
pub(crate) struct SetOrganisationPredikatPayload {
    unit: Unit,
    /// The unit's distribution checked against the new predikat.
    distribution: UnitDistribution,
}

#[derive(InputObject)]
pub(crate) struct FinaliseUnitInput {
    unit_code: String,
    year: i32,
    /// The head's reason for finalising a distribution that breaks the guidance.
    override_reason: Option<String>,
}

#[derive(SimpleObject)]
pub(crate) struct FinaliseUnitPayload {
    unit: Unit,
    /// Plans whose decisions became final.
    plans_finalised: u64,
    /// The constraints of the distribution guidance that the head overrode.
    overridden: Vec<Violation>,
    override_reason: Option<String>,
}

#[derive(InputObject)]
pub(crate) struct FileObjectionInput {
    decision_id: ID,
    reasons: String,
}

#[derive(InputObject)]
pub(crate) struct DecideObjectionInput {
    objection_id: ID,
    upheld: bool,
    reasons: String,
    /// The new ratings when the objection is upheld.
    result_rating: Option<RatingLevel>,
    behaviour_rating: Option<RatingLevel>,
}

#[derive(SimpleObject)]
pub(crate) struct ObjectionPayload {
    objection: Objection,
    decision: Decision,
}

/// Aggregation methods of an activity mapping.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AggregationMethod {
    Count,
    Sum,
    Mean,
    /// The 90th percentile (nearest rank).
    P90,
    /// The percentage of records whose field is at most `limit`.
    ShareWithin,
}

#[derive(InputObject)]
pub(crate) struct SetActivityMappingInput {
    indicator_id: ID,
    /// E.g. `health_service_visit`, `cleanliness_report`.
    activity_kind: String,
    method: AggregationMethod,
    /// A numeric attribute, or `hours_between:START:END` for the hours between two time attributes.
    field: Option<String>,
    limit: Option<Decimal>,
}

#[derive(SimpleObject)]
pub(crate) struct ActivityMappingPayload {
    mapping: ActivityMapping,
}

#[derive(InputObject)]
pub(crate) struct RemoveActivityMappingInput {
    indicator_id: ID,
    activity_kind: String,
}

/// One record of an activity feed.
#[derive(InputObject)]
pub(crate) struct ActivityRecordInput {
    kind: String,
    /// The sending system's id; a record is received once.
    external_id: String,
    /// The employee who did the work.
    nip: String,
    occurred_at: DateTime,
    /// Numbers, RFC 3339 times and texts by name, e.g. `{"received_at": "...", "resolved_at": "..."}`.
    attributes: Option<async_graphql::Json<std::collections::BTreeMap<String, domain::AttributeValue>>>,
}

#[derive(InputObject)]
pub(crate) struct IngestActivitiesInput {
    records: Vec<ActivityRecordInput>,
}

#[derive(SimpleObject)]
pub(crate) struct IngestActivitiesPayload {
    accepted: u64,
    /// Realisations created or updated from the records.
    realisations: Vec<Realisation>,
    /// Indicators left unchanged, with the reason.
    skipped: Vec<String>,
}

/// Tells subscribers of the owner's unit about a realisation.
async fn announce_realisation(ctx: &Context<'_>, record: &kinerja_store::records::RealisationRecord) {
    if let Ok(plan_id) = ctx.data_unchecked::<Store>().plan_of_indicator(record.indicator_id).await {
        ctx.data_unchecked::<EventBus>().publish(Topic::Realisation, record.id, plan_id).await;
    }
}

async fn plan_payload(ctx: &Context<'_>, plan_id: Uuid) -> Result<Plan> {
    let mut plans = ctx.data_unchecked::<Store>().plans_by_ids(&[plan_id]).await.or_graphql()?;
    plans.pop().map(Plan).ok_or_else(|| crate::error::not_found(format!("plan {plan_id}")))
}

impl YearMutation {
    async fn transition(ctx: &Context<'_>, input: PlanTransitionInput, action: PlanAction) -> Result<PlanPayload> {
        let capability = if action == PlanAction::Submit { Capability::EditPlans } else { Capability::Rate };
        let actor = actor(ctx, capability).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let store = ctx.data_unchecked::<Store>();
        let plan =
            kinerja_app::change_plan_status(store, &actor, plan_id, input.expected_version, action, input.comment)
                .await
                .or_graphql()?;
        Ok(PlanPayload { plan: Plan(plan) })
    }
}

#[Object]
impl YearMutation {
    /// Creates an employee's draft plan (SKP) for a year, rated by the employee's superior; the employee
    /// or the rater creates it.
    async fn create_plan(&self, ctx: &Context<'_>, input: CreatePlanInput) -> Result<PlanPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let nip = domain_input("nip", domain::Nip::parse(&input.nip))?;
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let plan = kinerja_app::create_plan(store, packs, &actor, &nip, input.year, input.approach.into())
            .await
            .or_graphql()?;
        Ok(PlanPayload { plan: Plan(plan) })
    }

    /// The owner hands a draft plan to the rater; it needs a utama work result and, for a quantitative
    /// plan, an indicator on every work result.
    async fn submit_plan(&self, ctx: &Context<'_>, input: PlanTransitionInput) -> Result<PlanPayload> {
        Self::transition(ctx, input, PlanAction::Submit).await
    }
    /// The rater approves a submitted plan; it then accepts realisations and no edits.
    async fn approve_plan(&self, ctx: &Context<'_>, input: PlanTransitionInput) -> Result<PlanPayload> {
        Self::transition(ctx, input, PlanAction::Approve).await
    }
    /// The rater sends a submitted plan back to draft with a comment.
    async fn return_plan(&self, ctx: &Context<'_>, input: PlanTransitionInput) -> Result<PlanPayload> {
        Self::transition(ctx, input, PlanAction::Return).await
    }
    /// The rater reopens an approved plan for changes, with a reason (recorded in the audit trail).
    async fn reopen_plan(&self, ctx: &Context<'_>, input: PlanTransitionInput) -> Result<PlanPayload> {
        Self::transition(ctx, input, PlanAction::Reopen).await
    }

    /// Adds a work result (RHK) to a draft plan, optionally intervening a work result of the rater's plan.
    async fn add_work_result(&self, ctx: &Context<'_>, input: AddWorkResultInput) -> Result<WorkResultPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let parent = input.parent_id.as_ref().map(|id| id_of(id, NodeType::WorkResult, "parentId")).transpose()?;
        let work_result = domain_input(
            "workResult",
            domain::WorkResult::new(input.description, input.section.into(), input.perspective),
        )?;
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::add_work_result(
            store,
            &actor,
            plan_id,
            input.expected_version,
            &input.code,
            work_result,
            parent,
        )
        .await
        .or_graphql()?;
        Ok(WorkResultPayload { plan: plan_payload(ctx, plan_id).await?, work_result: WorkResult(record) })
    }

    /// Rewrites a work result of a draft plan.
    async fn update_work_result(&self, ctx: &Context<'_>, input: UpdateWorkResultInput) -> Result<WorkResultPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.work_result_id, NodeType::WorkResult, "workResultId")?;
        let work_result = domain_input(
            "workResult",
            domain::WorkResult::new(input.description, input.section.into(), input.perspective),
        )?;
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::update_work_result(store, &actor, id, input.expected_version, work_result)
            .await
            .or_graphql()?;
        Ok(WorkResultPayload { plan: plan_payload(ctx, record.plan_id).await?, work_result: WorkResult(record) })
    }

    /// Removes a work result and its indicators from a draft plan.
    async fn remove_work_result(&self, ctx: &Context<'_>, input: RemoveInput) -> Result<PlanPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.id, NodeType::WorkResult, "id")?;
        let store = ctx.data_unchecked::<Store>();
        let plan = kinerja_app::remove_work_result(store, &actor, id, input.expected_version).await.or_graphql()?;
        Ok(PlanPayload { plan: plan_payload(ctx, plan.id).await? })
    }

    /// Adds an indicator (IKI) with its target to a work result of a draft plan.
    async fn add_indicator(&self, ctx: &Context<'_>, input: AddIndicatorInput) -> Result<IndicatorPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.work_result_id, NodeType::WorkResult, "workResultId")?;
        let indicator = input.indicator.to_domain()?;
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::add_indicator(store, &actor, id, input.expected_version, &input.code, indicator)
            .await
            .or_graphql()?;
        let plan_id =
            store.work_results_by_ids(&[id]).await.or_graphql()?.first().map(|w| w.plan_id).unwrap_or_default();
        Ok(IndicatorPayload { plan: plan_payload(ctx, plan_id).await?, indicator: Indicator(record) })
    }

    /// Rewrites an indicator of a draft plan.
    async fn update_indicator(&self, ctx: &Context<'_>, input: UpdateIndicatorInput) -> Result<IndicatorPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.indicator_id, NodeType::Indicator, "indicatorId")?;
        let indicator = input.indicator.to_domain()?;
        let store = ctx.data_unchecked::<Store>();
        let record =
            kinerja_app::update_indicator(store, &actor, id, input.expected_version, indicator).await.or_graphql()?;
        let plan_id = store
            .work_results_by_ids(&[record.work_result_id])
            .await
            .or_graphql()?
            .first()
            .map(|w| w.plan_id)
            .unwrap_or_default();
        Ok(IndicatorPayload { plan: plan_payload(ctx, plan_id).await?, indicator: Indicator(record) })
    }

    /// Removes an indicator from a draft plan.
    async fn remove_indicator(&self, ctx: &Context<'_>, input: RemoveInput) -> Result<PlanPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.id, NodeType::Indicator, "id")?;
        let store = ctx.data_unchecked::<Store>();
        let plan = kinerja_app::remove_indicator(store, &actor, id, input.expected_version).await.or_graphql()?;
        Ok(PlanPayload { plan: plan_payload(ctx, plan.id).await? })
    }

    /// The owner records a realisation for a period of an approved plan, with evidence.
    async fn record_realisation(&self, ctx: &Context<'_>, input: RecordRealisationInput) -> Result<RealisationPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.indicator_id, NodeType::Indicator, "indicatorId")?;
        let period = domain_input("period", domain::Period::parse(&input.period))?;
        let evidence = domain_input("evidence", domain::Evidence::new(input.evidence_note, input.evidence_link))?;
        let realisation = domain_input("value", domain::Realisation::new(period, input.value, evidence))?;
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::record_realisation(store, &actor, id, realisation).await.or_graphql()?;
        announce_realisation(ctx, &record).await;
        Ok(RealisationPayload { realisation: Realisation(record) })
    }

    /// The owner or rater corrects a realisation; the replaced value stays in its history.
    async fn correct_realisation(
        &self,
        ctx: &Context<'_>,
        input: CorrectRealisationInput,
    ) -> Result<RealisationPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.realisation_id, NodeType::Realisation, "realisationId")?;
        let evidence = domain_input("evidence", domain::Evidence::new(input.evidence_note, input.evidence_link))?;
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::correct_realisation(store, &actor, id, input.expected_version, input.value, evidence)
            .await
            .or_graphql()?;
        announce_realisation(ctx, &record).await;
        Ok(RealisationPayload { realisation: Realisation(record) })
    }

    /// Praise or a suggestion on a plan, a work result or an indicator, optionally about a BerAKHLAK value.
    async fn give_feedback(&self, ctx: &Context<'_>, input: GiveFeedbackInput) -> Result<FeedbackPayload> {
        let actor = actor(ctx, Capability::Rate).await?;
        let (node_type, id) = parse_global_id(&input.subject_id)?;
        let subject = match node_type {
            NodeType::Plan => FeedbackSubject::Plan(id),
            NodeType::WorkResult => FeedbackSubject::WorkResult(id),
            NodeType::Indicator => FeedbackSubject::Indicator(id),
            _ => return Err(bad_input("subjectId: feedback is about a plan, a work result or an indicator")),
        };
        let note = domain_input(
            "text",
            domain::FeedbackNote::new(input.kind.into(), input.text, input.behaviour.map(Into::into)),
        )?;
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::give_feedback(store, &actor, subject, note).await.or_graphql()?;
        ctx.data_unchecked::<EventBus>().publish(Topic::Feedback, record.id, record.plan_id).await;
        Ok(FeedbackPayload { feedback: FeedbackNote(record) })
    }

    /// The rater decides the year's Rating Hasil Kerja and Rating Perilaku; the predikat follows from the
    /// year's matrix. A decision other than the proposal needs `overrideReason`.
    async fn decide_ratings(&self, ctx: &Context<'_>, input: DecideRatingsInput) -> Result<DecisionPayload> {
        let actor = actor(ctx, Capability::Rate).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let decision = kinerja_store::NewDecision {
            plan_id,
            result: input.result_rating.into(),
            behaviour: input.behaviour_rating.into(),
            override_reason: input.override_reason,
        };
        let record =
            kinerja_app::decide_ratings(store, packs, &actor, decision, input.expected_version).await.or_graphql()?;
        ctx.data_unchecked::<EventBus>().publish(Topic::Decision, record.id, record.plan_id).await;
        Ok(DecisionPayload { decision: Decision(record) })
    }

    /// The rater rates BerAKHLAK values of an approved plan for a period (the plan's year by default);
    /// each rating replaces an earlier one of its value and period. The proposal needs all seven.
    async fn rate_behaviour(&self, ctx: &Context<'_>, input: RateBehaviourInput) -> Result<RateBehaviourPayload> {
        let actor = actor(ctx, Capability::Rate).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let period = input.period.as_deref().map(|p| domain_input("period", domain::Period::parse(p))).transpose()?;
        let ratings = input
            .ratings
            .into_iter()
            .map(|r| kinerja_app::BehaviourRatingInput { value: r.value.into(), level: r.level.into(), note: r.note })
            .collect();
        let store = ctx.data_unchecked::<Store>();
        let rated = kinerja_app::rate_behaviour(store, &actor, plan_id, period, ratings).await.or_graphql()?;
        Ok(RateBehaviourPayload {
            plan: plan_payload(ctx, plan_id).await?,
            ratings: rated.into_iter().map(BehaviourRating).collect(),
        })
    }

    /// The rater sets the leader's specific expectations (ekspektasi khusus pimpinan) of BerAKHLAK values
    /// while planning; an empty text removes one.
    async fn set_behaviour_expectations(
        &self,
        ctx: &Context<'_>,
        input: SetBehaviourExpectationsInput,
    ) -> Result<PlanPayload> {
        let actor = actor(ctx, Capability::Rate).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let expectations = input.expectations.into_iter().map(|e| (e.value.into(), e.expectation)).collect();
        let store = ctx.data_unchecked::<Store>();
        let plan =
            kinerja_app::set_behaviour_expectations(store, &actor, plan_id, input.expected_version, expectations)
                .await
                .or_graphql()?;
        Ok(PlanPayload { plan: Plan(plan) })
    }

    /// The employee writes their own view of their year (penilaian diri) on their approved plan, before
    /// the rater decides: what they achieved per work result, the level they see per BerAKHLAK value.
    /// Each part replaces what they wrote of it before; only the plan's own employee writes it.
    async fn write_self_assessment(&self, ctx: &Context<'_>, input: WriteSelfAssessmentInput) -> Result<PlanPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let mut views = Vec::with_capacity(input.work_results.len() + input.behaviour.len());
        for (at, part) in input.work_results.into_iter().enumerate() {
            let work_result_id =
                id_of(&part.work_result_id, NodeType::WorkResult, &format!("workResults[{at}].workResultId"))?;
            views.push(kinerja_app::SelfViewInput::WorkResult {
                work_result_id,
                achieved: part.achieved,
                evidence_link: part.evidence_link,
            });
        }
        views.extend(input.behaviour.into_iter().map(|part| kinerja_app::SelfViewInput::Behaviour {
            value: part.value.into(),
            level: part.level.into(),
            note: part.note,
        }));
        let store = ctx.data_unchecked::<Store>();
        kinerja_app::write_self_assessment(store, &actor, plan_id, views).await.or_graphql()?;
        Ok(PlanPayload { plan: plan_payload(ctx, plan_id).await? })
    }

    /// An HR administrator sets a perangkat daerah's organisation predikat for a year; its distribution
    /// is checked against it at once. Refused once any plan of the year in the unit is final.
    async fn set_organisation_predikat(
        &self,
        ctx: &Context<'_>,
        input: SetOrganisationPredikatInput,
    ) -> Result<SetOrganisationPredikatPayload> {
        let actor = actor(ctx, Capability::RateOrganisation).await?;
        let code = domain_input("unitCode", domain::UnitCode::parse(&input.unit_code))?;
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let (unit, distribution) =
            kinerja_app::set_organisation_predikat(store, packs, &actor, &code, input.year, input.predikat.into())
                .await
                .or_graphql()?;
        Ok(SetOrganisationPredikatPayload { unit: Unit(unit), distribution: UnitDistribution(distribution) })
    }

    /// An HR administrator grants `hr-admin`, `analyst` or `auditor` to an employee (replacing a grant of
    /// the same role they hold); audited. A token claiming one of these roles is honoured only with one.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        input: crate::grants::GrantRoleInput,
    ) -> Result<crate::grants::GrantRolePayload> {
        let actor = actor(ctx, Capability::GrantRoles).await?;
        let nip = domain_input("nip", domain::Nip::parse(&input.nip))?;
        let unit = input.unit_code.map(|code| domain_input("unitCode", domain::UnitCode::parse(&code))).transpose()?;
        let store = ctx.data_unchecked::<Store>();
        let grant =
            kinerja_app::grant_role(store, Some(&actor), &nip, input.role.into(), unit.as_ref()).await.or_graphql()?;
        Ok(crate::grants::GrantRolePayload { grant: crate::grants::RoleGrant(grant) })
    }

    /// An HR administrator revokes a grant; the last HR administrator's stays. Audited.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        input: crate::grants::RevokeRoleInput,
    ) -> Result<crate::grants::RevokeRolePayload> {
        let actor = actor(ctx, Capability::GrantRoles).await?;
        let nip = domain_input("nip", domain::Nip::parse(&input.nip))?;
        let store = ctx.data_unchecked::<Store>();
        kinerja_app::revoke_role(store, Some(&actor), &nip, input.role.into()).await.or_graphql()?;
        Ok(crate::grants::RevokeRolePayload { nip: nip.to_string(), role: input.role })
    }

    /// The unit head finalises the year for the unit's subtree after the distribution check.
    async fn finalise_unit(&self, ctx: &Context<'_>, input: FinaliseUnitInput) -> Result<FinaliseUnitPayload> {
        let actor = actor(ctx, Capability::FinaliseUnit).await?;
        let code = domain_input("unitCode", domain::UnitCode::parse(&input.unit_code))?;
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let (unit, finalised) =
            kinerja_app::finalise_unit(store, packs, &actor, &code, input.year, input.override_reason)
                .await
                .or_graphql()?;
        let bus = ctx.data_unchecked::<EventBus>();
        for (decision_id, plan_id) in &finalised.decisions {
            bus.publish(Topic::Decision, *decision_id, *plan_id).await;
        }
        let overridden: Vec<Violation> =
            serde_json::from_str(&finalised.violations).map_err(|e| crate::error::internal(e.to_string()))?;
        Ok(FinaliseUnitPayload {
            unit: Unit(unit),
            plans_finalised: finalised.plans_finalised,
            overridden,
            override_reason: finalised.override_reason,
        })
    }

    /// The employee objects to a final decision within the rule pack's window.
    async fn file_objection(&self, ctx: &Context<'_>, input: FileObjectionInput) -> Result<ObjectionPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let decision_id = id_of(&input.decision_id, NodeType::Decision, "decisionId")?;
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let (objection, decision) =
            kinerja_app::file_objection(store, packs, &actor, decision_id, &input.reasons).await.or_graphql()?;
        Ok(ObjectionPayload { objection: Objection(objection), decision: Decision(decision) })
    }

    /// The rater's superior decides an objection: upheld with new ratings, or rejected. The decision is final.
    async fn decide_objection(&self, ctx: &Context<'_>, input: DecideObjectionInput) -> Result<ObjectionPayload> {
        let actor = actor(ctx, Capability::Rate).await?;
        let objection_id = id_of(&input.objection_id, NodeType::Objection, "objectionId")?;
        let upheld = if input.upheld {
            let (Some(result), Some(behaviour)) = (input.result_rating, input.behaviour_rating) else {
                return Err(bad_input("resultRating and behaviourRating are required when the objection is upheld"));
            };
            Some(kinerja_scoring::FinalRatings { result: result.into(), behaviour: behaviour.into() })
        } else {
            None
        };
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let (objection, decision) =
            kinerja_app::decide_objection(store, packs, &actor, objection_id, upheld, &input.reasons)
                .await
                .or_graphql()?;
        ctx.data_unchecked::<EventBus>().publish(Topic::Decision, decision.id, decision.plan_id).await;
        Ok(ObjectionPayload { objection: Objection(objection), decision: Decision(decision) })
    }

    /// Says how an activity kind feeds an indicator's realisations (owner or rater of the plan).
    async fn set_activity_mapping(
        &self,
        ctx: &Context<'_>,
        input: SetActivityMappingInput,
    ) -> Result<ActivityMappingPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.indicator_id, NodeType::Indicator, "indicatorId")?;
        let kind = domain_input("activityKind", domain::ActivityKind::parse(&input.activity_kind))?;
        let method = match input.method {
            AggregationMethod::Count => "count",
            AggregationMethod::Sum => "sum",
            AggregationMethod::Mean => "mean",
            AggregationMethod::P90 => "p90",
            AggregationMethod::ShareWithin => "share_within",
        };
        let aggregation =
            domain_input("method", domain::Aggregation::from_parts(method, input.field.as_deref(), input.limit))?;
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::set_activity_mapping(store, &actor, id, kind, aggregation).await.or_graphql()?;
        Ok(ActivityMappingPayload { mapping: ActivityMapping(record) })
    }

    /// Stops an activity kind from feeding an indicator; realisations already derived stay as they are.
    async fn remove_activity_mapping(
        &self,
        ctx: &Context<'_>,
        input: RemoveActivityMappingInput,
    ) -> Result<IndicatorPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.indicator_id, NodeType::Indicator, "indicatorId")?;
        let kind = domain_input("activityKind", domain::ActivityKind::parse(&input.activity_kind))?;
        let store = ctx.data_unchecked::<Store>();
        kinerja_app::remove_activity_mapping(store, &actor, id, &kind).await.or_graphql()?;
        let indicator = store
            .indicators_by_ids(&[id])
            .await
            .or_graphql()?
            .pop()
            .ok_or_else(|| crate::error::not_found(format!("indicator {id}")))?;
        let plan_id = store.plan_of_indicator(id).await.or_graphql()?;
        Ok(IndicatorPayload { plan: plan_payload(ctx, plan_id).await?, indicator: Indicator(indicator) })
    }

    /// Takes a batch of activity records from an operational system; a batch with one invalid record is
    /// refused whole, listing every bad record in `extensions.problems`.
    async fn ingest_activities(
        &self,
        ctx: &Context<'_>,
        input: IngestActivitiesInput,
    ) -> Result<IngestActivitiesPayload> {
        let actor = actor(ctx, Capability::ManageIntegrations).await?;
        let batch = input
            .records
            .into_iter()
            .enumerate()
            .map(|(index, record)| kinerja_store::NewActivity {
                line: index + 1,
                kind: record.kind,
                external_id: record.external_id,
                nip: record.nip,
                occurred_at: record.occurred_at.0,
                attributes: record.attributes.map(|a| a.0).unwrap_or_default(),
            })
            .collect();
        let store = ctx.data_unchecked::<Store>();
        let summary = kinerja_app::ingest_activities(store, &actor, batch).await.or_graphql()?;
        for realisation in &summary.realisations {
            announce_realisation(ctx, realisation).await;
        }
        Ok(IngestActivitiesPayload {
            accepted: summary.accepted as u64,
            realisations: summary.realisations.into_iter().map(Realisation).collect(),
            skipped: summary.skipped,
        })
    }

    /// Moves a training need on: PLANNED (with `programme` and `plannedOn`), COMPLETED (with the
    /// training record's `trainingProgramme` and `trainingStartedOn`) or CLOSED (with a `reason`). For
    /// HR administrators, and unit heads for needs in their subtree.
    async fn update_training_need(
        &self,
        ctx: &Context<'_>,
        input: UpdateTrainingNeedInput,
    ) -> Result<crate::analytics::TrainingNeed> {
        let actor = actor(ctx, Capability::ManageDevelopment).await?;
        let id = id_of(&input.id, NodeType::TrainingNeed, "id")?;
        let required = |value: Option<String>, field: &str| {
            value
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| bad_input(format!("{field}: required for this status")))
        };
        let change = match input.status {
            crate::analytics::NeedStatus::Planned => kinerja_store::NeedChange::Plan {
                programme: required(input.programme, "programme")?,
                planned_on: input.planned_on.ok_or_else(|| bad_input("plannedOn: required for PLANNED"))?.0,
            },
            crate::analytics::NeedStatus::Completed => kinerja_store::NeedChange::Complete {
                programme: required(input.training_programme, "trainingProgramme")?,
                started_on: input
                    .training_started_on
                    .ok_or_else(|| bad_input("trainingStartedOn: required for COMPLETED"))?
                    .0,
            },
            crate::analytics::NeedStatus::Closed => {
                kinerja_store::NeedChange::Close { reason: required(input.reason, "reason")? }
            }
            crate::analytics::NeedStatus::Open => {
                return Err(bad_input("status: a need reopens only when derivation finds its cause again"));
            }
        };
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let need = kinerja_app::change_training_need(store, packs, &actor, id, change, input.expected_version)
            .await
            .or_graphql()?;
        Ok(crate::analytics::TrainingNeed(need))
    }

    /// Derives the training needs of a year again from the evaluations and development records, for
    /// everyone the caller reaches (within `unitCode` when given): new needs raised, changed ones
    /// updated, needs whose cause is gone closed; nothing is duplicated.
    async fn derive_training_needs(
        &self,
        ctx: &Context<'_>,
        input: DeriveTrainingNeedsInput,
    ) -> Result<DeriveTrainingNeedsPayload> {
        let DeriveTrainingNeedsInput { year, unit_code } = input;
        let actor = actor(ctx, Capability::ManageDevelopment).await?;
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let unit = unit_code.map(|code| domain_input("unitCode", domain::UnitCode::parse(&code))).transpose()?;
        let summary =
            kinerja_app::derive_training_needs(store, packs, Some(&actor), year, unit.as_ref()).await.or_graphql()?;
        Ok(DeriveTrainingNeedsPayload {
            employees: summary.employees,
            raised: summary.raised,
            updated: summary.updated,
            completed: summary.completed,
            closed: summary.closed,
            unchanged: summary.unchanged,
        })
    }

    /// Records a performance dialogue (dialog kinerja) on a plan.
    async fn record_dialogue(&self, ctx: &Context<'_>, input: RecordDialogueInput) -> Result<DialoguePayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let dialogue = NewDialogue {
            held_on: input.held_on.0,
            participants: input.participants,
            summary: input.summary,
            agreed_actions: input.agreed_actions,
        };
        let store = ctx.data_unchecked::<Store>();
        let record = kinerja_app::record_dialogue(store, &actor, plan_id, dialogue).await.or_graphql()?;
        Ok(DialoguePayload { dialogue: Dialogue(record) })
    }

    /// Imports a batch of records of one kind, written as CSV or JSON Lines exactly as for
    /// `kinerja import` (docs/import.md): all rows or none, by natural key (HR administrators). Problems
    /// come back as `BAD_USER_INPUT` with `extensions.problems`, each `input:line:column: message`.
    async fn import_records(&self, ctx: &Context<'_>, input: ImportRecordsInput) -> Result<ImportRecordsPayload> {
        let actor = actor(ctx, Capability::ManageIntegrations).await?;
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let read = kinerja_import::ReadOptions {
            format: match input.format.unwrap_or(ImportFormat::Csv) {
                ImportFormat::Csv => kinerja_import::Format::Csv,
                ImportFormat::JsonLines => kinerja_import::Format::JsonLines,
            },
            decimal_comma: input.decimal_comma.unwrap_or(false),
        };
        let dry_run = input.dry_run.unwrap_or(false);
        let options = kinerja_import::ImportOptions { dry_run, max_problems: 100, source: "input".to_owned() };
        let kind = input.kind.into();
        match kinerja_import::import(store, packs, Some(actor), kind, input.data.as_bytes(), read, &options, |_| {})
            .await
        {
            Ok(summary) => Ok(ImportRecordsPayload {
                kind: input.kind,
                rows: summary.rows as i64,
                inserted: summary.inserted as i64,
                updated: summary.updated as i64,
                unchanged: summary.unchanged as i64,
                dry_run,
            }),
            Err(kinerja_import::ImportError::Invalid { problems, .. }) => {
                let message = format!("{} problem(s) in the batch; nothing was imported", problems.len());
                Err(async_graphql::Error::new(message).extend_with(move |_, e| {
                    e.set("code", "BAD_USER_INPUT");
                    e.set("problems", problems);
                }))
            }
            Err(kinerja_import::ImportError::Read { message, .. }) => Err(bad_input(message)),
            Err(kinerja_import::ImportError::Store(error)) => Err(error).or_graphql(),
            Err(kinerja_import::ImportError::App(error)) => Err(error).or_graphql(),
        }
    }
}

/// What a batch of `importRecords` holds.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "kinerja_store::ImportKind")]
pub(crate) enum ImportKind {
    Units,
    Positions,
    Employees,
    Plans,
    Realisations,
    TrainingRecords,
    CompetencyAssessments,
    TalentAssessments,
    Qualifications,
    DisciplineRecords,
    /// Results of years kinerja did not score, checked against the rule pack of their year.
    PastResults,
    /// The organisation predikat of perangkat daerah, as `setOrganisationPredikat` sets one.
    OrganisationPredikat,
    /// BerAKHLAK ratings of approved plans, as `rateBehaviour` records them.
    BehaviourRatings,
}

#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImportFormat {
    Csv,
    JsonLines,
}

#[derive(InputObject)]
pub(crate) struct ImportRecordsInput {
    kind: ImportKind,
    /// CSV (the default) or JSON Lines.
    format: Option<ImportFormat>,
    /// The rows, with a header line for CSV; columns as in docs/import.md.
    data: String,
    /// Numbers written with a decimal comma (CSV).
    decimal_comma: Option<bool>,
    /// Check and report without writing.
    dry_run: Option<bool>,
}

#[derive(SimpleObject)]
pub(crate) struct ImportRecordsPayload {
    kind: ImportKind,
    rows: i64,
    inserted: i64,
    updated: i64,
    unchanged: i64,
    dry_run: bool,
}

#[derive(InputObject)]
pub(crate) struct UpdateTrainingNeedInput {
    id: ID,
    /// PLANNED, COMPLETED or CLOSED.
    status: crate::analytics::NeedStatus,
    /// For PLANNED: the programme chosen.
    programme: Option<String>,
    /// For PLANNED: when it is to start.
    planned_on: Option<Date>,
    /// For COMPLETED: the programme of the employee's training record.
    training_programme: Option<String>,
    /// For COMPLETED: the day that training started.
    training_started_on: Option<Date>,
    /// For CLOSED: why.
    reason: Option<String>,
    /// The version last read; a different current version is refused with CONFLICT.
    expected_version: Option<i32>,
}

#[derive(InputObject)]
pub(crate) struct DeriveTrainingNeedsInput {
    year: i32,
    /// Only the employees of this unit's subtree (which the caller must reach).
    unit_code: Option<String>,
}

/// What a derivation did.
#[derive(SimpleObject)]
pub(crate) struct DeriveTrainingNeedsPayload {
    employees: u64,
    raised: u64,
    updated: u64,
    completed: u64,
    closed: u64,
    unchanged: u64,
}
