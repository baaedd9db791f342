//! The subscription root, served over `graphql-transport-ws` at `/graphql/ws`.

use async_graphql::{Context, Result, Subscription};
use futures::{Stream, StreamExt};
use kinerja_domain::{Nip, UnitCode};
use kinerja_store::Store;
use tokio_stream::wrappers::BroadcastStream;

use crate::error::{OrGraphqlError, bad_input};
use crate::events::{Event, EventBus, Topic};
use crate::types::{Decision, FeedbackNote, Realisation};

pub struct SubscriptionRoot;

/// Events of one topic that pass `keep`, skipping any a slow subscriber missed.
fn events<Keep>(ctx: &Context<'_>, topic: Topic, keep: Keep) -> impl Stream<Item = Event> + use<Keep>
where
    Keep: Fn(&Event) -> bool + Send + 'static,
{
    let receiver = ctx.data_unchecked::<EventBus>().subscribe();
    BroadcastStream::new(receiver).filter_map(move |event| {
        let kept = event.ok().filter(|event| event.topic == topic && keep(event));
        async move { kept }
    })
}

async fn subtree_path(ctx: &Context<'_>, unit_code: &str) -> Result<String> {
    let code = UnitCode::parse(unit_code).map_err(|e| bad_input(format!("unitCode: {e}")))?;
    if crate::types::masks(ctx) {
        return Err(crate::error::forbidden(
            "acting as analyst you may not follow records live: the moment an event arrives tells whose record it is; analysts read aggregates and masked records",
        ));
    }
    let store = ctx.data_unchecked::<Store>();
    let unit = store.unit_by_code(&code).await.or_graphql()?;
    store.unit_path(&unit).await.or_graphql()
}

#[Subscription]
impl SubscriptionRoot {
    /// Feedback given on the plans of the employee with this NIP, as it is given; not for analysts, who
    /// may not follow a person by NIP.
    async fn feedback_received(
        &self,
        ctx: &Context<'_>,
        nip: String,
    ) -> Result<impl Stream<Item = FeedbackNote> + use<>> {
        let nip = Nip::parse(&nip).map_err(|e| bad_input(format!("nip: {e}")))?;
        crate::types::refuse_lookup_by_nip(ctx)?;
        let store = ctx.data_unchecked::<Store>().clone();
        let employee = store.employee_by_nip(&nip).await.or_graphql()?;
        Ok(events(ctx, Topic::Feedback, move |event| event.employee_id == employee.id).filter_map(move |event| {
            let store = store.clone();
            async move { store.feedback_by_ids(&[event.entity_id]).await.ok()?.pop().map(FeedbackNote) }
        }))
    }

    /// Realisations recorded, corrected or derived from activity in the unit's subtree; not for analysts,
    /// as an event's moment tells whose record it is.
    async fn realisation_recorded(
        &self,
        ctx: &Context<'_>,
        unit_code: String,
    ) -> Result<impl Stream<Item = Realisation> + use<>> {
        let path = subtree_path(ctx, &unit_code).await?;
        let store = ctx.data_unchecked::<Store>().clone();
        Ok(events(ctx, Topic::Realisation, move |event| event.unit_path.starts_with(&path)).filter_map(move |event| {
            let store = store.clone();
            async move { store.realisations_by_ids(&[event.entity_id]).await.ok()?.pop().map(Realisation) }
        }))
    }

    /// Decisions made, revised, finalised or changed by an objection in the unit's subtree; not for
    /// analysts, as `realisationRecorded`.
    async fn evaluation_changed(
        &self,
        ctx: &Context<'_>,
        unit_code: String,
    ) -> Result<impl Stream<Item = Decision> + use<>> {
        let path = subtree_path(ctx, &unit_code).await?;
        let store = ctx.data_unchecked::<Store>().clone();
        Ok(events(ctx, Topic::Decision, move |event| event.unit_path.starts_with(&path)).filter_map(move |event| {
            let store = store.clone();
            async move { store.decisions_by_ids(&[event.entity_id]).await.ok()?.pop().map(Decision) }
        }))
    }
}
