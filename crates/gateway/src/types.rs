//! GraphQL object types. They wrap the store's records; GraphQL never sees sea-orm models.

use async_graphql::connection::{Connection, ConnectionNameType, Edge, EdgeNameType, EmptyFields};
use async_graphql::{Context, Enum, ID, Interface, Json, Object, Result, SimpleObject};
use chrono::NaiveDate;
use kinerja_domain as domain;
use kinerja_store::Store;
use kinerja_store::records::*;
use rust_decimal::Decimal;

use crate::GatewayConfig;
use crate::error::{OrGraphqlError, bad_input, not_found};
use crate::ids::{NodeType, global_id};
use crate::loaders::*;
use crate::scalars::{Date, DateTime};

macro_rules! remote_enum {
    ($(#[$meta:meta])* $name:ident, $remote:literal, { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        #[graphql(remote = $remote)]
        pub(crate) enum $name { $($variant),+ }
    };
}
pub(crate) use remote_enum;

remote_enum!(
    /// Kind of organisational unit.
    UnitKind, "domain::UnitKind", { City, PerangkatDaerah, Bidang, Seksi, Upt, Kecamatan, Kelurahan }
);
remote_enum!(
    /// Kind of position (jenis jabatan).
    PositionKind, "domain::PositionKind", {
        JptUtama, JptMadya, JptPratama, Administrator, Pengawas, Pelaksana,
        AhliPertama, AhliMuda, AhliMadya, AhliUtama, Pemula, Terampil, Mahir, Penyelia
    }
);
remote_enum!(
    /// PNS or PPPK.
    EmploymentType, "domain::EmploymentType", { Pns, Pppk }
);
remote_enum!(Sex, "domain::Sex", { Male, Female });
remote_enum!(
    /// Structural (JPT, Administrator, Pengawas), functional, or pelaksana.
    PositionCategory, "domain::PositionCategory", { Structural, Functional, Pelaksana }
);
remote_enum!(
    /// How a plan states its expectations.
    Approach, "domain::Approach", { Kuantitatif, Kualitatif }
);
remote_enum!(PlanStatus, "domain::PlanStatus", { Draft, Submitted, Approved, Finalised });
remote_enum!(WorkResultSection, "domain::WorkResultSection", { Utama, Tambahan });
remote_enum!(Aspect, "domain::Aspect", { Kuantitas, Kualitas, Waktu, Biaya });
remote_enum!(
    /// How periodic realisations add up to the year's.
    Accumulation, "domain::Accumulation", { Sum, Latest, Mean }
);
remote_enum!(
    /// The seven BerAKHLAK core values.
    BerakhlakValue, "domain::BerakhlakValue", {
        BerorientasiPelayanan, Akuntabel, Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif
    }
);
remote_enum!(RatingLevel, "domain::RatingLevel", { BelowExpectation, AsExpected, AboveExpectation });
remote_enum!(FeedbackKind, "domain::FeedbackKind", { Praise, Suggestion });
remote_enum!(
    /// Predikat Kinerja Pegawai.
    Predikat, "domain::Predikat", { SangatBaik, Baik, ButuhPerbaikan, Kurang, SangatKurang }
);
remote_enum!(
    /// Predikat Kinerja Organisasi.
    OrganisationPredikat, "domain::OrganisationPredikat", { Istimewa, Baik, ButuhPerbaikan, Kurang, SangatKurang }
);

/// Direction of an indicator's target.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetKind {
    /// Higher is better: reach at least `low`.
    AtLeast,
    /// Lower is better: stay at or below `high`.
    AtMost,
    /// Stay within `low`..`high`.
    Between,
}

pub(crate) fn loader<'a>(ctx: &'a Context<'_>) -> &'a RequestLoader {
    ctx.data_unchecked::<RequestLoader>()
}

/// What analysts see in place of names, NIPs and free text.
const MASKED: &str = "(masked)";

pub(crate) fn masks(ctx: &Context<'_>) -> bool {
    ctx.data_unchecked::<Store>().scope().masks_personal_data()
}

/// Personal data or free text, masked for callers who see records only masked.
pub(crate) fn personal<'a>(ctx: &Context<'_>, text: &'a str) -> &'a str {
    if masks(ctx) { MASKED } else { text }
}

pub(crate) fn personal_opt<'a>(ctx: &Context<'_>, text: Option<&'a str>) -> Option<&'a str> {
    text.map(|text| personal(ctx, text))
}

/// What a caller who reads records masked is shown of a person's quasi-identifiers (docs/api.md,
/// Disclosure); `None` for every other caller, who sees them in full.
async fn released(ctx: &Context<'_>, employee: uuid::Uuid) -> Result<Option<domain::Released>> {
    if !masks(ctx) {
        return Ok(None);
    }
    Ok(Some(ctx.data_unchecked::<Store>().release().await.or_graphql()?.person(employee)))
}

/// Whether the person may be set beside holders of the same kind of position: always, but for callers
/// who read records masked only where the kind is released, since the number of peers would tell it.
pub(crate) async fn kind_is_released(ctx: &Context<'_>, employee: uuid::Uuid) -> Result<bool> {
    Ok(released(ctx, employee).await?.is_none_or(|shown| shown.kind.is_some()))
}

/// Whether a training need may be shown: always, but to callers who read records masked not a competency
/// need where the person's position kind is withheld (it tells the level the post expects, hence its
/// kind), nor the hours need where the employment type is (its minimum differs for PNS and PPPK).
pub(crate) async fn need_shown(ctx: &Context<'_>, need: &kinerja_store::TrainingNeedRecord) -> Result<bool> {
    let Some(shown) = released(ctx, need.employee_id).await? else { return Ok(true) };
    Ok(match need.reason {
        domain::NeedReason::Competency => shown.kind.is_some(),
        domain::NeedReason::Hours => shown.employment.is_some(),
        _ => true,
    })
}

/// The unit a record of `unit` is shown under: itself, or for callers who read records masked the
/// nearest unit above it that holds enough people.
pub(crate) async fn shown_unit(ctx: &Context<'_>, unit: uuid::Uuid) -> Result<uuid::Uuid> {
    if !masks(ctx) {
        return Ok(unit);
    }
    Ok(ctx.data_unchecked::<Store>().release().await.or_graphql()?.shown_unit(unit))
}

/// Refuses a list of records one by one of `unit` (of its subtree with `subtree`) to a caller who reads
/// records masked, where the list would cover too few people (docs/api.md, Disclosure).
pub(crate) async fn ensure_listable(ctx: &Context<'_>, unit: &UnitRecord, subtree: bool) -> Result<()> {
    if !masks(ctx) || ctx.data_unchecked::<Store>().release().await.or_graphql()?.may_list(unit.id, subtree) {
        return Ok(());
    }
    let list = if subtree { "subtree" } else { "own members (without includeDescendants)" };
    Err(crate::error::forbidden(format!(
        "unit {}'s {list}: too few people to be listed record by record to analysts; list a unit above it",
        unit.unit.code
    )))
}

/// Refuses a caller who reads records masked to follow a person by NIP.
pub(crate) fn refuse_lookup_by_nip(ctx: &Context<'_>) -> Result<()> {
    if !masks(ctx) {
        return Ok(());
    }
    Err(crate::error::forbidden(
        "acting as analyst you may not look a person up by NIP; analysts read aggregates and masked records",
    ))
}

/// A link from one person's record to another person (a rater, an author, a superior's work result):
/// none for callers who read records masked, since links between records rebuild the tree of who rates
/// whom, and its top names the heads of units.
fn linked<T>(ctx: &Context<'_>, link: Option<T>) -> Option<T> {
    link.filter(|_| !masks(ctx))
}

/// A value of a person's record that callers who read records masked do not see (docs/api.md,
/// Disclosure): when something happened, which ties the record to what someone saw happen (a course
/// attended, a dialogue held, a correction made), and the quantities a plan measures, which like its
/// units of measure tell whose plan it is (analysts read achievements in percent).
pub(crate) fn unmasked<T>(ctx: &Context<'_>, value: T) -> Option<T> {
    (!masks(ctx)).then_some(value)
}

fn decade(date: NaiveDate) -> i32 {
    chrono::Datelike::year(&date).div_euclid(10) * 10
}

/// An object with a global id, refetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub(crate) enum Node {
    Unit(Unit),
    Position(Position),
    Employee(Employee),
    Plan(Plan),
    WorkResult(WorkResult),
    Indicator(Indicator),
    Realisation(Realisation),
    FeedbackNote(FeedbackNote),
    Decision(Decision),
    Objection(Objection),
    TrainingNeed(crate::analytics::TrainingNeed),
    DevelopmentGoal(crate::growth::DevelopmentGoal),
}

/// A unit of the organisation tree.
pub(crate) struct Unit(pub(crate) UnitRecord);

