//! Evaluation as self-development over GraphQL: the individual development plan, appreciations and the
//! recognition list, and feedback on behaviour from peers and subordinates. Thin adapters over
//! `kinerja-app`; who may read what is the store's scope, and analysts read none of it record by record.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use kinerja_domain::{self as domain, Capability};
use kinerja_store::{
    AppreciationRecord, AppreciationSubject, DevelopmentActivityRecord, DevelopmentGoalRecord, FeedbackRequestRecord,
    FeedbackSummary, RecognitionEntry, Store,
};
use uuid::Uuid;

use crate::error::{OrGraphqlError, bad_input, forbidden};
use crate::ids::{NodeType, global_id};
use crate::mutation::{actor, domain_input, id_of};
use crate::scalars::{Date, DateTime};
use crate::types::{
    BerakhlakValue, Employee, Predikat, RatingLevel, WorkResult, loader, masks, personal, personal_opt, remote_enum,
    unmasked,
};

remote_enum!(
    /// How a development activity is learnt: classical (TRAINING, COURSE, SEMINAR, WORKSHOP) or at and
    /// around work (the others).
    LearningKind, "domain::LearningKind", {
        Training, Course, Seminar, Workshop, Coaching, Mentoring, ELearning, JobAttachment, Secondment,
        Benchmarking, SelfStudy, LearningCommunity
    }
);
remote_enum!(
    /// Where a development goal is in its year.
    GoalStatus, "domain::GoalStatus", { Proposed, Agreed, Achieved, Carried }
);

/// Refuses analysts a person's development, recognition and colleagues' feedback: it is theirs and
/// their rater's, not a figure.
fn refuse_masked(ctx: &Context<'_>, what: &str) -> Result<()> {
    if masks(ctx) {
        return Err(forbidden(format!(
            "acting as analyst you may not read {what}: it names people; read cultureFigures for the unit"
        )));
    }
    Ok(())
}

/// An employee's development plan of a year.
pub(crate) struct DevelopmentPlan {
    pub(crate) year: i32,
    pub(crate) goals: Vec<DevelopmentGoalRecord>,
}

#[Object]
impl DevelopmentPlan {
    async fn year(&self) -> i32 {
        self.year
    }
    async fn goals(&self) -> Vec<DevelopmentGoal> {
        self.goals.iter().cloned().map(DevelopmentGoal).collect()
    }
    /// Whether the plan was kept: it has agreed goals, and every one is achieved.
    async fn kept(&self) -> bool {
        domain::plan_kept(&self.goals.iter().map(|g| g.status).collect::<Vec<_>>())
    }
    /// Lesson hours (JP) planned across the goals not carried on.
    async fn planned_hours(&self) -> i64 {
        self.open_or_done().flat_map(|g| &g.activities).map(|a| i64::from(a.planned.planned_hours)).sum()
    }
    /// Lesson hours (JP) credited by the activities done.
    async fn credited_hours(&self) -> i64 {
        self.goals.iter().flat_map(|g| &g.activities).filter_map(|a| a.done.as_ref()).map(|d| i64::from(d.hours)).sum()
    }
}

impl DevelopmentPlan {
    fn open_or_done(&self) -> impl Iterator<Item = &DevelopmentGoalRecord> {
        self.goals.iter().filter(|g| g.status != domain::GoalStatus::Carried)
    }
}

/// A goal of a development plan.
pub(crate) struct DevelopmentGoal(pub(crate) DevelopmentGoalRecord);

