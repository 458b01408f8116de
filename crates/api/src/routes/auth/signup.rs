use actix_web::{HttpResponse, post, web};
use rxgate_api_types::auth::{SignupAccepted, SignupKind, SignupRequest};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::check_new_password;
use rxgate_persistence::{consents, organisations, users};

use super::{parse_email, send_link};
use crate::audit::{self, Event};
use crate::auth::{RequestMeta, passwords, tokens};
use crate::emails;
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::jobs::email;
use crate::state::AppState;

const REQUIRED_CONSENTS: [&str; 3] = ["terms", "privacy", "health_data_processing"];

fn field(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Creates a patient account, or a doctor account awaiting approval, and emails a
/// verification link. Answers the same whether or not the email is already registered.
#[utoipa::path(
    tag = "auth",
    request_body = SignupRequest,
    responses(
        (status = ACCEPTED, body = SignupAccepted),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid fields, weak password, missing consents, unknown clinic or referral",
            body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/signup")]
pub async fn signup(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: ValidatedJson<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    let req = body.0;
    let email_address = parse_email(&req.email)?;
    let mut problems = Vec::new();
    if let Err(p) = check_new_password(&req.password, &email_address) {
        problems.push(field(
            "password",
            "password_policy",
            format!("Password {p}."),
        ));
    }
    for purpose in REQUIRED_CONSENTS {
        if !req
            .consents
            .iter()
            .any(|c| c.purpose == purpose && c.granted)
        {
            problems.push(field(
                "consents",
                "required",
                format!("Consent to `{purpose}` is required."),
            ));
        }
    }
    if req.kind == SignupKind::Doctor && req.doctor.is_none() {
        problems.push(field(
            "doctor",
            "required",
            "Doctors register with their licence details.",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let password_hash = passwords::hash(req.password.clone()).await?;

    let accepted = HttpResponse::Accepted().json(SignupAccepted {
        message: "Check your email for a link to verify your address.".into(),
    });
    // System context: the account does not exist yet (creating a user, membership and
    // profile is the platform's act), and the answer must not reveal a taken address.
    let mut tx = state.begin_system().await?;

    // Already registered: tell the owner by email, answer as if new.
    if users::find_by_email(&mut tx, email_address.as_str())
        .await?
        .is_some()
    {
        let base = state.settings.application.public_url.trim_end_matches('/');
        email::enqueue(
            &mut tx,
            &emails::account_exists(
                email_address.as_str(),
                &format!("{base}/signin"),
                &format!("{base}/forgot-password"),
            ),
        )
        .await?;
        tx.commit().await?;
        return Ok(accepted);
    }

    let referral = match req
        .referral_code
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        Some(code) => Some(
            users::doctor_by_referral(&mut tx, code.trim())
                .await?
                .ok_or_else(|| {
                    ApiError::Validation(vec![field(
                        "referral_code",
                        "unknown",
                        "This referral code is not valid.",
                    )])
                })?,
        ),
        None => None,
    };
    let clinic_id = match (&req.clinic_slug, referral) {
        (Some(slug), _) => organisations::find_by_slug(&mut tx, "clinic", slug)
            .await?
            .map(|o| o.id),
        (None, Some((_, clinic))) => Some(clinic),
        (None, None) => {
            organisations::find_by_slug(&mut tx, "clinic", &state.settings.auth.default_clinic_slug)
                .await?
                .map(|o| o.id)
        }
    }
    .ok_or_else(|| {
        ApiError::Validation(vec![field("clinic_slug", "unknown", "No such clinic.")])
    })?;

    let time_zone = req.doctor.as_ref().map(|d| d.time_zone.as_str());
    if let Some(tz) = time_zone
        && !users::time_zone_exists(&mut tx, tz).await?
    {
        return Err(ApiError::Validation(vec![field(
            "doctor.time_zone",
            "time_zone",
            "Not a known IANA time zone, e.g. Africa/Johannesburg.",
        )]));
    }
    let user_id = users::insert(
        &mut tx,
        email_address.as_str(),
        req.display_name.trim(),
        &password_hash,
    )
    .await?;
    match req.kind {
        SignupKind::Patient => {
            users::add_membership(&mut tx, user_id, clinic_id, "patient").await?;
            users::insert_patient_profile(&mut tx, user_id).await?;
            if let Some((doctor_id, _)) = referral {
                users::link_doctor_patient(&mut tx, doctor_id, user_id, "referral").await?;
            }
        }
        SignupKind::Doctor => {
            let Some(d) = &req.doctor else {
                return Err(ApiError::Validation(vec![field(
                    "doctor",
                    "required",
                    "Licence details are required.",
                )]));
            };
            users::add_membership(&mut tx, user_id, clinic_id, "doctor").await?;
            users::insert_doctor_profile(
                &mut tx,
                &users::NewDoctor {
                    user_id,
                    licence_number: d.licence_number.trim(),
                    licence_body: d.licence_body.trim(),
                    licence_region: d.licence_region.trim(),
                    licence_expires_on: d.licence_expires_on,
                    specialties: &d.specialties,
                    time_zone: &d.time_zone,
                    referral_code: &tokens::referral_code(),
                },
            )
            .await?;
        }
    }
    for c in &req.consents {
        consents::record(
            &mut tx,
            user_id,
            &c.purpose,
            &c.policy_version,
            c.granted,
            meta.ip.as_deref(),
            meta.user_agent.as_deref(),
        )
        .await?;
    }
    let name = req.display_name.trim().to_owned();
    let to = email_address.as_str().to_owned();
    send_link(
        &mut tx,
        &state,
        user_id,
        "verify_email",
        "verify-email",
        |link| emails::verify_email(&to, &name, link),
    )
    .await?;
    audit::record(
        &mut tx,
        None,
        Some(user_id),
        &meta,
        Event::new("create", "user", user_id).details(serde_json::json!({
            "kind": match req.kind { SignupKind::Patient => "patient", SignupKind::Doctor => "doctor" },
            "via_referral": referral.is_some(),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(accepted)
}