#[Object]
impl Unit {
    async fn id(&self) -> ID {
        global_id(NodeType::Unit, self.0.id)
    }
    /// The unit's stable code, e.g. `DINKES`.
    async fn code(&self) -> &str {
        self.0.unit.code.as_str()
    }
    async fn name(&self) -> &str {
        &self.0.unit.name
    }
    async fn kind(&self) -> UnitKind {
        self.0.unit.kind.into()
    }
    /// Distance from the root of the tree (the city has depth 0).
    async fn depth(&self) -> i32 {
        self.0.depth
    }
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(parent) = self.0.parent_id else { return Ok(None) };
        Ok(loader(ctx).load_one(UnitById(parent)).await.or_graphql()?.map(Unit))
    }
    /// The units directly below, by name.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Unit>> {
        let children = loader(ctx).load_one(ChildrenOfUnit(self.0.id)).await.or_graphql()?;
        Ok(children.unwrap_or_default().into_iter().map(Unit).collect())
    }
    /// From the root down to the parent.
    async fn ancestors(&self, ctx: &Context<'_>) -> Result<Vec<Unit>> {
        let store = ctx.data_unchecked::<Store>();
        Ok(store.unit_ancestors(self.0.id).await.or_graphql()?.into_iter().map(Unit).collect())
    }
    /// The distribution check of the unit's predikat for a year, where the unit has an organisation predikat.
    async fn distribution(&self, ctx: &Context<'_>, year: i32) -> Result<Option<UnitDistribution>> {
        Ok(loader(ctx).load_one(DistributionOfUnit(self.0.id, year)).await.or_graphql()?.map(UnitDistribution))
    }
    /// The predikat of the period's evaluations in the unit's subtree by group of employees. Groups of
    /// fewer than the configured minimum are withheld (`counts` empty) from analysts and from callers whose
    /// scope does not cover the unit, and a lone withheld group takes the smallest shown one with it
    /// (docs/api.md, Disclosure).
    async fn predikat_breakdown(&self, ctx: &Context<'_>, period: String, by: Grouping) -> Result<Vec<GroupPredikat>> {
        let period = domain::Period::parse(&period).map_err(|e| bad_input(format!("period: {e}")))?;
        let store = ctx.data_unchecked::<Store>();
        let groups = store.predikat_by_group(&self.0, period, by.into()).await.or_graphql()?;
        Ok(groups
            .into_iter()
            .map(|group| GroupPredikat {
                withheld: group.counts.is_none(),
                counts: group.counts.map(predikat_counts),
                group: group.group,
            })
            .collect())
    }
    /// Mean achievement of the subtree by dimension (indicator aspect) in a period, each against the
    /// sibling units and the agency, with the indicators behind it (docs/analytics.md).
    async fn dimensions(&self, ctx: &Context<'_>, period: String) -> Result<Vec<crate::analytics::DimensionStanding>> {
        crate::analytics::unit_dimensions(ctx, &self.0, crate::analytics::parse_period(&period)?).await
    }
    /// Mean achievement by dimension of each group of employees of the subtree in a period (position
    /// kind, rank, employment type, sex or age band), groups in name order.
    async fn dimensions_by_group(
        &self,
        ctx: &Context<'_>,
        period: String,
        by: Grouping,
    ) -> Result<Vec<crate::analytics::GroupDimensions>> {
        crate::analytics::dimensions_by_group(ctx, &self.0, crate::analytics::parse_period(&period)?, by.into()).await
    }
    /// Predikat counts and dimension means of the subtree in every period that has evaluations, oldest
    /// first.
    async fn trend(&self, ctx: &Context<'_>) -> Result<Vec<crate::analytics::PeriodTrend>> {
        crate::analytics::unit_trend(ctx, &self.0).await
    }
    /// Indicator achievements of the subtree in a period, weakest first (strongest with `strongest`),
    /// of one aspect when given.
    #[allow(clippy::too_many_arguments, reason = "a connection's paging and filter arguments")]
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn indicator_achievements(
        &self,
        ctx: &Context<'_>,
        period: String,
        aspect: Option<Aspect>,
        #[graphql(default = false)] strongest: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, crate::analytics::IndicatorAchievement, Counted>> {
        let period = crate::analytics::parse_period(&period)?;
        let window = crate::analytics::page_window(ctx, first, after, last, before)?;
        crate::analytics::unit_indicator_achievements(ctx, &self.0, period, aspect.map(Into::into), strongest, &window)
            .await
    }
    /// The subtree's open and planned training needs of a year by reason and topic (a competency, a
    /// BerAKHLAK value, an aspect), most frequent first.
    async fn training_need_topics(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<crate::analytics::NeedTopic>> {
        let topics = ctx.data_unchecked::<Store>().need_topics(&self.0, year).await.or_graphql()?;
        Ok(topics.into_iter().map(Into::into).collect())
    }
    /// The programmes the subtree's open and planned needs of a year call for: what to organise, for
    /// how many.
    async fn programme_demand(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<crate::analytics::ProgrammeDemand>> {
        let demand = ctx.data_unchecked::<Store>().programme_demand(&self.0, year).await.or_graphql()?;
        Ok(demand.into_iter().map(crate::analytics::ProgrammeDemand).collect())
    }
    /// The Indeks Profesionalitas ASN of the subtree for a year: the average of members with an annual
    /// result, its band, and members per band (docs/analytics.md).
    async fn professionalism(&self, ctx: &Context<'_>, year: i32) -> Result<crate::analytics::UnitProfessionalism> {
        crate::analytics::unit_professionalism(ctx, &self.0, year).await
    }
    /// The talent 9-box of the subtree for a year: members per cell of rating and potential, highest box
    /// first; null when withheld (too few people for the caller to see).
    async fn talent_boxes(&self, ctx: &Context<'_>, year: i32) -> Result<Option<Vec<crate::analytics::TalentBox>>> {
        crate::analytics::unit_talent_boxes(ctx, &self.0, year).await
    }
    /// The recognition list (daftar penghargaan) of the subtree for a year, by NIP: the employees the
    /// caller reaches who were rated Sangat Baik or kept their development plan, with the appreciations
    /// they received — the follow-up of results the regulation asks for. Refused to analysts.
    async fn recognition_list(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<crate::growth::RecognitionListEntry>> {
        crate::growth::recognition_list(ctx, &self.0, year).await
    }
    /// How far the subtree's year is lived as development (docs/analytics.md, "Culture figures"): dialogues
    /// each quarter, feedback, self-assessments and lesson hours; null when withheld (too few people for
    /// the caller, or a subtree not released beside its siblings).
    async fn culture_figures(&self, ctx: &Context<'_>, year: i32) -> Result<Option<CultureFigures>> {
        let minimum = hours_minimum(ctx, year)?;
        let store = ctx.data_unchecked::<Store>();
        Ok(store.culture_figures(&self.0, year, minimum).await.or_graphql()?.map(CultureFigures))
    }
    /// Employees of the unit's subtree below the year's minimum lesson hours (JP), by NIP, as a Relay
    /// connection; not for analysts, as hours between the minimums of PNS and PPPK tell the type.
    #[allow(clippy::too_many_arguments, reason = "a connection's paging arguments")]
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn below_development_minimum(
        &self,
        ctx: &Context<'_>,
        year: i32,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Option<Connection<String, HoursShortfall, Counted>>> {
        const LIST: &str = "below-minimum";
        if masks(ctx) {
            // Hours between the minimums of PNS and PPPK would tell a person's employment type.
            return Err(crate::error::forbidden(
                "acting as analyst you may not list who is below the minimum lesson hours: each row's minimum tells the person's employment type",
            ));
        }
        let window = by_position(ctx, LIST, first, after, last, before)?;
        let minimum = hours_minimum(ctx, year)?;
        let store = ctx.data_unchecked::<Store>();
        let total = store.below_hours_minimum_count(&self.0, year, minimum).await.or_graphql()?;
        let (start, end) = window.range(total);
        let found = store.below_hours_minimum(&self.0, year, minimum, start, end - start).await.or_graphql()?;
        let rows = found
            .into_iter()
            .map(|(employee, hours)| {
                let required = minimum.for_employment(employee.employee.employment);
                HoursShortfall { employee: Employee(employee), hours, minimum: i64::from(required) }
            })
            .collect();
        Ok(Some(positioned(LIST, rows, (start, end), total)))
    }
    /// The plans of a year across the unit's subtree, of those the caller reaches, by their employee's
    /// NIP, as a Relay connection; of one status when given.
    #[allow(clippy::too_many_arguments, reason = "a connection's paging and filter arguments")]
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn plans(
        &self,
        ctx: &Context<'_>,
        year: i32,
        status: Option<PlanStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Option<Connection<String, Plan, Counted>>> {
        const LIST: &str = "unit-plans";
        ensure_listable(ctx, &self.0, true).await?;
        let window = by_position(ctx, LIST, first, after, last, before)?;
        let filter = kinerja_store::PlanFilter { year, status: status.map(Into::into) };
        let store = ctx.data_unchecked::<Store>();
        let total = store.unit_plan_count(&self.0, &filter).await.or_graphql()?;
        let (start, end) = window.range(total);
        let plans = store.unit_plans(&self.0, &filter, start, end - start).await.or_graphql()?;
        Ok(Some(positioned(LIST, plans.into_iter().map(Plan).collect(), (start, end), total)))
    }
    /// The training needs of a year across the unit's subtree, of the records the caller reaches,
    /// highest priority first, as a Relay connection; of one status, priority or reason when given.
    #[allow(clippy::too_many_arguments, reason = "a connection's paging and filter arguments")]
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn training_needs(
        &self,
        ctx: &Context<'_>,
        year: i32,
        status: Option<crate::analytics::NeedStatus>,
        priority: Option<crate::analytics::NeedPriority>,
        reason: Option<crate::analytics::NeedReason>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Option<Connection<String, crate::analytics::TrainingNeed, Counted>>> {
        const LIST: &str = "unit-needs";
        if masks(ctx) {
            // A person's needs tell what is withheld of them (see `need_shown`); analysts read them
            // record by record, or counted in `trainingNeedTopics` and `programmeDemand`.
            return Err(crate::error::forbidden(
                "acting as analyst you may not list a unit's training needs: read them on each member's record, or as trainingNeedTopics and programmeDemand",
            ));
        }
        let window = by_position(ctx, LIST, first, after, last, before)?;
        let filter = kinerja_store::NeedFilter {
            year,
            status: status.map(Into::into),
            priority: priority.map(Into::into),
            reason: reason.map(Into::into),
        };
        let store = ctx.data_unchecked::<Store>();
        let total = store.unit_training_need_count(&self.0, &filter).await.or_graphql()?;
        let (start, end) = window.range(total);
        let needs = store.unit_training_needs(&self.0, &filter, start, end - start).await.or_graphql()?;
        Ok(Some(positioned(LIST, needs.into_iter().map(crate::analytics::TrainingNeed).collect(), (start, end), total)))
    }
    /// The unit's employees (with `includeDescendants`, those of the whole subtree), by NIP or by name,
    /// as a Relay connection: `first`/`after` pages forward, `last`/`before` backward.
    #[allow(clippy::too_many_arguments, reason = "a connection's paging, filter and order arguments")]
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(default = false)] include_descendants: bool,
        #[graphql(desc = "Only members in positions of these kinds.")] position_kinds: Option<Vec<PositionKind>>,
        #[graphql(desc = "Only members whose name contains this text, ignoring case.")] name_contains: Option<String>,
        #[graphql(desc = "NIP when absent.")] order_by: Option<MemberOrder>,
    ) -> Result<Option<Connection<String, Employee, MembersTotal>>> {
        // Names reach masked callers masked; searching or ordering by them would single people out, as
        // would picking people by a kind of position that only a few hold.
        if masks(ctx) && (name_contains.is_some() || order_by == Some(MemberOrder::Name)) {
            return Err(crate::error::forbidden(
                "names reach analysts masked, so members cannot be searched or ordered by name",
            ));
        }
        if masks(ctx) && position_kinds.is_some() {
            return Err(crate::error::forbidden(
                "position kinds reach analysts only where enough people share them, so members cannot be picked by kind",
            ));
        }
        ensure_listable(ctx, &self.0, include_descendants).await?;
        let config = ctx.data_unchecked::<GatewayConfig>();
        let window =
            PageWindow::of(first, after.as_deref(), last, before.as_deref(), config.max_page_size, member_of_cursor)?;
        let filter = kinerja_store::MemberFilter {
            include_descendants,
            position_kinds: position_kinds.unwrap_or_default().into_iter().map(Into::into).collect(),
            name_contains: name_contains
                .as_deref()
                .map(|text| search_text("nameContains", text))
                .transpose()?
                .map(str::to_owned),
        };
        let page = kinerja_store::MemberPage {
            order: order_by.unwrap_or_default().into(),
            after: window.after,
            before: window.before,
            limit: window.size as u64,
            from_end: window.from_end,
        };
        let (rows, more) = crate::prefetch::unit_members(ctx, &self.0, &filter, &page).await?;
        let (has_previous, has_next) = window.has_pages(more);
        let total = MembersTotal { unit: self.0.clone(), filter };
        let mut connection = Connection::with_additional_fields(has_previous, has_next, total);
        connection.edges.extend(rows.into_iter().map(|row| Edge::new(member_cursor(row.id), Employee(row))));
        Ok(Some(connection))
    }
}

/// The order of a unit's members.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "kinerja_store::MemberOrder")]
pub(crate) enum MemberOrder {
    /// By NIP; for analysts, in the order the records were made, since NIP order is birth order.
    #[default]
    Nip,
    /// By name, then NIP.
    Name,
}

/// The page a connection's `first`/`after`/`last`/`before` ask for, with its cursors decoded to keys.
pub(crate) struct PageWindow<K> {
    pub(crate) after: Option<K>,
    pub(crate) before: Option<K>,
    pub(crate) size: usize,
    /// Taken from the end of the range (`last`).
    pub(crate) from_end: bool,
}

impl<K> PageWindow<K> {
    /// Reads the paging arguments; `key` decodes a cursor of this list (`None` for anything else).
    pub(crate) fn of(
        first: Option<i32>,
        after: Option<&str>,
        last: Option<i32>,
        before: Option<&str>,
        max: usize,
        key: impl Fn(&str) -> Option<K>,
    ) -> Result<Self> {
        if first.is_some() && last.is_some() {
            return Err(bad_input("give first or last, not both"));
        }
        let size = match last {
            Some(_) => page_size_of("last", last, max)?,
            None => page_size_of("first", first, max)?,
        };
        let cursor = |name: &str, cursor: Option<&str>| -> Result<Option<K>> {
            cursor
                .map(|text| {
                    key(text).ok_or_else(|| bad_input(format!("{name}: '{text}' is not a cursor of this list")))
                })
                .transpose()
        };
        Ok(Self { after: cursor("after", after)?, before: cursor("before", before)?, size, from_end: last.is_some() })
    }

    /// `hasPreviousPage` and `hasNextPage`, given whether more rows lay in the direction of travel.
    pub(crate) fn has_pages(&self, more: bool) -> (bool, bool) {
        if self.from_end { (more, self.before.is_some()) } else { (self.after.is_some(), more) }
    }

    /// Drops the row fetched beyond the page (one more than `size`, at the start when taken from the
    /// end), and tells whether there was one.
    pub(crate) fn trim<T>(&self, rows: &mut Vec<T>) -> bool {
        let more = rows.len() > self.size;
        if more && self.from_end {
            rows.drain(..rows.len() - self.size);
        }
        rows.truncate(self.size);
        more
    }
}

impl PageWindow<u64> {
    /// For a list paged by position (`list` names its cursors): the rows `[start, end)` of `total`.
    pub(crate) fn range(&self, total: u64) -> (u64, u64) {
        let start = self.after.map_or(0, |after| after + 1).min(total);
        let end = self.before.unwrap_or(total).min(total).max(start);
        let size = self.size as u64;
        if self.from_end { (end.saturating_sub(size).max(start), end) } else { (start, (start + size).min(end)) }
    }
}

/// Longest search text a list takes; names are far shorter, and SQLite refuses long `LIKE` patterns.
const MAX_SEARCH_CHARS: usize = 200;

/// A search argument, trimmed, refused when longer than any name.
pub(crate) fn search_text<'a>(argument: &str, text: &'a str) -> Result<&'a str> {
    let count = text.chars().count();
    if count > MAX_SEARCH_CHARS {
        return Err(bad_input(format!("{argument}: at most {MAX_SEARCH_CHARS} characters, found {count}")));
    }
    Ok(text.trim())
}

/// The paging arguments of a list paged by position, whose cursors `list` names.
pub(crate) fn by_position(
    ctx: &Context<'_>,
    list: &str,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<PageWindow<u64>> {
    let max = ctx.data_unchecked::<GatewayConfig>().max_page_size;
    let position = |cursor: &str| crate::ids::cursor_position(list, cursor)?.parse().ok();
    PageWindow::of(first, after.as_deref(), last, before.as_deref(), max, position)
}

/// A connection over the rows `start..` of a list of `total` paged by position; its type names are
/// those of the caller's return type.
pub(crate) fn positioned<T, N, E>(
    list: &str,
    rows: Vec<T>,
    (start, end): (u64, u64),
    total: u64,
) -> Connection<String, T, Counted, EmptyFields, N, E>
where
    T: async_graphql::OutputType,
    N: ConnectionNameType,
    E: EdgeNameType,
{
    let mut connection = Connection::with_additional_fields(start > 0, end < total, Counted { total_count: total });
    let positions = start..;
    connection.edges.extend(positions.zip(rows).map(|(at, row)| Edge::new(crate::ids::cursor(list, at), row)));
    connection
}

/// The extra field of a connection whose count is known with its page.
#[derive(SimpleObject)]
pub(crate) struct Counted {
    /// How many in all, across every page.
    total_count: u64,
}

/// A member's cursor: opaque, and naming no personal key (the NIP holds a birth date).
fn member_cursor(id: uuid::Uuid) -> String {
    global_id(NodeType::Employee, id).0
}

fn member_of_cursor(cursor: &str) -> Option<uuid::Uuid> {
    match crate::ids::parse_global_id(cursor) {
        Ok((NodeType::Employee, id)) => Some(id),
        _ => None,
    }
}

/// The page size `argument` (`first` or `last`) asks for: at most the configured maximum, 20 when absent.
/// What a page costs toward `graphql.max_complexity`: its fields once per row it may hold (the page size
/// asked, or the default), so that a thousand-row page of nested lists costs what it will resolve.
pub(crate) fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let rows = last.or(first).map_or(DEFAULT_PAGE_SIZE, |n| usize::try_from(n).unwrap_or(0));
    rows.max(1).saturating_mul(child_complexity).saturating_add(1)
}

/// Rows of a page when the caller names no size.
const DEFAULT_PAGE_SIZE: usize = 20;

fn page_size_of(argument: &str, size: Option<i32>, max: usize) -> Result<usize> {
    match size {
        None => Ok(max.min(DEFAULT_PAGE_SIZE)),
        Some(n) if n < 0 => Err(bad_input(format!("{argument} must not be negative, found {n}"))),
        Some(n) if n as usize > max => Err(bad_input(format!("{argument} must be at most {max}, found {n}"))),
        Some(n) => Ok(n as usize),
    }
}

/// Extra fields of a members connection.
pub(crate) struct MembersTotal {
    unit: UnitRecord,
    filter: kinerja_store::MemberFilter,
}

#[Object]
impl MembersTotal {
    /// How many members in all, across every page.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<u64> {
        ctx.data_unchecked::<Store>().unit_member_count(&self.unit, &self.filter).await.or_graphql()
    }
}

