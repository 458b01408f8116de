use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::audit::ChainVerification;
use rxgate_domain::identity::Role;
use rxgate_persistence::audit as repo;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Walks the whole hash chain and reports the first broken link (information officer only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
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
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::InformationOfficer)?;
    let mut tx = state.begin_as(&principal).await?;
    let result = repo::verify(&mut tx).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("verify", "audit_events", "chain").details(serde_json::json!({
            "intact": result.broken_seq.is_none(), "checked": result.checked,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(ChainVerification {
        intact: result.broken_seq.is_none(),
        checked: result.checked,
        first_broken_seq: result.broken_seq,
        reason: result.reason,
    }))
}
