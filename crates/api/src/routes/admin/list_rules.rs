use actix_web::{HttpResponse, get, web};
use rxgate_api_types::catalogue::{RuleQuery, RuleView};
use rxgate_api_types::vocab::RuleAction;
use rxgate_api_types::{CursorPage, Problem};
use rxgate_app::AppError;
use rxgate_app::admin::rules::{self, RuleSearch};
use rxgate_persistence::pagination::page_size;
use rxgate_persistence::rules::RuleRow;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn rule_view(r: RuleRow) -> Result<RuleView, ApiError> {
    Ok(RuleView {
        id: r.id,
        product_id: r.product_id,
        product_name: r.product_name,
        ingredient_id: r.ingredient_id,
        ingredient_name: r.ingredient_name,
        flag: r.flag_code,
        action: RuleAction::parse(&r.action)
            .ok_or_else(|| AppError::unexpected("rule action", &r.action))?,
        patient_message: r.patient_message,
        clinician_message: r.clinician_message,
        active: r.active,
        updated_by: r.updated_by_name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Contraindication rules, oldest first, filtered by flag, product, ingredient or state
/// (clinicians and admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(RuleQuery),
    responses(
        (status = OK, body = CursorPage<RuleView>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/rules")]
pub async fn list_rules(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<RuleQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = rules::list_rules(
        &state.db,
        &principal,
        RuleSearch {
            flag: query.flag,
            action: query.action.map(|a| a.as_str().to_owned()),
            product_id: query.product_id,
            ingredient_id: query.ingredient_id,
            active: query.active,
            cursor: query.cursor,
            limit: page_size(query.limit),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page
            .rows
            .into_iter()
            .map(rule_view)
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    }))
}