#[Object]
impl DevelopmentGoal {
    pub(crate) async fn id(&self) -> ID {
        global_id(NodeType::DevelopmentGoal, self.0.id)
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The competency to grow, in the employee's words.
    async fn competency(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.competency)
    }
    /// What reaching it looks like.
    async fn target(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.target)
    }
    async fn status(&self) -> GoalStatus {
        self.0.status.into()
    }
    /// The training need the goal answers.
    async fn need(&self, ctx: &Context<'_>) -> Result<Option<crate::analytics::TrainingNeed>> {
        let Some(id) = self.0.need_id else { return Ok(None) };
        let store = ctx.data_unchecked::<Store>();
        Ok(store.training_needs_by_ids(&[id]).await.or_graphql()?.pop().map(crate::analytics::TrainingNeed))
    }
    async fn agreed_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        self.0.agreed_at.and_then(|at| unmasked(ctx, at)).map(Into::into)
    }
    /// The rater who agreed it.
    async fn agreed_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = self.0.agreed_by else { return Ok(None) };
        Ok(loader(ctx).load_one(crate::loaders::EmployeeById(id)).await.or_graphql()?.map(Employee))
    }
    /// The goal of the year before that this one carries on.
    async fn carried_from(&self) -> Option<ID> {
        self.0.carried_from.map(|id| global_id(NodeType::DevelopmentGoal, id))
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn activities(&self) -> Vec<DevelopmentActivity> {
        self.0.activities.iter().cloned().map(DevelopmentActivity).collect()
    }
}

/// An activity of a development goal.
pub(crate) struct DevelopmentActivity(DevelopmentActivityRecord);

#[Object]
impl DevelopmentActivity {
    async fn id(&self) -> ID {
        global_id(NodeType::DevelopmentActivity, self.0.id)
    }
    async fn kind(&self) -> LearningKind {
        self.0.planned.kind.into()
    }
    /// Whether it is learnt in a class (klasikal) rather than at work (nonklasikal).
    async fn classical(&self) -> bool {
        self.0.planned.kind.is_classical()
    }
    /// The way of learning, in Bahasa Indonesia.
    async fn kind_title(&self) -> &'static str {
        self.0.planned.kind.title()
    }
    /// The programme or activity, as its training record names it.
    async fn title(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.planned.title)
    }
    /// The catalogue programme, when it is one.
    async fn programme_code(&self) -> Option<&str> {
        self.0.planned.programme_code.as_deref()
    }
    async fn planned_hours(&self) -> i32 {
        self.0.planned.planned_hours
    }
    async fn planned_on(&self, ctx: &Context<'_>) -> Option<Date> {
        self.0.planned.planned_on.and_then(|on| unmasked(ctx, on)).map(Into::into)
    }
    /// Whether a training record shows it done.
    async fn done(&self) -> bool {
        self.0.done.is_some()
    }
    async fn finished_on(&self, ctx: &Context<'_>) -> Option<Date> {
        self.0.done.as_ref().and_then(|d| unmasked(ctx, d.finished_on)).map(Into::into)
    }
    /// Lesson hours (JP) its training record credits.
    async fn credited_hours(&self) -> Option<i32> {
        self.0.done.as_ref().map(|d| d.hours)
    }
}

/// An appreciation an employee received.
pub(crate) struct Appreciation(AppreciationRecord);

#[Object]
impl Appreciation {
    /// Who sent it.
    async fn sender_name(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.sender_name)
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The work result it thanks for, when it is one.
    async fn work_result(&self, ctx: &Context<'_>) -> Result<Option<WorkResult>> {
        let AppreciationSubject::WorkResult(id) = self.0.subject else { return Ok(None) };
        Ok(loader(ctx).load_one(crate::loaders::WorkResultById(id)).await.or_graphql()?.map(WorkResult))
    }
    /// The BerAKHLAK value it thanks for, when it is one.
    async fn value(&self) -> Option<BerakhlakValue> {
        match self.0.subject {
            AppreciationSubject::Value(value) => Some(value.into()),
            AppreciationSubject::WorkResult(_) => None,
        }
    }
    async fn message(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.message)
    }
    async fn sent_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.sent_at).map(Into::into)
    }
}

/// Someone on the recognition list (daftar penghargaan) of a year.
pub(crate) struct RecognitionListEntry(RecognitionEntry);

