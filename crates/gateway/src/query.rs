//! The query root.

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
            NodeType::TrainingNeed => store
                .training_needs_by_ids(&[uuid])
                .await
                .or_graphql()?
                .pop()
                .map(|r| Node::TrainingNeed(crate::analytics::TrainingNeed(r))),
        })
    }

    /// The caller: the employee their token names, the role it acts in, and what that reaches.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<crate::viewer::Viewer> {
        crate::viewer::Viewer::of(ctx)
    }

    /// An employee by NIP. A malformed NIP is refused with the part that is wrong.
    async fn employee(&self, ctx: &Context<'_>, nip: String) -> Result<Option<Employee>> {
        let nip = Nip::parse(&nip).map_err(|e| bad_input(format!("nip: {e}")))?;
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

    /// The loaded rule packs: built-in and the agency's, with the years each covers.
    async fn rule_packs(&self, ctx: &Context<'_>) -> Vec<RulePack> {
        ctx.data_unchecked::<RulePacks>().all().iter().map(|pack| RulePack(pack.clone())).collect()
    }

    /// The audit log in chain order: `first` events after sequence number `after` (auditors and HR
    /// administrators only). `kinerja audit verify` checks the chain.
    async fn audit_log(&self, ctx: &Context<'_>, after: Option<i64>, first: Option<i32>) -> Result<Vec<AuditEvent>> {
        let limit = page_size(ctx, first)?;
        let store = ctx.data_unchecked::<Store>();
        Ok(store.audit_log(after.unwrap_or(0), limit as u64).await.or_graphql()?.into_iter().map(AuditEvent).collect())
    }

    /// Units whose name contains `search` (ignoring case), shallowest first.
    async fn units(&self, ctx: &Context<'_>, search: String, first: Option<i32>) -> Result<Vec<Unit>> {
        let limit = page_size(ctx, first)?;
        let units = ctx.data_unchecked::<Store>().search_units(search.trim(), limit as u64).await.or_graphql()?;
        Ok(units.into_iter().map(Unit).collect())
    }
}

/// The page size a list field was asked for: `first`, at most the configured maximum (20 when absent).
pub(crate) fn page_size(ctx: &Context<'_>, first: Option<i32>) -> Result<usize> {
    crate::types::page_size(first, ctx.data_unchecked::<GatewayConfig>().max_page_size)
}
