//! People on the platform as platform admins manage them: the doctor approval queue and its
//! decisions (told to the doctor by email), the account list, suspensions (which end every
//! session at once) and reinstatements, and invitations to staff roles. Every read and write
//! is audited.

use chrono::{DateTime, TimeDelta, Utc};
use rxgate_api_types::FieldError;
use rxgate_api_types::admin::InvitationView;
use rxgate_api_types::vocab::{self as wire, InvitationStatus};
use rxgate_domain::identity::{
    DoctorDecision, DoctorStatus, EmailAddress, OrganisationKind, Role, UserStatus,
};
use rxgate_persistence::invitations::{self, InvitationRow};
use rxgate_persistence::pagination::{TimeCursor, finish_page};
use rxgate_persistence::users::{DoctorApplicationRow, UserSummaryRow};
use rxgate_persistence::{Db, organisations, sessions, users};
use uuid::Uuid;

use super::Page;
use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts, tokens};
use crate::emails;
use crate::jobs::email;

/// What an admin decides about a doctor, and why (required to reject or suspend).
#[derive(Debug, Clone)]
pub struct DecideDoctor {
    pub decision: DoctorDecision,
    pub reason: Option<String>,
}

/// What a page of the doctor queue asks for.
#[derive(Debug, Clone)]
pub struct DoctorSearch {
    /// `pending` when absent.
    pub status: Option<DoctorStatus>,
    /// The opaque cursor of the previous page.
    pub cursor: Option<String>,
    pub limit: i64,
}

/// What a page of the account list asks for.
#[derive(Debug, Clone)]
pub struct UserSearch {
    /// Part of a name or email; blank is no search.
    pub search: Option<String>,
    /// Only people holding this role.
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
    /// The opaque cursor of the previous page.
    pub cursor: Option<String>,
    pub limit: i64,
}

/// An invitation to a staff role in an organisation.
#[derive(Debug, Clone)]
pub struct Invite {
    pub email: String,
    pub role: Role,
    pub organisation_id: Uuid,
    /// SAPC registration number; required for pharmacists.
    pub registration_number: Option<String>,
}

/// The roles an invitation can grant (patients and doctors sign up themselves).
const INVITABLE: [Role; 4] = [
    Role::ClinicAdmin,
    Role::Pharmacist,
    Role::InformationOfficer,
    Role::PlatformAdmin,
];

/// Approves, rejects, suspends or reinstates a doctor (`public_url` for the links in the email
/// that tells them). Rejecting and suspending need a reason, which the doctor is told;
/// suspending also ends the doctor's sessions. Returns the doctor as they now are.
pub async fn decide_doctor(
    db: &Db,
    public_url: &str,
    actor: &Actor,
    facts: &RequestFacts,
    doctor: Uuid,
    command: DecideDoctor,
) -> Result<DoctorApplicationRow, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let decision = command.decision;
    let reason = command
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let needs_reason = matches!(decision, DoctorDecision::Reject | DoctorDecision::Suspend);
    if needs_reason && reason.is_none_or(|r| r.len() < 5) {
        return Err(AppError::Validation(vec![FieldError {
            field: "reason".into(),
            code: "required".into(),
            message: "Give the doctor a reason (at least 5 characters).".into(),
        }]));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let current = users::find_doctor(&mut tx, doctor).await?;
    let next = current
        .status
        .transition(decision)
        .map_err(|e| AppError::Conflict {
            code: "INVALID_TRANSITION",
            detail: format!(
                "A {} doctor cannot be {}d.",
                current.status.as_str(),
                format!("{:?}", e.decision).to_lowercase()
            ),
        })?;
    users::set_doctor_status(
        &mut tx,
        doctor,
        next,
        reason.filter(|_| needs_reason),
        Some(actor.user_id),
    )
    .await?;
    if decision == DoctorDecision::Suspend {
        sessions::revoke_all(&mut tx, doctor, "doctor suspended").await?;
    }
    let base = public_url.trim_end_matches('/');
    email::enqueue(
        &mut tx,
        &emails::doctor_decision(&current.email, decision, reason, &format!("{base}/signin")),
    )
    .await?;
    tx.record(
        Event::new("doctor_decision", "doctor_profile", doctor)
            .risk("medium")
            .details(serde_json::json!({
                "from": current.status, "to": next,
            })),
    )
    .await?;
    let updated = users::find_doctor(&mut tx, doctor).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Doctors by registration status, oldest first: the approval queue.
pub async fn list_doctors(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    search: DoctorSearch,
) -> Result<Page<DoctorApplicationRow>, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let status = search.status.unwrap_or(DoctorStatus::Pending);
    let after = search
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let limit = search.limit;
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = users::list_doctors(&mut tx, status, after, limit + 1).await?;
    tx.record(Event::new("read", "doctor_profiles", status))
        .await?;
    tx.commit().await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        TimeCursor {
            at: r.created_at,
            id: r.user_id,
        }
        .encode()
    });
    Ok(Page { rows, next_cursor })
}

/// People on the platform, newest first, searchable by name or email.
pub async fn list_users(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    search: UserSearch,
) -> Result<Page<UserSummaryRow>, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let status = search.status;
    let q = search
        .search
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty());
    let before = search
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let limit = search.limit;
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = users::search(
        &mut tx,
        q,
        search.role.map(Role::as_str),
        status,
        before,
        limit + 1,
    )
    .await?;
    tx.record(Event::new("read", "users", "search")).await?;
    tx.commit().await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        TimeCursor {
            at: r.created_at,
            id: r.id,
        }
        .encode()
    });
    Ok(Page { rows, next_cursor })
}

