//! Role grants: a token claiming `hr-admin`, `analyst` or `auditor` is honoured only for an employee an
//! HR administrator granted the role, whether kinerja signed the token or the identity provider did.

mod common;

use common::{Server, code, token};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use kinerja_store::test_support::TestDatabase;
use serde_json::{Value, json};

const GRANTED_ROLES: [&str; 3] = ["hr-admin", "analyst", "auditor"];
const VIEWER: &str = "{ viewer { role reach { kind } } }";
const GRANT: &str =
    "mutation($input: GrantRoleInput!) { grantRole(input: $input) { grant { role unitCode employee { nip } } } }";
const REVOKE: &str = "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { nip role } }";

/// A token signed by the test identity provider (its key is in `crates/gateway/tests/fixtures`).
fn provider_token(nip: &str, role: &str) -> String {
    let key =
        EncodingKey::from_ed_pem(include_bytes!("../crates/gateway/tests/fixtures/identity-provider-test-key.pem"))
            .expect("the test key");
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some("test-idp-1".to_owned());
    let expires = chrono::Utc::now().timestamp() + 600;
    let claims = json!({ "sub": nip, "role": role, "aud": "kinerja", "exp": expires });
    jsonwebtoken::encode(&header, &claims, &key).expect("a signed token")
}

