use actix_web::{HttpResponse, post, web};
use rxgate_api_types::health::{FlagOverrideInput, HealthProfile};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::{questionnaires, users};
use uuid::Uuid;

use super::health_profile;
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// A doctor raises or clears one of their patient's flags with a reason: clinical judgement
/// beats the form. Audited; shown with who and why; eligibility changes at once.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Patient id")),
    request_body = FlagOverrideInput,
    responses(
        (status = CREATED, body = HealthProfile),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Unknown flag or missing reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/patients/{id}/flag-overrides")]
pub async fn add_flag_override(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<FlagOverrideInput>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Doctor)?;
    let patient = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    // Only the doctor's own patients: not every member a doctor who also administers the
    // clinic may see.
    if !users::is_doctors_patient(&mut tx, principal.user_id, patient).await? {
        return Err(ApiError::NotFound);
    }
    if !questionnaires::flags(&mut tx)
        .await?
        .iter()
        .any(|f| f.code == body.flag)
    {
        return Err(ApiError::Validation(vec![FieldError {
            field: "flag".into(),
            code: "unknown_flag".into(),
            message: format!("There is no flag `{}`.", body.flag),
        }]));
    }
    let reason = state
        .data_keys
        .seal(body.reason.trim().as_bytes(), patient.as_bytes())
        .map_err(ApiError::internal)?;
    let override_id = questionnaires::insert_override(
        &mut tx,
        patient,
        &body.flag,
        body.raised,
        &reason,
        state.data_keys.current_id(),
        principal.user_id,
    )
    .await?;
    let profile = health_profile(&mut tx, &state, patient).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("flag_override", "patient", patient)
            .risk("medium")
            .details(serde_json::json!({
                "override_id": override_id, "flag": body.flag, "raised": body.raised
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(profile))
}
