use actix_web::{HttpResponse, get, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::booking::{ClinicOfferInput, ClinicOfferView, ClinicQuery, ConsultFee};
use rxgate_api_types::catalogue::MoneyView;
use rxgate_app::booking::{self, Offer};
use rxgate_persistence::booking::PolicyRow;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

fn offer_view(o: Offer) -> ClinicOfferView {
    ClinicOfferView {
        clinic_id: o.clinic_id,
        modes: o
            .modes
            .into_iter()
            .map(|m| ConsultFee {
                mode: m.mode.into(),
                fee: MoneyView {
                    amount_minor: m.fee_minor,
                    currency: m.currency,
                },
            })
            .collect(),
        free_cancel_hours: o.free_cancel_hours,
        hold_minutes: o.hold_minutes,
    }
}

/// The consult modes, fees and cancellation policy of the clinic the caller acts in.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(ClinicQuery),
    responses(
        (status = OK, body = ClinicOfferView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not a clinic of the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/consults/offer")]
pub async fn get_offer(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<ClinicQuery>,
) -> Result<HttpResponse, ApiError> {
    let offer = booking::offer(&state.db, &principal, &meta, query.clinic_id).await?;
    Ok(HttpResponse::Ok().json(offer_view(offer)))
}

/// Replaces the clinic's consult modes, fees and policy (its clinic admins).
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(ClinicQuery),
    request_body = ClinicOfferInput,
    responses(
        (status = OK, body = ClinicOfferView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/consults/offer")]
pub async fn set_offer(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<ClinicQuery>,
    body: ValidatedJson<ClinicOfferInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let offer = booking::set_offer(
        &state.db,
        &principal,
        &meta,
        query.clinic_id,
        body.modes
            .into_iter()
            .map(|m| (m.mode.into(), m.fee.amount_minor, m.fee.currency))
            .collect(),
        PolicyRow {
            free_cancel_hours: body.free_cancel_hours,
            hold_minutes: body.hold_minutes,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(offer_view(offer)))
}
