//! Import files of kinerja: CSV (UTF-8, with or without a BOM, `,` or `;` separated, decimal comma when
//! declared) and JSON Lines, read row by row into validated [`ImportRow`]s. Records are handed to the
//! store's [`ImportSession`], which checks references and merges by natural key in one transaction; the
//! year's judgements (organisation predikat, behaviour ratings) go through the use cases of
//! `kinerja-app`, as their mutations do.
//!
//! This crate knows file formats, column sets and how a field is read; it knows no SQL and no HTTP.
//! Every problem is reported as `file:line:column: message`, all of them up to a limit.

mod columns;
mod fields;

use std::collections::HashMap;
use std::io::BufRead;

pub use columns::{Column, columns};
use kinerja_scoring::RulePacks;
use kinerja_store::{Actor, ImportKind, ImportOutcome, ImportRow, ImportSession, ImportSummary, Store, StoreError};

/// How the rows of a file are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

/// How to read a file.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub format: Format,
    /// Numbers written `1.234,5` (Indonesian locale): `.` groups thousands and `,` is the decimal mark.
    pub decimal_comma: bool,
}

/// What to do with the rows.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Check everything and report what would change, writing nothing.
    pub dry_run: bool,
    /// Problems reported at most.
    pub max_problems: usize,
    /// The name problems are reported under (the file's path, or `input`).
    pub source: String,
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    /// 1-based column of a CSV file; `None` for JSON Lines (the message names the field) or a whole row.
    pub column: Option<usize>,
    pub message: String,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has problems; each is formatted `source:line:column: message`.
    #[error("{} problem(s) in {file}; nothing was imported", problems.len())]
    Invalid { file: String, problems: Vec<String> },
    #[error("cannot read {file}: {message}")]
    Read { file: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    App(#[from] kinerja_app::AppError),
}

/// Where read rows go: staged by the store, or gathered for the use cases that judge them.
enum Sink {
    Staged(ImportSession),
    Judged(Vec<ImportRow>),
}

impl Sink {
    async fn push(&mut self, row: ImportRow) -> Result<(), ImportError> {
        match self {
            Sink::Staged(session) => session.push(row).await?,
            Sink::Judged(rows) => rows.push(row),
        }
        Ok(())
    }

    async fn finish(
        self,
        store: &Store,
        packs: &RulePacks,
        actor: Option<&Actor>,
        kind: ImportKind,
        limit: usize,
        dry_run: bool,
    ) -> Result<ImportOutcome, ImportError> {
        Ok(match self {
            Sink::Staged(session) => session.finish(limit, dry_run).await?,
            Sink::Judged(rows) => {
                kinerja_app::import_judgements(store, packs, actor, kind, rows, limit, dry_run).await?
            }
        })
    }
}

/// Reads `input` as rows of `kind` and imports them: all or nothing. `progress` is told how many rows
/// have been read so far (every 10,000 rows and at the end).
#[allow(clippy::too_many_arguments)]
pub async fn import(
    store: &Store,
    packs: &RulePacks,
    actor: Option<Actor>,
    kind: ImportKind,
    input: impl BufRead,
    read: ReadOptions,
    options: &ImportOptions,
    mut progress: impl FnMut(u64),
) -> Result<ImportSummary, ImportError> {
    let mut sink = if kind.staged() {
        Sink::Staged(store.begin_import(kind, actor.clone()).await?)
    } else {
        Sink::Judged(Vec::new())
    };
    let mut rows = Rows::new(kind, packs, input, read)?;
    let mut problems: Vec<Problem> = rows.header_problems(&options.source)?;
    let mut read_rows = 0u64;
    while let Some(next) = rows.next_row() {
        read_rows += 1;
        if read_rows.is_multiple_of(10_000) {
            progress(read_rows);
        }
        match next {
            Ok(row) => sink.push(row).await?,
            Err(found) => problems.extend(found),
        }
        if problems.len() >= options.max_problems {
            break;
        }
    }
    if let Some(message) = rows.read_error.take() {
        return Err(ImportError::Read { file: options.source.clone(), message });
    }
    progress(read_rows);
    let outcome = if problems.len() >= options.max_problems {
        Err(Vec::new())
    } else {
        // With unreadable rows nothing may be written: the store's checks still run, then roll back.
        let dry_run = options.dry_run || !problems.is_empty();
        sink.finish(store, packs, actor.as_ref(), kind, options.max_problems - problems.len(), dry_run).await?
    };
    match outcome {
        Ok(summary) if problems.is_empty() => Ok(summary),
        Ok(_) => Err(invalid(options, problems)),
        Err(found) => {
            problems.extend(found.into_iter().map(|p| Problem {
                line: p.line,
                column: rows.column_of(&p.field),
                message: format!("{}: {}", p.field, p.message),
            }));
            Err(invalid(options, problems))
        }
    }
}

fn invalid(options: &ImportOptions, mut problems: Vec<Problem>) -> ImportError {
    problems.sort_by_key(|p| (p.line, p.column));
    problems.truncate(options.max_problems);
    let source = &options.source;
    let problems = problems
        .into_iter()
        .map(|p| match p.column {
            Some(column) => format!("{source}:{}:{column}: {}", p.line, p.message),
            None => format!("{source}:{}: {}", p.line, p.message),
        })
        .collect();
    ImportError::Invalid { file: source.clone(), problems }
}

/// Rows of a file, read lazily.
struct Rows<'p, R: BufRead> {
    kind: ImportKind,
    packs: &'p RulePacks,
    decimal_comma: bool,
    source: Source<R>,
    /// Header name → 0-based column (CSV only).
    header: HashMap<String, usize>,
    read_error: Option<String>,
}

