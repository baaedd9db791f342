//! `kinerja import KIND FILE`: a file imported completely or not at all, with a progress bar.

use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kinerja_import::{Format, ImportError, ImportOptions, ReadOptions};
use kinerja_store::{ImportKind, ImportSummary, Store};

/// What `kinerja import` was asked to do.
pub(crate) struct ImportRequest<'a> {
    pub(crate) kind: ImportKind,
    pub(crate) file: &'a Path,
    pub(crate) format: Option<Format>,
    pub(crate) decimal_comma: bool,
    pub(crate) dry_run: bool,
    pub(crate) max_problems: usize,
}

/// JSON Lines for `.jsonl`/`.ndjson`, CSV otherwise.
fn format_of(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("jsonl" | "ndjson") => Format::JsonLines,
        _ => Format::Csv,
    }
}

pub(crate) async fn run(
    store: &Store,
    packs: &kinerja_scoring::RulePacks,
    request: ImportRequest<'_>,
) -> anyhow::Result<()> {
    let stdin = request.file == Path::new("-");
    let source = if stdin { "input".to_owned() } else { request.file.display().to_string() };
    let input: Box<dyn BufRead> = if stdin {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(request.file).with_context(|| format!("opening {source}"))?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, file))
    };
    let read = ReadOptions {
        format: request.format.unwrap_or_else(|| format_of(request.file)),
        decimal_comma: request.decimal_comma,
    };
    let options =
        ImportOptions { dry_run: request.dry_run, max_problems: request.max_problems, source: source.clone() };
    let bar = ProgressBar::new_spinner();
    bar.set_style(crate::with_rate(
        ProgressStyle::with_template("{spinner} {msg}: {pos} rows read ({rate}, {elapsed})")
            .context("progress bar template")?,
    ));
    bar.set_message(format!("importing {}", request.kind.as_str()));
    let importing = kinerja_import::import(store, packs, None, request.kind, input, read, &options, |rows| {
        bar.set_position(rows);
    });
    // Interrupting drops the import, whose transaction then rolls back.
    let outcome = tokio::select! {
        outcome = importing => outcome,
        _ = tokio::signal::ctrl_c() => {
            bar.abandon_with_message("interrupted");
            anyhow::bail!("interrupted: nothing was imported");
        }
    };
    bar.finish_and_clear();
    match outcome {
        Ok(summary) => {
            println!("{}", describe(request.kind, &summary, request.dry_run));
            Ok(())
        }
        Err(ImportError::Invalid { file, problems }) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            anyhow::bail!("{} problem(s) in {file}; nothing was imported", problems.len())
        }
        Err(other) => Err(other.into()),
    }
}

fn describe(kind: ImportKind, summary: &ImportSummary, dry_run: bool) -> String {
    let verdict = if dry_run { " (dry run: nothing was written)" } else { "" };
    format!(
        "{}: {} rows: {} inserted, {} updated, {} unchanged{verdict}",
        kind.as_str(),
        summary.rows,
        summary.inserted,
        summary.updated,
        summary.unchanged
    )
}
