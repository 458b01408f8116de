use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::health::{AnswersInput, HealthProfile};
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::{FlagMapping, derive_flags};
use rxgate_persistence::questionnaires;

use super::{health_profile, save_answers_in};
use crate::audit::{self, Event};
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
    principal.require(Role::Patient)?;
    let today = Utc::now().date_naive();
    let mut tx = state.begin_as(&principal).await?;
    let saved = save_answers_in(
        &mut tx,
        &state,
        principal.user_id,
        principal.acting_clinic(Role::Patient, None)?,
        &body,
        true,
        today,
    )
    .await?;
    let mappings: Vec<FlagMapping> =
        serde_json::from_value(saved.version.mappings.clone()).map_err(ApiError::internal)?;
    questionnaires::mark_submitted(&mut tx, saved.response_id).await?;
    let flags: Vec<String> = derive_flags(&saved.definition, &saved.answers, &mappings, today)
        .into_iter()
        .collect();
    questionnaires::replace_flags(&mut tx, saved.response_id, &flags).await?;
    let profile = health_profile(&mut tx, &state, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("submit", "questionnaire_response", saved.response_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(profile))
}
