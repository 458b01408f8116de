use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::booking::{ClinicDoctorView, ClinicDoctorsView, ClinicQuery};
use rxgate_app::booking;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The approved doctors of the clinic the caller acts in, by name (at most 200), and whether
/// each can be booked there yet.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(ClinicQuery),
    responses(
        (status = OK, body = ClinicDoctorsView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not a clinic of the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/consults/doctors")]
pub async fn list_clinic_doctors(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<ClinicQuery>,
) -> Result<HttpResponse, ApiError> {
    let (clinic_id, rows) =
        booking::clinic_doctors(&state.db, &principal, &meta, query.clinic_id).await?;
    Ok(HttpResponse::Ok().json(ClinicDoctorsView {
        clinic_id,
        doctors: rows
            .into_iter()
            .map(|d| ClinicDoctorView {
                doctor_id: d.doctor_id,
                display_name: d.display_name,
                specialties: d.specialties,
                time_zone: d.time_zone,
                bookable: d.bookable,
            })
            .collect(),
    }))
}
