//! `kinerja export`: a table for analysts as CSV or Parquet, written page by page (constant memory)
//! with a progress bar. Parquet columns carry their types: UTF-8 text, 64-bit integers, DECIMAL(18,4),
//! DATE and UTC TIMESTAMP(MICROS), so pandas, DuckDB and Polars read them as such.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use kinerja_store::{Cell, ColumnType, DECIMAL_SCALE, ExportColumn, ExportFilter, ExportKind, Store};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

/// Rows read per page.
const PAGE_ROWS: u64 = 10_000;
/// Rows per Parquet row group: large enough for good compression, small enough to hold in memory.
const ROW_GROUP_ROWS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportFormat {
    Csv,
    Parquet,
}

/// Where rows go.
enum Sink {
    Csv(csv::Writer<Box<dyn Write>>),
    Parquet { writer: SerializedFileWriter<File>, columns: &'static [ExportColumn], buffered: Vec<Vec<Cell>> },
}

impl Sink {
    fn open(format: ExportFormat, output: &Path, columns: &'static [ExportColumn]) -> anyhow::Result<Self> {
        match format {
            ExportFormat::Csv => {
                let out: Box<dyn Write> = if output == Path::new("-") {
                    Box::new(BufWriter::new(std::io::stdout().lock()))
                } else {
                    Box::new(BufWriter::new(create(output)?))
                };
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(columns.iter().map(|c| c.name))?;
                Ok(Sink::Csv(writer))
            }
            ExportFormat::Parquet => {
                anyhow::ensure!(output != Path::new("-"), "Parquet is written to a file, not to standard output");
                let schema = Arc::new(parse_message_type(&parquet_schema(columns))?);
                let properties = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
                let writer = SerializedFileWriter::new(create(output)?, schema, properties)?;
                Ok(Sink::Parquet { writer, columns, buffered: Vec::new() })
            }
        }
    }

    fn write(&mut self, rows: Vec<Vec<Cell>>) -> anyhow::Result<()> {
        match self {
            Sink::Csv(writer) => {
                for row in rows {
                    writer.write_record(row.iter().map(csv_text))?;
                }
            }
            Sink::Parquet { writer, columns, buffered } => {
                buffered.extend(rows);
                if buffered.len() >= ROW_GROUP_ROWS {
                    write_row_group(writer, columns, buffered)?;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::Csv(mut writer) => writer.flush()?,
            Sink::Parquet { mut writer, columns, mut buffered } => {
                if !buffered.is_empty() {
                    write_row_group(&mut writer, columns, &mut buffered)?;
                }
                writer.close()?;
            }
        }
        Ok(())
    }
}

fn create(path: &Path) -> anyhow::Result<File> {
    File::create(path).with_context(|| format!("creating {}", path.display()))
}

fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Decimal(d) => d.normalize().to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::Timestamp(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    }
}

fn parquet_schema(columns: &[ExportColumn]) -> String {
    let fields: Vec<String> = columns
        .iter()
        .map(|c| {
            let repetition = if c.nullable { "OPTIONAL" } else { "REQUIRED" };
            let kind = match c.kind {
                ColumnType::Text => "BYTE_ARRAY {} (UTF8)".to_owned(),
                ColumnType::Integer => "INT64 {}".to_owned(),
                ColumnType::Decimal => format!("INT64 {{}} (DECIMAL(18,{DECIMAL_SCALE}))"),
                ColumnType::Date => "INT32 {} (DATE)".to_owned(),
                ColumnType::Timestamp => "INT64 {} (TIMESTAMP(MICROS,true))".to_owned(),
            };
            format!("{repetition} {};", kind.replace("{}", c.name))
        })
        .collect();
    format!("message kinerja_export {{ {} }}", fields.join(" "))
}

/// Writes the buffered rows as one row group, column by column, and empties the buffer.
fn write_row_group(
    writer: &mut SerializedFileWriter<File>,
    columns: &[ExportColumn],
    rows: &mut Vec<Vec<Cell>>,
) -> anyhow::Result<()> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).context("the epoch")?;
    let mut group = writer.next_row_group()?;
    for (index, column) in columns.iter().enumerate() {
        let mut out = group.next_column()?.context("a column writer per schema column")?;
        let cells = rows.iter().map(|row| &row[index]);
        let levels: Vec<i16> = cells.clone().map(|cell| i16::from(!matches!(cell, Cell::Null))).collect();
        let levels = column.nullable.then_some(levels.as_slice());
        match column.kind {
            ColumnType::Text => {
                let values: Vec<ByteArray> = cells
                    .filter_map(|cell| match cell {
                        Cell::Text(text) => Some(ByteArray::from(text.as_str())),
                        _ => None,
                    })
                    .collect();
                out.typed::<ByteArrayType>().write_batch(&values, levels, None)?;
            }
            ColumnType::Date => {
                let values: Vec<i32> = cells
                    .filter_map(|cell| match cell {
                        Cell::Date(date) => i32::try_from((*date - epoch).num_days()).ok(),
                        _ => None,
                    })
                    .collect();
                out.typed::<Int32Type>().write_batch(&values, levels, None)?;
            }
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Timestamp => {
                let values: Vec<i64> = cells
                    .filter_map(|cell| match cell {
                        Cell::Integer(n) => Some(*n),
                        Cell::Decimal(d) => {
                            let mut scaled = *d;
                            scaled.rescale(DECIMAL_SCALE);
                            i64::try_from(scaled.mantissa()).ok()
                        }
                        Cell::Timestamp(t) => Some(t.timestamp_micros()),
                        _ => None,
                    })
                    .collect();
                out.typed::<Int64Type>().write_batch(&values, levels, None)?;
            }
        }
        out.close()?;
    }
    group.close()?;
    rows.clear();
    Ok(())
}

/// Writes every row of `kind` selected by `filter` to `output`, reporting progress in rows.
pub(crate) async fn export(
    store: &Store,
    kind: ExportKind,
    filter: &ExportFilter,
    format: ExportFormat,
    output: &Path,
    progress: impl Fn(u64),
) -> anyhow::Result<u64> {
    let mut sink = Sink::open(format, output, kind.columns())?;
    let mut after = None;
    let mut written = 0;
    loop {
        let page = store.export_page(kind, filter, after, PAGE_ROWS).await.context("reading rows")?;
        let count = page.rows.len() as u64;
        sink.write(page.rows)?;
        written += count;
        progress(count);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    sink.finish().with_context(|| format!("writing {}", output.display()))?;
    Ok(written)
}
