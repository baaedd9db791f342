//! Requests against the schema directly, as a caller in a role: what the gateway's tests share.

use kinerja_domain::{Nip, Role};
use kinerja_gateway::{GatewayConfig, build_schema, execute};
use kinerja_store::Store;
use serde_json::Value;

/// Runs `document` as the employee with `nip` acting as `role`, granting the role first where it
/// needs a grant.
pub async fn run(store: &Store, nip: &str, role: Role, document: &str) -> async_graphql::Response {
    let schema =
        build_schema(store.clone(), kinerja_scoring::RulePacks::built_in().unwrap(), &GatewayConfig::default())
            .await
            .unwrap();
    let nip = Nip::parse(nip).unwrap();
    if role.needs_grant() {
        store.grant_role(None, &nip, role, None).await.unwrap();
    }
    let (actor, scope) = store.access(&nip, role, 5).await.unwrap();
    execute(&schema, &store.scoped(scope), Some(actor), document).await
}

/// [`run`] that must succeed; its data.
pub async fn query(store: &Store, nip: &str, role: Role, document: &str) -> Value {
    let response = run(store, nip, role, document).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    response.data.into_json().unwrap()
}
