use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_persistence::sessions;

use crate::audit::{self, Event};
use crate::auth::session::clear_refresh_cookie;
use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Signs out this session: its refresh token stops working and the cookie is cleared.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = NO_CONTENT, description = "Signed out"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let mut tx = state.begin_as(&principal).await?;
    sessions::revoke(&mut tx, principal.user_id, principal.session_id, "logout").await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("logout", "session", principal.session_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent()
        .cookie(clear_refresh_cookie(&state))
        .finish())
}
