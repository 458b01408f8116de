//! The cryptography `jsonwebtoken` signs and verifies with: EdDSA (Ed25519) only, over
//! `ed25519-dalek`. Rxgate signs every token with EdDSA, so the crate's `rust_crypto` provider
//! (which pulls in `rsa`, RUSTSEC-2023-0071) is not built; any other algorithm is refused.

use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, Result};
use jsonwebtoken::jwk::{EllipticCurve, ThumbprintHash};
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

struct EdDsaSigner(SigningKey);

impl Signer<Vec<u8>> for EdDsaSigner {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        Ok(self.0.sign(msg).to_bytes().to_vec())
    }
}

impl JwtSigner for EdDsaSigner {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }
}

struct EdDsaVerifier(VerifyingKey);

impl Verifier<Vec<u8>> for EdDsaVerifier {
    fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        self.0.verify(msg, &Signature::from_slice(signature)?)
    }
}

impl JwtVerifier for EdDsaVerifier {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }
}

fn new_signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    if *algorithm != Algorithm::EdDSA {
        return Err(ErrorKind::InvalidAlgorithm.into());
    }
    if key.family() != AlgorithmFamily::Ed {
        return Err(ErrorKind::InvalidKeyFormat.into());
    }
    let key = SigningKey::from_pkcs8_der(key.as_bytes()).map_err(|_| ErrorKind::InvalidEddsaKey)?;
    Ok(Box::new(EdDsaSigner(key)))
}

fn new_verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    if *algorithm != Algorithm::EdDSA {
        return Err(ErrorKind::InvalidAlgorithm.into());
    }
    if key.family() != AlgorithmFamily::Ed {
        return Err(ErrorKind::InvalidKeyFormat.into());
    }
    let bytes: &[u8; 32] = key
        .try_get_as_bytes()?
        .get(..32)
        .and_then(|b| b.try_into().ok())
        .ok_or(ErrorKind::InvalidEddsaKey)?;
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| ErrorKind::InvalidEddsaKey)?;
    Ok(Box::new(EdDsaVerifier(key)))
}

fn ed_public_key(private_der: &[u8], curve: &EllipticCurve) -> Result<Vec<u8>> {
    match curve {
        EllipticCurve::Ed25519 => Ok(SigningKey::from_pkcs8_der(private_der)
            .map_err(|_| ErrorKind::InvalidEddsaKey)?
            .verifying_key()
            .as_bytes()
            .to_vec()),
        _ => Err(ErrorKind::InvalidAlgorithm.into()),
    }
}

fn no_rsa(_: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    Err(ErrorKind::InvalidAlgorithm.into())
}

fn no_ec(_: &[u8], _: Algorithm) -> Result<(EllipticCurve, Vec<u8>, Vec<u8>)> {
    Err(ErrorKind::InvalidAlgorithm.into())
}

fn digest(data: &[u8], hash: ThumbprintHash) -> Result<Vec<u8>> {
    Ok(match hash {
        ThumbprintHash::SHA256 => Sha256::digest(data).to_vec(),
        ThumbprintHash::SHA384 => Sha384::digest(data).to_vec(),
        ThumbprintHash::SHA512 => Sha512::digest(data).to_vec(),
        _ => return Err(ErrorKind::InvalidAlgorithm.into()),
    })
}

/// EdDSA signing and verifying; every other algorithm is an [`ErrorKind::InvalidAlgorithm`].
pub static EDDSA_ONLY: CryptoProvider = CryptoProvider {
    signer_factory: new_signer,
    verifier_factory: new_verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: no_rsa,
        rsa_pub_components_from_public_key: no_rsa,
        ec_pub_components_from_private_key: no_ec,
        ed_pub_components_from_private_key: ed_public_key,
        compute_digest: digest,
    },
};

/// Makes [`EDDSA_ONLY`] the process's `jsonwebtoken` provider. Idempotent: called by
/// [`crate::auth::JwtKeys::from_settings`], so the server and every test that builds a keyring
/// get it before their first token.
pub fn install() {
    // Fails only when a provider is already installed, which is this one (nothing else installs).
    let _ = EDDSA_ONLY.install_default();
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::pkcs8::EncodePrivateKey;

    use super::*;

    fn keys() -> (EncodingKey, DecodingKey) {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let der = signing.to_pkcs8_der().unwrap();
        let encoding = EncodingKey::from_ed_der(der.as_bytes());
        let decoding = DecodingKey::from_ed_der(signing.verifying_key().as_bytes());
        (encoding, decoding)
    }

    #[test]
    fn eddsa_signs_and_verifies_and_a_changed_message_fails() {
        install();
        let (encoding, decoding) = keys();
        let signature =
            jsonwebtoken::crypto::sign(b"message", &encoding, Algorithm::EdDSA).unwrap();
        assert!(
            jsonwebtoken::crypto::verify(&signature, b"message", &decoding, Algorithm::EdDSA)
                .unwrap()
        );
        assert!(
            !jsonwebtoken::crypto::verify(&signature, b"messagf", &decoding, Algorithm::EdDSA)
                .unwrap()
        );
    }

    #[test]
    fn every_other_algorithm_is_refused() {
        install();
        let (encoding, decoding) = keys();
        let hmac = EncodingKey::from_secret(b"secret");
        for alg in [
            Algorithm::HS256,
            Algorithm::RS256,
            Algorithm::PS256,
            Algorithm::ES256,
        ] {
            assert!(
                jsonwebtoken::crypto::sign(b"m", &hmac, alg).is_err(),
                "{alg:?}"
            );
            assert!(
                jsonwebtoken::crypto::sign(b"m", &encoding, alg).is_err(),
                "{alg:?}"
            );
            assert!(
                jsonwebtoken::crypto::verify("AA", b"m", &decoding, alg).is_err(),
                "{alg:?}"
            );
        }
        // An HMAC secret is not an Ed25519 key, even when the algorithm says EdDSA.
        assert!(jsonwebtoken::crypto::sign(b"m", &hmac, Algorithm::EdDSA).is_err());
    }
}
