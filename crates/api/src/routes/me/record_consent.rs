use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{ConsentInput, ConsentView};
use rxgate_app::account::{self, Consent};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Grants or withdraws a consent (a new record; history is kept).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ConsentInput,
    responses(
        (status = CREATED, body = ConsentView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/consents")]
pub async fn record_consent(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<ConsentInput>,
) -> Result<HttpResponse, ApiError> {
    let ValidatedJson(body) = body;
    let consent = account::record_consent(
        &state.db,
        &principal,
        &meta,
        Consent {
            purpose: body.purpose,
            policy_version: body.policy_version,
            granted: body.granted,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(consent))
}