/// Whether the server honours `nip` acting as `role` with tokens from both issuers (they must agree).
async fn accepted(server: &Server, nip: &str, role: &str) -> bool {
    let mut answers = Vec::new();
    for caller in [token(nip, role), provider_token(nip, role)] {
        let response = server.call(Some(&caller), VIEWER, json!({})).await;
        if response.get("errors").is_none() {
            answers.push(true);
        } else {
            assert_eq!(code(&response), "FORBIDDEN", "{nip} as {role}: {response}");
            let message = response["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(message.contains("grant") && message.contains(role), "{message}");
            answers.push(false);
        }
    }
    assert_eq!(answers[0], answers[1], "{nip} as {role}: kinerja's and the identity provider's tokens agree");
    answers[0]
}

async fn grants(server: &Server) -> Vec<(String, String)> {
    let data = server.ok(Some(&server.admin), "{ roleGrants { role employee { nip } } }", json!({})).await;
    data["roleGrants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["employee"]["nip"].as_str().unwrap().to_owned(), g["role"].as_str().unwrap().to_owned()))
        .collect()
}

fn api_role(role: &str) -> String {
    role.replace('-', "_").to_uppercase()
}

async fn check(server: &Server) {
    let members = server
        .ok(
            Some(&server.admin),
            r#"{ unit(code: "DLH") { members(first: 3, includeDescendants: true) { nodes { nip } } } }"#,
            json!({}),
        )
        .await;
    let plain = members["unit"]["members"]["nodes"][2]["nip"].as_str().unwrap().to_owned();
    let cast = [server.admin_nip.clone(), server.analyst_nip.clone(), server.auditor_nip.clone(), plain.clone()];

    // Every claim against every grant: accepted exactly when the grant exists.
    let held = grants(server).await;
    let mut accepted_without_grant = 0;
    let mut cases = 0;
    for nip in &cast {
        for role in GRANTED_ROLES {
            let granted = held.contains(&(nip.clone(), api_role(role)));
            let honoured = accepted(server, nip, role).await;
            cases += 2;
            accepted_without_grant += usize::from(honoured && !granted);
            assert_eq!(honoured, granted, "{nip} as {role}");
        }
        assert!(accepted(server, nip, "employee").await, "everyone is an employee");
    }
    assert_eq!(accepted_without_grant, 0, "{cases} claims checked");

    // A grant made through the API is honoured at once; an analyst's may be limited to a subtree.
    let granted = server
        .ok(Some(&server.admin), GRANT, json!({ "input": { "nip": plain, "role": "ANALYST", "unitCode": "DLH" } }))
        .await;
    assert_eq!(
        granted["grantRole"]["grant"],
        json!({ "role": "ANALYST", "unitCode": "DLH", "employee": { "nip": plain } })
    );
    assert!(accepted(server, &plain, "analyst").await);
    let reach = "{ viewer { reach { kind unit { code } } } }";
    let view = server.ok(Some(&provider_token(&plain, "analyst")), reach, json!({})).await;
    assert_eq!(view["viewer"]["reach"], json!({ "kind": "SUBTREE", "unit": { "code": "DLH" } }), "the grant's unit");
    let outside = server
        .ok(
            Some(&token(&plain, "analyst")),
            r#"{ unit(code: "DINKES") { members(first: 5, includeDescendants: true) { totalCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(outside["unit"]["members"]["totalCount"], 0, "a DLH analyst reads no DINKES record: {outside}");

    // What cannot be granted is refused by name, and nothing is written.
    let refusals = [
        (json!({ "nip": plain, "role": "EMPLOYEE" }), "needs no grant"),
        (json!({ "nip": plain, "role": "HR_ADMIN", "unitCode": "DLH" }), "whole agency"),
        (json!({ "nip": "199901012025011999", "role": "AUDITOR" }), "199901012025011999"),
        (json!({ "nip": "12345", "role": "AUDITOR" }), "nip"),
    ];
    for (input, named) in refusals {
        let refused = server.call(Some(&server.admin), GRANT, json!({ "input": input })).await;
        let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{input}: {refused}");
        let expected = if named.starts_with("1999") { "NOT_FOUND" } else { "BAD_USER_INPUT" };
        assert_eq!(code(&refused), expected, "{input}: {refused}");
    }
    let by_analyst = server
        .call(Some(&token(&plain, "analyst")), GRANT, json!({ "input": { "nip": plain, "role": "HR_ADMIN" } }))
        .await;
    assert_eq!(code(&by_analyst), "FORBIDDEN", "only an HR administrator grants: {by_analyst}");
    assert!(!accepted(server, &plain, "hr-admin").await);

    // Revoked, refused again; the last HR administrator's grant stays.
    server.ok(Some(&server.admin), REVOKE, json!({ "input": { "nip": plain, "role": "ANALYST" } })).await;
    assert!(!accepted(server, &plain, "analyst").await, "a revoked grant is no longer honoured");
    let other_admins: Vec<String> = grants(server)
        .await
        .into_iter()
        .filter(|(nip, role)| role == "HR_ADMIN" && *nip != server.admin_nip)
        .map(|(nip, _)| nip)
        .collect();
    for nip in &other_admins {
        server.ok(Some(&server.admin), REVOKE, json!({ "input": { "nip": nip, "role": "HR_ADMIN" } })).await;
    }
    let last = server
        .call(Some(&server.admin), REVOKE, json!({ "input": { "nip": server.admin_nip, "role": "HR_ADMIN" } }))
        .await;
    assert_eq!(code(&last), "FAILED_PRECONDITION", "{last}");
    assert!(last["errors"][0]["message"].as_str().unwrap().contains("last HR administrator"), "{last}");

    // Each change is in the audit log, with who made it.
    let log = server
        .ok(
            Some(&server.admin),
            r#"{ auditLog(last: 20, entityType: "employee") { nodes { action actorRole after before } } }"#,
            json!({}),
        )
        .await;
    // The demo's own grants were made on the command line, without an actor.
    let events: Vec<&Value> =
        log["auditLog"]["nodes"].as_array().unwrap().iter().filter(|e| e["actorRole"] == "hr-admin").collect();
    let count = |action: &str| events.iter().filter(|e| e["action"] == action).count();
    assert_eq!(count("role.grant"), 1, "{log}");
    assert_eq!(count("role.revoke"), 1 + other_admins.len(), "{log}");
    assert!(events.iter().any(|e| e["after"]["unit"] == "DLH"), "{log}");
}

#[tokio::test]
async fn claimed_roles_need_grants_on_every_database() {
    let jwks = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/gateway/tests/fixtures/identity-provider-jwks.json");
    for database in TestDatabase::all("claimed_roles_need_grants_on_every_database").await.unwrap() {
        eprintln!("role grants on {}", database.backend);
        // No reuse of resolved access, so that a revocation shows on the next request.
        let settings = [("KINERJA__AUTH__JWKS_FILE", jwks), ("KINERJA__GRAPHQL__ACCESS_CACHE_MS", "0")];
        let server = Server::start_with(&database.url, &settings).await;
        check(&server).await;
        drop(server);
        database.dispose().await.unwrap();
    }
}
