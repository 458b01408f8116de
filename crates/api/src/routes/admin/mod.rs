//! Platform administration: doctor approvals, suspensions, organisations, the master
//! catalogue, flags, contraindication rules and questionnaires.

pub mod create_flag;
pub mod create_invitation;
pub mod create_organisation;
pub mod create_product;
pub mod decide_doctor;
pub mod edit_catalogue;
pub mod import_products;
pub mod list_doctors;
pub mod list_flags;
pub mod list_invitations;
pub mod list_organisations;
pub mod list_rules;
pub mod list_users;
pub mod product_images;
pub mod questionnaires;
pub mod reinstate_user;
pub mod save_rule;
pub mod suspend_user;

use rxgate_api_types::admin::DoctorApplication;
use rxgate_api_types::vocab::Role;
use rxgate_persistence::users::DoctorApplicationRow;

use crate::error::ApiError;

pub(crate) fn to_view(r: DoctorApplicationRow) -> DoctorApplication {
    DoctorApplication {
        user_id: r.user_id,
        display_name: r.display_name,
        email: r.email,
        licence_number: r.licence_number,
        licence_body: r.licence_body,
        licence_region: r.licence_region,
        licence_expires_on: r.licence_expires_on,
        specialties: r.specialties,
        status: r.status.into(),
        status_reason: r.status_reason,
        created_at: r.created_at,
    }
}

/// A role the database names (a check constraint keeps it in the documented set).
pub(crate) fn wire_role(raw: &str) -> Result<Role, ApiError> {
    Role::parse(raw).ok_or_else(|| rxgate_app::AppError::unexpected("role", raw).into())
}
