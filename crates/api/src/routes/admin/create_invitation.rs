use actix_web::{HttpResponse, post, web};
use chrono::{TimeDelta, Utc};
use rxgate_api_types::admin::{InvitationView, NewInvitation};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::{EmailAddress, OrganisationKind, Role};
use rxgate_integrations::email::OutgoingEmail;
use rxgate_persistence::{invitations, organisations};

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta, tokens};
use crate::error::ApiError;
use crate::jobs::email;
use crate::state::AppState;

const INVITABLE: [Role; 4] = [
    Role::ClinicAdmin,
    Role::Pharmacist,
    Role::InformationOfficer,
    Role::PlatformAdmin,
];

fn kind_str(kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::Platform => "platform",
        OrganisationKind::Clinic => "clinic",
        OrganisationKind::Pharmacy => "pharmacy",
    }
}

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
    principal.require(Role::PlatformAdmin)?;
    let field = |f: &str, code: &str, m: &str| FieldError {
        field: f.into(),
        code: code.into(),
        message: m.into(),
    };
    let mut problems = Vec::new();
    let email = EmailAddress::parse(&body.email);
    if email.is_err() {
        problems.push(field("email", "email", "Not a valid email address."));
    }
    let role = body
        .role
        .parse::<Role>()
        .ok()
        .filter(|r| INVITABLE.contains(r));
    if role.is_none() {
        problems.push(field(
            "role",
            "one_of",
            "Invite a clinic_admin, pharmacist, information_officer or platform_admin.",
        ));
    }
    let registration = body
        .registration_number
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if role == Some(Role::Pharmacist) && registration.is_none_or(|r| r.len() < 3) {
        problems.push(field(
            "registration_number",
            "required",
            "Pharmacists are invited with their SAPC registration number.",
        ));
    }
    let (Ok(email), Some(role), true) = (email, role, problems.is_empty()) else {
        return Err(ApiError::Validation(problems));
    };
    let mut tx = state.begin_as(&principal).await?;
    let org_kind = organisations::kind_of(&mut tx, body.organisation_id).await?;
    if org_kind.as_deref() != Some(kind_str(role.organisation_kind())) {
        return Err(ApiError::Validation(vec![field(
            "organisation_id",
            "organisation_kind",
            &format!(
                "A {role} belongs to a {} organisation.",
                kind_str(role.organisation_kind())
            ),
        )]));
    }
    let (token, hash) = tokens::new_token();
    let expires_at = Utc::now() + TimeDelta::days(7);
    let id = invitations::create(
        &mut tx,
        &invitations::NewInvitation {
            email: email.as_str(),
            role: role.as_str(),
            organisation_id: body.organisation_id,
            registration_number: registration.filter(|_| role == Role::Pharmacist),
            token_hash: &hash,
            invited_by: principal.user_id,
            expires_at,
        },
    )
    .await?;
    let base = state.settings.application.public_url.trim_end_matches('/');
    email::enqueue(&mut tx, &OutgoingEmail {
        to: email.as_str().to_owned(),
        subject: "You are invited to Rxgate".into(),
        body_text: format!(
            "You have been invited to join Rxgate as {}.\n\nAccept the invitation here:\n\n{base}/accept-invitation#token={token}\n\n\
             The link works once and expires in 7 days.\n",
            role.as_str().replace('_', " ")
        ),
        body_html: None,
    })
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("invite", "invitation", id)
            .risk("medium")
            .details(serde_json::json!({ "role": role.as_str() })),
    )
    .await?;
    let row = invitations::find(&mut tx, id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(super::invitation_view(row, Utc::now())))
}
