//! The OpenAPI document: the top-level description here, every path from its handler's
//! `#[utoipa::path]` through utoipa-actix-web.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
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
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-up, sign-in, tokens, password reset"),
        (name = "me", description = "The signed-in person: profile, consents, sessions, second factors and passkeys"),
        (name = "catalogue", description = "Products with prices and, for patients, whether they may buy each one and why"),
        (name = "health", description = "The medical questionnaire, health profiles, flag overrides, the doctor's review queue"),
        (name = "admin", description = "Platform administration: doctor approvals, suspensions, organisations, catalogue, flags, rules, questionnaires"),
        (name = "audit", description = "The tamper-evident audit log (information officer)"),
        (name = "system", description = "Liveness and readiness"),
        (name = "dev", description = "Developer tools of the local environment"),
    ),
    components(schemas(rxgate_api_types::Problem, rxgate_api_types::FieldError)),
)]
struct ApiDoc;

/// Access tokens from `/auth/login` or `/auth/refresh`, sent as `Authorization: Bearer …`.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("EdDSA-signed access token, valid 15 minutes; keys at /api/v1/.well-known/jwks.json"))
                    .build(),
            ),
        );
    }
}

/// The top-level document before paths are collected.
fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The complete document, as served at `/api/v1/openapi.json` and committed under `openapi/`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(|cfg| {
            if let (Some(sign_in), Some(refresh)) = (
                crate::routes::auth_rate_limit(60, 10),
                crate::routes::auth_rate_limit(120, 60),
            ) {
                crate::routes::configure(cfg, &crate::routes::AuthLimits { sign_in, refresh });
            }
        }))
        .split_for_parts();
    api
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document_json() -> Result<String, serde_json::Error> {
    let mut json = serde_json::to_string_pretty(&document())?;
    json.push('\n');
    Ok(json)
}
