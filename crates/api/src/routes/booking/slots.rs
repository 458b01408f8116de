use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::booking::{DoctorSlotsView, SlotQuery, SlotSearchView, SlotView};
use rxgate_app::booking::{self, SlotSearch};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Free consult slots in `[from, to)` (at most 62 days) of one doctor, or of every bookable
/// doctor of the clinic the caller acts in. Instants are UTC; each doctor's zone comes with them.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(SlotQuery),
    responses(
        (status = OK, body = SlotSearchView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not a clinic of the caller, or not one of its doctors", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`to` not after `from`, or more than 62 days", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/consults/slots")]
pub async fn search_slots(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<SlotQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let (clinic_id, found) = booking::search_slots(
        &state.db,
        &principal,
        &meta,
        SlotSearch {
            clinic_id: q.clinic_id,
            doctor_id: q.doctor_id,
            from: q.from,
            to: q.to,
        },
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(SlotSearchView {
        clinic_id,
        doctors: found
            .into_iter()
            .map(|d| DoctorSlotsView {
                doctor_id: d.doctor.doctor_id,
                display_name: d.doctor.display_name,
                specialties: d.doctor.specialties,
                time_zone: d.doctor.time_zone,
                slot_minutes: i32::try_from(d.rules.slot_minutes).unwrap_or(i32::MAX),
                slots: d
                    .slots
                    .into_iter()
                    .map(|s| SlotView {
                        starts_at: s.starts,
                        ends_at: s.ends,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
