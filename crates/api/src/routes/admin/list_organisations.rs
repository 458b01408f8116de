use actix_web::{HttpResponse, get, web};
use rxgate_api_types::admin::OrganisationView;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::organisations;
use rxgate_persistence::pagination::{TimeCursor, finish_page, page_size};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Clinics and pharmacies, oldest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = OK, body = CursorPage<OrganisationView>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let after = query
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let limit = page_size(query.limit);
    let mut tx = state.begin_as(&principal).await?;
    let rows = organisations::list(&mut tx, after, limit + 1).await?;
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
            .map(|r| OrganisationView {
                id: r.id,
                kind: r.kind,
                name: r.name,
                slug: r.slug,
                created_at: r.created_at,
            })
            .collect(),
        next_cursor: next,
    }))
}
