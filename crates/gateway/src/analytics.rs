//! Strengths, weaknesses and development as GraphQL types: a unit's dimensions against its peers, its
//! trend, a person's standings, and training needs. The figures come from the store's roll-ups; the
//! standings are computed with the scoring crate's method under the year's rule pack.

use async_graphql::connection::{Connection, ConnectionNameType, EdgeNameType, EmptyFields};
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use kinerja_domain as domain;
use kinerja_scoring::{RulePacks, StandingRules};
use kinerja_store::{AspectMean, IndicatorFigure, Store, TrainingNeedRecord};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::error::{OrGraphqlError, bad_input};
use crate::ids::{NodeType, global_id};
use crate::loaders::{EmployeeById, IndicatorById};
use crate::scalars::{Date, DateTime};
use crate::types::{
    Aspect, BerakhlakValue, Counted, Employee, Indicator, PageWindow, PredikatCounts, RatingLevel, by_position, loader,
    positioned, predikat_counts,
};

/// A percentage or score to two decimals.
fn two_places(value: f64) -> Option<Decimal> {
    Decimal::from_f64(value).map(|d| d.round_dp(2))
}

pub(crate) fn standing_rules(ctx: &Context<'_>, year: i32) -> Result<StandingRules> {
    let pack = ctx.data_unchecked::<RulePacks>().for_year(year).map_err(|e| bad_input(e.to_string()))?;
    pack.standing().cloned().map_err(|e| bad_input(e.to_string()))
}

pub(crate) fn parse_period(text: &str) -> Result<domain::Period> {
    domain::Period::parse(text).map_err(|e| bad_input(format!("period: {e}")))
}

/// What a standing among peers says.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "kinerja_scoring::Verdict")]
pub(crate) enum Verdict {
    Strength,
    Typical,
    Weakness,
    /// Too few peers, or peers too alike, to say.
    Unranked,
}

/// A unit's mean achievement in one dimension (indicator aspect), against its sibling units and the
/// agency. Standing = (mean − median of the siblings' means) ÷ (1.4826 × their median absolute
/// deviation); the pack's `[standing]` section says when it is a strength or a weakness.
pub(crate) struct DimensionStanding {
    pub(crate) unit_id: uuid::Uuid,
    pub(crate) period: domain::Period,
    pub(crate) aspect: domain::Aspect,
    pub(crate) own: Option<AspectMean>,
    pub(crate) peer_means: Vec<f64>,
    pub(crate) agency: Option<AspectMean>,
    pub(crate) standing: Option<kinerja_scoring::Standing>,
}

#[Object]
impl DimensionStanding {
    async fn aspect(&self) -> Aspect {
        self.aspect.into()
    }
    /// Mean achievement (percent of target) of the unit's subtree; null when withheld.
    async fn mean(&self) -> Option<Decimal> {
        self.own.as_ref().and_then(|m| two_places(m.mean))
    }
    /// Whether the unit's figures are withheld: too few people for the caller to see.
    async fn withheld(&self) -> bool {
        self.own.is_none()
    }
    async fn people(&self) -> Option<u64> {
        self.own.as_ref().map(|m| m.people)
    }
    async fn indicators(&self) -> Option<u64> {
        self.own.as_ref().map(|m| m.indicators)
    }
    /// Sibling units compared (the unit included), of those with enough people to be shown.
    async fn peer_count(&self) -> usize {
        self.peer_means.len()
    }
    async fn peer_median(&self) -> Option<Decimal> {
        self.standing.and_then(|s| two_places(s.peer_median))
    }
    async fn peer_spread(&self) -> Option<Decimal> {
        self.standing.and_then(|s| two_places(s.peer_spread))
    }
    /// Difference from the peer median in units of the peer spread.
    async fn standing(&self) -> Option<Decimal> {
        self.standing.and_then(|s| s.score).and_then(two_places)
    }
    /// 1 for the highest mean among the siblings.
    async fn rank(&self) -> Option<usize> {
        self.standing.filter(|_| self.own.is_some()).map(|s| s.rank)
    }
    async fn verdict(&self) -> Verdict {
        self.standing.map_or(Verdict::Unranked, |s| s.verdict.into())
    }
    /// Mean over the whole agency.
    async fn agency_mean(&self) -> Option<Decimal> {
        self.agency.as_ref().and_then(|m| two_places(m.mean))
    }
    /// The indicators behind the figure, weakest first (or strongest, with `strongest: true`), of the
    /// records the caller may read.
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn indicators_behind(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] strongest: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, IndicatorAchievement, Counted>> {
        let unit = loader(ctx)
            .load_one(crate::loaders::UnitById(self.unit_id))
            .await
            .or_graphql()?
            .ok_or_else(|| bad_input("the unit is gone"))?;
        let window = page_window(ctx, first, after, last, before)?;
        // Behind a withheld figure, the rows would give it back, person by person; in a unit too small
        // to list, they would place its people.
        let store = ctx.data_unchecked::<Store>();
        if store.scope().masks_personal_data()
            && (self.own.is_none() || !store.release().await.or_graphql()?.may_list(unit.id, true))
        {
            return Ok(positioned(RANKED, Vec::new(), (0, 0), 0));
        }
        ranked_indicators(ctx, &unit, self.period, Some(self.aspect), strongest, &window).await
    }
}

