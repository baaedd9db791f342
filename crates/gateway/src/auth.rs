//! Bearer tokens: who calls, and in which role. Tokens are JWTs verified with an HMAC secret (development
//! tokens from `kinerja token issue`) or with the public keys of an organisation's identity provider
//! (a JWKS file). Neither tokens nor keys are ever logged or echoed in an error.

use std::time::Duration;

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use kinerja_domain::{Nip, Role};
use serde_json::{Map, Value, json};

/// How tokens are verified.
#[derive(Clone)]
pub struct AuthConfig {
    /// The HMAC (HS256) secret that development tokens are signed with.
    pub secret: Option<Vec<u8>>,
    /// The identity provider's public keys (RS256, ES256 or EdDSA), as a JWKS document.
    pub jwks: Option<JwkSet>,
    /// The `aud` every token must carry.
    pub audience: String,
    /// The `iss` every token must carry, when set.
    pub issuer: Option<String>,
    /// The claim holding the caller's NIP (`sub` for kinerja's own tokens).
    pub nip_claim: String,
    /// The claim holding the role: a string, or an array whose first kinerja role is taken.
    pub role_claim: String,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            secret: None,
            jwks: None,
            audience: "kinerja".to_owned(),
            issuer: None,
            nip_claim: "sub".to_owned(),
            role_claim: "role".to_owned(),
            leeway: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("jwks_keys", &self.jwks.as_ref().map(|set| set.keys.len()))
            .field("audience", &self.audience)
            .field("issuer", &self.issuer)
            .field("nip_claim", &self.nip_claim)
            .field("role_claim", &self.role_claim)
            .finish()
    }
}

/// Why a token was refused, or why the verifier could not be built. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no verification key is configured: set auth.secret, auth.secret_file or auth.jwks_file")]
    NoKey,
    #[error("auth.jwks_file: key {index}: {reason}")]
    BadJwk { index: usize, reason: String },
    #[error("send a bearer token: Authorization: Bearer <token> (`kinerja token issue` makes one)")]
    Missing,
    #[error("the token is malformed")]
    Malformed,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token's signature does not verify")]
    BadSignature,
    #[error("the token is for another audience")]
    WrongAudience,
    #[error("the token is from another issuer")]
    WrongIssuer,
    #[error("the token is signed with an algorithm or key that is not accepted")]
    WrongKey,
    #[error("the token lacks the claim `{0}`")]
    MissingClaim(String),
    #[error("the token's `{claim}` claim: {reason}")]
    BadClaim { claim: String, reason: String },
    #[error("cannot sign the token: {0}")]
    Signing(String),
}

/// The verified caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub nip: Nip,
    pub role: Role,
    /// Unix time (seconds) after which the token is refused: its `exp` plus the tolerated clock skew.
    pub valid_until: i64,
}

struct VerificationKey {
    kid: Option<String>,
    algorithm: Algorithm,
    key: DecodingKey,
}

/// Verifies bearer tokens against the configured keys.
pub struct Authenticator {
    keys: Vec<VerificationKey>,
    config: AuthConfig,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator").field("keys", &self.keys.len()).field("config", &self.config).finish()
    }
}

fn jwk_algorithm(jwk: &jsonwebtoken::jwk::Jwk) -> Option<Algorithm> {
    if let Some(algorithm) = jwk.common.key_algorithm {
        return algorithm.to_string().parse().ok();
    }
    match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Some(Algorithm::RS256),
        AlgorithmParameters::OctetKeyPair(_) => Some(Algorithm::EdDSA),
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => Some(Algorithm::ES256),
            EllipticCurve::P384 => Some(Algorithm::ES384),
            _ => None,
        },
        _ => None,
    }
}

impl Authenticator {
    pub fn new(config: AuthConfig) -> Result<Self, AuthError> {
        let mut keys = Vec::new();
        if let Some(secret) = &config.secret {
            keys.push(VerificationKey {
                kid: None,
                algorithm: Algorithm::HS256,
                key: DecodingKey::from_secret(secret),
            });
        }
        for (index, jwk) in config.jwks.iter().flat_map(|set| set.keys.iter()).enumerate() {
            let bad = |reason: String| AuthError::BadJwk { index, reason };
            if matches!(jwk.algorithm, AlgorithmParameters::OctetKey(_)) {
                return Err(bad("symmetric keys do not belong in a public key set".to_owned()));
            }
            let algorithm = jwk_algorithm(jwk).ok_or_else(|| bad("unsupported key type or algorithm".to_owned()))?;
            let key = DecodingKey::from_jwk(jwk).map_err(|e| bad(e.to_string()))?;
            keys.push(VerificationKey { kid: jwk.common.key_id.clone(), algorithm, key });
        }
        if keys.is_empty() {
            return Err(AuthError::NoKey);
        }
        Ok(Self { keys, config })
    }

