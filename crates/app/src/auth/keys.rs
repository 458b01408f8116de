//! Access tokens: EdDSA-signed JWTs with a key id, verifiable by anyone through the JWKS.

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::configuration::AuthSettings;

/// What an access token says about its bearer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    /// The session (refresh-token family) this token was issued for.
    pub sid: Uuid,
    pub roles: Vec<String>,
    pub clinics: Vec<Uuid>,
    /// The role held in each clinic, as `role:clinic-id` (a person may be a clinic's admin and
    /// another clinic's patient).
    #[serde(default)]
    pub clinic_roles: Vec<String>,
    pub pharmacies: Vec<Uuid>,
    /// Whether the session passed a second factor.
    pub mfa: bool,
    /// Whether the user has a second factor set up.
    #[serde(default)]
    pub mfa_enrolled: bool,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// What goes into an access token.
#[derive(Debug, Clone, Default)]
pub struct TokenFacts {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub roles: Vec<String>,
    pub clinics: Vec<Uuid>,
    pub clinic_roles: Vec<(String, Uuid)>,
    pub pharmacies: Vec<Uuid>,
    pub mfa: bool,
    pub mfa_enrolled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("auth.jwt_private_key_pem is not an Ed25519 PKCS#8 PEM key: {0}")]
    BadKey(jsonwebtoken::errors::Error),
    #[error(
        "auth.previous_jwt_keys must be `key-id:BASE64` entries (the PEM body of an Ed25519 \
         PKCS#8 key), separated by commas; `{0}` is not"
    )]
    BadPrevious(String),
}

/// Why a bearer token is refused. Each reason answers 401; only [`TokenError::Expired`] tells
/// the client that renewing (with its refresh token) will help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not a JWT")]
    Malformed,
    #[error("signed with a key this server does not know")]
    UnknownKey,
    #[error("signature does not verify")]
    BadSignature,
    #[error("issued for another audience or by another issuer")]
    WrongAudience,
    #[error("expired")]
    Expired,
}

/// Seconds of clock difference tolerated on expiry.
const LEEWAY_SECS: i64 = 5;

struct VerifyingKey {
    kid: String,
    decoding: DecodingKey,
}

/// The signing keyring: the current key signs, and the current and previous keys verify (so
/// tokens issued just before a rotation stay valid until they expire). The JWKS publishes the
/// public half of each.
pub struct JwtKeys {
    kid: String,
    encoding: EncodingKey,
    verifying: Vec<VerifyingKey>,
    jwks: JwkSet,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: TimeDelta,
}

fn public_jwk(encoding: &EncodingKey, kid: &str) -> Result<Jwk, KeyError> {
    let mut jwk = Jwk::from_encoding_key(encoding, Algorithm::EdDSA).map_err(KeyError::BadKey)?;
    jwk.common.key_id = Some(kid.to_owned());
    Ok(jwk)
}

/// `kid:BASE64,kid:BASE64` → (kid, PEM) pairs.
fn previous_keys(raw: &str) -> Result<Vec<(String, String)>, KeyError> {
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (kid, body) = entry
                .split_once(':')
                .filter(|(kid, body)| !kid.trim().is_empty() && !body.trim().is_empty())
                .ok_or_else(|| KeyError::BadPrevious(entry.chars().take(12).collect()))?;
            Ok((
                kid.trim().to_owned(),
                format!(
                    "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                    body.trim()
                ),
            ))
        })
        .collect()
}

impl JwtKeys {
    pub fn from_settings(settings: &AuthSettings) -> Result<Self, KeyError> {
        super::jwt_crypto::install();
        let encoding = EncodingKey::from_ed_pem(
            settings
                .jwt_private_key_pem
                .expose_secret()
                .trim()
                .as_bytes(),
        )
        .map_err(KeyError::BadKey)?;
        let current = public_jwk(&encoding, &settings.jwt_key_id)?;
        let mut jwks = vec![current];
        let previous = settings
            .previous_jwt_keys
            .as_ref()
            .map(|s| previous_keys(s.expose_secret()))
            .transpose()?
            .unwrap_or_default();
        for (kid, pem) in previous {
            if kid == settings.jwt_key_id {
                continue;
            }
            let key = EncodingKey::from_ed_pem(pem.as_bytes()).map_err(KeyError::BadKey)?;
            jwks.push(public_jwk(&key, &kid)?);
        }
        let verifying = jwks
            .iter()
            .map(|jwk| {
                Ok(VerifyingKey {
                    kid: jwk.common.key_id.clone().unwrap_or_default(),
                    decoding: DecodingKey::from_jwk(jwk).map_err(KeyError::BadKey)?,
                })
            })
            .collect::<Result<Vec<_>, KeyError>>()?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[settings.issuer.as_str()]);
        validation.set_audience(&[settings.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against the `now` the caller passes (time is a parameter).
        validation.validate_exp = false;
        Ok(Self {
            kid: settings.jwt_key_id.clone(),
            encoding,
            verifying,
            jwks: JwkSet { keys: jwks },
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl: settings
                .access_token_secs
                .map(TimeDelta::seconds)
                .unwrap_or_else(|| TimeDelta::minutes(settings.access_token_minutes)),
        })
    }

    pub fn ttl(&self) -> TimeDelta {
        self.ttl
    }

    /// The public keys that verify tokens: the current one first, then the previous ones.
    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// The id of the key that signs new tokens.
    pub fn current_kid(&self) -> &str {
        &self.kid
    }

    /// Signs arbitrary bytes with the current key (audit checkpoints): base64url EdDSA.
    pub fn sign_bytes(&self, message: &[u8]) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::crypto::sign(message, &self.encoding, Algorithm::EdDSA)
    }

    /// Checks a signature made by [`JwtKeys::sign_bytes`] with the key `kid`.
    pub fn verify_bytes(&self, kid: &str, message: &[u8], signature: &str) -> bool {
        self.verifying
            .iter()
            .find(|k| k.kid == kid)
            .is_some_and(|k| {
                jsonwebtoken::crypto::verify(signature, message, &k.decoding, Algorithm::EdDSA)
                    .unwrap_or(false)
            })
    }

    /// Signs a token for the given facts, valid from `now` for the configured lifetime.
    pub fn issue(
        &self,
        facts: TokenFacts,
        now: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = AccessClaims {
            sub: facts.user_id,
            sid: facts.session_id,
            roles: facts.roles,
            clinics: facts.clinics,
            clinic_roles: facts
                .clinic_roles
                .iter()
                .map(|(role, clinic)| format!("{role}:{clinic}"))
                .collect(),
            pharmacies: facts.pharmacies,
            mfa: facts.mfa,
            mfa_enrolled: facts.mfa_enrolled,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding)
    }

    /// Checks signature, algorithm, key id, issuer and audience, and expiry against `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, TokenError> {
        use jsonwebtoken::errors::ErrorKind;
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.verifying.iter().find(|k| k.kid == kid))
            .ok_or(TokenError::UnknownKey)?;
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidSignature => TokenError::BadSignature,
                ErrorKind::InvalidAudience | ErrorKind::InvalidIssuer => TokenError::WrongAudience,
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenError::BadSignature
                }
                _ => TokenError::Malformed,
            })?
            .claims;
        if claims.exp + LEEWAY_SECS <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}
