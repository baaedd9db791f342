//! Runs every example of docs/evaluate.md through `kinerja evaluate` and checks its expectation.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The fenced blocks of a Markdown text, as (info string, body).
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        if let Some(info) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some((info.trim().to_owned(), String::new())),
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    blocks
}

fn run(case: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(["evaluate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kinerja runs");
    child.stdin.take().expect("stdin").write_all(case.as_bytes()).expect("case written");
    let output = child.wait_with_output().expect("kinerja finishes");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Whether `expected` appears in `actual`: objects by their listed fields, arrays element by element.
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            expected.iter().all(|(key, value)| actual.get(key).is_some_and(|a| contains(a, value)))
        }
        (Value::Array(actual), Value::Array(expected)) => {
            actual.len() == expected.len() && actual.iter().zip(expected).all(|(a, e)| contains(a, e))
        }
        _ => actual == expected,
    }
}

#[test]
fn every_documented_example_gives_the_documented_result() {
    let blocks = fenced_blocks(include_str!("../docs/evaluate.md"));
    let mut checked = 0;
    for pair in blocks.windows(2) {
        let ((info, case), (expect_info, expected)) = (&pair[0], &pair[1]);
        match (info.as_str(), expect_info.as_str()) {
            ("json evaluate", "json expect") => {
                let (success, stdout, stderr) = run(case);
                assert!(success, "example failed: {stderr}\n{case}");
                let actual: Value = serde_json::from_str(&stdout).expect("output is JSON");
                let expected: Value = serde_json::from_str(expected).expect("expectation is JSON");
                assert!(contains(&actual, &expected), "expected {expected:#}\nwithin {actual:#}");
                checked += 1;
            }
            ("json evaluate-error", "text expect-error") => {
                let (success, _, stderr) = run(case);
                assert!(!success, "the case should be refused:\n{case}");
                assert!(stderr.contains(expected.trim()), "expected '{}' in '{stderr}'", expected.trim());
                checked += 1;
            }
            _ => {}
        }
    }
    assert_eq!(checked, 11, "every example in docs/evaluate.md is checked");
}