    /// Verifies a token and reads the caller's NIP and role from it.
    pub fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Malformed)?;
        let candidates: Vec<&VerificationKey> = self
            .keys
            .iter()
            .filter(|key| key.algorithm == header.alg)
            .filter(|key| header.kid.is_none() || key.kid.is_none() || key.kid == header.kid)
            .collect();
        if candidates.is_empty() {
            return Err(AuthError::WrongKey);
        }
        let mut validation = Validation::new(header.alg);
        validation.leeway = self.config.leeway.as_secs();
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "aud"]);
        validation.set_audience(&[&self.config.audience]);
        if let Some(issuer) = &self.config.issuer {
            validation.set_issuer(&[issuer]);
        }
        let mut last = AuthError::BadSignature;
        for candidate in candidates {
            match jsonwebtoken::decode::<Map<String, Value>>(token, &candidate.key, &validation) {
                Ok(data) => return self.identity(&data.claims),
                Err(error) => {
                    last = match error.kind() {
                        ErrorKind::ExpiredSignature => AuthError::Expired,
                        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
                        ErrorKind::InvalidAudience => AuthError::WrongAudience,
                        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
                        ErrorKind::MissingRequiredClaim(claim) => AuthError::MissingClaim(claim.clone()),
                        ErrorKind::InvalidSignature => AuthError::BadSignature,
                        ErrorKind::InvalidAlgorithm => AuthError::WrongKey,
                        _ => AuthError::Malformed,
                    };
                    // Another key of the set may still verify it.
                    if last != AuthError::BadSignature {
                        return Err(last);
                    }
                }
            }
        }
        Err(last)
    }

    fn identity(&self, claims: &Map<String, Value>) -> Result<Identity, AuthError> {
        let nip_claim = &self.config.nip_claim;
        let role_claim = &self.config.role_claim;
        let bad = |claim: &str, reason: String| AuthError::BadClaim { claim: claim.to_owned(), reason };
        let nip_text =
            claims.get(nip_claim).and_then(Value::as_str).ok_or_else(|| AuthError::MissingClaim(nip_claim.clone()))?;
        let nip = Nip::parse(nip_text).map_err(|e| bad(nip_claim, e.to_string()))?;
        let role = match claims.get(role_claim) {
            Some(Value::String(name)) => name.parse::<Role>().map_err(|e| bad(role_claim, e.to_string()))?,
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .find_map(|name| name.parse::<Role>().ok())
                .ok_or_else(|| bad(role_claim, "names no kinerja role".to_owned()))?,
            _ => return Err(AuthError::MissingClaim(role_claim.clone())),
        };
        let expires = claims.get("exp").and_then(Value::as_i64).ok_or_else(|| bad("exp", "not a number".to_owned()))?;
        let leeway = i64::try_from(self.config.leeway.as_secs()).unwrap_or(i64::MAX);
        Ok(Identity { nip, role, valid_until: expires.saturating_add(leeway) })
    }
}