/// The paging arguments of a ranked list of indicator achievements.
pub(crate) fn page_window(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<PageWindow<u64>> {
    by_position(ctx, RANKED, first, after, last, before)
}

/// The cursors of ranked indicator achievements.
const RANKED: &str = "ranked-indicators";

/// A subtree's indicator achievements of a period, weakest first or strongest first.
async fn ranked_indicators(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
    period: domain::Period,
    aspect: Option<domain::Aspect>,
    strongest: bool,
    window: &PageWindow<u64>,
) -> Result<Connection<String, IndicatorAchievement, Counted>> {
    let ranking = if strongest { kinerja_store::Ranking::Strongest } else { kinerja_store::Ranking::Weakest };
    let store = ctx.data_unchecked::<Store>();
    let total = store.ranked_indicator_count(unit, period, aspect).await.or_graphql()?;
    let (start, end) = window.range(total);
    let found = store.ranked_indicators(unit, period, aspect, ranking, start, end - start).await.or_graphql()?;
    Ok(positioned(RANKED, found.into_iter().map(IndicatorAchievement).collect(), (start, end), total))
}

/// A unit's indicator achievements, as [`ranked_indicators`]; none to a caller who reads records masked
/// when they lie behind a dimension figure withheld from them, whose mean their rows would give back.
pub(crate) async fn unit_indicator_achievements(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
    period: domain::Period,
    aspect: Option<domain::Aspect>,
    strongest: bool,
    window: &PageWindow<u64>,
) -> Result<Connection<String, IndicatorAchievement, Counted>> {
    if behind_withheld_figure(ctx.data_unchecked::<Store>(), unit, period, aspect).await.or_graphql()? {
        return Ok(positioned(RANKED, Vec::new(), (0, 0), 0));
    }
    ranked_indicators(ctx, unit, period, aspect, strongest, window).await
}

/// Whether the indicators asked for lie behind a dimension figure withheld from a caller who reads
/// records masked.
async fn behind_withheld_figure(
    store: &Store,
    unit: &kinerja_store::records::UnitRecord,
    period: domain::Period,
    aspect: Option<domain::Aspect>,
) -> kinerja_store::StoreResult<bool> {
    if !store.scope().masks_personal_data() {
        return Ok(false);
    }
    // A unit too small to list record by record lists no indicator either.
    if !store.release().await?.may_list(unit.id, true) {
        return Ok(true);
    }
    let shown = store.dimension_figures(unit, period).await?.own.unwrap_or_default();
    let asked = aspect.map_or_else(|| domain::Aspect::ALL.to_vec(), |aspect| vec![aspect]);
    // Only a dimension not shown needs counting: withheld, or not measured at all.
    for aspect in asked.into_iter().filter(|aspect| !shown.iter().any(|mean| mean.aspect == *aspect)) {
        if store.ranked_indicator_count(unit, period, Some(aspect)).await? > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(crate) async fn unit_dimensions(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
    period: domain::Period,
) -> Result<Vec<DimensionStanding>> {
    let rules = standing_rules(ctx, period.year())?;
    let figures = ctx.data_unchecked::<Store>().dimension_figures(unit, period).await.or_graphql()?;
    let pick = |means: &[AspectMean], aspect| means.iter().find(|m| m.aspect == aspect).cloned();
    Ok(domain::Aspect::ALL
        .iter()
        .filter_map(|&aspect| {
            let own = figures.own.as_deref().and_then(|means| pick(means, aspect));
            let agency = pick(&figures.agency, aspect);
            // A dimension nobody in the agency measures is left out.
            if own.is_none() && agency.is_none() {
                return None;
            }
            let peer_means: Vec<f64> =
                figures.peers.iter().filter_map(|(_, means)| pick(means, aspect)).map(|m| m.mean).collect();
            let own_in_peers = figures.peers.iter().any(|(id, means)| *id == unit.id && pick(means, aspect).is_some());
            let standing = own
                .as_ref()
                .filter(|_| own_in_peers)
                .map(|own| kinerja_scoring::standing(&rules, own.mean, &peer_means));
            Some(DimensionStanding { unit_id: unit.id, period, aspect, own, peer_means, agency, standing })
        })
        .collect())
}

/// One indicator's achievement in a period, with whose it is.
pub(crate) struct IndicatorAchievement(pub(crate) IndicatorFigure);

#[Object]
impl IndicatorAchievement {
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        Ok(loader(ctx).load_one(IndicatorById(self.0.indicator_id)).await.or_graphql()?.map(Indicator))
    }
    async fn employee(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        Ok(loader(ctx).load_one(EmployeeById(self.0.employee_id)).await.or_graphql()?.map(Employee))
    }
    async fn aspect(&self) -> Aspect {
        self.0.aspect.into()
    }
    /// Percent of target, as scored.
    async fn achievement(&self) -> Decimal {
        self.0.achievement
    }
}

/// Mean achievement of one dimension.
#[derive(SimpleObject)]
pub(crate) struct DimensionMean {
    aspect: Aspect,
    mean: Option<Decimal>,
    people: u64,
    indicators: u64,
}

impl From<AspectMean> for DimensionMean {
    fn from(m: AspectMean) -> Self {
        DimensionMean { aspect: m.aspect.into(), mean: two_places(m.mean), people: m.people, indicators: m.indicators }
    }
}

/// The dimensions of one group of employees.
#[derive(SimpleObject)]
pub(crate) struct GroupDimensions {
    /// The group, as in `GroupPredikat.group`; `(withheld)` for the groups withheld, together.
    group: String,
    /// Whether withheld: too few people for the caller to see.
    withheld: bool,
    dimensions: Option<Vec<DimensionMean>>,
}

pub(crate) async fn dimensions_by_group(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
    period: domain::Period,
    by: kinerja_store::Grouping,
) -> Result<Vec<GroupDimensions>> {
    let groups = ctx.data_unchecked::<Store>().dimensions_by_group(unit, period, by).await.or_graphql()?;
    Ok(groups
        .into_iter()
        .map(|(group, means)| GroupDimensions {
            group,
            withheld: means.is_none(),
            dimensions: means.map(|m| m.into_iter().map(DimensionMean::from).collect()),
        })
        .collect())
}

/// A unit's figures in one period.
#[derive(SimpleObject)]
pub(crate) struct PeriodTrend {
    period: String,
    /// The people evaluated in the period; null where the figures are withheld, as the count would tell
    /// how small the group is.
    people: Option<u64>,
    /// Whether the figures are withheld: too few people for the caller to see.
    withheld: bool,
    counts: Option<PredikatCounts>,
    /// Null when withheld, with the counts or on their own (as the unit's `dimensions` are, where its
    /// siblings' would give them away), or when nothing was measured.
    dimensions: Option<Vec<DimensionMean>>,
}

pub(crate) async fn unit_trend(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
) -> Result<Vec<PeriodTrend>> {
    let figures = ctx.data_unchecked::<Store>().period_figures(unit).await.or_graphql()?;
    Ok(figures
        .into_iter()
        .map(|f| PeriodTrend {
            period: f.period.to_string(),
            people: f.predikat.is_some().then_some(f.people),
            withheld: f.predikat.is_none(),
            counts: f.predikat.map(predikat_counts),
            dimensions: f.dimensions.map(|d| d.into_iter().map(DimensionMean::from).collect()),
        })
        .collect())
}

/// One of a person's indicators against holders of the same kind of position across the agency:
/// standing = (achievement − their mean) ÷ their standard deviation.
#[derive(SimpleObject)]
pub(crate) struct IndicatorStanding {
    indicator: IndicatorAchievement,
    peer_count: u64,
    peer_mean: Option<Decimal>,
    peer_deviation: Option<Decimal>,
    standing: Option<Decimal>,
    verdict: Verdict,
}

pub(crate) async fn indicator_standings(
    ctx: &Context<'_>,
    employee: &kinerja_store::records::EmployeeRecord,
    period: domain::Period,
) -> Result<Vec<IndicatorStanding>> {
    if !crate::types::kind_is_released(ctx, employee.id).await? {
        return Ok(Vec::new());
    }
    let rules = standing_rules(ctx, period.year())?;
    let store = ctx.data_unchecked::<Store>();
    let own = store.achievements_of_employees(&[employee.id], period).await.or_graphql()?;
    if own.is_empty() {
        return Ok(Vec::new());
    }
    let position = store.positions_by_ids(&[employee.position_id]).await.or_graphql()?;
    let Some(position) = position.first() else { return Ok(Vec::new()) };
    let moments = store.achievement_moments(position.position.kind, period).await.or_graphql()?;
    let mut standings: Vec<IndicatorStanding> = own
        .into_iter()
        .map(|figure| {
            let peers = moments.iter().find(|(aspect, _)| *aspect == figure.aspect).map(|(_, m)| *m);
            let value = rust_decimal::prelude::ToPrimitive::to_f64(&figure.achievement).unwrap_or_default();
            let standing = peers
                .map(|m| kinerja_scoring::standing_by_moments(&rules, value, m.count as usize, m.mean, m.deviation));
            IndicatorStanding {
                peer_count: peers.map_or(0, |m| m.count),
                peer_mean: peers.and_then(|m| two_places(m.mean)),
                peer_deviation: peers.and_then(|m| two_places(m.deviation)),
                standing: standing.and_then(|s| s.score).and_then(two_places),
                verdict: standing.map_or(Verdict::Unranked, |s| s.verdict.into()),
                indicator: IndicatorAchievement(figure),
            }
        })
        .collect();
    standings.sort_by_key(|s| std::cmp::Reverse(s.standing));
    Ok(standings)
}

/// One BerAKHLAK value of a person's year against holders of the same kind of position: levels count
/// −1 (below expectation), 0 (as expected) and +1 (above).
#[derive(SimpleObject)]
pub(crate) struct BehaviourStanding {
    value: BerakhlakValue,
    level: RatingLevel,
    peer_count: u64,
    /// Mean level score of the peers, from −1 to +1.
    peer_mean: Option<Decimal>,
    standing: Option<Decimal>,
    verdict: Verdict,
}

pub(crate) async fn behaviour_standings(
    ctx: &Context<'_>,
    employee: &kinerja_store::records::EmployeeRecord,
    year: i32,
) -> Result<Vec<BehaviourStanding>> {
    if !crate::types::kind_is_released(ctx, employee.id).await? {
        return Ok(Vec::new());
    }
    let rules = standing_rules(ctx, year)?;
    let store = ctx.data_unchecked::<Store>();
    let plans = store.plans_of_employees(&[employee.id], Some(year)).await.or_graphql()?;
    let plan_ids: Vec<uuid::Uuid> = plans.iter().map(|p| p.id).collect();
    let ratings = store.behaviour_of_plans(&plan_ids).await.or_graphql()?;
    let own: Vec<_> = ratings.into_iter().filter(|r| r.period == domain::Period::Year(year)).collect();
    if own.is_empty() {
        return Ok(Vec::new());
    }
    let position = store.positions_by_ids(&[employee.position_id]).await.or_graphql()?;
    let Some(position) = position.first() else { return Ok(Vec::new()) };
    let moments = store.behaviour_moments(position.position.kind, year).await.or_graphql()?;
    let mut standings: Vec<BehaviourStanding> = own
        .into_iter()
        .map(|rating| {
            let score = kinerja_scoring::level_score(rating.rating.level);
            let peers = moments.iter().find(|(value, _)| *value == rating.rating.value).map(|(_, m)| *m);
            let standing = peers
                .map(|m| kinerja_scoring::standing_by_moments(&rules, score, m.count as usize, m.mean, m.deviation));
            BehaviourStanding {
                value: rating.rating.value.into(),
                level: rating.rating.level.into(),
                peer_count: peers.map_or(0, |m| m.count),
                peer_mean: peers.and_then(|m| two_places(m.mean)),
                standing: standing.and_then(|s| s.score).and_then(two_places),
                verdict: standing.map_or(Verdict::Unranked, |s| s.verdict.into()),
            }
        })
        .collect();
    standings.sort_by_key(|s| std::cmp::Reverse(s.standing));
    Ok(standings)
}

/// What raised a training need.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::NeedReason")]
pub(crate) enum NeedReason {
    Predikat,
    Behaviour,
    Dimension,
    Competency,
    Hours,
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::NeedPriority")]
pub(crate) enum NeedPriority {
    High,
    Medium,
    Low,
}

/// open → planned → completed → closed.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::NeedStatus")]
pub(crate) enum NeedStatus {
    Open,
    Planned,
    Completed,
    Closed,
}

/// A training programme of the development catalogue.
pub(crate) struct Programme(pub(crate) kinerja_scoring::Programme);

#[Object]
impl Programme {
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Lesson hours (JP) credited.
    async fn hours(&self) -> u32 {
        self.0.hours
    }
    /// classical, e_learning, blended, coaching or mentoring.
    async fn mode(&self) -> String {
        format!("{:?}", self.0.mode).to_lowercase()
    }
    /// Codes of the competencies it builds.
    async fn builds(&self) -> &[String] {
        &self.0.builds
    }
    /// Whom it is for, when not for everyone (docs/analytics.md, "Suggestions that fit the job"): the
    /// position kinds, ...
    async fn for_kinds(&self) -> Vec<crate::types::PositionKind> {
        self.0.for_kinds.iter().map(|&kind| kind.into()).collect()
    }
    /// ... words of the position title, ...
    async fn for_titles(&self) -> &[String] {
        &self.0.for_titles
    }
    /// ... or units (with everything below them), by code.
    async fn for_units(&self) -> &[String] {
        &self.0.for_units
    }
}

fn programmes(ctx: &Context<'_>, codes: &[String]) -> Vec<Programme> {
    let catalogue = ctx.data_unchecked::<RulePacks>().catalogue();
    codes.iter().filter_map(|code| catalogue.programme(code).cloned()).map(Programme).collect()
}

/// A training need, raised from a year's results, with its progress.
pub(crate) struct TrainingNeed(pub(crate) TrainingNeedRecord);

#[Object]
impl TrainingNeed {
    pub(crate) async fn id(&self) -> ID {
        global_id(NodeType::TrainingNeed, self.0.id)
    }
    async fn employee(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        Ok(loader(ctx).load_one(EmployeeById(self.0.employee_id)).await.or_graphql()?.map(Employee))
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn reason(&self) -> NeedReason {
        self.0.reason.into()
    }
    /// What within the reason: the predikat, the BerAKHLAK value, the aspect, the competency code, `jp`.
    async fn topic(&self) -> &str {
        &self.0.topic
    }
    /// What raised the need, in words; `(masked)` for analysts.
    async fn detail(&self, ctx: &Context<'_>) -> &str {
        crate::types::personal(ctx, &self.0.detail)
    }
    async fn priority(&self) -> NeedPriority {
        self.0.priority.into()
    }
    /// Programmes of the development catalogue that answer the need, best first.
    /// For analysts, only the programmes for everyone: one made for some jobs tells the person's job.
    async fn suggested_programmes(&self, ctx: &Context<'_>) -> Vec<Programme> {
        let mut suggested = programmes(ctx, &self.0.suggested_programmes);
        if crate::types::masks(ctx) {
            suggested.retain(|programme| programme.0.is_for_everyone());
        }
        suggested
    }
    async fn status(&self) -> NeedStatus {
        self.0.status.into()
    }
    /// The programme planned for it; `(masked)` for analysts (it may be any text).
    async fn planned_programme(&self, ctx: &Context<'_>) -> Option<&str> {
        crate::types::personal_opt(ctx, self.0.planned_programme.as_deref())
    }
    async fn planned_on(&self, ctx: &Context<'_>) -> Option<Date> {
        crate::types::unmasked(ctx, self.0.planned_on).flatten().map(Into::into)
    }
    /// Whether a training record answers it.
    async fn completed_with_training(&self) -> bool {
        self.0.training_record_id.is_some()
    }
    /// Why it was closed; `(masked)` for analysts.
    async fn closed_reason(&self, ctx: &Context<'_>) -> Option<&str> {
        crate::types::personal_opt(ctx, self.0.closed_reason.as_deref())
    }
    async fn updated_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        crate::types::unmasked(ctx, self.0.updated_at).map(Into::into)
    }
    /// For `expectedVersion` on changes.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// How many employees of a unit have an active need on one topic.
#[derive(SimpleObject)]
pub(crate) struct NeedTopic {
    reason: NeedReason,
    topic: String,
    employees: u64,
}

impl From<kinerja_store::NeedTopic> for NeedTopic {
    fn from(t: kinerja_store::NeedTopic) -> Self {
        NeedTopic { reason: t.reason.into(), topic: t.topic, employees: t.employees }
    }
}

/// A programme the unit's active needs call for: what to organise, for how many.
pub(crate) struct ProgrammeDemand(pub(crate) kinerja_store::ProgrammeDemand);

#[Object]
impl ProgrammeDemand {
    async fn programme(&self, ctx: &Context<'_>) -> Option<Programme> {
        programmes(ctx, std::slice::from_ref(&self.0.programme)).pop()
    }
    /// Active needs it answers.
    async fn needs(&self) -> u64 {
        self.0.needs
    }
    /// Employees with such a need.
    async fn employees(&self) -> u64 {
        self.0.employees
    }
}

/// Potential, the columns of the talent 9-box.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Potential")]
pub(crate) enum Potential {
    Rendah,
    Menengah,
    Tinggi,
}

/// The Indeks Profesionalitas ASN of one person's year, with its four dimensions.
#[derive(SimpleObject)]
pub(crate) struct Professionalism {
    year: i32,
    kualifikasi: Decimal,
    kompetensi: Decimal,
    kinerja: Decimal,
    disiplin: Decimal,
    index: Decimal,
    band: String,
    /// Inputs, rule, reasons and outcome, with the rule pack used; null for analysts, as it holds the
    /// person's qualification, hours and discipline.
    explanation: Option<async_graphql::Json<kinerja_scoring::Explanation>>,
}

/// Where a person's year falls in the talent 9-box.
#[derive(SimpleObject)]
pub(crate) struct TalentPlacement {
    year: i32,
    /// 1–9; boxes 7–9 form the talent pool for succession.
    r#box: u8,
    rating: RatingLevel,
    potential: Potential,
}

pub(crate) async fn professionalism(
    ctx: &Context<'_>,
    employee: &kinerja_store::records::EmployeeRecord,
    year: i32,
) -> Result<(Option<Professionalism>, Option<TalentPlacement>)> {
    let packs = ctx.data_unchecked::<RulePacks>();
    let store = ctx.data_unchecked::<Store>();
    let (index, placement) =
        kinerja_app::employee_professionalism(store, packs, employee.id, year).await.or_graphql()?;
    let index = index.map(|result| Professionalism {
        year,
        kualifikasi: result.value.kualifikasi,
        kompetensi: result.value.kompetensi,
        kinerja: result.value.kinerja,
        disiplin: result.value.disiplin,
        index: result.value.index,
        band: result.value.band,
        explanation: crate::types::unmasked(ctx, async_graphql::Json(result.explanation)),
    });
    let placement = placement.map(|p| TalentPlacement {
        year,
        r#box: p.r#box,
        rating: p.rating.into(),
        potential: p.potential.into(),
    });
    Ok((index, placement))
}

/// A unit's Indeks Profesionalitas for a year.
#[derive(SimpleObject)]
pub(crate) struct UnitProfessionalism {
    year: i32,
    /// Whether withheld: too few people for the caller to see.
    withheld: bool,
    /// Members with an index (an annual result and a recorded qualification), whose average this is.
    people: Option<u64>,
    /// Members without an index: no annual result, or no recorded qualification.
    unscored: Option<u64>,
    average: Option<Decimal>,
    /// The band of the average.
    band: Option<String>,
    bands: Vec<BandCount>,
}

#[derive(SimpleObject)]
pub(crate) struct BandCount {
    band: String,
    /// Null when withheld: too few people outside the caller's reach.
    people: Option<u64>,
}

pub(crate) async fn unit_professionalism(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
    year: i32,
) -> Result<UnitProfessionalism> {
    let packs = ctx.data_unchecked::<RulePacks>();
    let store = ctx.data_unchecked::<Store>();
    let found = kinerja_app::unit_professionalism(store, packs, unit, year).await.or_graphql()?;
    Ok(match found {
        None => UnitProfessionalism {
            year,
            withheld: true,
            people: None,
            unscored: None,
            average: None,
            band: None,
            bands: Vec::new(),
        },
        Some(found) => UnitProfessionalism {
            year,
            withheld: false,
            people: Some(found.summary.people),
            unscored: Some(found.unscored),
            band: found.summary.band,
            average: found.summary.average,
            bands: found.band_counts.into_iter().map(|(band, people)| BandCount { band, people }).collect(),
        },
    })
}

/// One cell of a unit's 9-box.
pub(crate) struct TalentBox {
    unit: kinerja_store::records::UnitRecord,
    year: i32,
    cell: kinerja_store::TalentCell,
    r#box: u8,
}

#[Object]
impl TalentBox {
    /// 1–9; boxes 7–9 form the talent pool for succession.
    async fn r#box(&self) -> u8 {
        self.r#box
    }
    async fn rating(&self) -> RatingLevel {
        self.cell.rating.into()
    }
    async fn potential(&self) -> Potential {
        self.cell.potential.into()
    }
    /// How many members the box holds; null when withheld (too few people outside the caller's reach).
    async fn count(&self) -> Option<u64> {
        self.cell.count
    }

    /// Whether the count is withheld.
    async fn withheld(&self) -> bool {
        self.cell.count.is_none()
    }
    /// The members, by NIP, of those whose records the caller reaches, as a Relay connection.
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Option<Connection<String, Employee, Counted, EmptyFields, TalentMembersName, TalentMemberEdgeName>>>
    {
        const LIST: &str = "talent-box";
        crate::types::ensure_listable(ctx, &self.unit, true).await?;
        let window = by_position(ctx, LIST, first, after, last, before)?;
        let catalogue = ctx.data_unchecked::<RulePacks>().catalogue();
        let store = ctx.data_unchecked::<Store>();
        let cell = (self.cell.rating, self.cell.potential);
        let total = store.talent_member_count(catalogue, &self.unit, self.year, cell).await.or_graphql()?;
        let (start, end) = window.range(total);
        let members =
            store.talent_members(catalogue, &self.unit, self.year, cell, start, end - start).await.or_graphql()?;
        Ok(Some(positioned(LIST, members.into_iter().map(Employee).collect(), (start, end), total)))
    }
}

pub(crate) async fn unit_talent_boxes(
    ctx: &Context<'_>,
    unit: &kinerja_store::records::UnitRecord,
    year: i32,
) -> Result<Option<Vec<TalentBox>>> {
    let packs = ctx.data_unchecked::<RulePacks>();
    let pack = packs.for_year(year).map_err(|e| bad_input(e.to_string()))?;
    let talent = pack.talent().map_err(|e| bad_input(e.to_string()))?;
    let store = ctx.data_unchecked::<Store>();
    let Some(cells) = store.talent_cells(packs.catalogue(), unit, year).await.or_graphql()? else {
        return Ok(None);
    };
    let mut boxes: Vec<TalentBox> = cells
        .into_iter()
        .map(|cell| TalentBox { unit: unit.clone(), year, r#box: talent.box_of(cell.rating, cell.potential), cell })
        .collect();
    boxes.sort_by_key(|b| std::cmp::Reverse(b.r#box));
    Ok(Some(boxes))
}

/// Names the talent box's members connection apart from `Unit.members`, whose extra fields differ.
pub(crate) struct TalentMembersName;

impl ConnectionNameType for TalentMembersName {
    fn type_name<T: async_graphql::OutputType>() -> String {
        "TalentBoxMemberConnection".to_owned()
    }
}

pub(crate) struct TalentMemberEdgeName;

impl EdgeNameType for TalentMemberEdgeName {
    fn type_name<T: async_graphql::OutputType>() -> String {
        "TalentBoxMemberEdge".to_owned()
    }
}
