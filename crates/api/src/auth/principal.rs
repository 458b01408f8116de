//! The authenticated caller of a request, from its bearer token.

use std::future::{Ready, ready};
use std::str::FromStr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use rxgate_domain::identity::{MfaStatus, Role};

use std::ops::Deref;

use crate::error::ApiError;
use crate::middleware::request_id::current_request_id;
use crate::state::AppState;
use rxgate_app::auth::{Actor, CLINIC_HEADER, TokenError};

/// A caller with a valid token who has passed every required factor. Staff without a second
/// factor, and people who set one up but have not entered it this session, are refused with
/// 403 `MFA_ENROLMENT_REQUIRED` / `MFA_REQUIRED`. The acting user of the application layer
/// ([`Actor`]), extracted from the request.
#[derive(Debug, Clone)]
pub struct Principal(pub Actor);

impl Deref for Principal {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0
    }
}

/// A caller with a valid token, second factor or not: only for the endpoints that set up or
/// check the second factor, show the caller's own profile, or sign out.
#[derive(Debug, Clone)]
pub struct PartialPrincipal(pub Principal);

impl PartialPrincipal {
    pub fn mfa_status(&self) -> MfaStatus {
        MfaStatus::of(&self.0.roles, self.0.mfa_enrolled, self.0.mfa)
    }
}

impl Principal {
    /// Refuses callers without `role` (403: the endpoint exists, the caller may not use it).
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        Ok(self.0.require(role)?)
    }
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequest for Principal {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = from_token(req).and_then(|p| {
            let partial = PartialPrincipal(p);
            match partial.mfa_status() {
                MfaStatus::EnrolmentRequired => Err(ApiError::Forbidden {
                    code: "MFA_ENROLMENT_REQUIRED",
                    detail:
                        "Set up a second factor (an authenticator app or a passkey) to continue."
                            .into(),
                }),
                MfaStatus::Required => Err(ApiError::Forbidden {
                    code: "MFA_REQUIRED",
                    detail:
                        "Pass your second factor (authenticator app code or passkey) to continue."
                            .into(),
                }),
                MfaStatus::Satisfied | MfaStatus::NotRequired => Ok(partial.0),
            }
        });
        ready(result.map_err(Into::into))
    }
}

impl FromRequest for PartialPrincipal {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(from_token(req).map(PartialPrincipal).map_err(Into::into))
    }
}

fn from_token(req: &HttpRequest) -> Result<Principal, ApiError> {
    (|| {
        let state = req
            .app_data::<web::Data<AppState>>()
            .ok_or(ApiError::Unauthenticated)?;
        let token = bearer(req).ok_or(ApiError::Unauthenticated)?;
        // The edge of the system: the one place a request's token meets the clock.
        let claims = state
            .keys
            .verify(token, chrono::Utc::now())
            .map_err(|e| match e {
                TokenError::Expired => ApiError::AccessTokenExpired,
                TokenError::Malformed
                | TokenError::UnknownKey
                | TokenError::BadSignature
                | TokenError::WrongAudience => ApiError::Unauthenticated,
            })?;
        // A malformed clinic header names no clinic the caller holds: 404 like any other.
        let requested_clinic = match req.headers().get(CLINIC_HEADER) {
            None => None,
            Some(v) => Some(
                v.to_str()
                    .ok()
                    .and_then(|s| s.trim().parse().ok())
                    .ok_or(ApiError::NotFound)?,
            ),
        };
        Ok::<_, ApiError>(Principal(Actor {
            request_id: current_request_id(),
            requested_clinic,
            user_id: claims.sub,
            session_id: claims.sid,
            roles: claims
                .roles
                .iter()
                .filter_map(|r| Role::from_str(r).ok())
                .collect(),
            clinic_ids: claims.clinics,
            clinic_roles: claims
                .clinic_roles
                .iter()
                .filter_map(|pair| {
                    let (role, clinic) = pair.split_once(':')?;
                    Some((Role::from_str(role).ok()?, clinic.parse().ok()?))
                })
                .collect(),
            pharmacy_ids: claims.pharmacies,
            mfa: claims.mfa,
            mfa_enrolled: claims.mfa_enrolled,
        }))
    })()
}
