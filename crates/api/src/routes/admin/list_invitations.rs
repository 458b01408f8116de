use actix_web::{HttpResponse, get, web};
use rxgate_api_types::admin::InvitationView;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_app::admin::people;
use rxgate_persistence::pagination::page_size;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Invitations, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = OK, body = CursorPage<InvitationView>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = people::list_invitations(
        &state.db,
        &principal,
        &meta,
        query.cursor.as_deref(),
        page_size(query.limit),
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page.rows,
        next_cursor: page.next_cursor,
    }))
}
