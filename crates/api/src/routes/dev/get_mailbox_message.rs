use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::dev::MailboxMessage;
use rxgate_app::dev_tools;
use uuid::Uuid;

use super::{ensure_enabled, to_api};
use crate::error::ApiError;
use crate::state::AppState;

/// One delivered message (local environment only).
#[utoipa::path(
    tag = "dev",
    params(("id" = Uuid, Path, description = "Message id")),
    responses(
        (status = OK, body = MailboxMessage),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dev/mailbox/{id}")]
pub async fn get_mailbox_message(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    ensure_enabled(&state)?;
    let row = dev_tools::mailbox_message(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(to_api(row)))
}
