use actix_web::{HttpResponse, get, web};
use rxgate_api_types::catalogue::{CatalogueQuery, ProductSummary};
use rxgate_api_types::vocab::CatalogueSort as WireSort;
use rxgate_api_types::{CursorPage, Problem};
use rxgate_app::catalogue::{self, Browse};
use rxgate_persistence::catalogue::{CatalogueCursor, CatalogueSort};
use rxgate_persistence::pagination::page_size;

use super::summary;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ClinicHeader;
use crate::state::AppState;

/// The catalogue, a page at a time. Patients see their clinic's products with their clinic's
/// (or their doctor's) prices and, on every product, whether they may buy it and why. Staff
/// see their clinic's selection; platform admins the master catalogue or any clinic's.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(CatalogueQuery, ClinicHeader),
    responses(
        (status = OK, body = CursorPage<ProductSummary>),
        (status = BAD_REQUEST, description = "`INVALID_QUERY` or `INVALID_CURSOR`", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Another clinic's catalogue", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`CLINIC_REQUIRED`: the caller belongs to several clinics and named none", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue/products")]
pub async fn list_products(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<CatalogueQuery>,
) -> Result<HttpResponse, ApiError> {
    let sort = match query.sort.unwrap_or(WireSort::Name) {
        WireSort::Name => CatalogueSort::Name,
        WireSort::Price => CatalogueSort::Price,
    };
    if query.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiError::InvalidQuery(
            "Use at most 200 characters in the search.".into(),
        ));
    }
    let after = query
        .cursor
        .as_deref()
        .map(|c| CatalogueCursor::decode(c, sort))
        .transpose()?;
    let page = catalogue::browse(
        &state.db,
        &principal,
        &meta,
        Browse {
            clinic_id: query.clinic_id,
            all: query.all.unwrap_or(false),
            search: query.q.clone(),
            category: query.category.clone(),
            requires_prescription: query.prescription,
            sort,
            after,
            limit: page_size(query.limit),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page
            .rows
            .iter()
            .map(|r| summary(r, page.viewer.clinician))
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    }))
}
