//! Who a user is now: their profile as the API shows it and the facts that go into their
//! access token (roles from memberships, a doctor's only once approved, second factors).

use rxgate_api_types::auth::{Me, MembershipView};
use rxgate_api_types::vocab::{MfaMethod, OrganisationKind, Role};
use rxgate_persistence::{mfa, users};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::AppError;

/// The user as the API shows them, and the facts that go into their access token.
pub struct Identity {
    pub me: Me,
    pub roles: Vec<String>,
    pub clinics: Vec<Uuid>,
    /// The role held in each clinic (a doctor's only once approved).
    pub clinic_roles: Vec<(String, Uuid)>,
    pub pharmacies: Vec<Uuid>,
    pub mfa_enrolled: bool,
}

/// Loads the user, memberships, doctor status and second factors (four queries, whatever the
/// memberships).
/// A doctor holds the `doctor` role only once approved.
pub async fn load_identity(conn: &mut PgConnection, user_id: Uuid) -> Result<Identity, AppError> {
    let user = users::find(conn, user_id).await?;
    let memberships = users::memberships(conn, user_id).await?;
    let doctor = users::doctor_profile(conn, user_id).await?;
    let methods = mfa::methods(conn, user_id).await?;
    let mfa_enrolled = methods.any();
    let doctor_approved = doctor
        .as_ref()
        .is_some_and(|d| d.status == rxgate_domain::identity::DoctorStatus::Approved);
    let mut roles: Vec<String> = memberships
        .iter()
        .filter(|m| m.role != "doctor" || doctor_approved)
        .map(|m| m.role.clone())
        .collect();
    roles.sort();
    roles.dedup();
    let pick = |kind: &str| -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = memberships
            .iter()
            .filter(|m| m.organisation_kind == kind)
            .map(|m| m.organisation_id)
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let clinics = pick("clinic");
    let clinic_roles: Vec<(String, Uuid)> = memberships
        .iter()
        .filter(|m| m.organisation_kind == "clinic" && (m.role != "doctor" || doctor_approved))
        .map(|m| (m.role.clone(), m.organisation_id))
        .collect();
    let pharmacies = pick("pharmacy");
    Ok(Identity {
        me: Me {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            email_verified: user.email_verified_at.is_some(),
            roles: roles
                .iter()
                .map(|r| wire_role(r))
                .collect::<Result<_, _>>()?,
            memberships: memberships
                .into_iter()
                .map(|m| {
                    Ok(MembershipView {
                        organisation_kind: OrganisationKind::parse(&m.organisation_kind)
                            .ok_or_else(|| {
                                AppError::unexpected("organisation kind", &m.organisation_kind)
                            })?,
                        role: wire_role(&m.role)?,
                        organisation_id: m.organisation_id,
                        organisation_name: m.organisation_name,
                    })
                })
                .collect::<Result<_, AppError>>()?,
            doctor_status: doctor.as_ref().map(|d| d.status.into()),
            referral_code: doctor.map(|d| d.referral_code),
            mfa_enrolled,
            mfa_methods: [
                (methods.totp, MfaMethod::Totp),
                (methods.passkey, MfaMethod::Passkey),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, method)| method)
            .collect(),
        },
        roles,
        clinics,
        clinic_roles,
        pharmacies,
        mfa_enrolled,
    })
}

fn wire_role(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw).ok_or_else(|| AppError::unexpected("role", raw))
}
