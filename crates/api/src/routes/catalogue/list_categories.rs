use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::CategoryView;
use rxgate_app::catalogue_admin;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// The product categories (a short, fixed list: not paginated).
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    responses(
        (status = OK, body = Vec<CategoryView>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue/categories")]
pub async fn list_categories(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let rows = catalogue_admin::list_categories(&state.db, &principal).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|c| CategoryView {
                id: c.id,
                slug: c.slug,
                name: c.name,
            })
            .collect::<Vec<_>>(),
    ))
}
