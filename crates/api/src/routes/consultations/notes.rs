use actix_web::{HttpResponse, get, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::consultations::{ConsultationNotesInput, ConsultationNotesView};
use rxgate_app::consultations;
use uuid::Uuid;

use super::views::{notes_of, notes_view};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// The notes: the booking's doctor reads them (draft or final), the patient the final notes'
/// plan only. Every read is audited. No notes yet (or only a draft, for the patient) is 404.
#[utoipa::path(
    tag = "consultations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Consultation (booking) id")),
    responses(
        (status = OK, body = ConsultationNotesView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/consultations/{id}/notes")]
pub async fn get_notes(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = consultations::read_notes(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        id.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(notes_view(view)))
}

/// The booking's doctor saves the notes, as a draft or final (`finalise`); final notes never
/// change. Sealed at rest with the data keys.
#[utoipa::path(
    tag = "consultations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Consultation (booking) id")),
    request_body = ConsultationNotesInput,
    responses(
        (status = OK, body = ConsultationNotesView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not the booking's doctor, or no such consultation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`VALIDATION_FAILED`, `NOTES_FINAL`, `CONSULTATION_NOT_HELD`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/consultations/{id}/notes")]
pub async fn save_notes(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<ConsultationNotesInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let view = consultations::save_notes(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        id.into_inner(),
        notes_of(input.notes),
        input.finalise,
    )
    .await?;
    Ok(HttpResponse::Ok().json(notes_view(view)))
}
