//! Platform administration (platform admins only): doctor approvals, suspensions,
//! organisations.

pub mod create_organisation;
pub mod decide_doctor;
pub mod list_doctors;
pub mod list_organisations;
pub mod reinstate_user;
pub mod suspend_user;

use rxgate_api_types::admin::DoctorApplication;
use rxgate_persistence::users::DoctorApplicationRow;

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
        status: r.status,
        status_reason: r.status_reason,
        created_at: r.created_at,
    }
}
