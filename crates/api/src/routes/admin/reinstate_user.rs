use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::admin::UserStatusView;
use rxgate_domain::identity::Role;
use rxgate_persistence::users;
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Lifts a suspension: the person can sign in again.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = OK, body = UserStatusView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/users/{id}/reinstate")]
pub async fn reinstate_user(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    if !users::set_user_status(&mut tx, id, rxgate_domain::identity::UserStatus::Active).await? {
        return Err(ApiError::NotFound);
    }
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("reinstate", "user", id).risk("medium"),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(UserStatusView {
        user_id: id,
        status: "active".into(),
    }))
}
