use actix_web::{HttpResponse, post, web};
use rxgate_api_types::admin::{ReasonInput, UserStatusView};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::{sessions, users};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Suspends an account: it can no longer sign in and every session ends at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    request_body = ReasonInput,
    responses(
        (status = OK, body = UserStatusView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/users/{id}/suspend")]
pub async fn suspend_user(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: web::Json<ReasonInput>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    if id == principal.user_id {
        return Err(ApiError::Rule {
            code: "CANNOT_SUSPEND_SELF",
            detail: "You cannot suspend your own account.".into(),
        });
    }
    if body.reason.trim().len() < 5 {
        return Err(ApiError::Validation(vec![FieldError {
            field: "reason".into(),
            code: "required".into(),
            message: "Give a reason (at least 5 characters).".into(),
        }]));
    }
    let mut tx = state.begin_as(&principal).await?;
    if !users::set_user_status(&mut tx, id, rxgate_domain::identity::UserStatus::Suspended).await? {
        return Err(ApiError::NotFound);
    }
    let revoked = sessions::revoke_all(&mut tx, id, "account suspended").await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("suspend", "user", id)
            .risk("high")
            .details(serde_json::json!({
                "reason": body.reason.trim(), "sessions_revoked": revoked,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(UserStatusView {
        user_id: id,
        status: "suspended".into(),
    }))
}