/// A position (jabatan) in a unit.
pub(crate) struct Position(pub(crate) PositionRecord);

#[Object]
impl Position {
    async fn id(&self) -> ID {
        global_id(NodeType::Position, self.0.id)
    }
    /// The position's code; `(masked)` for analysts, as a code names one post.
    async fn code(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.code)
    }
    /// The title (e.g. "Lurah Baluwarti"); `(masked)` for analysts, for whom the kind stands instead: a
    /// title held by one person names them.
    async fn title(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.position.title)
    }
    /// The kind; null for analysts, who read the holder's `positionKind` as far as it is released.
    async fn kind(&self, ctx: &Context<'_>) -> Option<PositionKind> {
        unmasked(ctx, self.0.position.kind.into())
    }
    /// Structural, functional or pelaksana; null for analysts, as `kind`.
    async fn category(&self, ctx: &Context<'_>) -> Option<PositionCategory> {
        unmasked(ctx, domain::PositionCategory::of(self.0.position.kind).into())
    }
    /// The unit; for analysts, the unit its holder's record is shown under.
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        let shown = shown_unit(ctx, self.0.unit_id).await?;
        let unit = loader(ctx).load_one(UnitById(shown)).await.or_graphql()?;
        unit.map(Unit).ok_or_else(|| not_found("the position's unit is missing"))
    }
}

/// A civil servant (ASN).
pub(crate) struct Employee(pub(crate) EmployeeRecord);

impl Employee {
    /// A quasi-identifier: `full` for most callers; for those who read records masked, as far as
    /// `released` picks it out of what is released of the person.
    async fn quasi<T>(
        &self,
        ctx: &Context<'_>,
        full: T,
        released: impl FnOnce(domain::Released) -> Option<T>,
    ) -> Result<Option<T>> {
        Ok(match self::released(ctx, self.0.id).await? {
            None => Some(full),
            Some(shown) => released(shown),
        })
    }

    async fn held_kind(&self, ctx: &Context<'_>) -> Result<domain::PositionKind> {
        let position = loader(ctx).load_one(PositionById(self.0.position_id)).await.or_graphql()?;
        Ok(position.ok_or_else(|| not_found("the employee's position is missing"))?.position.kind)
    }
}

