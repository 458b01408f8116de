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
}

pub struct JwtKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwks: JwkSet,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: TimeDelta,
}

impl JwtKeys {
    pub fn from_settings(settings: &AuthSettings) -> Result<Self, KeyError> {
        let encoding = EncodingKey::from_ed_pem(
            settings
                .jwt_private_key_pem
                .expose_secret()
                .trim()
                .as_bytes(),
        )
        .map_err(KeyError::BadKey)?;
        let mut jwk =
            Jwk::from_encoding_key(&encoding, Algorithm::EdDSA).map_err(KeyError::BadKey)?;
        jwk.common.key_id = Some(settings.jwt_key_id.clone());
        let decoding = DecodingKey::from_jwk(&jwk).map_err(KeyError::BadKey)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[settings.issuer.as_str()]);
        validation.set_audience(&[settings.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Ok(Self {
            kid: settings.jwt_key_id.clone(),
            encoding,
            decoding,
            jwks: JwkSet { keys: vec![jwk] },
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl: TimeDelta::minutes(settings.access_token_minutes),
        })
    }

    pub fn ttl(&self) -> TimeDelta {
        self.ttl
    }

    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
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

    /// Checks signature, algorithm, key id, issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.kid.as_deref() != Some(self.kid.as_str()) {
            return None;
        }
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}
