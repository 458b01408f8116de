//! Platform administration: doctor approvals, suspensions, organisations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vocab::{
    DoctorStatus, InvitableRole, InvitationStatus, NewOrganisationKind, OrganisationKind, Role,
    UserStatus,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DoctorApplication {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub licence_number: String,
    pub licence_body: String,
    pub licence_region: String,
    pub licence_expires_on: NaiveDate,
    pub specialties: Vec<String>,
    pub status: DoctorStatus,
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct DoctorQuery {
    /// Default `pending`.
    pub status: Option<DoctorStatus>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::pagination::limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DoctorDecisionKind {
    Approve,
    Reject,
    Suspend,
    Reinstate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DoctorDecisionRequest {
    pub decision: DoctorDecisionKind,
    /// Required to reject or suspend; shown to the doctor.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReasonInput {
    /// At least 5 characters besides surrounding spaces.
    #[cfg_attr(feature = "server", schema(pattern = r"^\s*\S[\s\S]{3,}\S\s*$"))]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserStatusView {
    pub user_id: Uuid,
    pub status: UserStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewOrganisation {
    pub kind: NewOrganisationKind,
    /// 1 to 200 characters, not only spaces.
    #[cfg_attr(
        feature = "server",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub name: String,
    /// Lower-case letters, digits and single dashes; used in URLs.
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 63)
    )]
    pub slug: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OrganisationView {
    pub id: Uuid,
    pub kind: OrganisationKind,
    pub name: String,
    pub slug: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewInvitation {
    #[cfg_attr(feature = "server", schema(format = Email))]
    pub email: String,
    pub role: InvitableRole,
    pub organisation_id: Uuid,
    /// SAPC registration number; required for pharmacists.
    pub registration_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub status: InvitationStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AcceptInvitation {
    pub token: String,
    /// For a new account; ignored when the address already has one.
    pub display_name: Option<String>,
    /// For a new account (at least 12 characters); ignored when the address already has one.
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationAccepted {
    pub email: String,
    pub role: Role,
    pub organisation_name: String,
    /// True when a new account was created (false: the role was added to an existing one).
    pub new_account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub status: UserStatus,
    pub roles: Vec<Role>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct UserQuery {
    /// Part of a name or email address.
    pub q: Option<String>,
    /// Only people holding this role.
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::pagination::limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}
