use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::{FlagView, NewFlag};
use rxgate_app::admin::rules::{self, CreateFlag};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Adds a flag (platform admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewFlag,
    responses(
        (status = CREATED, body = FlagView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`FLAG_EXISTS`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/flags")]
pub async fn create_flag(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<NewFlag>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let flag = rules::create_flag(
        &state.db,
        &principal,
        &meta,
        CreateFlag {
            code: body.code,
            label: body.label,
            description: body.description,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(FlagView {
        code: flag.code,
        label: flag.label,
        description: flag.description,
    }))
}
