use actix_web::{HttpResponse, delete, web};
use rxgate_api_types::Problem;
use rxgate_app::account;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Removes one of the caller's passkeys. Staff cannot remove their last second factor;
/// another person's passkey is 404.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Passkey id")),
    responses(
        (status = NO_CONTENT, description = "Passkey removed"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`LAST_SECOND_FACTOR`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/passkeys/{id}")]
pub async fn delete_passkey(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    account::delete_passkey(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
