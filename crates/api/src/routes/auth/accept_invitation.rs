use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::admin::{AcceptInvitation, InvitationAccepted};
use rxgate_app::registration;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::state::AppState;

/// Accepts an invitation with the token from the emailed link: creates the account (name and
/// password required), or adds the role to the existing account with that address. The email
/// address counts as verified: the link proves the inbox.
#[utoipa::path(
    tag = "auth",
    request_body = AcceptInvitation,
    responses(
        (status = CREATED, body = InvitationAccepted),
        (status = BAD_REQUEST, description = "`INVALID_TOKEN` or `TOKEN_EXPIRED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Missing name or weak password for a new account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accept-invitation")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<AcceptInvitation>,
) -> Result<HttpResponse, ApiError> {
    let accepted = registration::accept_invitation(&state.db, &meta, &body).await?;
    Ok(HttpResponse::Created().json(accepted))
}
