use actix_web::{HttpResponse, delete, web};
use rxgate_api_types::Problem;
use rxgate_app::account;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Signs out one of the caller's sessions. Another person's session is 404.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Session id")),
    responses(
        (status = NO_CONTENT, description = "Session signed out"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/sessions/{id}")]
pub async fn revoke_session(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    account::revoke_session(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