#[Object]
impl RecognitionListEntry {
    async fn employee(&self) -> Employee {
        Employee(self.0.employee.clone())
    }
    async fn predikat(&self) -> Option<Predikat> {
        self.0.predikat.map(Into::into)
    }
    /// Every agreed goal of the year's development plan achieved.
    async fn kept_development_plan(&self) -> bool {
        self.0.kept_development_plan
    }
    /// Appreciations received in the year.
    async fn appreciations(&self) -> u64 {
        self.0.appreciations
    }
    /// Why the employee is on the list, in Bahasa Indonesia.
    async fn reasons(&self) -> Vec<&'static str> {
        let mut reasons = Vec::new();
        if self.0.predikat == Some(domain::Predikat::SangatBaik) {
            reasons.push("Predikat kinerja Sangat Baik");
        }
        if self.0.kept_development_plan {
            reasons.push("Seluruh sasaran rencana pengembangan kompetensi yang disepakati tercapai");
        }
        reasons
    }
}

/// A request for feedback on an employee's behaviour, as its rater or its respondent reads it.
pub(crate) struct FeedbackRequest(FeedbackRequestRecord);

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedbackRelation {
    /// The employee is the respondent's superior.
    Subordinate,
    Peer,
}

/// One answer on a value.
#[derive(SimpleObject)]
pub(crate) struct FeedbackAnswer {
    value: BerakhlakValue,
    level: RatingLevel,
    note: Option<String>,
}

#[Object]
impl FeedbackRequest {
    async fn id(&self) -> ID {
        global_id(NodeType::FeedbackRequest, self.0.id)
    }
    /// Whose behaviour it is about.
    async fn employee_name(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.employee_name)
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn respondent_name(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.respondent_name)
    }
    async fn relation(&self) -> FeedbackRelation {
        match self.0.relation {
            kinerja_store::Relation::Subordinate => FeedbackRelation::Subordinate,
            kinerja_store::Relation::Peer => FeedbackRelation::Peer,
        }
    }
    async fn invited_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.invited_at).map(Into::into)
    }
    async fn answered_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        self.0.answered_at.and_then(|at| unmasked(ctx, at)).map(Into::into)
    }
    /// Whether the colleague has answered.
    async fn answered(&self) -> bool {
        self.0.answered_at.is_some()
    }
    async fn answers(&self, ctx: &Context<'_>) -> Vec<FeedbackAnswer> {
        self.0
            .answers
            .iter()
            .map(|a| FeedbackAnswer {
                value: a.value.into(),
                level: a.level.into(),
                note: personal_opt(ctx, a.note.as_deref()).map(str::to_owned),
            })
            .collect()
    }
}

/// Colleagues' feedback on a plan as the employee reads it: counts only, and per value only once enough
/// have answered.
pub(crate) struct BehaviourFeedbackSummary {
    summary: FeedbackSummary,
    min_answers: u32,
}

/// How many answers saw a value at each level.
#[derive(SimpleObject)]
pub(crate) struct ValueFeedback {
    value: BerakhlakValue,
    below_expectation: u64,
    as_expected: u64,
    above_expectation: u64,
}

#[Object]
impl BehaviourFeedbackSummary {
    async fn invited(&self) -> u64 {
        self.summary.invited
    }
    async fn answered(&self) -> u64 {
        self.summary.answered
    }
    /// Whether the counts are shown: the round is closed (every colleague asked answered, or the rater
    /// decided) with enough answers.
    async fn shown(&self) -> bool {
        self.summary.shown
    }
    /// Why the counts are not shown yet, in Bahasa Indonesia; null once they are.
    async fn withheld_reason(&self) -> Option<String> {
        (!self.summary.shown).then(|| {
            format!(
                "Umpan balik rekan kerja ditampilkan setelah semua rekan yang diminta menjawab (atau penilai menetapkan hasil tahun ini) dan sedikitnya {} orang menjawab, agar tidak ada jawaban yang dapat dikenali; {} dari {} sudah menjawab.",
                self.min_answers, self.summary.answered, self.summary.invited
            )
        })
    }
    /// Per value rated by at least `privacy.min_feedback_answers` colleagues, how many answers saw each
    /// level; empty until shown.
    async fn values(&self) -> Vec<ValueFeedback> {
        self.summary
            .levels
            .iter()
            .map(|(value, levels)| {
                let at = |level| levels.get(&level).copied().unwrap_or_default();
                ValueFeedback {
                    value: (*value).into(),
                    below_expectation: at(domain::RatingLevel::BelowExpectation),
                    as_expected: at(domain::RatingLevel::AsExpected),
                    above_expectation: at(domain::RatingLevel::AboveExpectation),
                }
            })
            .collect()
    }
}

