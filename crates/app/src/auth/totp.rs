//! TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of clock drift either way).

use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use totp_rs::{Algorithm, TOTP};

const STEP: u64 = 30;
const ISSUER: &str = "Rxgate";

pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0_u8; 20];
    rand::rng().fill_bytes(&mut secret);
    secret
}

fn totp(secret: Vec<u8>, account: &str) -> Option<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP,
        secret,
        Some(ISSUER.into()),
        account.replace(':', ""),
    )
    .ok()
}

/// The base32 secret, the `otpauth://` URL and its QR code as SVG.
pub fn enrolment(secret: &[u8], account: &str) -> Option<(String, String, String)> {
    let t = totp(secret.to_vec(), account)?;
    let url = t.get_url();
    let qr = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Some((t.get_secret_base32(), url, svg))
}

/// The time step `code` is valid for at `now`, if any. The caller refuses steps not newer
/// than the last accepted one, so a code works once.
pub fn matching_step(secret: &[u8], code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret.to_vec(), "x")?;
    let now = u64::try_from(now.timestamp()).ok()?;
    let current = now / STEP;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| t.generate(step * STEP) == code)
        .and_then(|step| i64::try_from(step).ok())
}

/// The code for `now` (the seed prints none of these; tests and demo scripts use it).
pub fn code_at(secret: &[u8], now: DateTime<Utc>) -> Option<String> {
    let t = totp(secret.to_vec(), "x")?;
    Some(t.generate(u64::try_from(now.timestamp()).ok()?))
}

/// Ten recovery codes like `k7f3-9qzp-2mxd`, to hash and store.
pub fn recovery_codes() -> Vec<String> {
    (0..10)
        .map(|_| {
            let mut bytes = [0_u8; 9];
            rand::rng().fill_bytes(&mut bytes);
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(bytes)
                .to_lowercase()
                .replace(['-', '_'], "x");
            format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
        })
        .collect()
}

/// Recovery codes are compared without dashes, spaces or case.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn codes_match_their_step_and_one_step_of_drift() {
        let secret = new_secret();
        let now = Utc::now();
        let code = code_at(&secret, now).unwrap();
        let step = matching_step(&secret, &code, now).unwrap();
        assert_eq!(
            u64::try_from(step).unwrap(),
            u64::try_from(now.timestamp()).unwrap() / 30
        );
        assert!(matching_step(&secret, &code, now + TimeDelta::seconds(30)).is_some());
        assert!(matching_step(&secret, &code, now + TimeDelta::seconds(95)).is_none());
        assert!(matching_step(&secret, "12345", now).is_none());
        assert!(matching_step(&secret, "abcdef", now).is_none());
        assert!(
            matching_step(&new_secret(), &code, now).is_none()
                || code == code_at(&secret, now).unwrap()
        );
    }

    #[test]
    fn enrolment_gives_a_qr_and_a_url() {
        let (secret, url, svg) = enrolment(&new_secret(), "doctor@example.org").unwrap();
        assert_eq!(secret.len(), 32);
        assert!(
            url.starts_with("otpauth://totp/Rxgate:doctor%40example.org?"),
            "{url}"
        );
        assert!(svg.contains("<svg"));
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalise() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert_eq!(normalise_recovery_code(" K7F3-9QZP-2mxd "), "k7f39qzp2mxd");
    }
}
