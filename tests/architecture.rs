//! The crates depend on each other in one direction only: domain ← scoring ← store ← app ← import ← gateway ←
//! binary
//! (the benchmark companions, `kinerja-bench`, stand apart and talk to the server over the network).

use std::process::Command;

fn layer(name: &str) -> Option<u8> {
    match name {
        "kinerja-domain" => Some(0),
        "kinerja-scoring" | "kinerja-migration" => Some(1),
        "kinerja-store" => Some(2),
        "kinerja-app" => Some(3),
        "kinerja-import" => Some(4),
        "kinerja-gateway" => Some(5),
        "kinerja" => Some(6),
        "kinerja-bench" => Some(7),
        _ => None,
    }
}

#[test]
fn crates_depend_only_downwards_and_anyhow_stays_in_the_binary() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    assert_eq!(packages.len(), 9, "the workspace has the binary, seven libraries and the benchmark companions");
    let mut violations = Vec::new();
    for package in packages {
        let name = package["name"].as_str().unwrap_or_default();
        let own = layer(name).unwrap_or_else(|| panic!("unknown workspace crate {name}"));
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            let dependency_name = dependency["name"].as_str().unwrap_or_default();
            let is_dev = dependency["kind"].as_str() == Some("dev");
            if let Some(other) = layer(dependency_name)
                && other >= own
            {
                violations.push(format!("{name} depends on {dependency_name}"));
            }
            if dependency_name == "anyhow" && name != "kinerja" && !is_dev {
                violations.push(format!("{name} uses anyhow; library crates return their own error types"));
            }
        }
    }
    for (library, forbidden) in [
        ("kinerja-domain", &["sea-orm", "async-graphql", "axum", "tokio"][..]),
        ("kinerja-scoring", &["sea-orm", "async-graphql", "axum", "tokio"][..]),
        ("kinerja-store", &["async-graphql", "axum"][..]),
        ("kinerja-app", &["sea-orm", "async-graphql", "axum", "sqlx"][..]),
        ("kinerja-import", &["sea-orm", "async-graphql", "axum"][..]),
    ] {
        let package = packages.iter().find(|p| p["name"] == library).expect("library present");
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            let dependency_name = dependency["name"].as_str().unwrap_or_default();
            if forbidden.contains(&dependency_name) && dependency["kind"].as_str() != Some("dev") {
                violations.push(format!("{library} must not know {dependency_name}"));
            }
        }
    }
    assert!(violations.is_empty(), "layering violations: {violations:#?}");
}

/// Request code never reaches the writers without an actor: the gateway, the use cases and import name
/// neither `Seeder` nor `seeder()`, which only the demo loader, benchmarks and tests use.
#[test]
fn request_code_never_reaches_the_unchecked_writers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for folder in ["crates/gateway/src", "crates/app/src", "crates/import/src"] {
        let mut pending = vec![root.join(folder)];
        while let Some(path) = pending.pop() {
            if path.is_dir() {
                pending.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (number, line) in text.lines().enumerate() {
                    if line.contains("Seeder") || line.contains("seeder()") {
                        found.push(format!("{}:{}: {}", path.display(), number + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "unchecked writers reached from request code: {found:#?}");
    let seed = std::fs::read_to_string(root.join("crates/store/src/seed.rs")).unwrap();
    for writer in
        ["create_plan", "add_work_result", "add_indicator", "record_realisation", "add_feedback", "rate_behaviour"]
    {
        assert!(seed.contains(&format!("pub async fn {writer}(")), "{writer} is a Seeder writer");
    }
}
