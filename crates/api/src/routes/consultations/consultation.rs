use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::consultations::{ConsultationActionInput, ConsultationView};
use rxgate_api_types::vocab::ConsultationAction as WireAction;
use rxgate_app::consultations;
use rxgate_domain::consultation::ConsultationAction;
use uuid::Uuid;

use super::views::consultation_view;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// One consultation with its history (its doctor or its patient; anyone else 404). Its id is
/// its booking's id.
#[utoipa::path(
    tag = "consultations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Consultation (booking) id")),
    responses(
        (status = OK, body = ConsultationView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/consultations/{id}")]
pub async fn get_consultation(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = consultations::get(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(consultation_view(view, principal.user_id)))
}

/// The booking's doctor starts the consultation (while its room is open) or ends it
/// (`complete`, `incomplete`, `no_show`); ending it records the booking's outcome too.
#[utoipa::path(
    tag = "consultations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Consultation (booking) id")),
    request_body = ConsultationActionInput,
    responses(
        (status = OK, body = ConsultationView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not the booking's doctor, or no such consultation", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`CONSULTATION_CHANGED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`INVALID_CONSULTATION_TRANSITION`, `ROOM_NOT_OPEN`, `CONSULT_NOT_STARTED`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/consultations/{id}/actions")]
pub async fn act_on_consultation(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<ConsultationActionInput>,
) -> Result<HttpResponse, ApiError> {
    let action = match body.0.action {
        WireAction::Start => ConsultationAction::Start,
        WireAction::Complete => ConsultationAction::Complete,
        WireAction::Incomplete => ConsultationAction::MarkIncomplete,
        WireAction::NoShow => ConsultationAction::MarkNoShow,
    };
    let view = consultations::act(
        &state.db,
        &principal,
        &meta,
        id.into_inner(),
        action,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(consultation_view(view, principal.user_id)))
}

/// The caller (the doctor or the patient) consents to recording the consult; recording is
/// allowed (`recording_allowed`) only once both consented.
#[utoipa::path(
    tag = "consultations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Consultation (booking) id")),
    responses(
        (status = OK, body = ConsultationView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`INVALID_CONSULTATION_TRANSITION`: it has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/consultations/{id}/recording-consent")]
pub async fn consent_to_recording(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view =
        consultations::consent_to_recording(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(consultation_view(view, principal.user_id)))
}
