use actix_web::{HttpResponse, put, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::convert::answers_to_domain;
use rxgate_api_types::health::{AnswersInput, Progress};
use rxgate_app::health::{self, Answering};

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
    let answering = Answering {
        version_id: body.version_id,
        answers: answers_to_domain(&body.answers),
    };
    let progress = health::save_answers(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        answering,
        Utc::now().date_naive(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(progress))
}
