use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use rxgate_api_types::admin::InvitationView;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::invitations;
use rxgate_persistence::pagination::{TimeCursor, finish_page, page_size};

use crate::audit::{self, Event};
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
    principal.require(Role::PlatformAdmin)?;
    let before = query
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?;
    let limit = page_size(query.limit);
    let mut tx = state.begin_as(&principal).await?;
    let rows = invitations::list(&mut tx, before, limit + 1).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "invitations", "list"),
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
    let now = Utc::now();
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows
            .into_iter()
            .map(|r| super::invitation_view(r, now))
            .collect(),
        next_cursor: next,
    }))
}