/// The employee's development plan of a year (fields of `Employee`).
pub(crate) async fn development_plan(
    ctx: &Context<'_>,
    employee_id: Uuid,
    year: i32,
) -> Result<Option<DevelopmentPlan>> {
    if masks(ctx) {
        return Ok(None);
    }
    let store = ctx.data_unchecked::<Store>();
    let goals = store.development_goals_of_employees(&[employee_id], Some(year)).await.or_graphql()?;
    Ok(Some(DevelopmentPlan { year, goals }))
}

/// The appreciations an employee received in a year.
pub(crate) async fn appreciations(
    ctx: &Context<'_>,
    employee_id: Uuid,
    year: i32,
) -> Result<Option<Vec<Appreciation>>> {
    if masks(ctx) {
        return Ok(None);
    }
    let store = ctx.data_unchecked::<Store>();
    Ok(Some(
        store
            .appreciations_of_employees(&[employee_id], Some(year))
            .await
            .or_graphql()?
            .into_iter()
            .map(Appreciation)
            .collect(),
    ))
}

/// The recognition list of a unit's subtree (a field of `Unit`).
pub(crate) async fn recognition_list(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
    year: i32,
) -> Result<Vec<RecognitionListEntry>> {
    refuse_masked(ctx, "the recognition list")?;
    let store = ctx.data_unchecked::<Store>();
    Ok(store.recognition_list(unit, year).await.or_graphql()?.into_iter().map(RecognitionListEntry).collect())
}

/// Every request and answer on a plan, for its rater; null for anyone else.
pub(crate) async fn behaviour_feedback(ctx: &Context<'_>, plan_id: Uuid) -> Result<Option<Vec<FeedbackRequest>>> {
    let Some(viewer) = ctx.data_opt::<kinerja_store::Actor>() else { return Ok(None) };
    let store = ctx.data_unchecked::<Store>();
    let requests = store.behaviour_feedback_for_rater(viewer.employee_id, plan_id).await.or_graphql()?;
    Ok(requests.map(|requests| requests.into_iter().map(FeedbackRequest).collect()))
}

/// The aggregate of colleagues' feedback on a plan; null without requests.
pub(crate) async fn behaviour_feedback_summary(
    ctx: &Context<'_>,
    plan_id: Uuid,
) -> Result<Option<BehaviourFeedbackSummary>> {
    if masks(ctx) {
        return Ok(None);
    }
    let min_answers = ctx.data_unchecked::<crate::GatewayConfig>().min_feedback_answers;
    let store = ctx.data_unchecked::<Store>();
    let summary = store.behaviour_feedback_summary(plan_id, min_answers).await.or_graphql()?;
    Ok(summary.map(|summary| BehaviourFeedbackSummary { summary, min_answers }))
}

/// The requests for feedback sent to the caller (a field of `Viewer`).
pub(crate) async fn feedback_requests_to(ctx: &Context<'_>, respondent: Uuid) -> Result<Vec<FeedbackRequest>> {
    let store = ctx.data_unchecked::<Store>();
    Ok(store.feedback_requests_to(respondent).await.or_graphql()?.into_iter().map(FeedbackRequest).collect())
}

#[derive(InputObject)]
pub(crate) struct DevelopmentActivityInput {
    /// A programme of the development catalogue: its name, hours and way of learning come from it.
    programme: Option<String>,
    /// Otherwise an activity of one's own: its way of learning, name and planned hours.
    kind: Option<LearningKind>,
    title: Option<String>,
    planned_hours: Option<i32>,
    planned_on: Option<Date>,
}

