use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::health::{FlagOverrideInput, HealthProfile};
use rxgate_app::health::{self, FlagOverride};
use uuid::Uuid;

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
    let body = body.0;
    let profile = health::add_flag_override(
        &state.db,
        &state.data_keys,
        &principal,
        &meta,
        id.into_inner(),
        FlagOverride {
            flag: body.flag,
            raised: body.raised,
            reason: body.reason,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(profile))
}
