use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::PasskeyView;
use rxgate_persistence::passkeys;

use crate::auth::Principal;
use crate::auth::passkeys::passkey_view;
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
    let mut tx = state.begin_as(&principal).await?;
    let rows = passkeys::list_for_user(&mut tx, principal.user_id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(passkey_view).collect::<Vec<_>>()))
}
