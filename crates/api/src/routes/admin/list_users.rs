use actix_web::{HttpResponse, get, web};
use rxgate_api_types::admin::{UserQuery, UserSummary};
use rxgate_api_types::{CursorPage, Problem};
use rxgate_app::admin::people::{self, UserSearch};
use rxgate_persistence::pagination::page_size;

use super::wire_role;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// People on the platform, newest first, searchable by name or email (platform admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(UserQuery),
    responses(
        (status = OK, body = CursorPage<UserSummary>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<UserQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = people::list_users(
        &state.db,
        &principal,
        &meta,
        UserSearch {
            search: query.q,
            role: query.role.map(Into::into),
            status: query.status.map(Into::into),
            cursor: query.cursor,
            limit: page_size(query.limit),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page
            .rows
            .into_iter()
            .map(|r| {
                Ok(UserSummary {
                    id: r.id,
                    email: r.email,
                    display_name: r.display_name,
                    status: r.status.into(),
                    roles: r
                        .roles
                        .iter()
                        .map(|role| wire_role(role))
                        .collect::<Result<_, _>>()?,
                    created_at: r.created_at,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        next_cursor: page.next_cursor,
    }))
}
