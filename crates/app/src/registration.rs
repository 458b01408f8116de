//! Accounts that start from outside: sign-up, the emailed links (address verification,
//! password reset) and accepting an invitation. Nobody is signed in, so each use case starts
//! in the system context ([`Work::before_sign_in`]), says why, and acts as the user as soon as
//! a token names them. The answers never reveal whether an address has an account.

use chrono::{TimeDelta, Utc};
use rxgate_api_types::FieldError;
use rxgate_api_types::admin::{AcceptInvitation, InvitationAccepted};
use rxgate_api_types::auth::{SignupKind, SignupRequest};
use rxgate_domain::identity::{EmailAddress, check_new_password};
use rxgate_persistence::email_tokens::{self, Consumed};
use rxgate_persistence::{Db, consents, invitations, organisations, sessions, users};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::audit::Event;
use crate::auth::{RequestFacts, passwords, tokens};
use crate::configuration::Settings;
use crate::jobs::email;
use crate::{AppError, Work, emails};

/// The consents an account cannot be opened without.
pub const REQUIRED_CONSENTS: [&str; 3] = ["terms", "privacy", "health_data_processing"];

fn field(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// An email address as entered, or a field error naming `email`.
pub fn parse_email(raw: &str) -> Result<EmailAddress, AppError> {
    EmailAddress::parse(raw)
        .map_err(|e| AppError::Validation(vec![field("email", "email", e.to_string())]))
}

/// Opens a patient's or doctor's account and emails the verification link. An address that
/// already has an account gets an email saying so, and the answer is the same as for a new one.
pub async fn sign_up(
    db: &Db,
    settings: &Settings,
    facts: &RequestFacts,
    req: &SignupRequest,
) -> Result<(), AppError> {
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
    let doctor = match (req.kind, &req.doctor) {
        (SignupKind::Doctor, None) => {
            problems.push(field(
                "doctor",
                "required",
                "Doctors register with their licence details.",
            ));
            None
        }
        (SignupKind::Doctor, Some(d)) => Some(d),
        (SignupKind::Patient, _) => None,
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let password_hash = passwords::hash(req.password.clone()).await?;

    // System context: the account does not exist yet (creating a user, membership and profile
    // is the platform's act), and the answer must not reveal a taken address.
    let mut work = Work::before_sign_in(db, facts).await?;
    if users::find_by_email(&mut work, email_address.as_str())
        .await?
        .is_some()
    {
        let base = settings.application.public_url.trim_end_matches('/');
        email::enqueue(
            &mut work,
            &emails::account_exists(
                email_address.as_str(),
                &format!("{base}/signin"),
                &format!("{base}/forgot-password"),
            ),
        )
        .await?;
        work.commit().await?;
        return Ok(());
    }

    let referral = match req
        .referral_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(code) => Some(
            users::doctor_by_referral(&mut work, code)
                .await?
                .ok_or_else(|| {
                    AppError::Validation(vec![field(
                        "referral_code",
                        "unknown",
                        "This referral code is not valid.",
                    )])
                })?,
        ),
        None => None,
    };
    let clinic_id = match (&req.clinic_slug, referral) {
        (Some(slug), _) => organisations::find_by_slug(&mut work, "clinic", slug)
            .await?
            .map(|o| o.id),
        (None, Some((_, clinic))) => Some(clinic),
        (None, None) => {
            organisations::find_by_slug(&mut work, "clinic", &settings.auth.default_clinic_slug)
                .await?
                .map(|o| o.id)
        }
    }
    .ok_or_else(|| {
        AppError::Validation(vec![field("clinic_slug", "unknown", "No such clinic.")])
    })?;

    if let Some(d) = doctor
        && !users::time_zone_exists(&mut work, &d.time_zone).await?
    {
        return Err(AppError::Validation(vec![field(
            "doctor.time_zone",
            "time_zone",
            "Not a known IANA time zone, e.g. Africa/Johannesburg.",
        )]));
    }
    let name = req.display_name.trim();
    let user_id = users::insert(&mut work, email_address.as_str(), name, &password_hash).await?;
    work.about(Some(user_id));
    match doctor {
        None => {
            users::add_membership(&mut work, user_id, clinic_id, "patient").await?;
            users::insert_patient_profile(&mut work, user_id).await?;
            if let Some((doctor_id, _)) = referral {
                users::link_doctor_patient(&mut work, doctor_id, user_id, "referral").await?;
            }
        }
        Some(d) => {
            users::add_membership(&mut work, user_id, clinic_id, "doctor").await?;
            users::insert_doctor_profile(
                &mut work,
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
            &mut work,
            user_id,
            &c.purpose,
            &c.policy_version,
            c.granted,
            facts.ip.as_deref(),
            facts.user_agent.as_deref(),
        )
        .await?;
    }
    let to = email_address.as_str().to_owned();
    send_link(
        &mut work,
        settings,
        user_id,
        "verify_email",
        "verify-email",
        |link| emails::verify_email(&to, name, link),
    )
    .await?;
    work.record(Event::new("create", "user", user_id).details(serde_json::json!({
        "kind": match req.kind { SignupKind::Patient => "patient", SignupKind::Doctor => "doctor" },
        "via_referral": referral.is_some(),
    })))
    .await?;
    work.commit().await?;
    Ok(())
}

/// Marks the address of the emailed verification link's account as verified.
pub async fn verify_email(db: &Db, facts: &RequestFacts, token: &str) -> Result<(), AppError> {
    // System context only to find the link's token: nobody is known until it matches.
    let mut work = Work::before_sign_in(db, facts).await?;
    let user_id = consume_link(&mut work, token, "verify_email").await?;
    work.act_for(user_id, None).await?;
    users::mark_email_verified(&mut work, user_id).await?;
    work.record(Event::new("verify_email", "user", user_id))
        .await?;
    work.commit().await?;
    Ok(())
}

/// Emails a password-reset link when the address has an account (the answer is the same
/// either way).
pub async fn request_password_reset(
    db: &Db,
    settings: &Settings,
    facts: &RequestFacts,
    email: &str,
) -> Result<(), AppError> {
    // A malformed address is refused (422): that reveals nothing about who has an account.
    let email = parse_email(email.trim())?.to_string().to_lowercase();
    // System context: nobody is signed in, and the answer must not reveal whether the address
    // has an account.
    let mut work = Work::before_sign_in(db, facts).await?;
    if let Some(user) = users::find_by_email(&mut work, &email).await? {
        let to = user.email.clone();
        send_link(
            &mut work,
            settings,
            user.id,
            "reset_password",
            "reset-password",
            |link| emails::reset_password(&to, link),
        )
        .await?;
        work.about(Some(user.id));
        work.record(Event::new("password_reset_requested", "user", user.id).risk("medium"))
            .await?;
    }
    work.commit().await?;
    Ok(())
}

/// Sets a new password from an emailed reset link and signs out every session. A password that
/// breaks the policy writes nothing, so the link stays usable for a better one.
pub async fn reset_password(
    db: &Db,
    facts: &RequestFacts,
    token: &str,
    password: &str,
) -> Result<(), AppError> {
    // System context only to find the link's token: nobody is known until it matches.
    let mut work = Work::before_sign_in(db, facts).await?;
    let user_id = consume_link(&mut work, token, "reset_password").await?;
    work.act_for(user_id, None).await?;
    let user = users::find(&mut work, user_id).await?;
    let email_address = EmailAddress::parse(&user.email).map_err(AppError::internal)?;
    if let Err(p) = check_new_password(password, &email_address) {
        work.rollback().await?;
        return Err(AppError::Validation(vec![field(
            "password",
            "password_policy",
            format!("Password {p}."),
        )]));
    }
    let hash = passwords::hash(password.to_owned()).await?;
    users::set_password(&mut work, user_id, &hash).await?;
    // Whoever reset the password owns the inbox; a password reset also proves the address.
    users::mark_email_verified(&mut work, user_id).await?;
    let revoked = sessions::revoke_all(&mut work, user_id, "password reset").await?;
    email::enqueue(&mut work, &emails::password_changed(&user.email)).await?;
    work.record(
        Event::new("password_reset", "user", user_id)
            .risk("high")
            .details(serde_json::json!({ "sessions_revoked": revoked })),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Accepts an invitation to a clinic, pharmacy or the platform: joins an existing account to
/// the organisation, or opens the account with the name and password given.
pub async fn accept_invitation(
    db: &Db,
    facts: &RequestFacts,
    req: &AcceptInvitation,
) -> Result<InvitationAccepted, AppError> {
    let now = Utc::now();
    // System context: the invitation's token is all there is, and accepting it may create the
    // account and its membership (the platform's act, on the inviting admin's behalf).
    let mut work = Work::before_sign_in(db, facts).await?;
    let Some(inv) =
        invitations::find_open_by_token(&mut work, &tokens::hash(req.token.trim())).await?
    else {
        return Err(AppError::InvalidToken { expired: false });
    };
    if inv.accepted_at.is_some() || inv.revoked_at.is_some() {
        return Err(AppError::InvalidToken { expired: false });
    }
    if inv.expires_at <= now {
        return Err(AppError::InvalidToken { expired: true });
    }
    let existing = users::find_by_email(&mut work, &inv.email).await?;
    let (user_id, new_account) = match existing {
        Some(u) => (u.id, false),
        None => {
            let email = EmailAddress::parse(&inv.email).map_err(AppError::internal)?;
            let name = req
                .display_name
                .as_deref()
                .map(str::trim)
                .unwrap_or_default();
            let password = req.password.as_deref().unwrap_or_default();
            let mut problems = Vec::new();
            if name.is_empty() || name.chars().count() > 120 {
                problems.push(field(
                    "display_name",
                    "length",
                    "Your name, 1 to 120 characters.",
                ));
            }
            if let Err(p) = check_new_password(password, &email) {
                problems.push(field(
                    "password",
                    "password_policy",
                    format!("Password {p}."),
                ));
            }
            if !problems.is_empty() {
                return Err(AppError::Validation(problems));
            }
            let hash = passwords::hash(password.to_owned()).await?;
            (
                users::insert(&mut work, email.as_str(), name, &hash).await?,
                true,
            )
        }
    };
    work.about(Some(user_id));
    users::mark_email_verified(&mut work, user_id).await?;
    users::add_membership(&mut work, user_id, inv.organisation_id, &inv.role).await?;
    if let (Some(reg), "pharmacist") = (&inv.registration_number, inv.role.as_str()) {
        users::insert_pharmacist_profile(&mut work, user_id, reg, inv.organisation_id).await?;
    }
    invitations::mark_accepted(&mut work, inv.id, user_id).await?;
    work.record(
        Event::new("accept_invitation", "invitation", inv.id)
            .risk("medium")
            .details(serde_json::json!({ "role": inv.role, "new_account": new_account })),
    )
    .await?;
    work.commit().await?;
    Ok(InvitationAccepted {
        email: inv.email,
        role: rxgate_api_types::vocab::Role::parse(&inv.role)
            .ok_or_else(|| AppError::unexpected("role", &inv.role))?,
        organisation_name: inv.organisation_name,
        new_account,
    })
}

/// The user an emailed link's token names, using the token up.
async fn consume_link(
    conn: &mut PgConnection,
    token: &str,
    purpose: &str,
) -> Result<Uuid, AppError> {
    match email_tokens::consume(conn, &tokens::hash(token.trim()), purpose, Utc::now()).await? {
        Consumed::Ok(user_id) => Ok(user_id),
        Consumed::Invalid => Err(AppError::InvalidToken { expired: false }),
        Consumed::Expired => Err(AppError::InvalidToken { expired: true }),
    }
}

/// Issues an emailed single-use link (`/<page>#token=…`: the fragment never reaches a server
/// log) and queues the message `build` makes of it.
pub async fn send_link(
    conn: &mut PgConnection,
    settings: &Settings,
    user_id: Uuid,
    purpose: &str,
    page: &str,
    build: impl FnOnce(&str) -> rxgate_integrations::email::OutgoingEmail,
) -> Result<(), AppError> {
    let (token, hash) = tokens::new_token();
    let expires = Utc::now() + TimeDelta::hours(settings.auth.email_token_hours);
    email_tokens::issue(conn, user_id, purpose, &hash, expires).await?;
    let link = format!(
        "{}/{page}#token={token}",
        settings.application.public_url.trim_end_matches('/')
    );
    email::enqueue(conn, &build(&link)).await?;
    Ok(())
}
