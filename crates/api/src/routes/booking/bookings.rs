use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use rxgate_api_types::booking::{
    BookInput, BookedView, BookingDetailView, BookingQuery, BookingView, FeePaymentView,
};
use rxgate_api_types::vocab::BookingListView;
use rxgate_api_types::{CursorPage, Problem};
use rxgate_app::booking::{self, Book, Booked, BookingSearch, BookingsView};
use rxgate_integrations::payments::NextAction;
use rxgate_persistence::pagination::page_size;
use uuid::Uuid;

use super::views::{booking_view, detail_view};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::middleware::idempotency::IdempotencyKeyHeader;
use crate::state::AppState;

pub(crate) fn booked_view(b: Booked) -> BookedView {
    let detail = detail_view(b.view);
    BookedView {
        booking: detail.booking,
        events: detail.events,
        payment: b.payment.map(|p| {
            let (redirect_url, client_secret) = match p.next {
                NextAction::Redirect(url) => (Some(url), None),
                NextAction::ClientSecret(secret) => (None, Some(secret)),
            };
            FeePaymentView {
                payment_id: p.payment.id,
                redirect_url,
                client_secret,
            }
        }),
    }
}

/// Holds one of a doctor's free slots for the caller (patients) at the clinic's fee for the
/// mode, and starts the fee's payment: send the patient to `payment.redirect_url`. The hold
/// lapses after the clinic's hold time unless the payment succeeds. Send an
/// `Idempotency-Key`: a retry then gets the first answer instead of a second hold.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    request_body = BookInput,
    responses(
        (status = CREATED, body = BookedView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not a clinic of the caller, or not one of its doctors", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`SLOT_TAKEN`: someone booked that time first; `REQUEST_IN_PROGRESS`: the same Idempotency-Key is still running", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`SLOT_UNAVAILABLE`: not a free slot of the doctor; a mode the clinic does not offer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_booking(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<BookInput>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let booked = booking::book(
        &state.db,
        state.payments.gateway.as_ref(),
        &principal,
        &meta,
        Book {
            clinic_id: b.clinic_id,
            doctor_id: b.doctor_id,
            starts_at: b.starts_at,
            mode: b.mode.into(),
        },
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(booked_view(booked)))
}

/// Starts (again) the payment of a held booking's fee: after a declined or abandoned payment,
/// or for a time the waitlist offered. Its patient only.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    responses(
        (status = OK, body = BookedView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`NOT_PAYABLE`: not a held booking", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/{id}/pay")]
pub async fn pay_booking(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let booked = booking::pay(
        &state.db,
        state.payments.gateway.as_ref(),
        &principal,
        &meta,
        id.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(booked_view(booked)))
}

/// A page of bookings: the caller's own (`view=patient`), the caller's calendar
/// (`view=doctor`), or a clinic's (`view=clinic`, its admins).
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(BookingQuery),
    responses(
        (status = OK, body = CursorPage<BookingView>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/bookings")]
pub async fn list_bookings(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<BookingQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = booking::list(
        &state.db,
        &principal,
        &meta,
        BookingSearch {
            view: match q.view {
                BookingListView::Patient => BookingsView::Patient,
                BookingListView::Doctor => BookingsView::Doctor,
                BookingListView::Clinic => BookingsView::Clinic,
            },
            clinic_id: q.clinic_id,
            from: q.from,
            to: q.to,
            cursor: q.cursor,
            limit: page_size(q.limit),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page.rows.into_iter().map(booking_view).collect::<Vec<_>>(),
        next_cursor: page.next_cursor,
    }))
}

/// One booking with its history (its patient, its doctor, the clinic's admins).
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    responses(
        (status = OK, body = BookingDetailView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/bookings/{id}")]
pub async fn get_booking(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = booking::get(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(detail_view(view)))
}
