//! Signed checkpoints of the audit chain, as transparency logs (Certificate Transparency's signed tree
//! heads, Sigstore Rekor's and Trillian's checkpoints) keep them: the chain's size and head hash, signed
//! with an Ed25519 key the database does not hold and kept outside it. The hash chain alone shows an
//! edit in the middle, but whoever can write the table can also delete its tail or recompute every
//! hash after an edit; a checkpoint made before vouches for the chain up to its size, and forging a new
//! one needs the key.
//!
//! A checkpoint is one JSON line (`origin`, `size`, `head`, `made_at`, `key_id`, `signature`); the
//! signature covers the text `kinerja audit checkpoint v1\n{origin}\n{size}\n{head}\n{made_at}\n`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signer as _, Verifier as _};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::entity::audit_event;
use crate::{Store, StoreError, StoreResult};

/// The key that signs checkpoints. Keep it where the database's writers cannot read it.
pub struct CheckpointSigner(ed25519_dalek::SigningKey);

/// The public half, enough to verify checkpoints (an auditor's copy needs no more).
#[derive(Clone, PartialEq, Eq)]
pub struct CheckpointVerifier(ed25519_dalek::VerifyingKey);

/// Why a key or a checkpoint line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CheckpointFormatError(String);

impl CheckpointSigner {
    /// The key of a 32-byte Ed25519 seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// The key of a seed written as base64 (what a key file holds).
    pub fn from_base64(text: &str) -> Result<Self, CheckpointFormatError> {
        let bytes = BASE64
            .decode(text.trim())
            .map_err(|e| CheckpointFormatError(format!("the checkpoint key is not base64: {e}")))?;
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| CheckpointFormatError("the checkpoint key must be a 32-byte Ed25519 seed".to_owned()))?;
        Ok(Self::from_seed(seed))
    }

    /// The seed as base64, for the key file.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0.to_bytes())
    }

    pub fn verifier(&self) -> CheckpointVerifier {
        CheckpointVerifier(self.0.verifying_key())
    }
}

impl std::fmt::Debug for CheckpointSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CheckpointSigner").field(&"[redacted]").finish()
    }
}

impl CheckpointVerifier {
    /// A public key written as base64 (`kinerja audit public-key` prints it).
    pub fn from_base64(text: &str) -> Result<Self, CheckpointFormatError> {
        let bytes = BASE64
            .decode(text.trim())
            .map_err(|e| CheckpointFormatError(format!("the checkpoint public key is not base64: {e}")))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| CheckpointFormatError("the checkpoint public key must be 32 bytes".to_owned()))?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(Self)
            .map_err(|e| CheckpointFormatError(format!("the checkpoint public key is not an Ed25519 key: {e}")))
    }

    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0.to_bytes())
    }

    /// A short name of the key, so that a checkpoint says which key signed it.
    pub fn key_id(&self) -> String {
        let digest = Sha256::digest(self.0.to_bytes());
        digest.iter().take(4).map(|byte| format!("{byte:02x}")).collect()
    }
}

impl std::fmt::Debug for CheckpointVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CheckpointVerifier").field(&self.key_id()).finish()
    }
}

/// A signed statement that the audit chain held `size` events ending in the hash `head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Which log: `audit.origin`, so that one deployment's checkpoints do not pass for another's.
    pub origin: String,
    pub size: i64,
    pub head: String,
    pub made_at: DateTime<Utc>,
    pub key_id: String,
    signature: String,
}

fn body(origin: &str, size: i64, head: &str, made_at: &DateTime<Utc>) -> String {
    let made_at = made_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    format!("kinerja audit checkpoint v1\n{origin}\n{size}\n{head}\n{made_at}\n")
}

impl Checkpoint {
    /// Signs the chain head `(size, head)`.
    pub fn sign(signer: &CheckpointSigner, origin: &str, size: i64, head: &str, made_at: DateTime<Utc>) -> Self {
        // Signed and stored to the second, so that what is read back verifies.
        let made_at = DateTime::from_timestamp(made_at.timestamp(), 0).unwrap_or(made_at);
        let signature = signer.0.sign(body(origin, size, head, &made_at).as_bytes());
        Self {
            origin: origin.to_owned(),
            size,
            head: head.to_owned(),
            made_at,
            key_id: signer.verifier().key_id(),
            signature: BASE64.encode(signature.to_bytes()),
        }
    }

    /// Whether `verifier`'s key signed exactly this checkpoint.
    pub fn is_signed_by(&self, verifier: &CheckpointVerifier) -> bool {
        let Ok(bytes) = BASE64.decode(&self.signature) else { return false };
        let Ok(signature) = ed25519_dalek::Signature::from_slice(&bytes) else { return false };
        let message = body(&self.origin, self.size, &self.head, &self.made_at);
        verifier.0.verify(message.as_bytes(), &signature).is_ok()
    }

    /// The checkpoint as one JSON line (without the line break).
    pub fn to_line(&self) -> String {
        json!({
            "origin": self.origin,
            "size": self.size,
            "head": self.head,
            "made_at": self.made_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            "key_id": self.key_id,
            "signature": self.signature,
        })
        .to_string()
    }

