use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::audit::{ChainVerification, VerifyQuery};
use rxgate_app::audit;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Checks the signed checkpoints and walks the hash chain from the newest one (or from the
/// start with `full=true`), reporting the first broken link (information officer only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(VerifyQuery),
    responses(
        (status = OK, body = ChainVerification),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/audit-events/verify")]
pub async fn verify_chain(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, ApiError> {
    let result = audit::verify(
        &state.db,
        &state.keys,
        &principal,
        &meta,
        query.full.unwrap_or(false),
    )
    .await?;
    Ok(HttpResponse::Ok().json(result))
}
