use actix_web::{HttpResponse, get, web};
use rxgate_api_types::admin::OrganisationView;
use rxgate_api_types::vocab::OrganisationKind;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_app::AppError;
use rxgate_app::admin::organisations;
use rxgate_persistence::pagination::page_size;

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
    let page = organisations::list_organisations(
        &state.db,
        &principal,
        query.cursor.as_deref(),
        page_size(query.limit),
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page
            .rows
            .into_iter()
            .map(|r| {
                Ok(OrganisationView {
                    kind: OrganisationKind::parse(&r.kind)
                        .ok_or_else(|| AppError::unexpected("organisation kind", &r.kind))?,
                    id: r.id,
                    name: r.name,
                    slug: r.slug,
                    created_at: r.created_at,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        next_cursor: page.next_cursor,
    }))
}