#[derive(InputObject)]
pub(crate) struct ProposeDevelopmentGoalInput {
    /// Whose development plan: the caller's own.
    nip: String,
    year: i32,
    /// The training need the goal answers.
    need_id: Option<ID>,
    /// The competency to grow.
    competency: String,
    /// What reaching it looks like.
    target: String,
    activities: Vec<DevelopmentActivityInput>,
}

#[derive(InputObject)]
pub(crate) struct GoalRefInput {
    goal_id: ID,
    expected_version: Option<i32>,
}

#[derive(InputObject)]
pub(crate) struct RecordDevelopmentActivityInput {
    activity_id: ID,
    started_on: Date,
    finished_on: Date,
    /// Lesson hours (JP) to credit.
    hours: i32,
    /// What shows it: a certificate number, a coaching log, a link.
    evidence: Option<String>,
}

#[derive(InputObject)]
pub(crate) struct SendAppreciationInput {
    /// The colleague thanked.
    nip: String,
    year: i32,
    /// One of the colleague's work results of the year, or ...
    work_result_id: Option<ID>,
    /// ... a BerAKHLAK value they showed.
    value: Option<BerakhlakValue>,
    message: String,
}

#[derive(InputObject)]
pub(crate) struct InviteBehaviourFeedbackInput {
    plan_id: ID,
    /// The colleagues asked, by NIP.
    respondents: Vec<String>,
}

#[derive(InputObject)]
pub(crate) struct FeedbackAnswerInput {
    value: BerakhlakValue,
    level: RatingLevel,
    note: Option<String>,
}

#[derive(InputObject)]
pub(crate) struct AnswerBehaviourFeedbackInput {
    request_id: ID,
    answers: Vec<FeedbackAnswerInput>,
}

#[derive(SimpleObject)]
pub(crate) struct DevelopmentGoalPayload {
    goal: DevelopmentGoal,
}

#[derive(SimpleObject)]
pub(crate) struct WithdrawDevelopmentGoalPayload {
    withdrawn_goal_id: ID,
}

#[derive(SimpleObject)]
pub(crate) struct AppreciationPayload {
    appreciation: Appreciation,
}

#[derive(SimpleObject)]
pub(crate) struct FeedbackRequestsPayload {
    requests: Vec<FeedbackRequest>,
}

#[derive(SimpleObject)]
pub(crate) struct FeedbackRequestPayload {
    request: FeedbackRequest,
}

fn activity_input(at: usize, input: DevelopmentActivityInput) -> Result<kinerja_app::ActivityInput> {
    let planned_on = input.planned_on.map(|d| d.0);
    match (input.programme, input.kind, input.title, input.planned_hours) {
        (Some(code), None, None, None) => Ok(kinerja_app::ActivityInput::Programme { code, planned_on }),
        (None, Some(kind), Some(title), Some(planned_hours)) => {
            Ok(kinerja_app::ActivityInput::Own { kind: kind.into(), title, planned_hours, planned_on })
        }
        _ => Err(bad_input(format!(
            "activities[{at}]: give either programme, or kind, title and plannedHours of an activity of your own"
        ))),
    }
}

#[derive(Default)]
pub(crate) struct GrowthMutation;

