use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::audit::AuditExportQuery;
use rxgate_app::audit;
use rxgate_persistence::audit::AuditFilter;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The audit events of a time range as CSV (information officer only), newest first, with the
/// actors' names: for a regulator or an investigation. At most 50,000 events; the export is
/// itself recorded in the trail.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditExportQuery),
    responses(
        (status = OK, description = "RFC 4180 CSV with a header row: seq, occurred_at, actor_id, actor_name, actor_email, acting_role, action, entity_type, entity_id, clinic_id, risk, ip, user_agent, request_id, hash",
            body = String, content_type = "text/csv"),
        (status = BAD_REQUEST, description = "A missing or malformed `from`/`to`", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`EXPORT_TOO_LARGE`, or `to` not after `from`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-events/export")]
pub async fn export_events(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<AuditExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let filter = AuditFilter {
        actor_id: query.actor_id,
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        action: query.action,
        from: Some(query.from),
        to: Some(query.to),
        before_seq: None,
    };
    let csv = audit::export_csv(&state.db, &principal, &meta, &filter).await?;
    let name = format!(
        "rxgate-audit-{}-{}.csv",
        query.from.format("%Y%m%dT%H%M"),
        query.to.format("%Y%m%dT%H%M")
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(csv))
}
