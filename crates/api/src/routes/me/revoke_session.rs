use actix_web::{HttpResponse, delete, web};
use rxgate_api_types::Problem;
use rxgate_persistence::sessions;
use uuid::Uuid;

use crate::audit::{self, Event};
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
    let id = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    if !sessions::revoke(
        &mut tx,
        principal.user_id.into(),
        id.into(),
        "revoked by user",
    )
    .await?
    {
        return Err(ApiError::NotFound);
    }
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("revoke", "session", id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