#[Object]
impl GrowthMutation {
    /// The employee proposes a goal of their development plan (rencana pengembangan kompetensi), tied to
    /// one of their training needs when it answers one, with its activities: catalogue programmes or
    /// activities of their own, classical or at work. Their rater agrees it.
    async fn propose_development_goal(
        &self,
        ctx: &Context<'_>,
        input: ProposeDevelopmentGoalInput,
    ) -> Result<DevelopmentGoalPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let nip = domain_input("nip", domain::Nip::parse(&input.nip))?;
        let need_id = input.need_id.as_ref().map(|id| id_of(id, NodeType::TrainingNeed, "needId")).transpose()?;
        let activities = input
            .activities
            .into_iter()
            .enumerate()
            .map(|(at, activity)| activity_input(at, activity))
            .collect::<Result<Vec<_>>>()?;
        let goal = kinerja_app::GoalInput {
            nip,
            year: input.year,
            need_id,
            competency: input.competency,
            target: input.target,
            activities,
        };
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let goal = kinerja_app::propose_development_goal(store, packs, &actor, goal).await.or_graphql()?;
        Ok(DevelopmentGoalPayload { goal: DevelopmentGoal(goal) })
    }

    /// The employee withdraws a goal not yet agreed.
    async fn withdraw_development_goal(
        &self,
        ctx: &Context<'_>,
        input: GoalRefInput,
    ) -> Result<WithdrawDevelopmentGoalPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let id = id_of(&input.goal_id, NodeType::DevelopmentGoal, "goalId")?;
        let store = ctx.data_unchecked::<Store>();
        store.withdraw_development_goal(&actor, id, input.expected_version).await.or_graphql()?;
        Ok(WithdrawDevelopmentGoalPayload { withdrawn_goal_id: input.goal_id })
    }

    /// The rater agrees a proposed goal; the need it answers is planned with its first activity, and
    /// training already done is credited.
    async fn agree_development_goal(&self, ctx: &Context<'_>, input: GoalRefInput) -> Result<DevelopmentGoalPayload> {
        let actor = actor(ctx, Capability::Rate).await?;
        let id = id_of(&input.goal_id, NodeType::DevelopmentGoal, "goalId")?;
        let store = ctx.data_unchecked::<Store>();
        let goal = store.agree_development_goal(&actor, id, input.expected_version).await.or_graphql()?;
        Ok(DevelopmentGoalPayload { goal: DevelopmentGoal(goal) })
    }

    /// The rater, or whoever manages the employee's development, records an activity of an agreed goal
    /// done — coaching, mentoring, a job attachment, which no training import shows: a training record
    /// with its JP is written. A goal whose activities are all done is achieved and completes its need.
    async fn record_development_activity(
        &self,
        ctx: &Context<'_>,
        input: RecordDevelopmentActivityInput,
    ) -> Result<DevelopmentGoalPayload> {
        let actor = ctx
            .data_opt::<kinerja_store::Actor>()
            .cloned()
            .ok_or_else(|| crate::error::unauthenticated("changes need a caller: send a bearer token"))?;
        if actor.role.is_some_and(|role| !role.may(Capability::Rate) && !role.may(Capability::ManageDevelopment)) {
            return Err(forbidden(
                "an activity is recorded done by the employee's rater (role rater or unit-head) or by whoever manages their development (unit-head, hr-admin)",
            ));
        }
        let id = id_of(&input.activity_id, NodeType::DevelopmentActivity, "activityId")?;
        let store = ctx.data_unchecked::<Store>();
        let goal = kinerja_app::record_development_activity(
            store,
            &actor,
            id,
            input.started_on.0,
            input.finished_on.0,
            input.hours,
            input.evidence,
        )
        .await
        .or_graphql()?;
        Ok(DevelopmentGoalPayload { goal: DevelopmentGoal(goal) })
    }

    /// Sends an appreciation to a colleague of one's own perangkat daerah, for one of their work results
    /// of the year or for a BerAKHLAK value they showed. It is never anonymous.
    async fn send_appreciation(&self, ctx: &Context<'_>, input: SendAppreciationInput) -> Result<AppreciationPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let nip = domain_input("nip", domain::Nip::parse(&input.nip))?;
        let subject = match (input.work_result_id, input.value) {
            (Some(id), None) => AppreciationSubject::WorkResult(id_of(&id, NodeType::WorkResult, "workResultId")?),
            (None, Some(value)) => AppreciationSubject::Value(value.into()),
            _ => return Err(bad_input("give either workResultId or value: what the appreciation thanks for")),
        };
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let sent = kinerja_app::send_appreciation(store, packs, &actor, &nip, input.year, subject, &input.message)
            .await
            .or_graphql()?;
        Ok(AppreciationPayload { appreciation: Appreciation(sent) })
    }

    /// The rater asks colleagues — peers and subordinates — for feedback on the employee's behaviour on
    /// an approved plan, before deciding. Their answers reach the rater; the employee reads them only
    /// aggregated.
    async fn invite_behaviour_feedback(
        &self,
        ctx: &Context<'_>,
        input: InviteBehaviourFeedbackInput,
    ) -> Result<FeedbackRequestsPayload> {
        let actor = actor(ctx, Capability::Rate).await?;
        let plan_id = id_of(&input.plan_id, NodeType::Plan, "planId")?;
        let respondents = input
            .respondents
            .iter()
            .enumerate()
            .map(|(at, nip)| domain_input(&format!("respondents[{at}]"), domain::Nip::parse(nip)))
            .collect::<Result<Vec<_>>>()?;
        let store = ctx.data_unchecked::<Store>();
        let min_answers = ctx.data_unchecked::<crate::GatewayConfig>().min_feedback_answers;
        let requests = kinerja_app::invite_behaviour_feedback(store, &actor, plan_id, &respondents, min_answers)
            .await
            .or_graphql()?;
        Ok(FeedbackRequestsPayload { requests: requests.into_iter().map(FeedbackRequest).collect() })
    }

    /// A colleague answers a request for feedback sent to them, once.
    async fn answer_behaviour_feedback(
        &self,
        ctx: &Context<'_>,
        input: AnswerBehaviourFeedbackInput,
    ) -> Result<FeedbackRequestPayload> {
        let actor = actor(ctx, Capability::EditPlans).await?;
        let request_id = id_of(&input.request_id, NodeType::FeedbackRequest, "requestId")?;
        let answers = input
            .answers
            .into_iter()
            .map(|a| kinerja_store::FeedbackAnswer { value: a.value.into(), level: a.level.into(), note: a.note })
            .collect();
        let store = ctx.data_unchecked::<Store>();
        let request = kinerja_app::answer_behaviour_feedback(store, &actor, request_id, answers).await.or_graphql()?;
        Ok(FeedbackRequestPayload { request: FeedbackRequest(request) })
    }
}