enum Source<R: BufRead> {
    Csv(csv::StringRecordsIntoIter<R>),
    JsonLines { lines: std::io::Lines<R>, line: u64 },
}

impl<'p, R: BufRead> Rows<'p, R> {
    fn new(kind: ImportKind, packs: &'p RulePacks, mut input: R, read: ReadOptions) -> Result<Self, ImportError> {
        let source = match read.format {
            Format::Csv => {
                let separator = sniff_separator(&mut input);
                let reader = csv::ReaderBuilder::new().delimiter(separator).flexible(true).from_reader(input);
                Source::Csv(reader.into_records())
            }
            Format::JsonLines => Source::JsonLines { lines: input.lines(), line: 0 },
        };
        Ok(Self { kind, packs, decimal_comma: read.decimal_comma, source, header: HashMap::new(), read_error: None })
    }

    /// Reads the header of a CSV file: unknown columns and missing required ones are problems of line 1.
    fn header_problems(&mut self, source: &str) -> Result<Vec<Problem>, ImportError> {
        let Source::Csv(records) = &mut self.source else { return Ok(Vec::new()) };
        let header = records
            .reader_mut()
            .headers()
            .map_err(|e| ImportError::Read { file: source.to_owned(), message: e.to_string() })?
            .clone();
        let known = columns(self.kind);
        let mut problems = Vec::new();
        for (index, name) in header.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}').to_lowercase();
            if known.iter().any(|c| c.name == name) {
                self.header.insert(name, index);
            } else {
                let expected: Vec<&str> = known.iter().map(|c| c.name).collect();
                problems.push(Problem {
                    line: 1,
                    column: Some(index + 1),
                    message: format!(
                        "unknown column {name:?}; the columns of {} are {}",
                        self.kind.as_str(),
                        expected.join(", ")
                    ),
                });
            }
        }
        for column in known.iter().filter(|c| c.required && !self.header.contains_key(c.name)) {
            problems.push(Problem {
                line: 1,
                column: None,
                message: format!("the required column {} is missing", column.name),
            });
        }
        Ok(problems)
    }

    fn column_of(&self, field: &str) -> Option<usize> {
        self.header.get(field).map(|index| index + 1)
    }

    /// The next row, or its problems; `None` at the end (or after a read error, kept in `read_error`).
    fn next_row(&mut self) -> Option<Result<ImportRow, Vec<Problem>>> {
        match &mut self.source {
            Source::Csv(records) => {
                let record = match records.next()? {
                    Ok(record) => record,
                    Err(error) => {
                        let line = error.position().map_or(0, csv::Position::line);
                        if error.is_io_error() {
                            self.read_error = Some(error.to_string());
                            return None;
                        }
                        return Some(Err(vec![Problem { line, column: None, message: error.to_string() }]));
                    }
                };
                let line = record.position().map_or(0, csv::Position::line);
                if record.iter().all(|field| field.trim().is_empty()) {
                    return self.next_row();
                }
                let values: HashMap<&str, &str> = self
                    .header
                    .iter()
                    .filter_map(|(name, index)| record.get(*index).map(|value| (name.as_str(), value)))
                    .collect();
                let header = &self.header;
                Some(fields::build(self.kind, line, self.decimal_comma, self.packs, &values).map_err(|found| {
                    found
                        .into_iter()
                        .map(|(field, message)| Problem {
                            line,
                            column: header.get(field).map(|i| i + 1),
                            message: format!("{field}: {message}"),
                        })
                        .collect()
                }))
            }
            Source::JsonLines { lines, line } => loop {
                *line += 1;
                let text = match lines.next()? {
                    Ok(text) => text,
                    Err(error) => {
                        self.read_error = Some(error.to_string());
                        return None;
                    }
                };
                let text = text.trim().trim_start_matches('\u{feff}');
                if text.is_empty() {
                    continue;
                }
                let line = *line;
                let object = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
                    Ok(object) => object,
                    Err(error) => {
                        return Some(Err(vec![Problem {
                            line,
                            column: None,
                            message: format!("not a JSON object: {error}"),
                        }]));
                    }
                };
                let (owned, mut problems) = json_fields(self.kind, &object, line);
                let values: HashMap<&str, &str> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
                // JSON numbers always use a decimal point.
                return Some(match fields::build(self.kind, line, false, self.packs, &values) {
                    Ok(row) if problems.is_empty() => Ok(row),
                    Ok(_) => Err(problems),
                    Err(found) => {
                        problems.extend(found.into_iter().map(|(field, message)| Problem {
                            line,
                            column: None,
                            message: format!("{field}: {message}"),
                        }));
                        Err(problems)
                    }
                });
            },
        }
    }
}

