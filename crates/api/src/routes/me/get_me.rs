use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::Me;
use rxgate_app::account;

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
    let me = account::me(&state.db, &principal, &meta).await?;
    Ok(HttpResponse::Ok().json(me))
}
