use actix_web::{HttpResponse, get, web};
use rxgate_api_types::admin::{DoctorApplication, DoctorQuery};
use rxgate_api_types::{CursorPage, Problem};
use rxgate_domain::identity::{DoctorStatus, Role};
use rxgate_persistence::pagination::{TimeCursor, finish_page, page_size};
use rxgate_persistence::users;

use super::to_view;
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Doctors by registration status, oldest first: the approval queue.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(DoctorQuery),
    responses(
        (status = OK, body = CursorPage<DoctorApplication>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/doctors")]
pub async fn list_doctors(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<DoctorQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let status =
        DoctorStatus::parse(query.status.as_deref().unwrap_or("pending")).ok_or_else(|| {
            ApiError::InvalidQuery("status must be pending, approved, rejected or suspended".into())
        })?;
    let after = query
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let limit = page_size(query.limit);
    let mut tx = state.begin_as(&principal).await?;
    let rows = users::list_doctors(&mut tx, status, after, limit + 1).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "doctor_profiles", status),
    )
    .await?;
    tx.commit().await?;
    let (rows, next) = finish_page(rows, limit, |r| {
        TimeCursor {
            at: r.created_at,
            id: r.user_id,
        }
        .encode()
    });
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows.into_iter().map(to_view).collect(),
        next_cursor: next,
    }))
}
