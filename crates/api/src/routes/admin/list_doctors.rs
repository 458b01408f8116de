use actix_web::{HttpResponse, get, web};
use rxgate_api_types::admin::{DoctorApplication, DoctorQuery};
use rxgate_api_types::{CursorPage, Problem};
use rxgate_app::admin::people::{self, DoctorSearch};
use rxgate_persistence::pagination::page_size;

use super::to_view;
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
    let query = query.into_inner();
    let page = people::list_doctors(
        &state.db,
        &principal,
        &meta,
        DoctorSearch {
            status: query.status.map(Into::into),
            cursor: query.cursor,
            limit: page_size(query.limit),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page.rows.into_iter().map(to_view).collect(),
        next_cursor: page.next_cursor,
    }))
}
