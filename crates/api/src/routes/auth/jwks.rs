use actix_web::{HttpResponse, get, web};

use crate::state::AppState;

/// The public keys that verify Rxgate access tokens (RFC 7517), so other services can check
/// a token without calling Rxgate.
#[utoipa::path(
    tag = "auth",
    responses((status = OK, description = "JSON Web Key Set", content_type = "application/json",
        body = serde_json::Value))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(state.keys.jwks())
}
