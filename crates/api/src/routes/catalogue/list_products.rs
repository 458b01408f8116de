use actix_web::{HttpResponse, get, web};
use rxgate_api_types::catalogue::{CatalogueQuery, ProductSummary};
use rxgate_api_types::{CursorPage, Problem};
use rxgate_persistence::catalogue::{self, CatalogueCursor, CatalogueSort};
use rxgate_persistence::pagination::{finish_page, page_size};

use super::{Viewer, summary};
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The catalogue, a page at a time. Patients see their clinic's products with their clinic's
/// (or their doctor's) prices and, on every product, whether they may buy it and why. Staff
/// see their clinic's selection; platform admins the master catalogue or any clinic's.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(CatalogueQuery),
    responses(
        (status = OK, body = CursorPage<ProductSummary>),
        (status = BAD_REQUEST, description = "`INVALID_QUERY` or `INVALID_CURSOR`", body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Another clinic's catalogue", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue/products")]
pub async fn list_products(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<CatalogueQuery>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::of(&principal, query.clinic_id, query.all.unwrap_or(false))?;
    let sort = match query.sort.as_deref() {
        None | Some("name") => CatalogueSort::Name,
        Some("price") => CatalogueSort::Price,
        Some(other) => {
            return Err(ApiError::InvalidQuery(format!(
                "sort must be name or price, not `{other}`"
            )));
        }
    };
    if query.q.as_deref().is_some_and(|q| q.len() > 200) {
        return Err(ApiError::InvalidQuery("q is at most 200 characters".into()));
    }
    let after = query
        .cursor
        .as_deref()
        .map(|c| CatalogueCursor::decode(c, sort))
        .transpose()?;
    let limit = page_size(query.limit);
    if viewer.without_shop() {
        return Ok(HttpResponse::Ok().json(CursorPage::<ProductSummary> {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let mut tx = state.begin_as(&principal).await?;
    let rows = catalogue::page(
        &mut tx,
        &catalogue::CatalogueQuery {
            clinic_id: viewer.clinic_id,
            patient_id: viewer.patient_id,
            search: query.q.clone(),
            category: query.category.clone(),
            requires_prescription: query.prescription,
            include_inactive: viewer.include_inactive,
            whole_catalogue: viewer.whole_catalogue,
            sort,
            after,
            limit,
        },
    )
    .await?;
    if let Some(patient) = viewer.patient_id {
        // Eligibility is computed from the patient's health flags: a read of health data.
        audit::record(
            &mut tx,
            Some(&principal),
            None,
            &meta,
            Event::new("read_eligibility", "patient", patient),
        )
        .await?;
    }
    tx.commit().await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| r.cursor(sort).encode());
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows.iter().map(|r| summary(r, viewer.clinician)).collect(),
        next_cursor,
    }))
}
