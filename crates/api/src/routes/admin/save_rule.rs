use actix_web::{HttpResponse, post, put, web};
use rxgate_api_types::catalogue::{RuleInput, RuleView};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::eligibility::RuleAction;
use rxgate_domain::identity::Role;
use rxgate_persistence::{questionnaires, rules};
use uuid::Uuid;

use super::list_rules::rule_view;
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

async fn checked(
    tx: &mut sqlx::PgConnection,
    body: &RuleInput,
) -> Result<rules::RuleInput, ApiError> {
    let mut errors = Vec::new();
    let mut field = |field: &str, code: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        });
    };
    if body.product_id.is_some() == body.ingredient_id.is_some() {
        field(
            "product_id",
            "one_target",
            "Choose a product or an active ingredient (not both).",
        );
    }
    let action = RuleAction::parse(&body.action);
    if action.is_err() {
        field("action", "action", "The action is block, review or warn.");
    }
    if body.patient_message.trim().is_empty() {
        field(
            "patient_message",
            "length",
            "Write what the patient is told.",
        );
    }
    if body.clinician_message.trim().is_empty() {
        field(
            "clinician_message",
            "length",
            "Write what clinicians are told.",
        );
    }
    if !questionnaires::flags(tx)
        .await?
        .iter()
        .any(|f| f.code == body.flag)
    {
        field("flag", "unknown_flag", "There is no such flag.");
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(rules::RuleInput {
        product_id: body.product_id,
        ingredient_id: body.ingredient_id,
        flag_code: body.flag.clone(),
        action: body.action.clone(),
        patient_message: body.patient_message.trim().to_owned(),
        clinician_message: body.clinician_message.trim().to_owned(),
        active: body.active,
    })
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
    principal.require(Role::PlatformAdmin)?;
    let mut tx = state.begin_as(&principal).await?;
    let input = checked(&mut tx, &body).await?;
    let id = rules::insert(&mut tx, &input, principal.user_id).await?;
    let row = rules::find(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("create", "contraindication_rule", id)
            .risk("medium")
            .details(serde_json::json!({ "flag": input.flag_code, "action": input.action })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(rule_view(row)))
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
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    let before = rules::find(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    let input = checked(&mut tx, &body).await?;
    rules::update(&mut tx, id, &input, principal.user_id).await?;
    let row = rules::find(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new(if input.active { "update" } else { "retire" }, "contraindication_rule", id)
            .risk("medium")
            .details(serde_json::json!({
                "before": { "flag": before.flag_code, "action": before.action, "active": before.active },
                "after": { "flag": input.flag_code, "action": input.action, "active": input.active },
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rule_view(row)))
}
