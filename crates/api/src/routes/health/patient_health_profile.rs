use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::health::HealthProfile;
use rxgate_domain::identity::Role;
use rxgate_persistence::users;
use uuid::Uuid;

use super::health_profile;
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// A patient's chart panel for one of their doctors: answers, flags and overrides. A patient
/// who is not the doctor's is 404.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Patient id")),
    responses(
        (status = OK, body = HealthProfile),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/patients/{id}/health-profile")]
pub async fn patient_health_profile(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Doctor)?;
    let patient = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    // Only the doctor's own patients: not every member a doctor who also administers the
    // clinic may see.
    if !users::is_doctors_patient(&mut tx, principal.user_id, patient).await? {
        return Err(ApiError::NotFound);
    }
    let profile = health_profile(&mut tx, &state, patient).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "health_profile", patient),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(profile))
}