    /// Reads one line of a checkpoint file.
    pub fn from_line(line: &str) -> Result<Self, CheckpointFormatError> {
        let value: Value =
            serde_json::from_str(line).map_err(|e| CheckpointFormatError(format!("not a JSON object: {e}")))?;
        let text = |field: &str| {
            value[field]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| CheckpointFormatError(format!("`{field}` is missing")))
        };
        let size = value["size"].as_i64().ok_or_else(|| CheckpointFormatError("`size` is not a number".to_owned()))?;
        let made_at = DateTime::parse_from_rfc3339(&text("made_at")?)
            .map_err(|e| CheckpointFormatError(format!("`made_at`: {e}")))?
            .with_timezone(&Utc);
        Ok(Self {
            origin: text("origin")?,
            size,
            head: text("head")?,
            made_at,
            key_id: text("key_id")?,
            signature: text("signature")?,
        })
    }
}

impl Store {
    /// The chain's size and head hash: the last chained event's sequence number and hash; `None` for an
    /// empty log.
    pub async fn audit_chain_head(&self) -> StoreResult<Option<(i64, String)>> {
        let last = audit_event::Entity::find()
            .filter(audit_event::Column::Sequence.is_not_null())
            .order_by_desc(audit_event::Column::Sequence)
            .limit(1)
            .one(&self.db)
            .await?;
        Ok(last.and_then(|event| Some((event.sequence?, event.hash?))))
    }

    /// A checkpoint of the chain as it stands, signed with `signer`; `None` for an empty log.
    pub async fn checkpoint_audit_chain(
        &self,
        signer: &CheckpointSigner,
        origin: &str,
        made_at: DateTime<Utc>,
    ) -> StoreResult<Option<Checkpoint>> {
        Ok(self.audit_chain_head().await?.map(|(size, head)| Checkpoint::sign(signer, origin, size, &head, made_at)))
    }

    /// What is wrong with the chain as the checkpoints vouch for it: each checkpoint must be signed by
    /// `verifier`'s key for `origin`, no checkpoint may be smaller than one before it, and the chain must
    /// still hold the checkpoint's last event with the checkpoint's hash. Together with the walk of
    /// [`Store::verify_audit_chain`], which checks every event up to the head, this finds a deleted
    /// tail, nulled fields and a chain recomputed after an edit.
    pub async fn check_audit_checkpoints(
        &self,
        checkpoints: &[Checkpoint],
        verifier: &CheckpointVerifier,
        origin: &str,
    ) -> StoreResult<Vec<String>> {
        let mut problems = Vec::new();
        let mut largest = 0;
        for checkpoint in checkpoints {
            let name = format!("the checkpoint of {} events made {}", checkpoint.size, checkpoint.made_at.to_rfc3339());
            if !checkpoint.is_signed_by(verifier) {
                problems.push(format!(
                    "{name}: its signature does not verify with key {} (forged, altered, or signed with another key)",
                    verifier.key_id()
                ));
                continue;
            }
            if checkpoint.origin != origin {
                problems.push(format!("{name}: made for the log `{}`, not `{origin}`", checkpoint.origin));
                continue;
            }
            if checkpoint.size < largest {
                problems.push(format!("{name}: smaller than a checkpoint before it (size {largest})"));
            }
            largest = largest.max(checkpoint.size);
            let event = audit_event::Entity::find()
                .filter(audit_event::Column::Sequence.eq(checkpoint.size))
                .one(&self.db)
                .await
                .map_err(StoreError::from)?;
            match event.and_then(|event| event.hash) {
                None => problems.push(format!(
                    "{name}: event #{} is gone: the log was cut back below what the checkpoint vouches for",
                    checkpoint.size
                )),
                Some(hash) if hash != checkpoint.head => problems.push(format!(
                    "{name}: event #{} no longer ends the chain the checkpoint signed: the chain was rewritten",
                    checkpoint.size
                )),
                Some(_) => {}
            }
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_only_as_signed_and_survives_its_line() {
        let signer = CheckpointSigner::from_seed([7; 32]);
        let made_at = DateTime::parse_from_rfc3339("2026-12-02T06:00:00.123Z").unwrap().with_timezone(&Utc);
        let checkpoint = Checkpoint::sign(&signer, "kinerja", 42, "ab12", made_at);
        let read = Checkpoint::from_line(&checkpoint.to_line()).unwrap();
        assert_eq!(read, checkpoint);
        assert!(read.is_signed_by(&signer.verifier()));
        assert!(!read.is_signed_by(&CheckpointSigner::from_seed([8; 32]).verifier()), "another key");
        let mut grown = read.clone();
        grown.size = 43;
        assert!(!grown.is_signed_by(&signer.verifier()), "a changed size");
        let copied = CheckpointSigner::from_base64(&signer.to_base64()).unwrap();
        assert_eq!(copied.verifier(), signer.verifier());
        let public = CheckpointVerifier::from_base64(&signer.verifier().to_base64()).unwrap();
        assert!(read.is_signed_by(&public));
        assert!(CheckpointSigner::from_base64("c2hvcnQ=").unwrap_err().to_string().contains("32-byte"));
        assert!(Checkpoint::from_line("{\"size\": 1}").unwrap_err().to_string().contains("`made_at`"));
    }
}