#[Object]
impl Employee {
    async fn id(&self) -> ID {
        global_id(NodeType::Employee, self.0.id)
    }
    /// The 18-digit civil-servant number.
    /// The NIP; `(masked)` for analysts.
    async fn nip(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, self.0.employee.nip.as_str())
    }
    /// The name; `(masked)` for analysts.
    async fn name(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.employee.name)
    }
    /// PNS or PPPK; for analysts, null where it would single someone out (docs/api.md, Disclosure).
    async fn employment_type(&self, ctx: &Context<'_>) -> Result<Option<EmploymentType>> {
        self.quasi(ctx, self.0.employee.employment.into(), |shown| shown.employment.map(Into::into)).await
    }
    /// Golongan/ruang (e.g. `III/a`) or PPPK grade (e.g. `IX`); for analysts the golongan alone (`III`)
    /// or the band of grades (`PPPK IX–XII`), or null where that would single someone out.
    async fn rank(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.quasi(ctx, self.0.employee.rank.to_string(), |shown| shown.rank).await
    }
    /// From the NIP; for analysts, null where it would single someone out.
    async fn sex(&self, ctx: &Context<'_>) -> Result<Option<Sex>> {
        self.quasi(ctx, self.0.employee.nip.sex().into(), |shown| shown.sex.map(Into::into)).await
    }
    /// From the NIP; null for analysts, who read `birthDecade`.
    async fn birth_date(&self, ctx: &Context<'_>) -> Option<Date> {
        unmasked(ctx, Date(self.0.employee.nip.birth_date()))
    }
    /// The decade of birth (1980 for 1980–1989); for analysts, null where it would single someone out.
    async fn birth_decade(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        self.quasi(ctx, decade(self.0.employee.nip.birth_date()), |shown| shown.birth_decade).await
    }
    /// Start of service (TMT CPNS), from the NIP; null for analysts, who read `serviceDecade`.
    async fn service_start(&self, ctx: &Context<'_>) -> Option<Date> {
        unmasked(ctx, Date(self.0.employee.nip.service_start()))
    }
    /// The decade service started in; for analysts, null where it would single someone out.
    async fn service_decade(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        self.quasi(ctx, decade(self.0.employee.nip.service_start()), |shown| shown.service_decade).await
    }
    /// The kind of position held; for analysts, null where it would single someone out.
    async fn position_kind(&self, ctx: &Context<'_>) -> Result<Option<PositionKind>> {
        Ok(match released(ctx, self.0.id).await? {
            None => Some(self.held_kind(ctx).await?.into()),
            Some(released) => released.kind.map(Into::into),
        })
    }
    /// Structural, functional or pelaksana; for analysts, null where it would single someone out.
    async fn position_category(&self, ctx: &Context<'_>) -> Result<Option<PositionCategory>> {
        Ok(match released(ctx, self.0.id).await? {
            None => Some(domain::PositionCategory::of(self.held_kind(ctx).await?).into()),
            Some(released) => released.category.map(Into::into),
        })
    }
    /// The unit; for analysts, the unit the record is shown under: the nearest one that holds enough
    /// people to be listed (docs/api.md, Disclosure).
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        let shown = shown_unit(ctx, self.0.unit_id).await?;
        let unit = loader(ctx).load_one(UnitById(shown)).await.or_graphql()?;
        unit.map(Unit).ok_or_else(|| not_found("the employee's unit is missing"))
    }
    /// The post held; null for analysts, as a post held by one person names them (its kind is in
    /// `positionKind` as far as it is released).
    async fn position(&self, ctx: &Context<'_>) -> Result<Option<Position>> {
        if masks(ctx) {
            return Ok(None);
        }
        let position = loader(ctx).load_one(PositionById(self.0.position_id)).await.or_graphql()?;
        position.map(|position| Some(Position(position))).ok_or_else(|| not_found("the employee's position is missing"))
    }
    /// The direct superior, who rates this employee; null for analysts, as a superior is one person of a
    /// known post.
    async fn superior(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(superior) = linked(ctx, self.0.superior_id) else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(superior)).await.or_graphql()?.map(Employee))
    }
    /// Performance plans (SKP), newest first; one year's with `year`.
    async fn plans(&self, ctx: &Context<'_>, year: Option<i32>) -> Result<Vec<Plan>> {
        let plans = loader(ctx).load_one(PlansOfEmployee(self.0.id, year)).await.or_graphql()?;
        Ok(plans.unwrap_or_default().into_iter().map(Plan).collect())
    }
    /// Training attended, newest first; that finished in one year with `year`.
    async fn training(&self, ctx: &Context<'_>, year: Option<i32>) -> Result<Vec<Training>> {
        let training = loader(ctx).load_one(TrainingOfEmployee(self.0.id, year)).await.or_graphql()?;
        Ok(training.unwrap_or_default().into_iter().map(Training).collect())
    }
    /// Lesson hours (JP) of training finished in `year`, against the year's minimum for the employee's
    /// employment type (from the rule pack); for analysts, the minimum and shortfall are null where the
    /// employment type is not released, as the minimum would tell it.
    async fn development_hours(&self, ctx: &Context<'_>, year: i32) -> Result<DevelopmentHours> {
        let training = loader(ctx).load_one(TrainingOfEmployee(self.0.id, Some(year))).await.or_graphql()?;
        let hours: i64 = training.unwrap_or_default().iter().map(|t| i64::from(t.hours)).sum();
        let minimum = hours_minimum(ctx, year)?;
        let employment = self.quasi(ctx, self.0.employee.employment, |shown| shown.employment).await?;
        Ok(DevelopmentHours {
            year,
            hours,
            minimum: employment.map(|e| i64::from(minimum.for_employment(e))),
            shortfall: employment.map(|e| i64::from(minimum.shortfall(e, u32::try_from(hours).unwrap_or(u32::MAX)))),
        })
    }
    /// Training needs of a year, highest priority first; of one status when given. For analysts, not a
    /// competency need where the position kind is withheld, nor the hours need where the employment
    /// type is (docs/api.md, Disclosure).
    async fn training_needs(
        &self,
        ctx: &Context<'_>,
        year: i32,
        status: Option<crate::analytics::NeedStatus>,
    ) -> Result<Vec<crate::analytics::TrainingNeed>> {
        let needs = loader(ctx).load_one(NeedsOfEmployee(self.0.id, year)).await.or_graphql()?;
        let status: Option<domain::NeedStatus> = status.map(Into::into);
        let mut shown = Vec::new();
        for need in needs.unwrap_or_default().into_iter().filter(|need| status.is_none_or(|s| need.status == s)) {
            if need_shown(ctx, &need).await? {
                shown.push(crate::analytics::TrainingNeed(need));
            }
        }
        Ok(shown)
    }
    /// The employee's indicators in a period against holders of the same kind of position across the
    /// agency, strongest first; for analysts, empty where the position kind is not released.
    async fn indicator_standings(
        &self,
        ctx: &Context<'_>,
        period: String,
    ) -> Result<Vec<crate::analytics::IndicatorStanding>> {
        crate::analytics::indicator_standings(ctx, &self.0, crate::analytics::parse_period(&period)?).await
    }
    /// The employee's BerAKHLAK ratings of a year against holders of the same kind of position,
    /// strongest first; for analysts, empty where the position kind is not released.
    async fn behaviour_standings(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> Result<Vec<crate::analytics::BehaviourStanding>> {
        crate::analytics::behaviour_standings(ctx, &self.0, year).await
    }
    /// The Indeks Profesionalitas ASN of a year, from the highest qualification, training, the year's
    /// predikat (decided, else annual, else — while the year runs — the latest scored so far) and
    /// discipline; null without a result or a recorded qualification.
    async fn professionalism(&self, ctx: &Context<'_>, year: i32) -> Result<Option<crate::analytics::Professionalism>> {
        Ok(crate::analytics::professionalism(ctx, &self.0, year).await?.0)
    }
    /// The talent 9-box placement of a year, from the year's Rating Hasil Kerja (decided, else annual,
    /// else the latest scored so far) and the latest potential assessment; null without either.
    async fn talent_box(&self, ctx: &Context<'_>, year: i32) -> Result<Option<crate::analytics::TalentPlacement>> {
        Ok(crate::analytics::professionalism(ctx, &self.0, year).await?.1)
    }
    /// Results across years, newest first: the years kinerja evaluated (decided, or proposed — a year not
    /// scored yet shows its proposal so far) beside the results recorded for earlier years (PP 46/2011,
    /// 2021, or before the agency used kinerja).
    async fn results_by_year(&self, ctx: &Context<'_>) -> Result<Vec<YearResult>> {
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let results = kinerja_app::results_across_years(store, packs, self.0.id).await.or_graphql()?;
        Ok(results.into_iter().map(|result| YearResult(result, self.0.id)).collect())
    }
    /// The employee's individual development plan (rencana pengembangan kompetensi) of a year: their
    /// goals, each with its activities, agreed with the rater and credited in JP when done. Null for
    /// analysts.
    async fn development_plan(&self, ctx: &Context<'_>, year: i32) -> Result<Option<crate::growth::DevelopmentPlan>> {
        crate::growth::development_plan(ctx, self.0.id, year).await
    }
    /// The employee's growth over the years, newest first: each year's result and how its periods
    /// moved, the lesson hours learnt, the development goals agreed and achieved, the appreciations
    /// received. Null for analysts.
    async fn growth(&self, ctx: &Context<'_>) -> Result<Option<Vec<crate::growth::GrowthYear>>> {
        crate::growth::growth(ctx, self.0.id).await
    }
    /// Appreciations the employee received in a year, newest first. Null for analysts.
    async fn appreciations(&self, ctx: &Context<'_>, year: i32) -> Result<Option<Vec<crate::growth::Appreciation>>> {
        crate::growth::appreciations(ctx, self.0.id, year).await
    }
    /// Competency assessments, newest first.
    async fn competencies(&self, ctx: &Context<'_>) -> Result<Vec<Competency>> {
        let found = loader(ctx).load_one(CompetenciesOfEmployee(self.0.id)).await.or_graphql()?;
        Ok(found.unwrap_or_default().into_iter().map(Competency).collect())
    }
}

/// A plan's self-assessment.
pub(crate) struct SelfAssessment(Vec<kinerja_store::SelfAssessmentRecord>);

#[Object]
impl SelfAssessment {
    /// What the employee achieved, one per work result written of.
    async fn work_results(&self) -> Vec<SelfAchievement> {
        self.0
            .iter()
            .filter(|r| matches!(r.view, kinerja_store::SelfView::WorkResult { .. }))
            .cloned()
            .map(SelfAchievement)
            .collect()
    }
    /// The level the employee sees in themselves on BerAKHLAK values.
    async fn behaviour(&self) -> Vec<SelfRating> {
        self.0
            .iter()
            .filter(|r| matches!(r.view, kinerja_store::SelfView::Behaviour { .. }))
            .cloned()
            .map(SelfRating)
            .collect()
    }
}

/// What the employee writes they achieved on one work result.
pub(crate) struct SelfAchievement(kinerja_store::SelfAssessmentRecord);

#[Object]
impl SelfAchievement {
    async fn work_result(&self, ctx: &Context<'_>) -> Result<Option<WorkResult>> {
        let kinerja_store::SelfView::WorkResult { work_result_id, .. } = &self.0.view else { return Ok(None) };
        Ok(loader(ctx).load_one(WorkResultById(*work_result_id)).await.or_graphql()?.map(WorkResult))
    }
    /// In the employee's words; `(masked)` for analysts.
    async fn achieved(&self, ctx: &Context<'_>) -> &str {
        match &self.0.view {
            kinerja_store::SelfView::WorkResult { achieved, .. } => personal(ctx, achieved),
            kinerja_store::SelfView::Behaviour { .. } => "",
        }
    }
    /// `(masked)` for analysts.
    async fn evidence_link(&self, ctx: &Context<'_>) -> Option<&str> {
        match &self.0.view {
            kinerja_store::SelfView::WorkResult { evidence_link, .. } => personal_opt(ctx, evidence_link.as_deref()),
            kinerja_store::SelfView::Behaviour { .. } => None,
        }
    }
    async fn written_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.written_at).map(Into::into)
    }
}

/// The level the employee sees in themselves on one BerAKHLAK value.
pub(crate) struct SelfRating(kinerja_store::SelfAssessmentRecord);

impl SelfRating {
    fn parts(&self) -> Option<(domain::BerakhlakValue, domain::RatingLevel, &str)> {
        match &self.0.view {
            kinerja_store::SelfView::Behaviour { value, level, note } => Some((*value, *level, note.as_str())),
            kinerja_store::SelfView::WorkResult { .. } => None,
        }
    }
}

