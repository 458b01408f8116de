use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::admin::{AcceptInvitation, InvitationAccepted};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::{EmailAddress, check_new_password};
use rxgate_persistence::{invitations, users};

use crate::audit::{self, Event};
use crate::auth::{RequestMeta, passwords, tokens};
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
    let now = Utc::now();
    // System context: the invitation's token is all there is, and accepting it may create the
    // account and its membership (the platform's act, on the inviting admin's behalf).
    let mut tx = state.begin_system().await?;
    let Some(inv) =
        invitations::find_open_by_token(&mut tx, &tokens::hash(body.token.trim())).await?
    else {
        return Err(ApiError::InvalidToken { expired: false });
    };
    if inv.accepted_at.is_some() || inv.revoked_at.is_some() {
        return Err(ApiError::InvalidToken { expired: false });
    }
    if inv.expires_at <= now {
        return Err(ApiError::InvalidToken { expired: true });
    }
    let existing = users::find_by_email(&mut tx, &inv.email).await?;
    let (user_id, new_account) = match existing {
        Some(u) => (u.id, false),
        None => {
            let email = EmailAddress::parse(&inv.email).map_err(ApiError::internal)?;
            let name = body
                .display_name
                .as_deref()
                .map(str::trim)
                .unwrap_or_default();
            let password = body.password.as_deref().unwrap_or_default();
            let mut problems = Vec::new();
            if name.is_empty() || name.len() > 120 {
                problems.push(FieldError {
                    field: "display_name".into(),
                    code: "length".into(),
                    message: "Your name, 1 to 120 characters.".into(),
                });
            }
            if let Err(p) = check_new_password(password, &email) {
                problems.push(FieldError {
                    field: "password".into(),
                    code: "password_policy".into(),
                    message: format!("Password {p}."),
                });
            }
            if !problems.is_empty() {
                return Err(ApiError::Validation(problems));
            }
            let hash = passwords::hash(password.to_owned()).await?;
            (
                users::insert(&mut tx, email.as_str(), name, &hash).await?,
                true,
            )
        }
    };
    users::mark_email_verified(&mut tx, user_id).await?;
    users::add_membership(&mut tx, user_id, inv.organisation_id, &inv.role).await?;
    if let (Some(reg), "pharmacist") = (&inv.registration_number, inv.role.as_str()) {
        users::insert_pharmacist_profile(&mut tx, user_id, reg, inv.organisation_id).await?;
    }
    invitations::mark_accepted(&mut tx, inv.id, user_id).await?;
    audit::record(
        &mut tx,
        None,
        Some(user_id),
        &meta,
        Event::new("accept_invitation", "invitation", inv.id)
            .risk("medium")
            .details(serde_json::json!({
                "role": inv.role, "new_account": new_account,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(InvitationAccepted {
        role: crate::routes::admin::wire_role(&inv.role)?,
        email: inv.email,
        organisation_name: inv.organisation_name,
        new_account,
    }))
}
