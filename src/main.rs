//! `kinerja`: performance management for civil servants, served over GraphQL.

mod audit;
mod demo;
mod evaluate;
mod export;
mod import;
mod settings;

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Datelike;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use kinerja_gateway::{GatewayConfig, Server};
use kinerja_store::{Store, StoreOptions};
use secrecy::ExposeSecret;
use tracing_subscriber::EnvFilter;

use crate::settings::{LogFormat, Settings};

// The server allocates and frees many small values per request (GraphQL values, rows, JSON); mimalloc
// does that with less time in the allocator than the system's malloc under concurrent requests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kinerja",
    version,
    about = "Performance management for civil servants (SKP, BerAKHLAK, predikat) with a GraphQL API"
)]
struct Cli {
    /// A configuration file layered over config/default.toml.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct DatabaseArg {
    /// Database URL (sqlite://FILE or postgres://...), overriding the configuration.
    #[arg(long)]
    database: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, load the demo city into an empty database, and serve GraphQL.
    Serve {
        #[command(flatten)]
        database: DatabaseArg,
        /// Address to listen on; port 0 picks a free port.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Employees in the demo city loaded into an empty database.
        #[arg(long)]
        demo_employees: Option<u32>,
    },
    /// Apply pending database migrations.
    Migrate {
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Generate a deterministic demo city (Kota Surakarta) into the database.
    Demo {
        #[command(flatten)]
        database: DatabaseArg,
        /// Random seed; the same seed gives the same city.
        #[arg(long)]
        seed: Option<u64>,
        /// Number of employees.
        #[arg(long)]
        employees: Option<u32>,
        /// Plan year (default: the current year).
        #[arg(long)]
        year: Option<i32>,
        /// Quarters with realisations (default: those of the plan year that have ended; in its first quarter
        /// the default year is last year, with its fourth quarter left to record).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
        quarters: Option<u8>,
    },
    /// Evaluate every plan of a year under its rule pack and check the units' distributions.
    Score {
        #[command(flatten)]
        database: DatabaseArg,
        /// The plan year.
        #[arg(long)]
        year: i32,
        /// Evaluate on the realisations through this period of the year (e.g. 2026-Q3); default the whole year.
        #[arg(long)]
        through: Option<String>,
        /// Only the plans in this unit's subtree.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Import a file of one kind of records (CSV or JSON Lines; docs/import.md): all rows or none, by
    /// natural key.
    Import {
        #[command(flatten)]
        database: DatabaseArg,
        /// What the file holds.
        #[arg(value_parser = import_kinds())]
        kind: kinerja_store::ImportKind,
        /// The file; `-` reads standard input.
        file: PathBuf,
        /// csv or jsonl (default: from the file's extension).
        #[arg(long, value_parser = parse_format)]
        format: Option<kinerja_import::Format>,
        /// Numbers are written with a decimal comma (1.234,5), as spreadsheets in Indonesian locale export.
        #[arg(long)]
        decimal_comma: bool,
        /// Check and report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Problems reported at most.
        #[arg(long, default_value_t = 100)]
        max_problems: usize,
    },
    /// Work with the audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Grants of the roles hr-admin, analyst and auditor: the first HR administrator is granted here,
    /// the rest by HR administrators through the API or here.
    Role {
        #[command(subcommand)]
        action: RoleAction,
    },
    /// Development bearer tokens, signed with the configured secret.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Export a table for analysts as CSV or Parquet (typed columns), streamed with a progress bar.
    Export {
        #[command(flatten)]
        database: DatabaseArg,
        /// employees, plans, realisations, evaluations, training-needs or development-hours.
        #[arg(value_parser = parse_export_kind)]
        what: kinerja_store::ExportKind,
        /// csv or parquet (default: from the output file's extension).
        #[arg(long, value_parser = parse_export_format)]
        format: Option<export::ExportFormat>,
        /// The file to write; `-` writes CSV to standard output.
        #[arg(long)]
        output: PathBuf,
        /// Only the employees of this unit's subtree.
        #[arg(long)]
        unit: Option<String>,
        /// Only this year (required for development-hours).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Derive the training needs of a year again from its evaluations and development records
    /// (`kinerja score` does this after scoring).
    Needs {
        #[command(flatten)]
        database: DatabaseArg,
        /// The year.
        #[arg(long)]
        year: i32,
        /// Only the employees in this unit's subtree.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Score one case given as JSON (a file, or standard input with `-`); see docs/evaluate.md.
    Evaluate {
        /// The case file; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
}

/// Every import kind, listed in `--help` and in the message for an unknown one.
fn import_kinds() -> impl clap::builder::TypedValueParser<Value = kinerja_store::ImportKind> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(kinerja_store::ImportKind::ALL.map(kinerja_store::ImportKind::as_str))
        .map(|name| kinerja_import::kind_named(&name).expect("the parser accepts only listed kinds"))
}

fn parse_export_kind(text: &str) -> Result<kinerja_store::ExportKind, String> {
    kinerja_store::ExportKind::ALL.into_iter().find(|kind| kind.as_str() == text).ok_or_else(|| {
        let kinds: Vec<&str> = kinerja_store::ExportKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown table {text:?}; expected one of {}", kinds.join(", "))
    })
}

fn parse_export_format(text: &str) -> Result<export::ExportFormat, String> {
    match text {
        "csv" => Ok(export::ExportFormat::Csv),
        "parquet" => Ok(export::ExportFormat::Parquet),
        other => Err(format!("unknown format {other:?}; expected csv or parquet")),
    }
}

fn parse_format(text: &str) -> Result<kinerja_import::Format, String> {
    match text {
        "csv" => Ok(kinerja_import::Format::Csv),
        "jsonl" | "ndjson" => Ok(kinerja_import::Format::JsonLines),
        other => Err(format!("unknown format {other:?}; expected csv or jsonl")),
    }
}

#[derive(Subcommand)]
enum TokenAction {
    /// Print a token for an existing employee acting in a role.
    Issue {
        #[command(flatten)]
        database: DatabaseArg,
        /// The employee's NIP.
        #[arg(long, required_unless_present = "head_of", conflicts_with = "head_of")]
        nip: Option<String>,
        /// Instead of a NIP: the head of the unit with this code (handy with the demo city).
        #[arg(long)]
        head_of: Option<String>,
        /// employee, rater, unit-head, hr-admin, analyst or auditor.
        #[arg(long)]
        role: kinerja_domain::Role,
        /// How long the token is valid, e.g. 30m, 8h, 7d.
        #[arg(long, default_value = "8h")]
        ttl: humantime::Duration,
    },
}

#[derive(Subcommand)]
enum RoleAction {
    /// Grant a role to an employee (replacing a grant of the same role they hold).
    Grant {
        #[command(flatten)]
        database: DatabaseArg,
        /// The employee's NIP.
        #[arg(long)]
        nip: String,
        /// hr-admin, analyst or auditor.
        #[arg(long)]
        role: kinerja_domain::Role,
        /// Limit an analyst's grant to the subtree of this unit.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Revoke an employee's grant of a role.
    Revoke {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        nip: String,
        #[arg(long)]
        role: kinerja_domain::Role,
    },
    /// List every grant.
    List {
        #[command(flatten)]
        database: DatabaseArg,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Check the hash chain of the audit log and the signed checkpoints of `audit.checkpoint_file`;
    /// names every deleted, altered or reordered event and every checkpoint the log no longer matches.
    Verify {
        #[command(flatten)]
        database: DatabaseArg,
        /// Check the hash chain only, without the checkpoints (and without their key): for a log whose
        /// checkpoints are kept elsewhere, or none yet.
        #[arg(long)]
        chain_only: bool,
    },
    /// Sign the chain's current size and head hash with the key of `audit.checkpoint_key_file` and
    /// append it to `audit.checkpoint_file` (`kinerja serve` does this every few minutes).
    Checkpoint {
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Print the public key that verifies checkpoints, for `audit.public_key` on a verifier's machine.
    PublicKey,
}

async fn role_command(settings: &Settings, action: RoleAction) -> anyhow::Result<()> {
    let parse_nip = |nip: &str| kinerja_domain::Nip::parse(nip).with_context(|| format!("--nip {nip}"));
    match action {
        RoleAction::Grant { database, nip, role, unit } => {
            let store = open_store(settings, &database).await?;
            let unit = unit
                .map(|code| kinerja_domain::UnitCode::parse(&code).with_context(|| format!("--unit {code}")))
                .transpose()?;
            let grant = kinerja_app::grant_role(&store, None, &parse_nip(&nip)?, role, unit.as_ref()).await?;
            let over =
                grant.unit.map_or_else(|| "the whole agency".to_owned(), |code| format!("the subtree of {code}"));
            println!("granted {} to {} over {over}", grant.role, grant.nip);
        }
        RoleAction::Revoke { database, nip, role } => {
            let store = open_store(settings, &database).await?;
            let nip = parse_nip(&nip)?;
            kinerja_app::revoke_role(&store, None, &nip, role).await?;
            println!("revoked {role} from {nip}");
        }
        RoleAction::List { database } => {
            let store = open_store(settings, &database).await?;
            for grant in store.role_grants(None).await? {
                let over = grant.unit.map_or_else(|| "agency".to_owned(), |code| code.to_string());
                println!("{}\t{}\t{over}\t{}", grant.role, grant.nip, grant.granted_at.to_rfc3339());
            }
        }
    }
    Ok(())
}

fn init_logging(settings: &Settings) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&settings.log.filter)
        .with_context(|| format!("invalid configuration: log.filter '{}'", settings.log.filter))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match settings.log.format {
        LogFormat::Human => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
    Ok(())
}

fn database_url(settings: &Settings, argument: &DatabaseArg) -> String {
    argument.database.clone().unwrap_or_else(|| settings.database.url.expose_secret().to_owned())
}

/// Creates the folder of a SQLite file so that a fresh checkout runs without setup.
fn prepare_sqlite_folder(url: &str) -> anyhow::Result<()> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = rest.split('?').next().unwrap_or(rest);
        if let Some(folder) = Path::new(path).parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        }
    }
    Ok(())
}

async fn open_store(settings: &Settings, argument: &DatabaseArg) -> anyhow::Result<Store> {
    let url = database_url(settings, argument);
    prepare_sqlite_folder(&url)?;
    let store = Store::connect(StoreOptions {
        url,
        max_connections: settings.database.max_connections,
        statement_counter: None,
    })
    .await
    .context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

/// The demo's year and the quarters of it already recorded: the quarters of this year that have ended,
/// or, while the first quarter runs, last year's first three (its fourth has ended and is being
/// recorded). Either way the quarter after the last recorded one has begun and is open for recording.
fn demo_year_and_quarters() -> (i32, u8) {
    let today = chrono::Utc::now().date_naive();
    match u8::try_from(today.month0() / 3).unwrap_or(0) {
        0 => (today.year() - 1, 3),
        ended => (today.year(), ended),
    }
}

fn progress_bar(total: u64, what: &str) -> anyhow::Result<ProgressBar> {
    let bar = ProgressBar::new(total);
    bar.set_style(
        with_rate(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {what} [{{bar:40}}] {{pos}}/{{len}} ({{rate}}, eta {{eta}})"
            ))
            .context("progress bar template")?,
        )
        .progress_chars("=> "),
    );
    Ok(bar)
}

/// The `{rate}` key of a progress template: whole rows a second (indicatif's `{per_sec}` shows four
/// decimals, `242,357.9159/s`).
pub(crate) fn with_rate(style: ProgressStyle) -> ProgressStyle {
    style.with_key("rate", |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
        let _ = write!(out, "{:.0}/s", state.per_sec());
    })
}

async fn run_scoring(
    store: &Store,
    packs: &kinerja_scoring::RulePacks,
    through: kinerja_domain::Period,
    unit: Option<&str>,
) -> anyhow::Result<()> {
    let year = through.year();
    let started = Instant::now();
    let unit = match unit {
        Some(code) => Some(store.unit_by_code(&kinerja_domain::UnitCode::parse(code)?).await?),
        None => None,
    };
    let bar = progress_bar(store.plan_count(year, unit.as_ref()).await?, "scoring plans")?;
    let summary = kinerja_app::score_year(store, packs, through, unit.as_ref(), |done| bar.inc(done)).await?;
    bar.finish_and_clear();
    tracing::info!(
        period = %through,
        scored = summary.scored,
        skipped = summary.skipped,
        units_checked = summary.units_checked,
        units_outside_guidance = summary.units_outside_guidance,
        seconds = started.elapsed().as_secs_f64(),
        "plans scored"
    );
    for reason in &summary.skip_reasons {
        tracing::warn!("not scored: {reason}");
    }
    derive_needs(store, packs, year, unit.as_ref()).await
}

/// Derives the year's training needs from its latest evaluations (after scoring, or on request).
async fn derive_needs(
    store: &Store,
    packs: &kinerja_scoring::RulePacks,
    year: i32,
    unit: Option<&kinerja_store::records::UnitRecord>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let pack = packs.for_year(year)?;
    if pack.development.is_none() {
        tracing::info!(year, pack = %pack.id, "no training needs: the year's rule pack has no [development] section");
        return Ok(());
    }
    let summary = kinerja_app::derive_training_needs(store, packs, None, year, unit.map(|u| &u.unit.code)).await?;
    tracing::info!(
        year,
        employees = summary.employees,
        raised = summary.raised,
        updated = summary.updated,
        completed = summary.completed,
        closed = summary.closed,
        unchanged = summary.unchanged,
        seconds = started.elapsed().as_secs_f64(),
        "training needs derived"
    );
    Ok(())
}

/// Loads the demo city, then scores it through the period its realisations cover.
async fn load_demo(
    store: &Store,
    packs: &kinerja_scoring::RulePacks,
    options: demo::DemoOptions,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let bar = progress_bar(u64::from(options.employees), "demo city employees")?;
    demo::load(store, options, packs, |written| bar.inc(written)).await?;
    bar.finish_and_clear();
    let counts = store.row_counts().await?;
    let summary: Vec<String> = counts.iter().map(|(table, n)| format!("{table}={n}")).collect();
    tracing::info!(
        employees = options.employees,
        seed = options.seed,
        year = options.year,
        seconds = started.elapsed().as_secs_f64(),
        "demo city loaded: {}",
        summary.join(" ")
    );
    run_scoring(store, packs, options.scored_through(), None).await?;
    demo::growth::load(store, packs, &options).await.context("writing the demo's development culture")
}

fn gateway_config(settings: &Settings) -> GatewayConfig {
    GatewayConfig {
        max_depth: settings.graphql.max_depth,
        max_complexity: settings.graphql.max_complexity,
        max_page_size: settings.graphql.max_page_size,
        introspection: settings.graphql.introspection,
        max_body_bytes: settings.graphql.max_body_bytes,
        batch_delay: Duration::from_millis(settings.graphql.batch_delay_ms),
        max_aliases: settings.graphql.max_aliases,
        execution_timeout: Duration::from_millis(settings.graphql.execution_timeout_ms),
        rate_per_second: NonZeroU32::new(settings.graphql.requests_per_second).unwrap_or(NonZeroU32::MIN),
        rate_burst: NonZeroU32::new(settings.graphql.request_burst).unwrap_or(NonZeroU32::MIN),
        min_group_size: settings.privacy.min_group_size,
        min_feedback_answers: settings.privacy.min_feedback_answers,
        access_cache: Duration::from_millis(settings.graphql.access_cache_ms),
        cors_origins: settings.server.cors_origins.clone(),
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => {
                let _ = interrupt.await;
                return;
            }
        };
        tokio::select! {
            _ = interrupt => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutting down");
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // The chain of causes on one line; a backtrace would only hide the message from users.
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Schema = cli.command {
        print!("{}", kinerja_gateway::sdl());
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref())?;
    if let Command::Evaluate { file } = &cli.command {
        let packs = settings.rule_packs()?;
        let output = evaluate::evaluate(&packs, &evaluate::read_case(file.as_deref())?)?;
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }
    init_logging(&settings)?;
    match cli.command {
        Command::Schema | Command::Evaluate { .. } => unreachable!("handled before logging is set up"),
        Command::Migrate { database } => {
            open_store(&settings, &database).await?;
            tracing::info!("database is up to date");
        }
        Command::Demo { database, seed, employees, year, quarters } => {
            let store = open_store(&settings, &database).await?;
            anyhow::ensure!(
                store.is_empty().await?,
                "the database already holds an organisation; demo loads into an empty one"
            );
            let (default_year, recorded) = demo_year_and_quarters();
            let year = year.unwrap_or(default_year);
            let completed_quarters = match quarters {
                Some(quarters) => quarters,
                None if year < default_year => 4,
                None if year == default_year => recorded,
                None => anyhow::bail!("no quarter of {year} has ended yet; pass --quarters or an earlier --year"),
            };
            let options = demo::DemoOptions {
                employees: employees.unwrap_or(settings.demo.employees),
                seed: seed.unwrap_or(settings.demo.seed),
                year,
                completed_quarters,
            };
            load_demo(&store, &settings.rule_packs()?, options).await?;
        }
        Command::Score { database, year, through, unit } => {
            let through = match through {
                Some(text) => kinerja_domain::Period::parse(&text)?,
                None => kinerja_domain::Period::Year(year),
            };
            anyhow::ensure!(through.year() == year, "--through {through} is not in {year}");
            let packs = settings.rule_packs()?;
            let store = open_store(&settings, &database).await?;
            run_scoring(&store, &packs, through, unit.as_deref()).await?;
        }
        Command::Export { database, what, format, output, unit, year } => {
            let format = match format {
                Some(format) => format,
                None if output.extension().is_some_and(|e| e == "parquet") => export::ExportFormat::Parquet,
                None => export::ExportFormat::Csv,
            };
            let packs = settings.rule_packs()?;
            let store = open_store(&settings, &database).await?;
            let hours_minimum = match (what, year) {
                (kinerja_store::ExportKind::DevelopmentHours, None) => {
                    anyhow::bail!("development-hours needs --year")
                }
                (kinerja_store::ExportKind::DevelopmentHours, Some(year)) => {
                    let pack = packs.for_year(year)?;
                    let rules = pack.development()?;
                    Some(rules.minimum_jp)
                }
                _ => None,
            };
            let unit = match unit {
                Some(code) => Some(store.unit_by_code(&kinerja_domain::UnitCode::parse(&code)?).await?),
                None => None,
            };
            let filter = kinerja_store::ExportFilter { unit, year, hours_minimum };
            let started = Instant::now();
            let bar = progress_bar(store.export_count(what, &filter).await?, &format!("exporting {}", what.as_str()))?;
            let rows = export::export(&store, what, &filter, format, &output, |n| bar.inc(n)).await?;
            bar.finish_and_clear();
            tracing::info!(
                table = what.as_str(),
                rows,
                file = %output.display(),
                seconds = started.elapsed().as_secs_f64(),
                "exported"
            );
        }
        Command::Needs { database, year, unit } => {
            let packs = settings.rule_packs()?;
            let store = open_store(&settings, &database).await?;
            let unit = match unit {
                Some(code) => Some(store.unit_by_code(&kinerja_domain::UnitCode::parse(&code)?).await?),
                None => None,
            };
            derive_needs(&store, &packs, year, unit.as_ref()).await?;
        }
        Command::Role { action } => role_command(&settings, action).await?,
        Command::Token { action: TokenAction::Issue { database, nip, head_of, role, ttl } } => {
            // The signing key first: a configuration that cannot sign stops before any lookup.
            let auth = settings.auth()?;
            let store = open_store(&settings, &database).await?;
            let nip = match (nip, head_of) {
                (Some(nip), _) => kinerja_domain::Nip::parse(&nip).with_context(|| format!("--nip {nip}"))?,
                (None, Some(code)) => {
                    let code = kinerja_domain::UnitCode::parse(&code).with_context(|| format!("--head-of {code}"))?;
                    store.unit_head(&code).await?.employee.nip
                }
                (None, None) => unreachable!("clap requires --nip or --head-of"),
            };
            // The role's reach is checked too: a unit head must head a unit.
            store.access(&nip, role, settings.privacy.min_group_size).await?;
            let token = kinerja_gateway::auth::issue_token(&auth, &nip, role, ttl.into())?;
            println!("{token}");
        }
        Command::Import { database, kind, file, format, decimal_comma, dry_run, max_problems } => {
            let store = open_store(&settings, &database).await?;
            let request = import::ImportRequest { kind, file: &file, format, decimal_comma, dry_run, max_problems };
            import::run(&store, &settings.rule_packs()?, request).await?;
            store.close().await?;
        }
        Command::Audit { action: AuditAction::Verify { database, chain_only } } => {
            let store = open_store(&settings, &database).await?;
            audit::verify(&store, &settings.audit, chain_only).await?;
        }
        Command::Audit { action: AuditAction::Checkpoint { database } } => {
            let store = open_store(&settings, &database).await?;
            match audit::checkpoint(&store, &settings.audit).await? {
                Some(made) => println!("{}", made.to_line()),
                None => println!("nothing new to checkpoint"),
            }
        }
        Command::Audit { action: AuditAction::PublicKey } => {
            println!("{}", audit::signer(&settings.audit)?.verifier().to_base64());
        }
        Command::Serve { database, listen, demo_employees } => {
            let store = open_store(&settings, &database).await?;
            if store.is_empty().await? {
                let (year, completed_quarters) = demo_year_and_quarters();
                let employees = demo_employees.unwrap_or(settings.demo.employees);
                tracing::info!(employees, "empty database: loading the demo city");
                let options = demo::DemoOptions { employees, seed: settings.demo.seed, year, completed_quarters };
                load_demo(&store, &settings.rule_packs()?, options).await?;
            }
            audit::keep_checkpointing(store.clone(), &settings.audit)?;
            keep_releasing(store.clone(), &settings.privacy).await?;
            let address = listen.unwrap_or(settings.server.listen);
            let authenticator = kinerja_gateway::auth::Authenticator::new(settings.auth()?)?;
            let server =
                Server::bind(address, store.clone(), settings.rule_packs()?, &gateway_config(&settings), authenticator)
                    .await?;
            let bound = server.local_addr()?;
            tracing::info!(address = %bound, database = store.backend_name(), "listening on http://{bound}/graphql");
            tracing::info!("requests need a bearer token, e.g. `kinerja token issue --head-of BKPSDM --role hr-admin`");
            server.run(shutdown_signal()).await?;
            store.close().await?;
        }
    }
    Ok(())
}

/// Writes the released records that the masked BI views read now, and again every
/// `privacy.release_interval_seconds` while the server runs.
async fn keep_releasing(store: Store, privacy: &settings::PrivacySettings) -> anyhow::Result<()> {
    let people = store.publish_release(privacy.min_group_size).await.context("releasing records for the BI views")?;
    tracing::debug!(people, "records released for the masked BI views");
    if privacy.release_interval_seconds == 0 {
        return Ok(());
    }
    let (interval, min_group) = (Duration::from_secs(privacy.release_interval_seconds), privacy.min_group_size);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        loop {
            ticks.tick().await;
            if let Err(error) = store.publish_release(min_group).await {
                tracing::error!(%error, "cannot release records for the masked BI views");
            }
        }
    });
    Ok(())
}