/// Suspends an account (never the caller's own): it can no longer sign in and every session
/// ends at once. Returns the account's status.
pub async fn suspend_user(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    user: Uuid,
    reason: &str,
) -> Result<UserStatus, AppError> {
    actor.require(Role::PlatformAdmin)?;
    if user == actor.user_id {
        // Allowed in general, not on this account: 403, with its own code.
        return Err(AppError::Forbidden {
            code: "CANNOT_SUSPEND_SELF",
            detail: "You cannot suspend your own account.".into(),
        });
    }
    let reason = reason.trim();
    if reason.len() < 5 {
        return Err(AppError::Validation(vec![FieldError {
            field: "reason".into(),
            code: "required".into(),
            message: "Give a reason (at least 5 characters).".into(),
        }]));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    if !users::set_user_status(&mut tx, user, UserStatus::Suspended).await? {
        return Err(AppError::NotFound);
    }
    let revoked = sessions::revoke_all(&mut tx, user, "account suspended").await?;
    tx.record(
        Event::new("suspend", "user", user)
            .risk("high")
            .details(serde_json::json!({
                "reason": reason, "sessions_revoked": revoked,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(UserStatus::Suspended)
}

/// Lifts a suspension: the person can sign in again. Returns the account's status.
pub async fn reinstate_user(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    user: Uuid,
) -> Result<UserStatus, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    if !users::set_user_status(&mut tx, user, UserStatus::Active).await? {
        return Err(AppError::NotFound);
    }
    tx.record(Event::new("reinstate", "user", user).risk("medium"))
        .await?;
    tx.commit().await?;
    Ok(UserStatus::Active)
}

/// Invites someone by email to a staff role in an organisation of the role's kind. The link
/// in the email (`{public_url}/accept-invitation#token=…`) works once, for 7 days.
pub async fn create_invitation(
    db: &Db,
    public_url: &str,
    actor: &Actor,
    facts: &RequestFacts,
    command: Invite,
) -> Result<InvitationView, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let field = |f: &str, code: &str, m: &str| FieldError {
        field: f.into(),
        code: code.into(),
        message: m.into(),
    };
    let mut problems = Vec::new();
    let email = EmailAddress::parse(&command.email);
    if email.is_err() {
        problems.push(field("email", "email", "Not a valid email address."));
    }
    let role = Some(command.role).filter(|r| INVITABLE.contains(r));
    if role.is_none() {
        problems.push(field(
            "role",
            "one_of",
            "Invite a clinic_admin, pharmacist, information_officer or platform_admin.",
        ));
    }
    let registration = command
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
        return Err(AppError::Validation(problems));
    };
    let mut tx = Work::begin(db, actor, facts).await?;
    let org_kind = organisations::kind_of(&mut tx, command.organisation_id).await?;
    if org_kind.as_deref() != Some(kind_str(role.organisation_kind())) {
        return Err(AppError::Validation(vec![field(
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
            organisation_id: command.organisation_id,
            registration_number: registration.filter(|_| role == Role::Pharmacist),
            token_hash: &hash,
            invited_by: actor.user_id,
            expires_at,
        },
    )
    .await?;
    let base = public_url.trim_end_matches('/');
    email::enqueue(
        &mut tx,
        &emails::invitation(
            email.as_str(),
            role,
            &format!("{base}/accept-invitation#token={token}"),
        ),
    )
    .await?;
    tx.record(
        Event::new("invite", "invitation", id)
            .risk("medium")
            .details(serde_json::json!({ "role": role.as_str() })),
    )
    .await?;
    let row = invitations::find(&mut tx, id).await?;
    tx.commit().await?;
    invitation_view(row, Utc::now())
}

/// Invitations, newest first, each with where it stands now.
pub async fn list_invitations(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<InvitationView>, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let before = cursor.map(TimeCursor::decode).transpose()?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = invitations::list(&mut tx, before, limit + 1).await?;
    tx.record(Event::new("read", "invitations", "list")).await?;
    tx.commit().await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        TimeCursor {
            at: r.created_at,
            id: r.id,
        }
        .encode()
    });
    let now = Utc::now();
    Ok(Page {
        rows: rows
            .into_iter()
            .map(|r| invitation_view(r, now))
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}

fn kind_str(kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::Platform => "platform",
        OrganisationKind::Clinic => "clinic",
        OrganisationKind::Pharmacy => "pharmacy",
    }
}

/// An invitation as admins see it: `accepted`, `revoked`, `expired` (at `now`) or `open`.
fn invitation_view(r: InvitationRow, now: DateTime<Utc>) -> Result<InvitationView, AppError> {
    let status = if r.accepted_at.is_some() {
        InvitationStatus::Accepted
    } else if r.revoked_at.is_some() {
        InvitationStatus::Revoked
    } else if r.expires_at <= now {
        InvitationStatus::Expired
    } else {
        InvitationStatus::Open
    };
    Ok(InvitationView {
        id: r.id,
        email: r.email,
        role: wire::Role::parse(&r.role).ok_or_else(|| AppError::unexpected("role", &r.role))?,
        organisation_id: r.organisation_id,
        organisation_name: r.organisation_name,
        status,
        created_at: r.created_at,
        expires_at: r.expires_at,
    })
}