/// Signs a development token (HS256) for `nip` acting as `role`, valid from now for `ttl`.
pub fn issue_token(config: &AuthConfig, nip: &Nip, role: Role, ttl: Duration) -> Result<String, AuthError> {
    let secret = config.secret.as_ref().ok_or(AuthError::NoKey)?;
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        config.nip_claim.as_str(): nip.as_str(),
        config.role_claim.as_str(): role.as_str(),
        "aud": config.audience,
        "iat": now,
        "nbf": now,
        "exp": now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
    });
    if let Some(issuer) = &config.issuer {
        claims["iss"] = json!(issuer);
    }
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret))
        .map_err(|e| AuthError::Signing(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NIP: &str = "198503302010011002";

    fn config() -> AuthConfig {
        AuthConfig { secret: Some(b"a development secret of enough length".to_vec()), ..AuthConfig::default() }
    }

    fn sign(claims: Value, secret: &[u8]) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret)).unwrap()
    }

    #[test]
    fn an_issued_token_names_the_caller_and_role() {
        let nip = Nip::parse(NIP).unwrap();
        let token = issue_token(&config(), &nip, Role::Rater, Duration::from_secs(600)).unwrap();
        let identity = Authenticator::new(config()).unwrap().verify(&token).unwrap();
        assert_eq!((identity.nip, identity.role), (nip, Role::Rater));
        let expected = chrono::Utc::now().timestamp() + 600 + 30;
        assert!((expected - 2..=expected).contains(&identity.valid_until), "exp plus the 30 s leeway");
    }

    #[test]
    fn expired_early_foreign_and_forged_tokens_are_refused_by_name() {
        let verifier = Authenticator::new(config()).unwrap();
        let secret = config().secret.unwrap();
        let now = chrono::Utc::now().timestamp();
        let claims = |exp: i64, nbf: i64, aud: &str| json!({ "sub": NIP, "role": "employee", "aud": aud, "exp": exp, "nbf": nbf });
        let cases = [
            (sign(claims(now - 3600, now - 7200, "kinerja"), &secret), AuthError::Expired),
            (sign(claims(now + 7200, now + 3600, "kinerja"), &secret), AuthError::NotYetValid),
            (sign(claims(now + 600, now, "payroll"), &secret), AuthError::WrongAudience),
            (sign(claims(now + 600, now, "kinerja"), b"another secret altogether"), AuthError::BadSignature),
            (
                sign(json!({ "sub": NIP, "role": "employee", "exp": now + 600 }), &secret),
                AuthError::MissingClaim("aud".to_owned()),
            ),
            ("not.a.token".to_owned(), AuthError::Malformed),
        ];
        for (token, expected) in cases {
            assert_eq!(verifier.verify(&token), Err(expected));
        }
        let unknown_role = sign(json!({ "sub": NIP, "role": "admin", "aud": "kinerja", "exp": now + 600 }), &secret);
        let refused = verifier.verify(&unknown_role).unwrap_err().to_string();
        assert!(refused.contains("`role`") && refused.contains("hr-admin"), "{refused}");
        let bad_nip = sign(json!({ "sub": "12345", "role": "employee", "aud": "kinerja", "exp": now + 600 }), &secret);
        assert!(matches!(verifier.verify(&bad_nip), Err(AuthError::BadClaim { claim, .. }) if claim == "sub"));
    }

    #[test]
    fn an_identity_provider_role_list_yields_the_first_kinerja_role() {
        let config = AuthConfig { nip_claim: "nip".to_owned(), role_claim: "roles".to_owned(), ..config() };
        let verifier = Authenticator::new(config.clone()).unwrap();
        let now = chrono::Utc::now().timestamp();
        let claims = json!({ "sub": "f1d2", "nip": NIP, "roles": ["offline_access", "analyst", "auditor"], "aud": "kinerja", "exp": now + 60 });
        let identity = verifier.verify(&sign(claims, config.secret.as_ref().unwrap())).unwrap();
        assert_eq!(identity.role, Role::Analyst);
    }

    #[test]
    fn identity_provider_keys_verify_their_own_tokens_only() {
        let jwks: JwkSet = serde_json::from_str(include_str!("../tests/fixtures/identity-provider-jwks.json")).unwrap();
        let issuer = "https://sso.example.go.id/realms/bkpsdm";
        let config = AuthConfig { jwks: Some(jwks), issuer: Some(issuer.to_owned()), ..AuthConfig::default() };
        let verifier = Authenticator::new(config).unwrap();
        let key = EncodingKey::from_ed_pem(include_bytes!("../tests/fixtures/identity-provider-test-key.pem")).unwrap();
        let now = chrono::Utc::now().timestamp();
        let claims = json!({ "sub": NIP, "role": "hr-admin", "aud": "kinerja", "iss": issuer, "exp": now + 60 });
        let signed = |kid: &str, claims: &Value| {
            let mut header = Header::new(Algorithm::EdDSA);
            header.kid = Some(kid.to_owned());
            jsonwebtoken::encode(&header, claims, &key).unwrap()
        };
        assert_eq!(verifier.verify(&signed("test-idp-1", &claims)).unwrap().role, Role::HrAdmin);
        assert_eq!(verifier.verify(&signed("rotated-away", &claims)), Err(AuthError::WrongKey));
        let mut foreign = claims.clone();
        foreign["iss"] = json!("https://elsewhere.example");
        assert_eq!(verifier.verify(&signed("test-idp-1", &foreign)), Err(AuthError::WrongIssuer));
        // An HMAC token cannot pass where only the provider's public keys are trusted.
        assert_eq!(verifier.verify(&sign(claims, b"guessable")), Err(AuthError::WrongKey));
    }

    #[test]
    fn a_verifier_needs_a_key() {
        assert_eq!(Authenticator::new(AuthConfig::default()).unwrap_err(), AuthError::NoKey);
    }
}
