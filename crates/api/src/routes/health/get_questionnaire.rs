use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::health::{Progress, QuestionnaireForPatient};
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::{Answers, progress};
use rxgate_persistence::questionnaires;

use super::{convert, current_version, definition_of, open_answers};
use crate::audit::{self, Event};
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
    principal.require(Role::Patient)?;
    let clinic = principal.acting_clinic(Role::Patient, None)?;
    let mut tx = state.begin_as(&principal).await?;
    let version = current_version(&mut tx, clinic).await?;
    let definition = definition_of(&version)?;
    let (answers, answer_state) =
        match questionnaires::open_response(&mut tx, principal.user_id, version.id).await? {
            Some(r) => (
                open_answers(&state, principal.user_id, &r.key_id, &r.answers_enc)?,
                "in_progress",
            ),
            None => match questionnaires::latest_submitted(&mut tx, principal.user_id).await? {
                Some(r) => {
                    let mut answers =
                        open_answers(&state, principal.user_id, &r.key_id, &r.answers_enc)?;
                    // Start from the last answers to questions that still exist.
                    answers.retain(|k, _| definition.question(k).is_some());
                    (answers, "submitted")
                }
                None => (Answers::new(), "new"),
            },
        };
    let (answered, visible) = progress(&definition, &answers);
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "questionnaire_response", principal.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(QuestionnaireForPatient {
        version_id: version.id,
        name: version.questionnaire_name.clone(),
        version: version.version,
        definition: convert(&definition)?,
        answers: convert(&answers)?,
        progress: Progress {
            answered: i32::try_from(answered).unwrap_or(i32::MAX),
            visible: i32::try_from(visible).unwrap_or(i32::MAX),
        },
        state: answer_state.into(),
    }))
}
