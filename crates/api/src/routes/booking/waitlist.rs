use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::booking::{WaitlistEntryView, WaitlistInput, WaitlistView};
use rxgate_api_types::vocab::WaitlistStatus;
use rxgate_app::AppError;
use rxgate_app::booking::{self, JoinWaitlist};
use rxgate_persistence::waitlist::EntryRow;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

fn entry_view(e: EntryRow) -> Result<WaitlistEntryView, ApiError> {
    Ok(WaitlistEntryView {
        status: WaitlistStatus::parse(&e.status)
            .ok_or_else(|| AppError::unexpected("waitlist status", &e.status))?,
        id: e.id,
        clinic_id: e.clinic_id,
        doctor_id: e.doctor_id,
        doctor_name: e.doctor_name,
        from: e.from_date,
        to: e.to_date,
        offered_booking_id: e.offered_booking_id,
        created_at: e.created_at,
    })
}

/// Puts the caller (a patient) on a doctor's waitlist for a range of days. A time that frees
/// up is offered to the first patient waiting for that day: held for them for 30 minutes and
/// announced by email; then to the next.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    request_body = WaitlistInput,
    responses(
        (status = CREATED, body = WaitlistEntryView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not a doctor of the caller's clinic", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`ALREADY_WAITING`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "A range backwards, past or longer than 62 days", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/waitlist")]
pub async fn join_waitlist(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<WaitlistInput>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let row = booking::join_waitlist(
        &state.db,
        &principal,
        &meta,
        JoinWaitlist {
            clinic_id: b.clinic_id,
            doctor_id: b.doctor_id,
            from: b.from,
            to: b.to,
        },
        Utc::now().date_naive(),
    )
    .await?;
    Ok(HttpResponse::Created().json(entry_view(row)?))
}

/// The caller's waitlist places, newest first (at most 50).
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    responses(
        (status = OK, body = WaitlistView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/waitlist")]
pub async fn my_waitlist(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let rows = booking::my_waitlist(&state.db, &principal, &meta).await?;
    Ok(HttpResponse::Ok().json(WaitlistView {
        items: rows.into_iter().map(entry_view).collect::<Result<_, _>>()?,
    }))
}

/// Leaves a waitlist place; a time held for it goes to the next patient waiting.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Waitlist place id")),
    responses(
        (status = OK, body = WaitlistEntryView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`WAITLIST_CLOSED`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/waitlist/{id}/leave")]
pub async fn leave_waitlist(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = booking::leave_waitlist(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(entry_view(row)?))
}
