use actix_web::{HttpResponse, delete, web};
use rxgate_api_types::Problem;
use rxgate_persistence::{mfa, passkeys};
use uuid::Uuid;

use crate::audit::{self, Event};
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
    let id = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    if !passkeys::delete(&mut tx, principal.user_id, id).await? {
        return Err(ApiError::NotFound);
    }
    let staff = principal.roles.iter().any(|r| r.is_staff());
    if staff && !mfa::methods(&mut tx, principal.user_id).await?.any() {
        tx.rollback().await?;
        return Err(ApiError::Conflict {
            code: "LAST_SECOND_FACTOR",
            detail:
                "Staff accounts need a second factor: add another one before removing this passkey."
                    .into(),
        });
    }
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("passkey_removed", "passkey", id).risk("medium"),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
