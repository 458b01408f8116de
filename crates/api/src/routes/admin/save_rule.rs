use actix_web::{HttpResponse, post, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::{RuleInput, RuleView};
use rxgate_app::admin::rules::{self, SaveRule};
use uuid::Uuid;

use super::list_rules::rule_view;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

fn command(body: RuleInput) -> SaveRule {
    SaveRule {
        product_id: body.product_id,
        ingredient_id: body.ingredient_id,
        flag: body.flag,
        action: body.action.as_str().to_owned(),
        patient_message: body.patient_message,
        clinician_message: body.clinician_message,
        active: body.active,
    }
}

/// Adds a contraindication rule (platform admins). It applies to every patient at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = RuleInput,
    responses(
        (status = CREATED, body = RuleView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "Unknown product or ingredient", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/rules")]
pub async fn create_rule(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<RuleInput>,
) -> Result<HttpResponse, ApiError> {
    let row = rules::create_rule(&state.db, &principal, &meta, command(body.0)).await?;
    Ok(HttpResponse::Created().json(rule_view(row)?))
}

/// Replaces a rule's content, or retires it (`active: false`). Takes effect at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Rule id")),
    request_body = RuleInput,
    responses(
        (status = OK, body = RuleView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/rules/{id}")]
pub async fn update_rule(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: ValidatedJson<RuleInput>,
) -> Result<HttpResponse, ApiError> {
    let row = rules::update_rule(
        &state.db,
        &principal,
        &meta,
        id.into_inner(),
        command(body.0),
    )
    .await?;
    Ok(HttpResponse::Ok().json(rule_view(row)?))
}
