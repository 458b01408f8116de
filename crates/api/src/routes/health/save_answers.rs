use actix_web::{HttpResponse, put, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::health::{AnswersInput, Progress};
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::{Answers, progress, validate_answers};
use rxgate_persistence::questionnaires;

use super::{answer_errors, answerable_version, convert, definition_of, seal_answers};
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Saves answers in progress (unanswered questions are fine) so the patient can resume later.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
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
    let answers: Answers = convert(&body.answers)?;
    let clinic = principal.clinic_ids.first().copied();
    let mut tx = state.begin_as(&principal).await?;
    let version = answerable_version(&mut tx, clinic, body.version_id).await?;
    let definition = definition_of(&version)?;
    let answers = validate_answers(&definition, &answers, false, Utc::now().date_naive())
        .map_err(answer_errors)?;
    let (answered, visible) = progress(&definition, &answers);
    let (answered, visible) = (
        i32::try_from(answered).unwrap_or(i32::MAX),
        i32::try_from(visible).unwrap_or(i32::MAX),
    );
    let open = questionnaires::open_response(&mut tx, principal.user_id, version.id).await?;
    let id = questionnaires::save_progress(
        &mut tx,
        open.map(|r| r.id),
        principal.user_id,
        version.id,
        &seal_answers(&state, principal.user_id, &answers)?,
        state.data_keys.current_id(),
        answered,
        visible,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("update", "questionnaire_response", id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(Progress { answered, visible }))
}
