use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::Me;

use crate::audit::{self, Event};
use crate::auth::session::load_identity;
use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in person: profile, roles and memberships.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = OK, body = Me),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    PartialPrincipal(principal): PartialPrincipal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let mut tx = state.begin_as(&principal).await?;
    let identity = load_identity(&mut tx, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "user", principal.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(identity.me))
}
