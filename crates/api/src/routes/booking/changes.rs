use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::booking::{
    BookingDetailView, CancellationView, OutcomeInput, RescheduleInput,
};
use rxgate_api_types::catalogue::MoneyView;
use rxgate_api_types::vocab::BookingOutcome;
use rxgate_app::booking;
use rxgate_domain::booking::BookingAction;
use uuid::Uuid;

use super::views::detail_view;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Cancels a held or confirmed booking: its patient (free until the clinic's window; later the
/// fee is kept), its doctor or the clinic's admins (always refunded in full).
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    responses(
        (status = OK, body = CancellationView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`BOOKING_CHANGED`: it changed meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`INVALID_BOOKING_TRANSITION`: already ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/{id}/cancel")]
pub async fn cancel_booking(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let done = booking::cancel(&state.db, &principal, &meta, id.into_inner(), Utc::now()).await?;
    let currency = done.view.booking.currency.clone();
    Ok(HttpResponse::Ok().json(CancellationView {
        booking: detail_view(done.view),
        refund: MoneyView {
            amount_minor: done.refund_minor,
            currency,
        },
    }))
}

/// Moves a booking to another free slot of its doctor, in one step: the old time is kept
/// unless the new one is secured. Patients move until the clinic's free window closes.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    request_body = RescheduleInput,
    responses(
        (status = OK, body = BookingDetailView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`SLOT_TAKEN`, `BOOKING_CHANGED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`SLOT_UNAVAILABLE`, `RESCHEDULE_WINDOW_CLOSED`, `NOT_RESCHEDULABLE`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/{id}/reschedule")]
pub async fn reschedule_booking(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<RescheduleInput>,
) -> Result<HttpResponse, ApiError> {
    let view = booking::reschedule(
        &state.db,
        &principal,
        &meta,
        id.into_inner(),
        body.0.starts_at,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(detail_view(view)))
}

/// The doctor records how a confirmed consult ended, once it has started: `completed` or
/// `no_show`.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    request_body = OutcomeInput,
    responses(
        (status = OK, body = BookingDetailView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`BOOKING_CHANGED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`CONSULT_NOT_STARTED`, `INVALID_BOOKING_TRANSITION`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/{id}/outcome")]
pub async fn record_outcome(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<OutcomeInput>,
) -> Result<HttpResponse, ApiError> {
    let action = match body.0.outcome {
        BookingOutcome::Completed => BookingAction::Complete,
        BookingOutcome::NoShow => BookingAction::MarkNoShow,
    };
    let view = booking::record_outcome(
        &state.db,
        &principal,
        &meta,
        id.into_inner(),
        action,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(detail_view(view)))
}
