use actix_web::{HttpResponse, post, web};
use rxgate_api_types::admin::{NewOrganisation, OrganisationView};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::organisations;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

fn slug_ok(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 63
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// Creates a clinic (tenant) or a pharmacy.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewOrganisation,
    responses(
        (status = CREATED, body = OrganisationView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`SLUG_TAKEN`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: web::Json<NewOrganisation>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let mut problems = Vec::new();
    if !["clinic", "pharmacy"].contains(&body.kind.as_str()) {
        problems.push(FieldError {
            field: "kind".into(),
            code: "one_of".into(),
            message: "Must be clinic or pharmacy.".into(),
        });
    }
    let name = body.name.trim();
    if name.is_empty() || name.len() > 200 {
        problems.push(FieldError {
            field: "name".into(),
            code: "length".into(),
            message: "Must be 1 to 200 characters.".into(),
        });
    }
    if !slug_ok(&body.slug) {
        problems.push(FieldError {
            field: "slug".into(),
            code: "slug".into(),
            message: "Lower-case letters, digits and single dashes, up to 63 characters.".into(),
        });
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let mut tx = state.begin_as(&principal).await?;
    let row = organisations::create(&mut tx, &body.kind, name, &body.slug).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("create", "organisation", row.id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(OrganisationView {
        id: row.id,
        kind: row.kind,
        name: row.name,
        slug: row.slug,
        created_at: row.created_at,
    }))
}
