use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::ConsentView;
use rxgate_app::account;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Every consent the caller gave or withdrew, newest first (the newest per purpose applies).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = OK, body = Vec<ConsentView>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/consents")]
pub async fn list_consents(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let consents = account::list_consents(&state.db, &principal, &meta).await?;
    Ok(HttpResponse::Ok().json(consents))
}
