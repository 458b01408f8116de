//! Sign-up, sign-in, tokens, the signed-in user, consents.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vocab::{DoctorStatus, MfaMethod, MfaState, OrganisationKind, Role, TokenType};
#[cfg(feature = "server")]
use validator::Validate;

/// A consent given at sign-up or later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ConsentInput {
    /// e.g. `terms`, `privacy`, `health_data_processing`, `marketing`.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 40)))]
    #[cfg_attr(
        feature = "server",
        schema(min_length = 2, max_length = 40, pattern = r"^[a-z][a-z0-9_]{1,39}$")
    )]
    pub purpose: String,
    /// Version of the policy text the person saw, e.g. `2026-11`.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 40)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 40))]
    pub policy_version: String,
    pub granted: bool,
}

/// Licence details a doctor registers with (checked by a platform admin before approval).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct DoctorRegistration {
    #[cfg_attr(feature = "server", validate(length(min = 3, max = 40)))]
    #[cfg_attr(feature = "server", schema(min_length = 3, max_length = 40))]
    pub licence_number: String,
    /// Issuing body, e.g. `HPCSA` or `NPI`.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 40)))]
    #[cfg_attr(feature = "server", schema(min_length = 2, max_length = 40))]
    pub licence_body: String,
    /// Where the licence is valid, e.g. `ZA` or `US-CA`.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 40)))]
    #[cfg_attr(feature = "server", schema(min_length = 2, max_length = 40))]
    pub licence_region: String,
    pub licence_expires_on: NaiveDate,
    #[serde(default)]
    pub specialties: Vec<String>,
    /// IANA time zone, e.g. `Africa/Johannesburg`.
    #[cfg_attr(feature = "server", validate(length(min = 3, max = 64)))]
    #[cfg_attr(feature = "server", schema(min_length = 3, max_length = 64))]
    pub time_zone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignupKind {
    Patient,
    Doctor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct SignupRequest {
    pub kind: SignupKind,
    #[cfg_attr(feature = "server", validate(length(min = 3, max = 254)))]
    #[cfg_attr(feature = "server", schema(format = Email, min_length = 3, max_length = 254))]
    pub email: String,
    /// At least 12 characters, not a common password.
    #[cfg_attr(feature = "server", schema(min_length = 12, max_length = 128))]
    pub password: String,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 120)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 120))]
    pub display_name: String,
    /// The clinic the person signs up with (its slug); defaults to the demo/default clinic.
    pub clinic_slug: Option<String>,
    /// A doctor's referral code: links the new patient to that doctor.
    pub referral_code: Option<String>,
    /// Required when `kind` is `doctor`.
    #[cfg_attr(feature = "server", validate(nested))]
    pub doctor: Option<DoctorRegistration>,
    /// Must include `terms`, `privacy` and `health_data_processing`, granted.
    #[cfg_attr(feature = "server", validate(nested))]
    pub consents: Vec<ConsentInput>,
}

/// Sign-up always answers the same, whether or not the address already has an account (the
/// owner of an existing account is told by email instead): nobody can probe who is a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SignupAccepted {
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenInput {
    /// The token from the emailed link.
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EmailInput {
    #[cfg_attr(feature = "server", schema(format = Email))]
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[cfg_attr(feature = "server", schema(format = Email))]
    pub email: String,
    pub password: String,
    /// Native apps ask for the refresh token in the body; browsers get an HttpOnly cookie.
    #[serde(default)]
    pub refresh_token_in_body: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// Only for native clients; browsers send the cookie.
    pub refresh_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Bearer token for `Authorization`, valid `expires_in` seconds.
    pub access_token: String,
    pub token_type: TokenType,
    pub expires_in: i64,
    /// Present only when asked for (`refresh_token_in_body`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub user: Me,
    pub mfa: MfaState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MembershipView {
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub organisation_kind: OrganisationKind,
    pub role: Role,
}

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub email_verified: bool,
    pub roles: Vec<Role>,
    pub memberships: Vec<MembershipView>,
    /// For doctors: where their registration stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doctor_status: Option<DoctorStatus>,
    /// The doctor's referral code, to share with patients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_code: Option<String>,
    /// Whether a second factor (authenticator app or passkey) is set up.
    #[serde(default)]
    pub mfa_enrolled: bool,
    /// The second factors set up.
    #[serde(default)]
    pub mfa_methods: Vec<MfaMethod>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConsentView {
    pub id: Uuid,
    pub purpose: String,
    pub policy_version: String,
    pub granted: bool,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// The session this request belongs to.
    pub current: bool,
}

/// A TOTP enrolment in progress: add the secret to an authenticator app, then confirm a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    /// Base32 secret for manual entry.
    pub secret: String,
    /// `otpauth://` URL (what the QR code holds).
    pub otpauth_url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CodeInput {
    /// A 6-digit code from the authenticator app.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MfaVerifyRequest {
    /// A 6-digit code from the authenticator app…
    pub code: Option<String>,
    /// …or one of the single-use recovery codes.
    pub recovery_code: Option<String>,
}

/// Enrolment finished: the recovery codes are shown once and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MfaEnrolled {
    pub recovery_codes: Vec<String>,
    /// Tokens for this session, now with the second factor satisfied.
    pub tokens: TokenResponse,
}

/// A WebAuthn ceremony the server started. Hand `options` to `navigator.credentials.create()`
/// (registration) or `navigator.credentials.get()` (sign-in) after decoding its base64url
/// fields, then send the result back with `ceremony_id` within five minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PasskeyChallenge {
    pub ceremony_id: Uuid,
    /// `{"publicKey": PublicKeyCredentialCreationOptions | PublicKeyCredentialRequestOptions}`
    /// in WebAuthn's JSON encoding (binary values base64url).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// The authenticator's answer to a registration ceremony.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct PasskeyRegistration {
    pub ceremony_id: Uuid,
    /// A name to recognise the passkey by, e.g. "Work laptop".
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 64)))]
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 64))]
    pub name: String,
    /// The `PublicKeyCredential` from `navigator.credentials.create()`, WebAuthn JSON
    /// (`id`, `rawId`, `type`, `response.attestationObject`, `response.clientDataJSON`).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// The authenticator's answer to a sign-in or second-factor ceremony.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PasskeyAssertion {
    pub ceremony_id: Uuid,
    /// The `PublicKeyCredential` from `navigator.credentials.get()`, WebAuthn JSON
    /// (`id`, `rawId`, `type`, `response.authenticatorData`, `response.clientDataJSON`,
    /// `response.signature`, `response.userHandle`).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub credential: serde_json::Value,
    /// Native apps ask for the refresh token in the body; browsers get an HttpOnly cookie.
    #[serde(default)]
    pub refresh_token_in_body: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PasskeyView {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A passkey was added. The session counts as having passed a second factor (registering a
/// passkey requires user verification), so fresh tokens come with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PasskeyRegistered {
    pub passkey: PasskeyView,
    pub tokens: TokenResponse,
}
