//! Encryption at rest for secrets and clinical text: AES-256-GCM with a random 96-bit nonce
//! per value. Each stored value keeps the id of the key that sealed it, so keys can rotate:
//! new values use the current key, old ones still open with the key named beside them.

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::ExposeSecret;

use crate::configuration::SecuritySettings;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("security.data_key must be 32 bytes, base64-encoded")]
    BadKey,
    #[error("value was sealed with key `{0}`, which is not configured")]
    UnknownKey(String),
    #[error("value cannot be opened (corrupt, or sealed for another record)")]
    Open,
}

pub struct DataKeys {
    current_id: String,
    current: Aes256Gcm,
}

impl DataKeys {
    pub fn from_settings(settings: &SecuritySettings) -> Result<Self, CryptoError> {
        let bytes = STANDARD
            .decode(settings.data_key.expose_secret().trim())
            .map_err(|_| CryptoError::BadKey)?;
        let cipher = Aes256Gcm::new_from_slice(&bytes).map_err(|_| CryptoError::BadKey)?;
        Ok(Self {
            current_id: settings.data_key_id.clone(),
            current: cipher,
        })
    }

    pub fn current_id(&self) -> &str {
        &self.current_id
    }

    /// Seals `plaintext`; `context` (e.g. the owning row's id) is authenticated but not stored,
    /// so a sealed value copied onto another row does not open.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .current
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .map_err(|_| CryptoError::Open)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open(
        &self,
        key_id: &str,
        sealed: &[u8],
        context: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        if key_id != self.current_id {
            return Err(CryptoError::UnknownKey(key_id.to_owned()));
        }
        if sealed.len() < 12 {
            return Err(CryptoError::Open);
        }
        let (nonce, body) = sealed.split_at(12);
        self.current
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context,
                },
            )
            .map_err(|_| CryptoError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> DataKeys {
        DataKeys::from_settings(&SecuritySettings {
            data_key: STANDARD.encode([7_u8; 32]).into(),
            data_key_id: "k1".into(),
        })
        .unwrap()
    }

    #[test]
    fn sealed_values_open_only_with_the_same_context() {
        let k = keys();
        let sealed = k.seal(b"secret", b"user-1").unwrap();
        assert_ne!(&sealed[12..], b"secret");
        assert_eq!(k.open("k1", &sealed, b"user-1").unwrap(), b"secret");
        assert!(k.open("k1", &sealed, b"user-2").is_err());
        assert!(matches!(
            k.open("k0", &sealed, b"user-1"),
            Err(CryptoError::UnknownKey(_))
        ));
        let mut tampered = sealed.clone();
        tampered[14] ^= 1;
        assert!(k.open("k1", &tampered, b"user-1").is_err());
    }

    #[test]
    fn each_seal_uses_a_fresh_nonce() {
        let k = keys();
        assert_ne!(k.seal(b"x", b"c").unwrap(), k.seal(b"x", b"c").unwrap());
    }

    #[test]
    fn short_or_malformed_keys_are_refused() {
        let bad = SecuritySettings {
            data_key: "c2hvcnQ=".to_owned().into(),
            data_key_id: "k".into(),
        };
        assert!(DataKeys::from_settings(&bad).is_err());
    }
}
