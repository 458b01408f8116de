use actix_web::{HttpResponse, put, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::health::{AnswersInput, Progress};
use rxgate_domain::identity::Role;

use super::save_answers_in;
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ClinicHeader;
use crate::state::AppState;

/// Saves answers in progress (unanswered questions are fine) so the patient can resume later.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(ClinicHeader),
    request_body = AnswersInput,
    responses(
        (status = OK, body = Progress),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`VERSION_RETIRED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Per question: `answers.<key>`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/questionnaire")]
pub async fn save_answers(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: web::Json<AnswersInput>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Patient)?;
    let mut tx = state.begin_as(&principal).await?;
    let saved = save_answers_in(
        &mut tx,
        &state,
        principal.user_id,
        principal.acting_clinic(Role::Patient, None)?,
        &body,
        false,
        Utc::now().date_naive(),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("update", "questionnaire_response", saved.response_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(saved.progress))
}
