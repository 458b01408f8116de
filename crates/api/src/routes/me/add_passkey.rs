use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{PasskeyRegistered, PasskeyRegistration};
use rxgate_app::account::{self, NewPasskey};

use crate::auth::{PartialPrincipal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;
use rxgate_app::sign_in::token_response;

/// Finishes registering a passkey with the authenticator's answer. The passkey counts as a
/// second factor from now on, and this session as having passed it.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = PasskeyRegistration,
    responses(
        (status = CREATED, body = PasskeyRegistered),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`MFA_REQUIRED`", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`CEREMONY_EXPIRED` or `PASSKEY_ALREADY_REGISTERED`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "The credential is malformed or does not verify", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/passkeys")]
pub async fn add_passkey(
    state: web::Data<AppState>,
    partial: PartialPrincipal,
    meta: RequestMeta,
    body: ValidatedJson<PasskeyRegistration>,
) -> Result<HttpResponse, ApiError> {
    let ValidatedJson(body) = body;
    let added = account::add_passkey(
        &state.db,
        &state.webauthn,
        &partial.0,
        &meta,
        NewPasskey {
            ceremony_id: body.ceremony_id,
            name: body.name,
            credential: body.credential,
        },
    )
    .await?;
    let tokens = token_response(
        state.auth(),
        added.identity,
        partial.0.session_id,
        true,
        Utc::now(),
    )?;
    Ok(HttpResponse::Created().json(PasskeyRegistered {
        passkey: added.passkey,
        tokens,
    }))
}