#[Object]
impl SelfRating {
    async fn value(&self) -> Option<BerakhlakValue> {
        self.parts().map(|(value, _, _)| value.into())
    }
    async fn level(&self) -> Option<RatingLevel> {
        self.parts().map(|(_, level, _)| level.into())
    }
    /// Why, in the employee's words; `(masked)` for analysts.
    async fn note(&self, ctx: &Context<'_>) -> Option<&str> {
        self.parts().map(|(_, _, note)| personal(ctx, note))
    }
    async fn written_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.written_at).map(Into::into)
    }
}

/// A BerAKHLAK value the employee sees otherwise than the rater: an item of the next dialogue.
pub(crate) struct AgendaItem(domain::AgendaItem);

#[Object]
impl AgendaItem {
    async fn value(&self) -> BerakhlakValue {
        self.0.value.into()
    }
    /// The level the employee sees in themselves.
    async fn own_level(&self) -> RatingLevel {
        self.0.own.into()
    }
    /// The level the rater rated.
    async fn rated_level(&self) -> RatingLevel {
        self.0.rated.into()
    }
    /// What to talk about, in Bahasa Indonesia.
    async fn topic(&self) -> String {
        self.0.topic()
    }
}

/// A unit subtree's culture figures of a year.
pub(crate) struct CultureFigures(kinerja_store::CultureFigures);

/// How many of something per employee, to two decimals.
fn per_person(count: u64, people: u64) -> Decimal {
    if people == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(count) / Decimal::from(people)).round_dp(2)
}

/// A share of the subtree's employees, in percent to two decimals.
fn share(part: u64, whole: u64) -> Decimal {
    if whole == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole)).round_dp(2)
}

#[Object]
impl CultureFigures {
    /// Employees of the subtree.
    async fn people(&self) -> u64 {
        self.0.people
    }
    /// For each quarter of the year, the employees with a performance dialogue held in it.
    async fn dialogues_by_quarter(&self) -> Vec<QuarterShare> {
        self.0
            .dialogues_by_quarter
            .iter()
            .map(|(period, employees)| QuarterShare {
                period: period.to_string(),
                employees: *employees,
                percent: share(*employees, self.0.people),
            })
            .collect()
    }
    /// Feedback notes given on the year's plans, per employee.
    async fn feedback_per_person(&self) -> Decimal {
        per_person(self.0.feedback_notes, self.0.people)
    }
    /// Appreciations received in the year, per employee.
    async fn appreciations_per_person(&self) -> Decimal {
        per_person(self.0.appreciations, self.0.people)
    }
    /// Colleagues' answers on behaviour, per employee.
    async fn colleague_answers_per_person(&self) -> Decimal {
        per_person(self.0.colleague_answers, self.0.people)
    }
    /// Employees with an agreed development plan of the year, in percent.
    async fn development_plan_percent(&self) -> Decimal {
        share(self.0.with_development_plan, self.0.people)
    }
    /// Employees who kept their development plan (every agreed goal achieved), in percent of those
    /// with one.
    async fn development_plans_kept_percent(&self) -> Decimal {
        share(self.0.kept_development_plan, self.0.with_development_plan)
    }
    /// Employees who wrote a self-assessment of the year, in percent.
    async fn self_assessed_percent(&self) -> Decimal {
        share(self.0.self_assessed, self.0.people)
    }
    /// Employees whose training of the year reaches the minimum lesson hours (JP) of their employment
    /// type, in percent.
    async fn jp_coverage_percent(&self) -> Decimal {
        share(self.0.reached_minimum_jp, self.0.people)
    }
}

/// Employees with something in one quarter.
#[derive(SimpleObject)]
pub(crate) struct QuarterShare {
    period: String,
    employees: u64,
    /// Of the subtree's employees.
    percent: Decimal,
}

/// The year's minimum lesson hours from the rule pack of that year.
fn hours_minimum(ctx: &Context<'_>, year: i32) -> Result<kinerja_scoring::MinimumJp> {
    let pack =
        ctx.data_unchecked::<kinerja_scoring::RulePacks>().for_year(year).map_err(|e| bad_input(e.to_string()))?;
    let rules = pack
        .development
        .as_ref()
        .ok_or_else(|| bad_input(format!("the rule pack {} sets no development minimum", pack.id)))?;
    Ok(rules.minimum_jp)
}

/// Lesson hours of a year against the minimum.
#[derive(SimpleObject)]
pub(crate) struct DevelopmentHours {
    year: i32,
    hours: i64,
    minimum: Option<i64>,
    /// Hours still missing to reach the minimum (0 when reached).
    shortfall: Option<i64>,
}

/// An employee below the year's minimum lesson hours.
#[derive(SimpleObject)]
pub(crate) struct HoursShortfall {
    employee: Employee,
    hours: i64,
    minimum: i64,
}

/// Training attended.
pub(crate) struct Training(pub(crate) kinerja_store::TrainingRecord);

#[Object]
impl Training {
    /// The programme as the training record names it; `(masked)` for analysts (it may be any text).
    async fn programme(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.programme)
    }
    async fn started_on(&self, ctx: &Context<'_>) -> Option<Date> {
        unmasked(ctx, self.0.started_on).map(Into::into)
    }
    async fn finished_on(&self, ctx: &Context<'_>) -> Option<Date> {
        unmasked(ctx, self.0.finished_on).map(Into::into)
    }
    /// Lesson hours (JP) credited.
    async fn hours(&self) -> i32 {
        self.0.hours
    }
    async fn certificate(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.certificate.as_deref())
    }
}

/// A competency assessed at a level from 1 to 5.
pub(crate) struct Competency(pub(crate) kinerja_store::CompetencyAssessment);

#[Object]
impl Competency {
    async fn competency(&self) -> &str {
        &self.0.competency
    }
    async fn level(&self) -> i32 {
        self.0.level
    }
    async fn assessed_on(&self, ctx: &Context<'_>) -> Option<Date> {
        unmasked(ctx, self.0.assessed_on).map(Into::into)
    }
    async fn assessor(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.assessor.as_deref())
    }
}

/// A yearly performance plan (SKP).
pub(crate) struct Plan(pub(crate) PlanRecord);

#[Object]
impl Plan {
    async fn id(&self) -> ID {
        global_id(NodeType::Plan, self.0.id)
    }
    async fn year(&self) -> i32 {
        self.0.plan.year
    }
    async fn approach(&self) -> Approach {
        self.0.plan.approach.into()
    }
    async fn status(&self) -> PlanStatus {
        self.0.plan.status.into()
    }
    /// Incremented on every change; send it back with a change to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.created_at).map(Into::into)
    }
    async fn updated_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.updated_at).map(Into::into)
    }
    async fn employee(&self, ctx: &Context<'_>) -> Result<Employee> {
        let employee = loader(ctx).load_one(EmployeeById(self.0.employee_id)).await.or_graphql()?;
        employee.map(Employee).ok_or_else(|| not_found("the plan's employee is missing"))
    }
    /// The rater (Pejabat Penilai Kinerja); empty where the rater is outside the civil service, and for
    /// analysts (see [`linked`]).
    async fn rater(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(rater) = linked(ctx, self.0.rater_id) else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(rater)).await.or_graphql()?.map(Employee))
    }
    /// Work results (RHK) in plan order.
    async fn work_results(&self, ctx: &Context<'_>) -> Result<Vec<WorkResult>> {
        let results = loader(ctx).load_one(WorkResultsOfPlan(self.0.id)).await.or_graphql()?;
        Ok(results.unwrap_or_default().into_iter().map(WorkResult).collect())
    }
    /// Feedback notes, newest first.
    async fn feedback(&self, ctx: &Context<'_>) -> Result<Vec<FeedbackNote>> {
        let notes = loader(ctx).load_one(FeedbackOfPlan(self.0.id)).await.or_graphql()?;
        Ok(notes.unwrap_or_default().into_iter().map(FeedbackNote).collect())
    }
    /// Ratings of the BerAKHLAK values.
    async fn behaviour_ratings(&self, ctx: &Context<'_>) -> Result<Vec<BehaviourRating>> {
        let ratings = loader(ctx).load_one(BehaviourOfPlan(self.0.id)).await.or_graphql()?;
        Ok(ratings.unwrap_or_default().into_iter().map(BehaviourRating).collect())
    }
    /// The employee's own view of the year (penilaian diri), written before the rater decides: what they
    /// achieved on each work result, and the level they see in themselves on each BerAKHLAK value.
    async fn self_assessment(&self, ctx: &Context<'_>) -> Result<SelfAssessment> {
        let store = ctx.data_unchecked::<Store>();
        Ok(SelfAssessment(store.self_assessments_of_plans(&[self.0.id]).await.or_graphql()?))
    }
    /// Every request for colleagues' feedback on the employee's behaviour, with the answers: for the
    /// plan's rater only, null for anyone else.
    async fn behaviour_feedback(&self, ctx: &Context<'_>) -> Result<Option<Vec<crate::growth::FeedbackRequest>>> {
        crate::growth::behaviour_feedback(ctx, self.0.id).await
    }
    /// Colleagues' feedback as the employee reads it: how many were asked and answered and, once enough
    /// answered (`privacy.min_feedback_answers`), per value how many saw each level — never who said
    /// what. Null without requests, and for analysts.
    async fn behaviour_feedback_summary(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::growth::BehaviourFeedbackSummary>> {
        crate::growth::behaviour_feedback_summary(ctx, self.0.id).await
    }
    /// The agenda of the next performance dialogue: each BerAKHLAK value the employee sees otherwise than
    /// the rater rated it (the year's rating, or the latest period's). Something to talk about, never a
    /// score: nothing here feeds a rating.
    async fn dialogue_agenda(&self, ctx: &Context<'_>) -> Result<Vec<AgendaItem>> {
        let store = ctx.data_unchecked::<Store>();
        let own: Vec<(domain::BerakhlakValue, domain::RatingLevel)> = store
            .self_assessments_of_plans(&[self.0.id])
            .await
            .or_graphql()?
            .into_iter()
            .filter_map(|record| match record.view {
                kinerja_store::SelfView::Behaviour { value, level, .. } => Some((value, level)),
                kinerja_store::SelfView::WorkResult { .. } => None,
            })
            .collect();
        let ratings = loader(ctx).load_one(BehaviourOfPlan(self.0.id)).await.or_graphql()?.unwrap_or_default();
        let latest = ratings
            .iter()
            .map(|r| r.period)
            .max_by_key(|period| (period.end(), *period == domain::Period::Year(self.0.plan.year)));
        let rated: Vec<(domain::BerakhlakValue, domain::RatingLevel)> =
            ratings.iter().filter(|r| Some(r.period) == latest).map(|r| (r.rating.value, r.rating.level)).collect();
        Ok(domain::dialogue_agenda(&own, &rated).into_iter().map(AgendaItem).collect())
    }
    /// Computed evaluations, one per evaluated period (e.g. `2026-Q3`, `2026`), in period order.
    async fn evaluations(&self, ctx: &Context<'_>) -> Result<Vec<Evaluation>> {
        let evaluations = loader(ctx).load_one(EvaluationsOfPlan(self.0.id)).await.or_graphql()?;
        Ok(evaluations.unwrap_or_default().into_iter().map(Evaluation).collect())
    }
    /// The rater's decision for the plan's year, once made.
    async fn decision(&self, ctx: &Context<'_>) -> Result<Option<Decision>> {
        let decisions = loader(ctx).load_one(DecisionsOfPlan(self.0.id)).await.or_graphql()?.unwrap_or_default();
        Ok(decisions.into_iter().find(|d| d.year == self.0.plan.year).map(Decision))
    }
    /// The proposal computed now from the realisations through `through`, under the year's rule pack:
    /// what the rater decides on. Without `through`, through the periods recorded so far, with the
    /// targets of summed indicators pro-rated to the months they cover.
    async fn proposal(&self, ctx: &Context<'_>, through: Option<String>) -> Result<Proposal> {
        let through = match through {
            Some(text) => Some(domain::Period::parse(&text).map_err(|e| bad_input(format!("through: {e}")))?),
            None => None,
        };
        if let Some(through) = through.filter(|t| t.year() != self.0.plan.year) {
            return Err(bad_input(format!("through: {through} is outside the plan year {}", self.0.plan.year)));
        }
        let store = ctx.data_unchecked::<Store>();
        let packs = ctx.data_unchecked::<kinerja_scoring::RulePacks>();
        let (through, evaluation) = kinerja_app::propose(store, packs, self.0.id, through).await.or_graphql()?;
        Ok(Proposal { through, evaluation })
    }
    /// What this plan's work results may intervene (`parentId` of `addWorkResult`): the work results of
    /// the rater's plan of the same year, by code; their identity and text only. Empty for analysts, as
    /// they lead to the rater.
    async fn cascade_options(&self, ctx: &Context<'_>) -> Result<Vec<WorkResult>> {
        if masks(ctx) {
            return Ok(Vec::new());
        }
        let store = ctx.data_unchecked::<Store>();
        Ok(store.cascade_options(self.0.id).await.or_graphql()?.into_iter().map(WorkResult).collect())
    }
    /// The leader's specific expectations (ekspektasi khusus pimpinan) of BerAKHLAK values, set by the
    /// rater at planning.
    async fn behaviour_expectations(&self, ctx: &Context<'_>) -> Result<Vec<BehaviourExpectation>> {
        let found = loader(ctx).load_one(BehaviourExpectationsOfPlan(self.0.id)).await.or_graphql()?;
        Ok(found.unwrap_or_default().into_iter().map(BehaviourExpectation).collect())
    }
    /// Recorded performance dialogues, newest first.
    async fn dialogues(&self, ctx: &Context<'_>) -> Result<Vec<Dialogue>> {
        let store = ctx.data_unchecked::<Store>();
        Ok(store.dialogues_of_plans(&[self.0.id]).await.or_graphql()?.into_iter().map(Dialogue).collect())
    }
    /// Every change of the plan, its decision and the objections to it, oldest first (the audit trail).
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<AuditEvent>> {
        let store = ctx.data_unchecked::<Store>();
        Ok(store.plan_history(self.0.id).await.or_graphql()?.into_iter().map(AuditEvent).collect())
    }
    /// The evaluation of one period, or the latest one when no period is given.
    async fn evaluation(&self, ctx: &Context<'_>, period: Option<String>) -> Result<Option<Evaluation>> {
        let loader = loader(ctx);
        let shown = match period {
            Some(text) => {
                let period = domain::Period::parse(&text).map_err(|e| bad_input(format!("period: {e}")))?;
                loader.load_one(EvaluationOfPlanInPeriod(self.0.id, period)).await.or_graphql()?.flatten()
            }
            None => {
                let evaluations = loader.load_one(EvaluationsOfPlan(self.0.id)).await.or_graphql()?.unwrap_or_default();
                latest_evaluation(&evaluations).cloned()
            }
        };
        Ok(shown.map(Evaluation))
    }
}

