use actix_web::{HttpResponse, get, web};
use rxgate_api_types::health::{DoctorPatient, DoctorPatientQuery};
use rxgate_api_types::{CursorPage, Problem};
use rxgate_app::health::{self, PatientSearch};
use rxgate_persistence::pagination::page_size;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The doctor's patients by name, with their flags (search by name or email).
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(DoctorPatientQuery),
    responses(
        (status = OK, body = CursorPage<DoctorPatient>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/doctor/patients")]
pub async fn list_patients(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<DoctorPatientQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = health::doctor_patients(
        &state.db,
        &principal,
        &meta,
        PatientSearch {
            search: query.q,
            cursor: query.cursor,
            limit: page_size(query.limit),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page
            .rows
            .into_iter()
            .map(|r| DoctorPatient {
                patient_id: r.patient_id,
                name: r.name,
                email: r.email,
                flags: r.flags,
                questionnaire_submitted_at: r.submitted_at,
            })
            .collect(),
        next_cursor: page.next_cursor,
    }))
}
