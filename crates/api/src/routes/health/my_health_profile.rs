use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::health::HealthProfile;
use rxgate_domain::identity::Role;

use super::health_profile;
use crate::audit::{self, Event};
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
    principal.require(Role::Patient)?;
    let mut tx = state.begin_as(&principal).await?;
    let profile = health_profile(&mut tx, &state, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "health_profile", principal.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(profile))
}