/// The evaluation `Plan.evaluation` shows when no period is given: that of the latest period.
pub(crate) fn latest_evaluation(evaluations: &[EvaluationRecord]) -> Option<&EvaluationRecord> {
    evaluations.iter().max_by_key(|e| (e.period.end(), e.computed_at))
}

/// Where a year's result comes from.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YearResultBasis {
    /// The rater's decision (or an objection's) on the plan kinerja holds.
    Decided,
    /// Kinerja's proposal; no decision yet.
    Proposed,
    /// Recorded from the system or paper of its time (`past-results` import).
    Recorded,
}

/// One year of an employee's results.
/// One year's result, with the employee it is of.
pub(crate) struct YearResult(pub(crate) kinerja_app::YearResult, pub(crate) uuid::Uuid);

#[Object]
impl YearResult {
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The rule pack of the year, which names its regulation.
    async fn rule_pack(&self) -> RulePackRef {
        RulePackRef { id: self.0.rule_pack.id.clone(), version: i32::try_from(self.0.rule_pack.version).unwrap_or(0) }
    }
    /// Nilai Prestasi Kerja (PP 46/2011) or Nilai Kinerja (2021); null from 2022 on.
    async fn score(&self) -> Option<Decimal> {
        self.0.score
    }
    /// The angka kredit the predikat earns a functional post over a full year (percent of the predikat ×
    /// the post's koefisien), for the post the employee holds now; null for other posts, before the
    /// 2022 regime, and for analysts where the position kind is withheld (the koefisien tells it).
    async fn angka_kredit(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        let Some(credit) = self.0.angka_kredit else { return Ok(None) };
        Ok(kind_is_released(ctx, self.1).await?.then_some(credit))
    }
    /// The predikat as its year's regime labels it: `sangat_baik`, `baik`, `butuh_perbaikan`, `cukup`,
    /// `kurang`, `sangat_kurang` or `buruk`.
    async fn predikat(&self) -> &str {
        &self.0.predikat
    }
    /// The predikat as the regulation writes it ("Butuh Perbaikan").
    async fn predikat_title(&self) -> String {
        kinerja_scoring::predikat_title(&self.0.predikat)
    }
    async fn basis(&self) -> YearResultBasis {
        match self.0.basis {
            kinerja_app::ResultBasis::Decided => YearResultBasis::Decided,
            kinerja_app::ResultBasis::Proposed => YearResultBasis::Proposed,
            kinerja_app::ResultBasis::Recorded { .. } => YearResultBasis::Recorded,
        }
    }
    /// Where a recorded result was taken from, as its import said; `(masked)` for analysts.
    async fn recorded_from(&self, ctx: &Context<'_>) -> Option<&str> {
        match &self.0.basis {
            kinerja_app::ResultBasis::Recorded { source } => personal_opt(ctx, source.as_deref()),
            _ => None,
        }
    }
}

/// The rule pack a result was computed with.
#[derive(SimpleObject)]
pub(crate) struct RulePackRef {
    id: String,
    version: i32,
}

/// A plan's evaluation for one period: the proposed ratings and the predikat, with their explanation.
pub(crate) struct Evaluation(pub(crate) EvaluationRecord);

#[Object]
impl Evaluation {
    /// The period evaluated: the year, or the part of it covered so far (e.g. `2026-Q3`).
    async fn period(&self) -> String {
        self.0.period.to_string()
    }
    async fn rule_pack(&self) -> RulePackRef {
        RulePackRef { id: self.0.pack_id.clone(), version: self.0.pack_version }
    }
    async fn proposed_result_rating(&self) -> RatingLevel {
        self.0.proposed_result_rating.into()
    }
    async fn proposed_behaviour_rating(&self) -> RatingLevel {
        self.0.proposed_behaviour_rating.into()
    }
    async fn predikat(&self) -> Predikat {
        self.0.predikat.into()
    }
    /// `final_ratings` when the rater's decisions set the predikat, `proposed_ratings` before that.
    async fn predikat_basis(&self) -> &str {
        &self.0.predikat_basis
    }
    /// What the result means for the employee's development, in Bahasa Indonesia: the ratings, the
    /// predikat and the next step they point to.
    async fn reading(&self) -> String {
        domain::development_reading(self.0.proposed_result_rating, self.0.proposed_behaviour_rating, self.0.predikat)
    }
    async fn computed_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.computed_at).map(Into::into)
    }
    /// Every achievement, the proposed ratings and the predikat, each with its inputs, rule, reasons
    /// and outcome (the scoring crate's `PlanEvaluation`); null for analysts, as it holds the plan's
    /// targets and realised values.
    async fn explanation(&self, ctx: &Context<'_>) -> Result<Option<Json<serde_json::Value>>> {
        if masks(ctx) {
            return Ok(None);
        }
        let text = loader(ctx)
            .load_one(ExplanationOfEvaluation(self.0.id))
            .await
            .or_graphql()?
            .ok_or_else(|| crate::error::internal(format!("evaluation {} has no explanation", self.0.id)))?;
        let explanation =
            serde_json::from_str(&text).map_err(|e| crate::error::internal(format!("stored explanation: {e}")))?;
        Ok(Some(Json(explanation)))
    }
    /// The scored achievement of each indicator with a realisation, in the order the indicators were
    /// created (capped and pro-rated as scoring did; the figures unit analytics are built from).
    async fn achievements(&self, ctx: &Context<'_>) -> Result<Vec<crate::analytics::IndicatorAchievement>> {
        let figures = loader(ctx).load_one(AchievementsOfEvaluation(self.0.id)).await.or_graphql()?;
        Ok(figures.unwrap_or_default().into_iter().map(crate::analytics::IndicatorAchievement).collect())
    }
}

/// How many employees received each predikat.
#[derive(SimpleObject)]
pub(crate) struct PredikatCounts {
    sangat_baik: u32,
    baik: u32,
    butuh_perbaikan: u32,
    kurang: u32,
    sangat_kurang: u32,
    headcount: u32,
}

pub(crate) fn predikat_counts(counts: [u32; 5]) -> PredikatCounts {
    let [sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang] = counts;
    PredikatCounts { sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang, headcount: counts.iter().sum() }
}

remote_enum!(
    /// What employees are grouped by; age bands are ages at the end of the period's year.
    Grouping, "kinerja_store::Grouping", { PositionKind, Rank, EmploymentType, Sex, AgeBand }
);

/// The predikat counts of one group of employees.
#[derive(SimpleObject)]
pub(crate) struct GroupPredikat {
    /// The group: a position kind, rank, employment type, sex, or age band (`under_30`, `30_39`, `40_49`,
    /// `50_and_over`), as stored; `(withheld)` for the groups withheld, together, whose names would tell
    /// who is in the unit.
    group: String,
    /// Empty when withheld.
    counts: Option<PredikatCounts>,
    /// Whether withheld: too few people for the caller to see, or the one the others would give away.
    withheld: bool,
}

