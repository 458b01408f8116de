use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::admin::{NewOrganisation, OrganisationView};
use rxgate_api_types::vocab::OrganisationKind;
use rxgate_app::AppError;
use rxgate_app::admin::organisations::{self, CreateOrganisation};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

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
    let body = body.into_inner();
    let row = organisations::create_organisation(
        &state.db,
        &principal,
        &meta,
        CreateOrganisation {
            kind: body.kind.as_str().to_owned(),
            name: body.name,
            slug: body.slug,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(OrganisationView {
        id: row.id,
        kind: OrganisationKind::parse(&row.kind)
            .ok_or_else(|| AppError::unexpected("organisation kind", &row.kind))?,
        name: row.name,
        slug: row.slug,
        created_at: row.created_at,
    }))
}
