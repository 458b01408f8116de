use actix_web::{HttpResponse, get, web};
use rxgate_api_types::admin::{UserQuery, UserSummary};
use rxgate_api_types::{CursorPage, Problem};
use rxgate_domain::identity::{Role, UserStatus};
use rxgate_persistence::pagination::{TimeCursor, finish_page, page_size};
use rxgate_persistence::users;

use crate::audit::{self, Event};
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
    principal.require(Role::PlatformAdmin)?;
    if let Some(role) = &query.role {
        role.parse::<Role>()
            .map_err(|_| ApiError::InvalidQuery(format!("unknown role `{role}`")))?;
    }
    let status = query
        .status
        .as_deref()
        .map(|s| {
            UserStatus::parse(s)
                .ok_or_else(|| ApiError::InvalidQuery("status must be active or suspended".into()))
        })
        .transpose()?;
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let before = query
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let limit = page_size(query.limit);
    let mut tx = state.begin_as(&principal).await?;
    let rows = users::search(&mut tx, q, query.role.as_deref(), status, before, limit + 1).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "users", "search"),
    )
    .await?;
    tx.commit().await?;
    let (rows, next) = finish_page(rows, limit, |r| {
        TimeCursor {
            at: r.created_at,
            id: r.id,
        }
        .encode()
    });
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows
            .into_iter()
            .map(|r| UserSummary {
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                status: r.status.as_str().to_owned(),
                roles: r.roles,
                created_at: r.created_at,
            })
            .collect(),
        next_cursor: next,
    }))
}
