use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyView;
use rxgate_app::account;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// The caller's passkeys, oldest first (at most ten, so the list is not paginated).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = OK, body = Vec<PasskeyView>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/passkeys")]
pub async fn list_passkeys(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let passkeys = account::list_passkeys(&state.db, &principal).await?;
    Ok(HttpResponse::Ok().json(passkeys))
}
