//! The OpenAPI document: the top-level description here, every path from its handler's
//! `#[utoipa::path]` through utoipa-actix-web.

use actix_web::App;
use rxgate_api_types::vocab;
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
        (name = "booking", description = "Consults: a clinic's offer, doctors' schedules, free slots, bookings and their changes"),
        (name = "consultations", description = "Consultations: a confirmed booking's consult, its doctor's sealed notes, its video room and recording consent"),
        (name = "admin", description = "Platform administration: doctor approvals, suspensions, organisations, catalogue, flags, rules, questionnaires"),
        (name = "payments", description = "Payments: provider webhooks, the payer's own payments, refunds, the sandbox provider's hosted page"),
        (name = "audit", description = "The tamper-evident audit log (information officer)"),
        (name = "system", description = "Liveness and readiness"),
        (name = "dev", description = "Developer tools of the local environment"),
    ),
    // The vocabularies that query parameters use are not reached through a body, so they are
    // listed here (the rest are collected from bodies; listing them all keeps it one place).
    components(schemas(
        rxgate_api_types::Problem,
        rxgate_api_types::FieldError,
        vocab::Role,
        vocab::DoctorStatus,
        vocab::UserStatus,
        vocab::RuleAction,
        vocab::CatalogueSort,
        vocab::ImportMode,
        vocab::BookingListView,
        vocab::SandboxAction,
    )),
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
    let mut api = api;
    complete_responses(&mut api);
    idempotency_key_parameter(&mut api);
    with_uuid_patterns(api)
}

/// Makes the `Idempotency-Key` header one reusable parameter
/// (`#/components/parameters/IdempotencyKey`) that each operation it applies to refers to.
fn idempotency_key_parameter(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Ref, RefOr};
    const NAME: &str = crate::middleware::idempotency::HEADER;
    let mut found = None;
    for item in api.paths.paths.values_mut() {
        for op in [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            for p in op.parameters.iter_mut().flatten() {
                if let RefOr::T(param) = p
                    && param.name == NAME
                    && matches!(param.parameter_in, ParameterIn::Header)
                {
                    found.get_or_insert_with(|| param.clone());
                    *p = RefOr::Ref(Ref::new("#/components/parameters/IdempotencyKey"));
                }
            }
        }
    }
    if let Some(param) = found {
        api.components
            .get_or_insert_with(Default::default)
            .parameters
            .insert("IdempotencyKey".to_owned(), RefOr::T(param));
    }
}

/// Gives every `format: uuid` string the pattern of a UUID. In JSON Schema a `format` is only
/// an annotation, so generators and fuzzers may send any string (`""`) where the server
/// requires a UUID; the pattern makes the rule part of the contract.
fn with_uuid_patterns(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, KnownFormat, SchemaFormat};
    use utoipa::openapi::{RefOr, Schema};
    const UUID: &str =
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    fn schema(s: &mut Schema) {
        match s {
            Schema::Object(o) => {
                if matches!(o.format, Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                    && o.pattern.is_none()
                {
                    o.pattern = Some(UUID.to_owned());
                }
                o.properties.values_mut().for_each(ref_or);
                if let Some(extra) = o.additional_properties.as_deref_mut()
                    && let AdditionalProperties::RefOr(r) = extra
                {
                    ref_or(r);
                }
            }
            Schema::Array(a) => {
                if let ArrayItems::RefOrSchema(items) = &mut a.items {
                    ref_or(items);
                }
            }
            Schema::OneOf(c) => c.items.iter_mut().for_each(ref_or),
            Schema::AllOf(c) => c.items.iter_mut().for_each(ref_or),
            Schema::AnyOf(c) => c.items.iter_mut().for_each(ref_or),
            _ => {}
        }
    }
    fn ref_or(r: &mut RefOr<Schema>) {
        if let RefOr::T(s) = r {
            schema(s);
        }
    }
    if let Some(components) = api.components.as_mut() {
        components.schemas.values_mut().for_each(ref_or);
    }
    for item in api.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            for p in op.parameters.iter_mut().flatten() {
                if let RefOr::T(p) = p
                    && let Some(s) = p.schema.as_mut()
                {
                    ref_or(s);
                }
            }
        }
    }
    api
}

