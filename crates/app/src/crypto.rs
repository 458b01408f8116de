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
    #[error(
        "security.previous_data_keys must be `key-id:BASE64` entries (32 bytes each), \
         separated by commas"
    )]
    BadPrevious,
}

fn cipher(base64: &str) -> Result<Aes256Gcm, CryptoError> {
    let bytes = STANDARD
        .decode(base64.trim())
        .map_err(|_| CryptoError::BadKey)?;
    Aes256Gcm::new_from_slice(&bytes).map_err(|_| CryptoError::BadKey)
}

/// The data-key ring: the current key seals, every listed key opens. Rotating is: make the
/// new key current, list the old one in `previous_data_keys`, run `rxgate rotate-keys` to
/// re-seal what the old key sealed, then drop the old key.
pub struct DataKeys {
    current_id: String,
    current: Aes256Gcm,
    previous: Vec<(String, Aes256Gcm)>,
}

impl DataKeys {
    pub fn from_settings(settings: &SecuritySettings) -> Result<Self, CryptoError> {
        let current = cipher(settings.data_key.expose_secret())?;
        let mut previous = Vec::new();
        if let Some(raw) = &settings.previous_data_keys {
            for entry in raw.expose_secret().split(',').map(str::trim) {
                if entry.is_empty() {
                    continue;
                }
                let (id, key) = entry.split_once(':').ok_or(CryptoError::BadPrevious)?;
                let id = id.trim();
                if id.is_empty() {
                    return Err(CryptoError::BadPrevious);
                }
                if id != settings.data_key_id {
                    previous.push((
                        id.to_owned(),
                        cipher(key).map_err(|_| CryptoError::BadPrevious)?,
                    ));
                }
            }
        }
        Ok(Self {
            current_id: settings.data_key_id.clone(),
            current,
            previous,
        })
    }

    pub fn current_id(&self) -> &str {
        &self.current_id
    }

    /// Ids of the keys that still open old values (not the current one).
    pub fn previous_ids(&self) -> impl Iterator<Item = &str> {
        self.previous.iter().map(|(id, _)| id.as_str())
    }

    fn key(&self, key_id: &str) -> Option<&Aes256Gcm> {
        if key_id == self.current_id {
            return Some(&self.current);
        }
        self.previous
            .iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, cipher)| cipher)
    }

    /// Opens `sealed` (made with `key_id`) and seals it again with the current key.
    pub fn reseal(
        &self,
        key_id: &str,
        sealed: &[u8],
        context: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let plain = self.open(key_id, sealed, context)?;
        self.seal(&plain, context)
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
        let key = self
            .key(key_id)
            .ok_or_else(|| CryptoError::UnknownKey(key_id.to_owned()))?;
        if sealed.len() < 12 {
            return Err(CryptoError::Open);
        }
        let (nonce, body) = sealed.split_at(12);
        key.decrypt(
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
            previous_data_keys: None,
        })
        .unwrap()
    }

    #[test]
    fn after_rotation_old_values_open_and_new_ones_use_the_new_key() {
        let old = keys();
        let sealed = old.seal(b"secret", b"user-1").unwrap();
        let rotated = DataKeys::from_settings(&SecuritySettings {
            data_key: STANDARD.encode([9_u8; 32]).into(),
            data_key_id: "k2".into(),
            previous_data_keys: Some(format!("k1:{}", STANDARD.encode([7_u8; 32])).into()),
        })
        .unwrap();
        assert_eq!(rotated.open("k1", &sealed, b"user-1").unwrap(), b"secret");
        let resealed = rotated.reseal("k1", &sealed, b"user-1").unwrap();
        assert_eq!(rotated.open("k2", &resealed, b"user-1").unwrap(), b"secret");
        assert!(old.open("k2", &resealed, b"user-1").is_err());
        assert_eq!(rotated.previous_ids().collect::<Vec<_>>(), vec!["k1"]);
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
            previous_data_keys: None,
        };
        assert!(DataKeys::from_settings(&bad).is_err());
    }
}

/// Why `rxgate rotate-keys` stopped.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("database: {0}")]
    Repo(#[from] rxgate_persistence::RepoError),
    #[error("a sealed value ({0}) cannot be opened with any configured key: {1}")]
    Open(&'static str, CryptoError),
}

/// Re-seals every value sealed with a previous data key under the current one, `batch` rows
/// per transaction (so a large table never holds long locks), table by table. Afterwards the
/// previous keys can be removed from the configuration. Returns how many values of each kind
/// were re-sealed. Safe to run again, and alongside the server.
pub async fn rotate_sealed(
    db: &rxgate_persistence::Db,
    keys: &DataKeys,
    batch: i64,
) -> Result<Vec<(&'static str, u64)>, RotateError> {
    use rxgate_persistence::sealed::{self, SealedKind};
    let ctx = rxgate_persistence::RlsContext::system();
    let mut report = Vec::new();
    for kind in SealedKind::ALL {
        let mut count = 0_u64;
        loop {
            let mut tx = db.begin(&ctx).await?;
            let rows = sealed::stale(&mut tx, kind, keys.current_id(), batch.max(1)).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let fresh = keys
                    .reseal(&row.key_id, &row.sealed, row.context.as_bytes())
                    .map_err(|e| RotateError::Open(kind.name(), e))?;
                sealed::replace(&mut tx, kind, row.row, keys.current_id(), &fresh).await?;
            }
            tx.commit()
                .await
                .map_err(rxgate_persistence::RepoError::from)?;
            count += rows.len() as u64;
        }
        report.push((kind.name(), count));
    }
    Ok(report)
}
