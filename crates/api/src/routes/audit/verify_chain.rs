use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::audit::{ChainVerification, VerifyQuery};
use rxgate_domain::identity::Role;

use crate::audit::{self, Event};
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
    principal.require(Role::InformationOfficer)?;
    let mut tx = state.begin_as(&principal).await?;
    let result = audit::verify_chain(&mut tx, &state.keys, query.full.unwrap_or(false)).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("verify", "audit_events", "chain").details(serde_json::json!({
            "intact": result.intact, "checked": result.checked, "from": result.from_position,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(result))
}