/// What the server answers on every route of a kind, whatever the handler's annotation says,
/// documented in one place so client generators and fuzzers see every status the server
/// really sends: a description on every response (OpenAPI requires one); 400, 413, 415 and
/// 422 problems on every operation with a JSON body and 400 on every operation with query
/// parameters (the extractors answer those); 429 with
/// `Retry-After` on every rate-limited `/auth/*` operation.
fn complete_responses(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::Operation;
    use utoipa::openapi::{RefOr, Response};
    for (path, item) in api.paths.paths.iter_mut() {
        let rate_limited = path.starts_with("/api/v1/auth/");
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for op in operations.into_iter().flatten() {
            let op: &mut Operation = op;
            let json_body = op.request_body.as_ref().is_some_and(|b| match b {
                RefOr::T(b) => b.content.keys().any(|k| k.contains("json")),
                RefOr::Ref(_) => false,
            });
            let query = op.parameters.as_ref().is_some_and(|ps| {
                ps.iter().any(|p| {
                    matches!(p, RefOr::T(p)
                            if matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query))
                })
            });
            let responses = &mut op.responses.responses;
            if path.contains('{') {
                responses.entry("404".to_owned()).or_insert_with(|| {
                    RefOr::T(problem(
                        "`NOT_FOUND`: no such resource, or not the caller's to see",
                    ))
                });
            }
            if query {
                responses.entry("400".to_owned()).or_insert_with(|| {
                    RefOr::T(problem(
                        "`INVALID_QUERY`: a query parameter does not parse (the problem names it)",
                    ))
                });
            }
            if json_body {
                // The JSON extractor checks every string (no NUL) and every type before the
                // handler runs, whatever the handler itself validates.
                responses.entry("422".to_owned()).or_insert_with(|| {
                    RefOr::T(problem(
                        "`VALIDATION_FAILED`: the problem's `errors` names each failing field",
                    ))
                });
                for (status, text) in [
                    ("400", "`MALFORMED_JSON`: the body is not valid JSON"),
                    (
                        "413",
                        "`PAYLOAD_TOO_LARGE`: the body is larger than the server accepts",
                    ),
                    (
                        "415",
                        "`UNSUPPORTED_MEDIA_TYPE`: send the body as `application/json`",
                    ),
                ] {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::T(problem(text)));
                }
            }
            if rate_limited {
                responses.entry("429".to_owned()).or_insert_with(|| {
                    let mut r = problem(
                        "`RATE_LIMITED`: too many requests from this address; wait `Retry-After` seconds",
                    );
                    r.headers.insert(
                        "Retry-After".to_owned(),
                        RefOr::T(
                            utoipa::openapi::HeaderBuilder::new()
                                .schema(Some(
                                    utoipa::openapi::ObjectBuilder::new()
                                        .schema_type(utoipa::openapi::schema::Type::Integer),
                                ))
                                .description(Some("Seconds until a request is allowed again"))
                                .build(),
                        ),
                    );
                    RefOr::T(r)
                });
            }
            for (status, response) in responses.iter_mut() {
                if let RefOr::T(response) = response
                    && response.description.is_empty()
                {
                    response.description = default_description(status).to_owned();
                }
            }
        }
    }

    fn problem(description: &str) -> Response {
        utoipa::openapi::ResponseBuilder::new()
            .description(description)
            .content(
                crate::error::PROBLEM_JSON,
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    }
}

fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted: the work is queued",
        "204" => "Done; no content",
        "400" => "A problem (`INVALID_QUERY`, `INVALID_CURSOR`, `MALFORMED_JSON`, …)",
        "401" => {
            "Not signed in (`UNAUTHENTICATED`), the access token expired (`TOKEN_EXPIRED`: renew \
             it) or its session ended (`SESSION_ENDED`)"
        }
        "403" => "Signed in but not allowed (`FORBIDDEN`, `MFA_REQUIRED`, …)",
        "404" => "Not found, or not the caller's to see",
        "409" => "A conflict with the current state (the problem's `code` says which)",
        "413" => "The body is too large",
        "415" => "Unsupported content type",
        "422" => "Validation failed: the problem's `errors` names each field",
        "423" => "The account is locked for now (`Retry-After`)",
        "429" => "Too many requests (`Retry-After`)",
        "503" => "Not ready (the database is unreachable or migrations are not current)",
        _ => "See the problem's `code`",
    }
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document_json() -> Result<String, serde_json::Error> {
    let mut json = serde_json::to_string_pretty(&document())?;
    json.push('\n');
    Ok(json)
}

/// A request or response body that is a file's bytes as they are (an image, a CSV file): the
/// schema generators turn into a file or byte-stream parameter, named once per media type.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(#[allow(dead_code)] Vec<u8>);