/// A year of an employee's growth.
pub(crate) struct GrowthYear(pub(crate) kinerja_app::GrowthYear, pub(crate) Uuid);

/// One period of a year as scored.
#[derive(SimpleObject)]
pub(crate) struct GrowthPeriod {
    period: String,
    result_rating: RatingLevel,
    behaviour_rating: RatingLevel,
    predikat: Predikat,
}

#[Object]
impl GrowthYear {
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The year's result, as `Employee.resultsByYear` lists it.
    async fn result(&self) -> Option<crate::types::YearResult> {
        self.0.result.clone().map(|result| crate::types::YearResult(result, self.1))
    }
    /// The periods of the year's plan as scored, in the order they end (the year itself last): how the
    /// achievements and behaviour moved within the year.
    async fn periods(&self) -> Vec<GrowthPeriod> {
        self.0
            .periods
            .iter()
            .map(|p| GrowthPeriod {
                period: p.period.to_string(),
                result_rating: p.result_rating.into(),
                behaviour_rating: p.behaviour_rating.into(),
                predikat: p.predikat.into(),
            })
            .collect()
    }
    /// Lesson hours (JP) of training finished in the year.
    async fn lesson_hours(&self) -> i64 {
        self.0.hours
    }
    /// Development goals agreed for the year (achieved and carried ones included).
    async fn goals_agreed(&self) -> u64 {
        self.0.goals_agreed
    }
    async fn goals_achieved(&self) -> u64 {
        self.0.goals_achieved
    }
    /// Appreciations received in the year.
    async fn appreciations(&self) -> u64 {
        self.0.appreciations
    }
}

/// An employee's growth across years, newest first (a field of `Employee`).
pub(crate) async fn growth(ctx: &Context<'_>, employee_id: Uuid) -> Result<Option<Vec<GrowthYear>>> {
    if masks(ctx) {
        return Ok(None);
    }
    let store = ctx.data_unchecked::<Store>();
    let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
    let years = kinerja_app::growth_across_years(store, packs, employee_id).await.or_graphql()?;
    Ok(Some(years.into_iter().map(|year| GrowthYear(year, employee_id)).collect()))
}
