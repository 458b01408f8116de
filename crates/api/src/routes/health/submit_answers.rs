use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::convert::answers_to_domain;
use rxgate_api_types::health::{AnswersInput, HealthProfile};
use rxgate_app::health::{self, Answering};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ClinicHeader;
use crate::state::AppState;

/// Submits complete answers. The flags they raise replace the patient's previous ones in the
/// same transaction, so the catalogue's eligibility changes at once; earlier submissions are
/// kept as history.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(ClinicHeader),
    request_body = AnswersInput,
    responses(
        (status = OK, body = HealthProfile),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`VERSION_RETIRED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Per question: `answers.<key>`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/questionnaire/submit")]
pub async fn submit_answers(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: web::Json<AnswersInput>,
) -> Result<HttpResponse, ApiError> {
    let answering = Answering {
        version_id: body.version_id,
        answers: answers_to_domain(&body.answers),
    };
    let profile = health::submit_answers(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        answering,
        Utc::now().date_naive(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(profile))
}
