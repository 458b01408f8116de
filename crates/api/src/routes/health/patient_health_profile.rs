use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::health::HealthProfile;
use rxgate_app::health::{self, ProfileOf};
use uuid::Uuid;

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
    let profile = health::health_profile(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        ProfileOf::Patient(id.into_inner()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(profile))
}
