//! Passkeys (WebAuthn) through webauthn-rs: the relying party built from `public_url`, and the
//! conversions between its values and what the API and the database hold.
//!
//! A ceremony has two requests. The first stores the server half (challenge, expected
//! credentials) in `webauthn_ceremonies` and hands the client the options; the second takes that
//! state exactly once and verifies the authenticator's answer against it.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, RequestChallengeResponse, Url, Webauthn, WebauthnBuilder,
};
use webauthn_rs_proto::ResidentKeyRequirement;

use crate::error::AppError;

/// How long a started ceremony waits for the authenticator's answer.
pub const CEREMONY_TTL: TimeDelta = TimeDelta::minutes(5);

/// A user keeps at most this many passkeys (the list is never paginated).
pub const MAX_PASSKEYS: i64 = 10;

#[derive(Debug, thiserror::Error)]
#[error("application.public_url {url:?} cannot serve passkeys: {reason}")]
pub struct RelyingPartyError {
    url: String,
    reason: String,
}

/// The relying party: its id is the host of `public_url` (a domain name; browsers refuse IP
/// addresses) and the only accepted origin is `public_url` itself.
pub fn relying_party(public_url: &str) -> Result<Webauthn, RelyingPartyError> {
    let fail = |reason: String| RelyingPartyError {
        url: public_url.to_owned(),
        reason,
    };
    let origin = Url::parse(public_url).map_err(|e| fail(e.to_string()))?;
    let host = origin
        .host_str()
        .ok_or_else(|| fail("it has no host".into()))?
        .to_owned();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return Err(fail(
            "passkeys need a domain name such as localhost, not an IP address".into(),
        ));
    }
    WebauthnBuilder::new(&host, &origin)
        .and_then(|b| b.rp_name("Rxgate").build())
        .map_err(|e| fail(e.to_string()))
}

pub fn expiry(now: DateTime<Utc>) -> DateTime<Utc> {
    now + CEREMONY_TTL
}

/// Registration options that ask for a discoverable credential where the authenticator can
/// keep one, so the same passkey also signs in without an email address.
pub fn prefer_discoverable(mut ccr: CreationChallengeResponse) -> CreationChallengeResponse {
    if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
        sel.resident_key = Some(ResidentKeyRequirement::Preferred);
    }
    ccr
}

/// Usernameless sign-in started by a button rather than the browser's autofill.
pub fn modal(mut rcr: RequestChallengeResponse) -> RequestChallengeResponse {
    rcr.mediation = None;
    rcr
}

pub fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(AppError::internal)
}

/// A stored value back; a stored value that does not parse is our bug, not the client's.
pub fn from_stored<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(AppError::internal)
}

/// The client's credential; a malformed one is the client's error (422 on `credential`).
pub fn from_client<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value.clone()).map_err(|e| {
        AppError::Validation(vec![rxgate_api_types::FieldError {
            field: "credential".into(),
            code: "webauthn".into(),
            message: format!("This is not a WebAuthn credential: {e}"),
        }])
    })
}

/// A ceremony that is unknown, used, expired or not the caller's.
pub fn ceremony_gone() -> AppError {
    AppError::Conflict {
        code: "CEREMONY_EXPIRED",
        detail: "This passkey request has expired or was already used. Try again.".into(),
    }
}

pub fn passkey_view(
    row: &rxgate_persistence::passkeys::PasskeyRow,
) -> rxgate_api_types::auth::PasskeyView {
    rxgate_api_types::auth::PasskeyView {
        id: row.id,
        name: row.name.clone(),
        created_at: row.created_at,
        last_used_at: row.last_used_at,
    }
}

pub fn parse_passkey(row: &rxgate_persistence::passkeys::PasskeyRow) -> Result<Passkey, AppError> {
    from_stored(row.passkey.clone())
}

/// Records a verified use of `row`'s passkey: its new counter and backup state, and when.
pub async fn record_use(
    conn: &mut sqlx::PgConnection,
    row: &rxgate_persistence::passkeys::PasskeyRow,
    result: &webauthn_rs::prelude::AuthenticationResult,
) -> Result<(), AppError> {
    let mut passkey = parse_passkey(row)?;
    let updated = match passkey.update_credential(result) {
        Some(true) => Some(to_json(&passkey)?),
        _ => None,
    };
    rxgate_persistence::passkeys::record_use(conn, row.id, updated.as_ref()).await?;
    Ok(())
}

/// The authenticator's answer did not verify (422 on `credential`).
pub fn not_verified() -> AppError {
    AppError::Validation(vec![rxgate_api_types::FieldError {
        field: "credential".into(),
        code: "webauthn".into(),
        message: "The passkey could not be verified. Try again.".into(),
    }])
}
