//! The query root.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};
use kinerja_domain::{Nip, UnitCode};
use kinerja_scoring::RulePacks;
use kinerja_store::Store;

use crate::GatewayConfig;
use crate::error::{OrGraphqlError, bad_input};
use crate::ids::{NodeType, parse_global_id};
use crate::loaders::*;
use crate::types::*;

pub struct QueryRoot;

#[Object]
impl QueryRoot {
    /// Any object by its global id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let (node_type, uuid) = parse_global_id(&id)?;
        let loader = loader(ctx);
        let store = ctx.data_unchecked::<Store>();
        Ok(match node_type {
            NodeType::Unit => loader.load_one(UnitById(uuid)).await.or_graphql()?.map(|r| Node::Unit(Unit(r))),
            NodeType::Position => {
                loader.load_one(PositionById(uuid)).await.or_graphql()?.map(|r| Node::Position(Position(r)))
            }
            NodeType::Employee => {
                loader.load_one(EmployeeById(uuid)).await.or_graphql()?.map(|r| Node::Employee(Employee(r)))
            }
            NodeType::Plan => loader.load_one(PlanById(uuid)).await.or_graphql()?.map(|r| Node::Plan(Plan(r))),
            NodeType::WorkResult => {
                loader.load_one(WorkResultById(uuid)).await.or_graphql()?.map(|r| Node::WorkResult(WorkResult(r)))
            }
            NodeType::Indicator => {
                loader.load_one(IndicatorById(uuid)).await.or_graphql()?.map(|r| Node::Indicator(Indicator(r)))
            }
            NodeType::Realisation => {
                store.realisations_by_ids(&[uuid]).await.or_graphql()?.pop().map(|r| Node::Realisation(Realisation(r)))
            }
            NodeType::Decision => {
                store.decisions_by_ids(&[uuid]).await.or_graphql()?.pop().map(|r| Node::Decision(Decision(r)))
            }
            NodeType::Objection => {
                store.objections_by_ids(&[uuid]).await.or_graphql()?.pop().map(|r| Node::Objection(Objection(r)))
            }
            NodeType::FeedbackNote => {
                store.feedback_by_ids(&[uuid]).await.or_graphql()?.pop().map(|r| Node::FeedbackNote(FeedbackNote(r)))
            }
            NodeType::TrainingNeed => match store.training_needs_by_ids(&[uuid]).await.or_graphql()?.pop() {
                Some(need) if need_shown(ctx, &need).await? => {
                    Some(Node::TrainingNeed(crate::analytics::TrainingNeed(need)))
                }
                _ => None,
            },
            NodeType::DevelopmentGoal => store
                .development_goals_by_ids(&[uuid])
                .await
                .or_graphql()?
                .pop()
                .filter(|_| !masks(ctx))
                .map(|goal| Node::DevelopmentGoal(crate::growth::DevelopmentGoal(goal))),
            NodeType::DevelopmentActivity | NodeType::FeedbackRequest => None,
        })
    }

    /// The caller: the employee their token names, the role it acts in, and what that reaches.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<crate::viewer::Viewer> {
        crate::viewer::Viewer::of(ctx)
    }

    /// An employee by NIP. A malformed NIP is refused with the part that is wrong. Analysts cannot look
    /// a person up: they read aggregates and masked records.
    async fn employee(&self, ctx: &Context<'_>, nip: String) -> Result<Option<Employee>> {
        let nip = Nip::parse(&nip).map_err(|e| bad_input(format!("nip: {e}")))?;
        refuse_lookup_by_nip(ctx)?;
        Ok(crate::prefetch::employee_by_nip(ctx, &nip).await?.map(Employee))
    }

    /// A unit by code.
    async fn unit(&self, ctx: &Context<'_>, code: String) -> Result<Option<Unit>> {
        let code = UnitCode::parse(&code).map_err(|e| bad_input(format!("code: {e}")))?;
        match ctx.data_unchecked::<Store>().unit_by_code(&code).await {
            Ok(record) => Ok(Some(Unit(record))),
            Err(kinerja_store::StoreError::NotFound { .. }) => Ok(None),
            Err(error) => Err(error).or_graphql(),
        }
    }

    /// Who holds the roles that need a grant (hr-admin, analyst, auditor), of one role or all; for HR
    /// administrators and auditors to read.
    async fn role_grants(
        &self,
        ctx: &Context<'_>,
        role: Option<crate::viewer::Role>,
    ) -> Result<Vec<crate::grants::RoleGrant>> {
        let grants = ctx.data_unchecked::<Store>().role_grants(role.map(Into::into)).await.or_graphql()?;
        Ok(grants.into_iter().map(crate::grants::RoleGrant).collect())
    }

    /// The loaded rule packs: built-in and the agency's, with the years each covers.
    async fn rule_packs(&self, ctx: &Context<'_>) -> Vec<RulePack> {
        ctx.data_unchecked::<RulePacks>().all().iter().map(|pack| RulePack(pack.clone())).collect()
    }

    /// The audit log in chain order (auditors and HR administrators), as a Relay connection; only the
    /// events about one type of record (`entityType`), of one action, or about one record (`entityId`)
    /// when asked. `kinerja audit verify` checks the chain.
    #[allow(clippy::too_many_arguments, reason = "a connection's paging and filter arguments")]
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        entity_type: Option<String>,
        action: Option<String>,
        entity_id: Option<String>,
    ) -> Result<Connection<String, AuditEvent, AuditTotal>> {
        let max = ctx.data_unchecked::<GatewayConfig>().max_page_size;
        let sequence = |cursor: &str| crate::ids::cursor_position("audit", cursor)?.parse::<i64>().ok();
        let window = PageWindow::of(first, after.as_deref(), last, before.as_deref(), max, sequence)?;
        let entity_id = entity_id
            .map(|id| id.parse().map_err(|_| bad_input(format!("entityId: '{id}' is not a record id"))))
            .transpose()?;
        let filter = kinerja_store::AuditFilter { entity_type, action, entity_id };
        let page = kinerja_store::AuditPage {
            after: window.after,
            before: window.before,
            limit: window.size as u64 + 1,
            from_end: window.from_end,
        };
        let store = ctx.data_unchecked::<Store>();
        let mut events = store.audit_log(&filter, &page).await.or_graphql()?;
        let more = window.trim(&mut events);
        let (has_previous, has_next) = window.has_pages(more);
        let mut connection = Connection::with_additional_fields(has_previous, has_next, AuditTotal(filter));
        connection.edges.extend(events.into_iter().map(|event| {
            let position = event.sequence.unwrap_or_default();
            Edge::new(crate::ids::cursor("audit", position), AuditEvent(event))
        }));
        Ok(connection)
    }

    /// Units whose name contains `search` (ignoring case), shallowest first, as a Relay connection.
    #[graphql(complexity = "crate::types::page_cost(first, last, child_complexity)")]
    async fn units(
        &self,
        ctx: &Context<'_>,
        search: String,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<String, Unit, Counted>> {
        const LIST: &str = "units";
        let window = by_position(ctx, LIST, first, after, last, before)?;
        let store = ctx.data_unchecked::<Store>();
        let search = search_text("search", &search)?;
        let total = store.search_units_count(search).await.or_graphql()?;
        let (start, end) = window.range(total);
        let units = store.search_units(search, start, end - start).await.or_graphql()?;
        Ok(positioned(LIST, units.into_iter().map(Unit).collect(), (start, end), total))
    }
}

/// Extra fields of the audit log connection.
pub(crate) struct AuditTotal(kinerja_store::AuditFilter);

#[Object]
impl AuditTotal {
    /// How many events the filter keeps, across every page.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<u64> {
        ctx.data_unchecked::<Store>().audit_count(&self.0).await.or_graphql()
    }
}
