use actix_web::{HttpResponse, get, web};
use rxgate_api_types::audit::{AuditEventView, AuditQuery};
use rxgate_api_types::vocab::Risk;
use rxgate_api_types::{CursorPage, Problem};
use rxgate_app::{AppError, audit};
use rxgate_persistence::audit::AuditFilter;
use rxgate_persistence::pagination::page_size;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Audit events, newest first, filtered by actor, entity, action and time (information
/// officer only). Reading the log is itself audited.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = OK, body = CursorPage<AuditEventView>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-events")]
pub async fn list_events(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let before_seq = match &query.cursor {
        Some(c) => Some(c.parse::<i64>().map_err(|_| ApiError::InvalidCursor)?),
        None => None,
    };
    let filter = AuditFilter {
        actor_id: query.actor_id,
        entity_type: query.entity_type.clone(),
        entity_id: query.entity_id.clone(),
        action: query.action.clone(),
        from: query.from,
        to: query.to,
        before_seq,
    };
    let (rows, next) = audit::events(
        &state.db,
        &principal,
        &meta,
        &filter,
        page_size(query.limit),
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows
            .into_iter()
            .map(|r| {
                Ok(AuditEventView {
                    risk: Risk::parse(&r.risk)
                        .ok_or_else(|| AppError::unexpected("risk", &r.risk))?,
                    seq: r.seq,
                    id: r.id,
                    occurred_at: r.occurred_at,
                    actor_id: r.actor_id,
                    actor_name: r.actor_name,
                    actor_email: r.actor_email,
                    acting_role: r.acting_role,
                    action: r.action,
                    entity_type: r.entity_type,
                    entity_id: r.entity_id,
                    clinic_id: r.clinic_id,
                    ip: r.ip,
                    user_agent: r.user_agent,
                    request_id: r.request_id,
                    hash: r.hash.as_deref().map(hex::encode),
                })
            })
            .collect::<Result<_, ApiError>>()?,
        next_cursor: next.map(|s| s.to_string()),
    }))
}
