use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::convert::answers_to_api;
use rxgate_api_types::health::{Definition, QuestionnaireForPatient};
use rxgate_api_types::vocab::AnswerState as WireState;
use rxgate_app::health;
use rxgate_app::health::AnswerState;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ClinicHeader;
use crate::state::AppState;

/// The medical questionnaire the patient answers, with their saved answers (or, to start from,
/// their last submitted ones).
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(ClinicHeader),
    responses(
        (status = OK, body = QuestionnaireForPatient),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No questionnaire is published", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`CLINIC_REQUIRED`: the caller belongs to several clinics and named none", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/questionnaire")]
pub async fn get_questionnaire(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let q =
        health::questionnaire_for_patient(&state.db, &state.data_keys, &principal, &meta).await?;
    Ok(HttpResponse::Ok().json(QuestionnaireForPatient {
        version_id: q.version.id,
        name: q.version.questionnaire_name,
        version: q.version.version,
        definition: Definition::from(&q.definition),
        answers: answers_to_api(&q.answers),
        progress: q.progress,
        state: match q.state {
            AnswerState::New => WireState::New,
            AnswerState::InProgress => WireState::InProgress,
            AnswerState::Submitted => WireState::Submitted,
        },
    }))
}
