//! Configuration: `config/default.toml` (built in) → `config/$KINERJA_ENV.toml` → `--config FILE` →
//! environment variables `KINERJA__SECTION__KEY`.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use config::{Config, Environment, File, FileFormat};
use kinerja_gateway::auth::AuthConfig;
use rand::TryRngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Settings {
    pub(crate) database: DatabaseSettings,
    pub(crate) server: ServerSettings,
    pub(crate) graphql: GraphqlSettings,
    pub(crate) log: LogSettings,
    pub(crate) demo: DemoSettings,
    pub(crate) rules: RulesSettings,
    pub(crate) auth: AuthSettings,
    pub(crate) privacy: PrivacySettings,
    pub(crate) audit: AuditSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditSettings {
    pub(crate) checkpoint_key_file: String,
    pub(crate) checkpoint_file: String,
    pub(crate) public_key: String,
    pub(crate) origin: String,
    pub(crate) checkpoint_interval_seconds: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthSettings {
    /// Never shows in `Debug` output or logs.
    pub(crate) secret: SecretString,
    pub(crate) secret_file: String,
    /// Whether a missing `secret_file` is created with a random secret (never in production).
    pub(crate) generate_secret: bool,
    pub(crate) jwks_file: String,
    pub(crate) audience: String,
    pub(crate) issuer: String,
    pub(crate) nip_claim: String,
    pub(crate) role_claim: String,
    pub(crate) leeway_seconds: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PrivacySettings {
    pub(crate) min_group_size: u32,
    /// Fewest colleagues' answers on a plan the employee reads, aggregated.
    pub(crate) min_feedback_answers: u32,
    /// Seconds between rewrites of the released records the masked BI views read; 0 for only at start.
    pub(crate) release_interval_seconds: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesSettings {
    /// A folder of agency rule packs (`*.toml`) that add to or override the built-in ones; empty for none.
    pub(crate) directory: String,
    /// An agency's development catalogue (TOML) replacing the built-in one; empty for the built-in.
    pub(crate) catalogue: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatabaseSettings {
    /// May hold a password, so it never shows in `Debug` output or logs.
    pub(crate) url: SecretString,
    pub(crate) max_connections: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServerSettings {
    pub(crate) listen: SocketAddr,
    pub(crate) cors_origins: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GraphqlSettings {
    pub(crate) max_depth: usize,
    pub(crate) max_complexity: usize,
    pub(crate) max_page_size: usize,
    pub(crate) introspection: bool,
    pub(crate) max_body_bytes: usize,
    pub(crate) batch_delay_ms: u64,
    pub(crate) max_aliases: usize,
    pub(crate) execution_timeout_ms: u64,
    pub(crate) requests_per_second: u32,
    pub(crate) request_burst: u32,
    pub(crate) access_cache_ms: u64,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogSettings {
    pub(crate) format: LogFormat,
    pub(crate) filter: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoSettings {
    pub(crate) employees: u32,
    pub(crate) seed: u64,
}

/// Reads the token secret from `path`, first writing a random one (readable by the owner only) when the
/// file does not exist.
fn secret_from_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    if !path.exists() {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.try_fill_bytes(&mut bytes).context("reading the system's random source")?;
        let text: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).with_context(|| format!("creating auth.secret_file {}", path.display()))?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading auth.secret_file {}", path.display()))?;
    let secret = text.trim();
    anyhow::ensure!(
        secret.len() >= 32,
        "auth.secret_file {}: the secret must be at least 32 characters",
        path.display()
    );
    Ok(secret.as_bytes().to_vec())
}

impl Settings {
    /// Loads the layers; an invalid value is reported with its key.
    pub(crate) fn load(config_file: Option<&Path>) -> anyhow::Result<Self> {
        let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
        if let Ok(environment) = std::env::var("KINERJA_ENV") {
            // An environment named but not found must not fall back to development defaults.
            let path = Path::new("config").join(format!("{environment}.toml"));
            anyhow::ensure!(
                path.is_file(),
                "KINERJA_ENV={environment}, but {} does not exist under {}: start kinerja from the folder holding \
                 config/, or unset KINERJA_ENV and pass --config FILE",
                path.display(),
                std::env::current_dir()
                    .map(|dir| dir.display().to_string())
                    .unwrap_or_else(|_| "the working directory".to_owned())
            );
            builder = builder.add_source(File::from(path).required(true));
        }
        if let Some(path) = config_file {
            builder = builder.add_source(File::from(path).required(true));
        }
        builder = builder.add_source(
            Environment::with_prefix("KINERJA")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                // KINERJA__SERVER__CORS_ORIGINS=https://a.example,https://b.example
                .list_separator(",")
                .with_list_parse_key("server.cors_origins"),
        );
        let settings: Settings =
            builder.build().context("reading configuration")?.try_deserialize().context("invalid configuration")?;
        settings.validate()?;
        Ok(settings)
    }

    /// The built-in rule packs with the agency's packs from `rules.directory`.
    pub(crate) fn rule_packs(&self) -> anyhow::Result<kinerja_scoring::RulePacks> {
        let mut agency = Vec::new();
        if !self.rules.directory.is_empty() {
            let folder = Path::new(&self.rules.directory);
            let entries =
                std::fs::read_dir(folder).with_context(|| format!("reading rules.directory {}", folder.display()))?;
            let mut paths: Vec<_> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                agency.push((path.display().to_string(), text));
            }
        }
        let packs = kinerja_scoring::RulePacks::with_agency_packs(&agency)?;
        if self.rules.catalogue.is_empty() {
            return Ok(packs);
        }
        let path = Path::new(&self.rules.catalogue);
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading rules.catalogue {}", path.display()))?;
        Ok(packs.with_catalogue(kinerja_scoring::Catalogue::from_toml(&path.display().to_string(), &text)?))
    }

    /// How bearer tokens are verified (and development tokens signed). The secret comes from
    /// `auth.secret`, else from `auth.secret_file` (created with a random secret when missing).
    pub(crate) fn auth(&self) -> anyhow::Result<AuthConfig> {
        let auth = &self.auth;
        let secret = if !auth.secret.expose_secret().is_empty() {
            anyhow::ensure!(auth.secret.expose_secret().len() >= 32, "auth.secret must be at least 32 characters");
            Some(auth.secret.expose_secret().as_bytes().to_vec())
        } else if !auth.secret_file.is_empty() {
            let path = Path::new(&auth.secret_file);
            anyhow::ensure!(
                auth.generate_secret || path.exists(),
                "auth.secret_file {} does not exist and auth.generate_secret is off: set KINERJA__AUTH__SECRET, \
                 provide the file, or use an identity provider (auth.jwks_file)",
                path.display()
            );
            Some(secret_from_file(path)?)
        } else {
            None
        };
        let jwks = if auth.jwks_file.is_empty() {
            None
        } else {
            let text = std::fs::read_to_string(&auth.jwks_file)
                .with_context(|| format!("reading auth.jwks_file {}", auth.jwks_file))?;
            Some(
                serde_json::from_str(&text)
                    .with_context(|| format!("auth.jwks_file {} is not a JWKS document", auth.jwks_file))?,
            )
        };
        Ok(AuthConfig {
            secret,
            jwks,
            audience: auth.audience.clone(),
            issuer: Some(auth.issuer.clone()).filter(|issuer| !issuer.is_empty()),
            nip_claim: auth.nip_claim.clone(),
            role_claim: auth.role_claim.clone(),
            leeway: std::time::Duration::from_secs(auth.leeway_seconds),
        })
    }

    fn validate(&self) -> anyhow::Result<()> {
        let positive = [
            ("database.max_connections", self.database.max_connections as usize),
            ("graphql.max_depth", self.graphql.max_depth),
            ("graphql.max_complexity", self.graphql.max_complexity),
            ("graphql.max_page_size", self.graphql.max_page_size),
            ("graphql.max_body_bytes", self.graphql.max_body_bytes),
            ("graphql.execution_timeout_ms", self.graphql.execution_timeout_ms as usize),
            ("graphql.requests_per_second", self.graphql.requests_per_second as usize),
            ("graphql.request_burst", self.graphql.request_burst as usize),
            ("privacy.min_group_size", self.privacy.min_group_size as usize),
        ];
        for (key, value) in positive {
            anyhow::ensure!(value > 0, "invalid configuration: {key} must be greater than 0");
        }
        anyhow::ensure!(
            self.privacy.min_feedback_answers >= 3,
            "invalid configuration: privacy.min_feedback_answers must be at least 3, as fewer answers can be told apart"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn defaults_load_and_hide_the_database_url() {
        let settings = Settings::load(None).unwrap();
        assert!(settings.database.url.expose_secret().starts_with("sqlite://"));
        assert!(!format!("{settings:?}").contains("sqlite://"), "the URL is redacted in Debug output");
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let folder = std::env::temp_dir().join(format!("kinerja-config-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("bad.toml");
        std::fs::write(&file, "[graphql]\nmax_depth = \"deep\"\n").unwrap();
        let error = format!("{:#}", Settings::load(Some(&file)).unwrap_err());
        assert!(error.contains("graphql.max_depth"), "{error}");
        std::fs::write(&file, "[graphql]\nmax_page_size = 0\n").unwrap();
        let error = format!("{:#}", Settings::load(Some(&file)).unwrap_err());
        assert!(error.contains("graphql.max_page_size must be greater than 0"), "{error}");
        std::fs::remove_dir_all(folder).unwrap();
    }
}