/// The leader's specific expectation of one BerAKHLAK value.
pub(crate) struct BehaviourExpectation(pub(crate) BehaviourExpectationRecord);

#[Object]
impl BehaviourExpectation {
    async fn value(&self) -> BerakhlakValue {
        self.0.value.into()
    }
    async fn expectation<'a>(&'a self, ctx: &Context<'_>) -> &'a str {
        personal(ctx, &self.0.expectation)
    }
    async fn set_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.set_at).map(Into::into)
    }
}

/// A broken constraint of the distribution guidance.
#[derive(SimpleObject, serde::Deserialize)]
pub(crate) struct Violation {
    constraint: String,
    actual: u32,
    limit: u32,
}

/// A unit's predikat counts (its whole subtree) checked against its organisation predikat.
pub(crate) struct UnitDistribution(pub(crate) DistributionRecord);

impl UnitDistribution {
    fn explained(&self) -> Result<serde_json::Value> {
        serde_json::from_str(&self.0.violations)
            .map_err(|e| crate::error::internal(format!("stored distribution: {e}")))
    }
}

#[Object]
impl UnitDistribution {
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn organisation_predikat(&self) -> OrganisationPredikat {
        self.0.organisation_predikat.into()
    }
    async fn counts(&self) -> PredikatCounts {
        predikat_counts(self.0.counts)
    }
    /// Every constraint of the guidance that the counts break; empty when within it.
    async fn violations(&self) -> Result<Vec<Violation>> {
        let explained = self.explained()?;
        serde_json::from_value(explained["value"].clone())
            .map_err(|e| crate::error::internal(format!("stored violations: {e}")))
    }
    async fn within_guidance(&self) -> Result<bool> {
        Ok(self.explained()?["value"].as_array().is_none_or(Vec::is_empty))
    }
    async fn explanation(&self) -> Result<Json<serde_json::Value>> {
        Ok(Json(self.explained()?["explanation"].clone()))
    }
    async fn rule_pack(&self) -> RulePackRef {
        RulePackRef { id: self.0.pack_id.clone(), version: self.0.pack_version }
    }
    async fn computed_at(&self) -> DateTime {
        self.0.computed_at.into()
    }
}

/// A planned work result (RHK).
pub(crate) struct WorkResult(pub(crate) WorkResultRecord);

#[Object]
impl WorkResult {
    async fn id(&self) -> ID {
        global_id(NodeType::WorkResult, self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn section(&self) -> WorkResultSection {
        self.0.work_result.section.into()
    }
    async fn description(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.work_result.description)
    }
    async fn perspective(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.work_result.perspective.as_deref())
    }
    /// The superior's work result that this one intervenes (the cascade); null for analysts, as it leads
    /// to the superior.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<WorkResult>> {
        let Some(parent) = linked(ctx, self.0.parent_id) else { return Ok(None) };
        Ok(loader(ctx).load_one(WorkResultById(parent)).await.or_graphql()?.map(WorkResult))
    }
    /// The plan holding it; empty for a rater's work result one cascades from without reaching the
    /// rater's plan.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        Ok(loader(ctx).load_one(PlanById(self.0.plan_id)).await.or_graphql()?.map(Plan))
    }
    /// Indicators (IKI) in plan order.
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<Indicator>> {
        let indicators = loader(ctx).load_one(IndicatorsOfWorkResult(self.0.id)).await.or_graphql()?;
        Ok(indicators.unwrap_or_default().into_iter().map(Indicator).collect())
    }
}

/// An indicator's target.
#[derive(SimpleObject)]
pub(crate) struct Target {
    kind: TargetKind,
    /// Lower bound (the target itself for `AT_LEAST`).
    low: Option<Decimal>,
    /// Upper bound (the target itself for `AT_MOST`).
    high: Option<Decimal>,
}

impl From<domain::Target> for Target {
    fn from(target: domain::Target) -> Self {
        match target {
            domain::Target::AtLeast { value } => Target { kind: TargetKind::AtLeast, low: Some(value), high: None },
            domain::Target::AtMost { value } => Target { kind: TargetKind::AtMost, low: None, high: Some(value) },
            domain::Target::Between { low, high } => {
                Target { kind: TargetKind::Between, low: Some(low), high: Some(high) }
            }
        }
    }
}

/// An individual performance indicator (IKI).
pub(crate) struct Indicator(pub(crate) IndicatorRecord);

impl Indicator {
    async fn realised_value(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        let realisations = loader(ctx).load_one(RealisationsOfIndicator(self.0.id)).await.or_graphql()?;
        let values: Vec<Decimal> = realisations.unwrap_or_default().iter().map(|r| r.realisation.value).collect();
        Ok(kinerja_scoring::accumulate(self.0.indicator.accumulation, &values))
    }
}

#[Object]
impl Indicator {
    async fn id(&self) -> ID {
        global_id(NodeType::Indicator, self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn description(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.indicator.description)
    }
    async fn aspect(&self) -> Aspect {
        self.0.indicator.aspect.into()
    }
    /// The target; its bounds are null for analysts (see `realised`).
    async fn target(&self, ctx: &Context<'_>) -> Target {
        let target = Target::from(self.0.indicator.target);
        Target { low: unmasked(ctx, target.low).flatten(), high: unmasked(ctx, target.high).flatten(), ..target }
    }
    /// `(masked)` for analysts: the units a plan measures in tell whose plan it is.
    async fn unit_of_measure(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.indicator.unit_of_measure)
    }
    /// The work result it measures; empty where it is outside the caller's reach.
    async fn work_result(&self, ctx: &Context<'_>) -> Result<Option<WorkResult>> {
        Ok(loader(ctx).load_one(WorkResultById(self.0.work_result_id)).await.or_graphql()?.map(WorkResult))
    }
    async fn accumulation(&self) -> Accumulation {
        self.0.indicator.accumulation.into()
    }
    /// Realisations, oldest period first.
    async fn realisations(&self, ctx: &Context<'_>) -> Result<Vec<Realisation>> {
        let realisations = loader(ctx).load_one(RealisationsOfIndicator(self.0.id)).await.or_graphql()?;
        Ok(realisations.unwrap_or_default().into_iter().map(Realisation).collect())
    }
    /// The rules by which activity feeds produce this indicator's realisations.
    async fn activity_mappings(&self, ctx: &Context<'_>) -> Result<Vec<ActivityMapping>> {
        let store = ctx.data_unchecked::<Store>();
        Ok(store
            .activity_mappings_of_indicators(&[self.0.id])
            .await
            .or_graphql()?
            .into_iter()
            .map(ActivityMapping)
            .collect())
    }
    /// The periods' realisations added up by the indicator's accumulation; empty before any realisation.
    /// Null for analysts, who read `achievement`: quantities, like units of measure, tell whose plan it is.
    async fn realised(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        Ok(unmasked(ctx, self.realised_value(ctx).await?).flatten())
    }
    /// Achievement of the realised value against the target, in percent, before any cap.
    async fn achievement(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        let realised = self.realised_value(ctx).await?;
        Ok(realised.and_then(|value| kinerja_scoring::achievement_percent(self.0.indicator.target, value)))
    }
}

/// What was achieved on an indicator in one period, with its evidence.
pub(crate) struct Realisation(pub(crate) RealisationRecord);

#[Object]
impl Realisation {
    async fn id(&self) -> ID {
        global_id(NodeType::Realisation, self.0.id)
    }
    /// The indicator realised (and through it the work result and plan); empty where it is outside the
    /// caller's reach.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        Ok(loader(ctx).load_one(IndicatorById(self.0.indicator_id)).await.or_graphql()?.map(Indicator))
    }
    /// `2026`, `2026-S1`, `2026-Q3` or `2026-07`.
    async fn period(&self) -> String {
        self.0.realisation.period.to_string()
    }
    async fn period_start(&self) -> Date {
        self.0.realisation.period.start().into()
    }
    async fn period_end(&self) -> Date {
        self.0.realisation.period.end().into()
    }
    /// The value realised; null for analysts, as the indicator's `realised`.
    async fn value(&self, ctx: &Context<'_>) -> Option<Decimal> {
        unmasked(ctx, self.0.realisation.value)
    }
    async fn evidence_note(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.realisation.evidence.note.as_deref())
    }
    async fn evidence_link(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.realisation.evidence.link.as_deref())
    }
    /// `manual`, or `activity:<kind>` when derived from an operational system's records.
    async fn source(&self) -> &str {
        &self.0.source
    }
    async fn recorded_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.recorded_at).map(Into::into)
    }
    /// Incremented on every correction; send it back with a correction.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The activity records this realisation was computed from, when an activity feed produced it.
    async fn activity_records(&self, ctx: &Context<'_>) -> Result<Vec<ActivityRecordObject>> {
        if !self.0.source.starts_with("activity:") {
            return Ok(Vec::new());
        }
        let store = ctx.data_unchecked::<Store>();
        let indicator = loader(ctx)
            .load_one(IndicatorById(self.0.indicator_id))
            .await
            .or_graphql()?
            .ok_or_else(|| not_found("indicator"))?;
        let result = loader(ctx)
            .load_one(WorkResultById(indicator.work_result_id))
            .await
            .or_graphql()?
            .ok_or_else(|| not_found("work result"))?;
        let plan =
            loader(ctx).load_one(PlanById(result.plan_id)).await.or_graphql()?.ok_or_else(|| not_found("plan"))?;
        let records = store.activity_records_of_realisation(&self.0, plan.employee_id).await.or_graphql()?;
        Ok(records.into_iter().map(ActivityRecordObject).collect())
    }
    /// Values this realisation had before corrections, oldest first.
    async fn corrections(&self, ctx: &Context<'_>) -> Result<Vec<RealisationCorrection>> {
        let store = ctx.data_unchecked::<Store>();
        Ok(store.realisation_history(&[self.0.id]).await.or_graphql()?.into_iter().map(RealisationCorrection).collect())
    }
}

/// A value a realisation had before it was corrected.
pub(crate) struct RealisationCorrection(pub(crate) RealisationHistoryRecord);

#[Object]
impl RealisationCorrection {
    /// Null for analysts, as the realisation's `value`.
    async fn value(&self, ctx: &Context<'_>) -> Option<Decimal> {
        unmasked(ctx, self.0.value)
    }
    async fn evidence_note(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.evidence_note.as_deref())
    }
    async fn evidence_link(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.evidence_link.as_deref())
    }
    async fn recorded_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.recorded_at).map(Into::into)
    }
    async fn replaced_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.replaced_at).map(Into::into)
    }
    /// Who replaced it; null for analysts.
    async fn replaced_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = linked(ctx, self.0.replaced_by) else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(id)).await.or_graphql()?.map(Employee))
    }
}

/// A recorded performance dialogue.
pub(crate) struct Dialogue(pub(crate) DialogueRecord);

