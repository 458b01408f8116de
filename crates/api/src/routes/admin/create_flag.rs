use actix_web::{HttpResponse, post, web};
use rxgate_api_types::catalogue::{FlagView, NewFlag};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::valid_flag_code;
use rxgate_persistence::questionnaires;

use crate::audit::{self, Event};
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
    principal.require(Role::PlatformAdmin)?;
    if !valid_flag_code(&body.code) {
        return Err(ApiError::Validation(vec![FieldError {
            field: "code".into(),
            code: "flag_code".into(),
            message: "Use lower-case letters, digits and underscores, starting with a letter."
                .into(),
        }]));
    }
    let mut tx = state.begin_as(&principal).await?;
    questionnaires::insert_flag(
        &mut tx,
        &body.code,
        body.label.trim(),
        body.description.trim(),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("create", "flag", &body.code),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(FlagView {
        code: body.code.clone(),
        label: body.label.trim().to_owned(),
        description: body.description.trim().to_owned(),
    }))
}