/// The values of a JSON Lines record by column name, its field names matched ignoring case and
/// surrounding spaces as CSV headers are; with a problem for each unknown or repeated field.
fn json_fields(
    kind: ImportKind,
    object: &serde_json::Map<String, serde_json::Value>,
    line: u64,
) -> (HashMap<&'static str, String>, Vec<Problem>) {
    let known = columns(kind);
    let mut problems = Vec::new();
    let mut values = HashMap::new();
    for (key, value) in object {
        let Some(column) = known.iter().find(|c| c.name.eq_ignore_ascii_case(key.trim())) else {
            problems.push(Problem { line, column: None, message: format!("unknown field {key:?}") });
            continue;
        };
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        if values.insert(column.name, text).is_some() {
            problems.push(Problem { line, column: None, message: format!("the field {} is given twice", column.name) });
        }
    }
    (values, problems)
}

/// `;` when the header line has more semicolons than commas (spreadsheets in Indonesian locale), else `,`.
fn sniff_separator(input: &mut impl BufRead) -> u8 {
    let Ok(buffer) = input.fill_buf() else { return b',' };
    let header = buffer.split(|byte| *byte == b'\n').next().unwrap_or_default();
    let count = |separator: u8| header.iter().filter(|byte| **byte == separator).count();
    if count(b';') > count(b',') { b';' } else { b',' }
}

/// The kind named on the command line or in the API (`units`, `training-records`, …).
pub fn kind_named(name: &str) -> Option<ImportKind> {
    ImportKind::ALL.into_iter().find(|kind| kind.as_str() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_field_names_are_matched_ignoring_case_as_csv_headers_are() {
        let object = serde_json::json!({ "NIP": "199402282019032002", " Hours ": 24, "programme": null, "color": "x" });
        let (values, problems) = json_fields(ImportKind::TrainingRecords, object.as_object().unwrap(), 3);
        assert_eq!(values.get("nip").map(String::as_str), Some("199402282019032002"));
        assert_eq!(values.get("hours").map(String::as_str), Some("24"));
        assert!(!values.contains_key("programme"), "null is no value");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "unknown field \"color\"");

        let twice = serde_json::json!({ "nip": "1", "Nip": "2" });
        let (_, problems) = json_fields(ImportKind::TrainingRecords, twice.as_object().unwrap(), 4);
        assert_eq!(problems[0].message, "the field nip is given twice");
    }
}
