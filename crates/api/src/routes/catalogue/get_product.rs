use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::ProductDetail;
use rxgate_domain::identity::Role;
use rxgate_persistence::catalogue;
use uuid::Uuid;

use super::{Viewer, summary};
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Staff only: the clinic whose prices to show.
    pub clinic_id: Option<Uuid>,
}

/// One product with its variants and, for patients, their eligibility. A product the caller's
/// clinic does not sell is 404.
#[utoipa::path(
    tag = "catalogue",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id"), ProductQuery),
    responses(
        (status = OK, body = ProductDetail),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue/products/{id}")]
pub async fn get_product(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    query: web::Query<ProductQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let viewer = Viewer::of(&principal, query.clinic_id, true)?;
    if viewer.without_shop() {
        return Err(ApiError::NotFound);
    }
    let mut tx = state.begin_as(&principal).await?;
    let row = catalogue::product(
        &mut tx,
        id,
        viewer.clinic_id,
        viewer.patient_id,
        viewer.include_inactive,
        viewer.whole_catalogue,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let doctor = principal.has(Role::Doctor).then_some(principal.user_id);
    let variants =
        catalogue::variants(&mut tx, id, viewer.clinic_id, viewer.patient_id, doctor).await?;
    if let Some(patient) = viewer.patient_id {
        audit::record(
            &mut tx,
            Some(&principal),
            None,
            &meta,
            Event::new("read_eligibility", "patient", patient)
                .details(serde_json::json!({ "product_id": id })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(ProductDetail {
        product: summary(&row, viewer.clinician),
        description: row.description.clone(),
        variants: variants
            .into_iter()
            .filter(|v| v.active || viewer.include_inactive)
            .map(|v| crate::routes::catalogue::variant_view(v, viewer.clinician))
            .collect(),
    }))
}
