use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::admin::{InvitationView, NewInvitation};
use rxgate_app::admin::people::{self, Invite};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Invites someone by email to a staff role in an organisation. The link in the email
/// (`/accept-invitation#token=…`) works once, for 7 days.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewInvitation,
    responses(
        (status = CREATED, body = InvitationView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Bad email, role, organisation or missing registration number", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: web::Json<NewInvitation>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let invitation = people::create_invitation(
        &state.db,
        &state.settings.application.public_url,
        &principal,
        &meta,
        Invite {
            email: body.email,
            role: body.role.into(),
            organisation_id: body.organisation_id,
            registration_number: body.registration_number,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(invitation))
}
