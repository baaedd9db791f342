//! `kinerja audit`: signed checkpoints of the audit chain kept in files outside the database, and the
//! verification of the chain against them.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use kinerja_store::{Checkpoint, CheckpointSigner, CheckpointVerifier, Store};
use rand::TryRngCore;

use crate::settings::AuditSettings;

/// The checkpoint key of `audit.checkpoint_key_file`, created (readable by its owner only) when missing.
pub(crate) fn signer(settings: &AuditSettings) -> anyhow::Result<CheckpointSigner> {
    let path = Path::new(&settings.checkpoint_key_file);
    anyhow::ensure!(!settings.checkpoint_key_file.is_empty(), "audit.checkpoint_key_file is not set");
    if !path.exists() {
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.try_fill_bytes(&mut seed).context("reading the system's random source")?;
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        }
        // Written aside and linked into place, so that a process starting at the same moment reads a
        // whole key, and the first one made stays.
        let draft = path.with_extension(format!("new.{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file =
            options.open(&draft).with_context(|| format!("creating audit.checkpoint_key_file {}", path.display()))?;
        writeln!(file, "{}", CheckpointSigner::from_seed(seed).to_base64())?;
        file.sync_all()?;
        let linked = std::fs::hard_link(&draft, path);
        std::fs::remove_file(&draft)?;
        match linked {
            Ok(()) => tracing::info!(file = %path.display(), "created a new audit checkpoint key"),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => {
                return Err(error).with_context(|| format!("creating audit.checkpoint_key_file {}", path.display()));
            }
        }
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading audit.checkpoint_key_file {}", path.display()))?;
    CheckpointSigner::from_base64(&text).with_context(|| format!("audit.checkpoint_key_file {}", path.display()))
}

/// The key checkpoints are verified with: `audit.public_key`, or the public half of the key file, which
/// must exist: a verifier that made itself a new key would vouch for nothing.
fn verifier(settings: &AuditSettings) -> anyhow::Result<CheckpointVerifier> {
    if !settings.public_key.is_empty() {
        return CheckpointVerifier::from_base64(&settings.public_key).context("audit.public_key");
    }
    let path = Path::new(&settings.checkpoint_key_file);
    anyhow::ensure!(
        path.exists(),
        "no checkpoint key at {} (audit.checkpoint_key_file) and no audit.public_key: run kinerja where its data \
         folder is, or give the verifying key (`kinerja audit public-key` prints it)",
        path.display()
    );
    Ok(signer(settings)?.verifier())
}

/// Every checkpoint of `audit.checkpoint_file`, oldest first; none when the file does not exist yet.
fn checkpoints(settings: &AuditSettings) -> anyhow::Result<Vec<Checkpoint>> {
    let path = Path::new(&settings.checkpoint_file);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| Checkpoint::from_line(line).with_context(|| format!("{}:{}", path.display(), index + 1)))
        .collect()
}

/// Appends a checkpoint of the chain as it stands, unless the last one already covers it. Returns the
/// checkpoint written.
pub(crate) async fn checkpoint(store: &Store, settings: &AuditSettings) -> anyhow::Result<Option<Checkpoint>> {
    let signer = signer(settings)?;
    let Some(made) = store.checkpoint_audit_chain(&signer, &settings.origin, chrono::Utc::now()).await? else {
        return Ok(None);
    };
    if let Some(last) = checkpoints(settings)?.pop() {
        if last.size == made.size && last.head == made.head {
            return Ok(None);
        }
        // Never vouch for a chain that no longer holds what the last checkpoint signed.
        let problems =
            store.check_audit_checkpoints(std::slice::from_ref(&last), &verifier(settings)?, &settings.origin).await?;
        anyhow::ensure!(
            problems.is_empty(),
            "not signing: the audit log no longer matches its latest checkpoint ({}); run `kinerja audit verify`",
            problems.join("; ")
        );
    }
    let path = Path::new(&settings.checkpoint_file);
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening audit.checkpoint_file {}", path.display()))?;
    writeln!(file, "{}", made.to_line())?;
    file.sync_all()?;
    Ok(Some(made))
}

/// Writes a checkpoint every `audit.checkpoint_interval_seconds` while the server runs.
pub(crate) fn keep_checkpointing(store: Store, settings: &AuditSettings) -> anyhow::Result<()> {
    if settings.checkpoint_interval_seconds == 0 {
        return Ok(());
    }
    // The key is read now, so that a bad key file stops start-up rather than a later checkpoint.
    signer(settings)?;
    let settings = settings.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(settings.checkpoint_interval_seconds));
        loop {
            ticks.tick().await;
            match checkpoint(&store, &settings).await {
                Ok(Some(made)) => tracing::info!(size = made.size, "audit chain checkpointed"),
                Ok(None) => {}
                Err(error) => tracing::error!(error = %format!("{error:#}"), "cannot checkpoint the audit chain"),
            }
        }
    });
    Ok(())
}

/// Checks the chain and, unless `chain_only`, every checkpoint; prints what was checked, or every
/// problem and fails.
pub(crate) async fn verify(store: &Store, settings: &AuditSettings, chain_only: bool) -> anyhow::Result<()> {
    let report = store.verify_audit_chain().await?;
    let mut problems = report.problems;
    let vouched = if chain_only {
        None
    } else {
        let checkpoints = checkpoints(settings)?;
        let verifier = verifier(settings)?;
        problems.extend(store.check_audit_checkpoints(&checkpoints, &verifier, &settings.origin).await?);
        Some((checkpoints, verifier))
    };
    if !problems.is_empty() {
        for problem in &problems {
            println!("{problem}");
        }
        anyhow::bail!("the audit log is broken: {} problem(s) among {} events", problems.len(), report.checked);
    }
    println!(
        "audit chain intact: {} events checked ({} written before the chain began)",
        report.checked, report.unchained
    );
    match vouched {
        None => {
            println!(
                "checkpoints not checked (--chain-only): a deleted tail or a recomputed chain cannot be ruled out"
            );
        }
        Some((checkpoints, verifier)) => match checkpoints.last() {
            Some(last) => println!(
                "{} signed checkpoint(s) hold (key {}); the latest vouches for events #1..#{} as of {}",
                checkpoints.len(),
                verifier.key_id(),
                last.size,
                last.made_at.to_rfc3339()
            ),
            None => println!(
                "no checkpoint in {} yet: a deleted tail or a recomputed chain cannot be ruled out (run `kinerja audit checkpoint`)",
                settings.checkpoint_file
            ),
        },
    }
    Ok(())
}
