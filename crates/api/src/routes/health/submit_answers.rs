use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::health::{AnswersInput, HealthProfile};
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::{
    Answers, FlagMapping, derive_flags, progress, validate_answers,
};
use rxgate_persistence::questionnaires;

use super::{
    answer_errors, answerable_version, convert, definition_of, health_profile, seal_answers,
};
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Submits complete answers. The flags they raise replace the patient's previous ones in the
/// same transaction, so the catalogue's eligibility changes at once; earlier submissions are
/// kept as history.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
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
    let answers: Answers = convert(&body.answers)?;
    let clinic = principal.clinic_ids.first().copied();
    let today = Utc::now().date_naive();
    let mut tx = state.begin_as(&principal).await?;
    let version = answerable_version(&mut tx, clinic, body.version_id).await?;
    let definition = definition_of(&version)?;
    let mappings: Vec<FlagMapping> =
        serde_json::from_value(version.mappings.clone()).map_err(ApiError::internal)?;
    let answers = validate_answers(&definition, &answers, true, today).map_err(answer_errors)?;
    let (answered, visible) = progress(&definition, &answers);
    let open = questionnaires::open_response(&mut tx, principal.user_id, version.id).await?;
    let response_id = questionnaires::save_progress(
        &mut tx,
        open.map(|r| r.id),
        principal.user_id,
        version.id,
        &seal_answers(&state, principal.user_id, &answers)?,
        state.data_keys.current_id(),
        i32::try_from(answered).unwrap_or(i32::MAX),
        i32::try_from(visible).unwrap_or(i32::MAX),
    )
    .await?;
    questionnaires::mark_submitted(&mut tx, response_id).await?;
    let flags: Vec<String> = derive_flags(&definition, &answers, &mappings, today)
        .into_iter()
        .collect();
    questionnaires::replace_flags(&mut tx, principal.user_id, response_id, &flags).await?;
    let profile = health_profile(&mut tx, &state, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("submit", "questionnaire_response", response_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(profile))
}
