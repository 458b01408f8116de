use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::health::HealthProfile;
use rxgate_app::health::{self, ProfileOf};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The patient's own health profile: latest answers, flags and doctors' overrides.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    responses(
        (status = OK, body = HealthProfile),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/health-profile")]
pub async fn my_health_profile(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let profile = health::health_profile(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        ProfileOf::Me,
    )
    .await?;
    Ok(HttpResponse::Ok().json(profile))
}
