//! Bulk import of products and variants from CSV (the rules are
//! `rxgate_app::catalogue_admin::import_products`'s).

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::{ImportQuery, ImportReport};
use rxgate_api_types::vocab::ImportMode as WireMode;
use rxgate_app::catalogue_admin::{self, ImportMode};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Imports products and variants from a CSV file (platform admins). By default nothing is
/// imported when any row is invalid: the 422 problem lists every row's problems as
/// `lines[<line>].<column>`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ImportQuery),
    request_body(
        description = "The CSV file's bytes as they are (UTF-8, no multipart envelope), one row per variant. Header: name, category, dosage_form, strength, schedule, requires_prescription, requires_consult, consult_fee_minor, consult_fee_currency, ingredients (`;`-separated), description, sku, variant_strength, pack_size, price_minor, currency",
        content((crate::openapi::Binary = "text/csv")),
    ),
    responses(
        (status = OK, body = ImportReport),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Invalid rows (mode `all`) or an unreadable file", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/products/import")]
pub async fn import_products(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let is_csv = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    if !is_csv {
        return Err(ApiError::UnsupportedMediaType);
    }
    let mode = match query.mode.unwrap_or(WireMode::All) {
        WireMode::All => ImportMode::AllOrNothing,
        WireMode::ValidRows => ImportMode::ValidRows,
    };
    let report =
        catalogue_admin::import_products(&state.db, &principal, &meta, mode, &body).await?;
    Ok(HttpResponse::Ok().json(report))
}
