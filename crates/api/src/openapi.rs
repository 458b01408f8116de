//! The OpenAPI document: the top-level description here, every path from its handler's
//! `#[utoipa::path]` through utoipa-actix-web.

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rxgate API",
        description = "Prescription-gated telehealth commerce. Every error is an RFC 9457 \
            `application/problem+json` body with a stable `code`; lists use cursor pagination \
            (`cursor`, `limit`, `next_cursor`); every response carries `X-Request-Id`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    tags(
        (name = "system", description = "Liveness and readiness"),
        (name = "dev", description = "Developer tools of the local environment"),
    ),
    components(schemas(rxgate_api_types::Problem, rxgate_api_types::FieldError)),
)]
struct ApiDoc;

/// The top-level document before paths are collected.
fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The complete document, as served at `/api/v1/openapi.json` and committed under `openapi/`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::routes::configure))
        .split_for_parts();
    api
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document_json() -> Result<String, serde_json::Error> {
    let mut json = serde_json::to_string_pretty(&document())?;
    json.push('\n');
    Ok(json)
}
