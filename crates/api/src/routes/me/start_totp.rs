use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::TotpEnrolment;
use rxgate_app::account;

use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts setting up an authenticator app: a new secret, as a QR code and for manual entry.
/// Nothing changes until a code is confirmed. Starting again replaces an unconfirmed secret.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = OK, body = TotpEnrolment),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`MFA_ALREADY_ENROLLED`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/mfa/totp")]
pub async fn start_totp(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let enrolment = account::start_totp(&state.db, &state.data_keys, &principal, &meta).await?;
    Ok(HttpResponse::Ok().json(enrolment))
}