#[Object]
impl Dialogue {
    async fn held_on(&self, ctx: &Context<'_>) -> Option<Date> {
        unmasked(ctx, self.0.held_on).map(Into::into)
    }
    async fn participants(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.participants)
    }
    async fn summary(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.summary)
    }
    async fn agreed_actions(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.agreed_actions)
    }
    /// Who recorded it; null for analysts.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = linked(ctx, self.0.recorded_by) else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(id)).await.or_graphql()?.map(Employee))
    }
    async fn created_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.created_at).map(Into::into)
    }
}

/// One entry of the audit trail: who did what, when, with the entity before and after.
pub(crate) struct AuditEvent(pub(crate) AuditRecord);

#[Object]
impl AuditEvent {
    /// Position in the hash chain (empty for events written before the chain existed).
    async fn sequence(&self) -> Option<i64> {
        self.0.sequence
    }
    /// E.g. `plan.approved`, `realisation.corrected`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The kind of record changed, e.g. `plan`, `realisation`.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    /// The changed record's internal id (a UUID).
    async fn entity_id(&self) -> String {
        self.0.entity_id.to_string()
    }
    /// The role the actor acted in; empty for changes made with the command-line tools.
    async fn actor_role(&self) -> Option<&str> {
        self.0.actor_role.as_deref()
    }
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = self.0.actor_id else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(id)).await.or_graphql()?.map(Employee))
    }
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.as_deref().and_then(|text| serde_json::from_str(text).ok()).map(Json)
    }
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.as_deref().and_then(|text| serde_json::from_str(text).ok()).map(Json)
    }
}

/// Continuous feedback on a plan, a work result, an indicator or a BerAKHLAK value.
pub(crate) struct FeedbackNote(pub(crate) FeedbackRecord);

#[Object]
impl FeedbackNote {
    async fn id(&self) -> ID {
        global_id(NodeType::FeedbackNote, self.0.id)
    }
    async fn kind(&self) -> FeedbackKind {
        self.0.note.kind.into()
    }
    async fn text(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.note.text)
    }
    async fn behaviour(&self) -> Option<BerakhlakValue> {
        self.0.note.behaviour.map(Into::into)
    }
    async fn work_result(&self, ctx: &Context<'_>) -> Result<Option<WorkResult>> {
        let Some(id) = self.0.work_result_id else { return Ok(None) };
        Ok(loader(ctx).load_one(WorkResultById(id)).await.or_graphql()?.map(WorkResult))
    }
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        let Some(id) = self.0.indicator_id else { return Ok(None) };
        Ok(loader(ctx).load_one(IndicatorById(id)).await.or_graphql()?.map(Indicator))
    }
    /// Who gave it; null for analysts.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(author) = linked(ctx, self.0.author_id) else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(author)).await.or_graphql()?.map(Employee))
    }
    async fn created_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.created_at).map(Into::into)
    }
}

/// The rating of one BerAKHLAK value for a period.
pub(crate) struct BehaviourRating(pub(crate) BehaviourRatingRecord);

#[Object]
impl BehaviourRating {
    async fn period(&self) -> String {
        self.0.period.to_string()
    }
    async fn value(&self) -> BerakhlakValue {
        self.0.rating.value.into()
    }
    async fn level(&self) -> RatingLevel {
        self.0.rating.level.into()
    }
    /// The leader's specific expectation (ekspektasi khusus pimpinan).
    async fn expectation<'a>(&'a self, ctx: &Context<'_>) -> Option<&'a str> {
        personal_opt(ctx, self.0.rating.expectation.as_deref())
    }
    /// What the rating rests on.
    async fn note<'a>(&'a self, ctx: &Context<'_>) -> Option<&'a str> {
        personal_opt(ctx, self.0.rating.note.as_deref())
    }
}

/// A versioned rule pack: the changeable values of one regulation.
pub(crate) struct RulePack(pub(crate) kinerja_scoring::RulePack);

#[Object]
impl RulePack {
    async fn id(&self) -> &str {
        &self.0.id
    }
    async fn version(&self) -> u32 {
        self.0.version
    }
    /// The regulation the pack implements.
    async fn regulation(&self) -> &str {
        &self.0.regulation
    }
    async fn years_from(&self) -> i32 {
        self.0.years.from
    }
    async fn years_to(&self) -> i32 {
        self.0.years.to
    }
    /// The file it was loaded from.
    async fn source(&self) -> &str {
        &self.0.source
    }
}

/// Ratings proposed from the data, with their explanation; the rater decides.
pub(crate) struct Proposal {
    pub(crate) through: domain::Period,
    pub(crate) evaluation: kinerja_scoring::PlanEvaluation,
}

#[Object]
impl Proposal {
    async fn through(&self) -> String {
        self.through.to_string()
    }
    async fn result_rating(&self) -> RatingLevel {
        self.evaluation.proposed_result_rating.value.into()
    }
    async fn behaviour_rating(&self) -> RatingLevel {
        self.evaluation.proposed_behaviour_rating.value.into()
    }
    /// The predikat the proposed ratings would give.
    async fn predikat(&self) -> Predikat {
        self.evaluation.predikat.value.into()
    }
    /// What the proposal means for the employee's development, in Bahasa Indonesia.
    async fn reading(&self) -> String {
        domain::development_reading(
            self.evaluation.proposed_result_rating.value,
            self.evaluation.proposed_behaviour_rating.value,
            self.evaluation.predikat.value,
        )
    }
    async fn rule_pack(&self) -> RulePackRef {
        RulePackRef {
            id: self.evaluation.pack.id.clone(),
            version: i32::try_from(self.evaluation.pack.version).unwrap_or(i32::MAX),
        }
    }
    /// Every achievement and rating with its inputs, rule, reasons and outcome; null for analysts, as
    /// the evaluation's.
    async fn explanation(&self, ctx: &Context<'_>) -> Result<Option<Json<serde_json::Value>>> {
        if masks(ctx) {
            return Ok(None);
        }
        serde_json::to_value(&self.evaluation).map(|e| Some(Json(e))).map_err(|e| crate::error::internal(e.to_string()))
    }
}

/// The rater's decision on a plan's year.
pub(crate) struct Decision(pub(crate) DecisionRecord);

#[Object]
impl Decision {
    async fn id(&self) -> ID {
        global_id(NodeType::Decision, self.0.id)
    }
    /// The plan decided on (and through it the employee); empty where the plan is outside the caller's
    /// reach.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        Ok(loader(ctx).load_one(PlanById(self.0.plan_id)).await.or_graphql()?.map(Plan))
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    async fn result_rating(&self) -> RatingLevel {
        self.0.result_rating.into()
    }
    async fn behaviour_rating(&self) -> RatingLevel {
        self.0.behaviour_rating.into()
    }
    async fn predikat(&self) -> Predikat {
        self.0.predikat.into()
    }
    async fn proposed_result_rating(&self) -> RatingLevel {
        self.0.proposed_result_rating.into()
    }
    async fn proposed_behaviour_rating(&self) -> RatingLevel {
        self.0.proposed_behaviour_rating.into()
    }
    /// Why the rater decided otherwise than proposed.
    async fn override_reason(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.override_reason.as_deref())
    }
    async fn rule_pack(&self) -> RulePackRef {
        RulePackRef { id: self.0.pack_id.clone(), version: self.0.pack_version }
    }
    /// Who decided; null for analysts.
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = linked(ctx, Some(self.0.decided_by)) else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(id)).await.or_graphql()?.map(Employee))
    }
    async fn decided_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.decided_at).map(Into::into)
    }
    /// When the unit was finalised; from then on only an objection changes the decision.
    async fn finalised_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.finalised_at).flatten().map(Into::into)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn objections(&self, ctx: &Context<'_>) -> Result<Vec<Objection>> {
        let objections = loader(ctx).load_one(ObjectionsOfDecision(self.0.id)).await.or_graphql()?;
        Ok(objections.unwrap_or_default().into_iter().map(Objection).collect())
    }
}

/// An objection (keberatan) to a final decision.
pub(crate) struct Objection(pub(crate) ObjectionRecord);

#[Object]
impl Objection {
    async fn id(&self) -> ID {
        global_id(NodeType::Objection, self.0.id)
    }
    async fn reasons(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.reasons)
    }
    async fn filed_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.filed_at).map(Into::into)
    }
    /// `filed`, `upheld` or `rejected`.
    async fn status(&self) -> &str {
        &self.0.status
    }
    /// Who decided; null for analysts.
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = linked(ctx, self.0.decided_by) else { return Ok(None) };
        Ok(loader(ctx).load_one(EmployeeById(id)).await.or_graphql()?.map(Employee))
    }
    async fn decided_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.decided_at).flatten().map(Into::into)
    }
    async fn decision_reasons(&self, ctx: &Context<'_>) -> Option<&str> {
        personal_opt(ctx, self.0.decision_reasons.as_deref())
    }
    /// The predikat before an upheld objection changed it.
    async fn previous_predikat(&self) -> Option<Predikat> {
        self.0.previous.map(|p| p.predikat.into())
    }
}

/// How one activity kind feeds an indicator.
pub(crate) struct ActivityMapping(pub(crate) ActivityMappingRecord);

#[Object]
impl ActivityMapping {
    async fn activity_kind(&self) -> &str {
        self.0.activity_kind.as_str()
    }
    /// `count`, `sum`, `mean`, `p90` or `share_within`.
    async fn method(&self) -> &str {
        self.0.aggregation.method()
    }
    /// The attribute aggregated, or `hours_between:START:END`.
    async fn field(&self) -> Option<String> {
        self.0.aggregation.field().map(ToString::to_string)
    }
    /// The limit of `share_within`.
    async fn limit(&self) -> Option<Decimal> {
        match &self.0.aggregation {
            domain::Aggregation::ShareWithin(_, limit) => Some(*limit),
            _ => None,
        }
    }
}

/// A record posted by an operational system.
#[derive(Clone)]
pub(crate) struct ActivityRecordObject(pub(crate) ActivityRecord);

#[Object(name = "ActivityRecord")]
impl ActivityRecordObject {
    async fn kind(&self) -> &str {
        self.0.kind.as_str()
    }
    /// The source system's id of the record; `(masked)` for analysts.
    async fn external_id(&self, ctx: &Context<'_>) -> &str {
        personal(ctx, &self.0.external_id)
    }
    async fn occurred_at(&self, ctx: &Context<'_>) -> Option<DateTime> {
        unmasked(ctx, self.0.occurred_at).map(Into::into)
    }
    /// The record's typed attributes; text values read `(masked)` for analysts.
    async fn attributes(&self, ctx: &Context<'_>) -> Json<std::collections::BTreeMap<String, domain::AttributeValue>> {
        let masked = masks(ctx);
        Json(
            self.0
                .attributes
                .iter()
                .map(|(name, value)| {
                    let value = match value {
                        domain::AttributeValue::Text(_) if masked => domain::AttributeValue::Text(MASKED.to_owned()),
                        other => other.clone(),
                    };
                    (name.clone(), value)
                })
                .collect(),
        )
    }
}
