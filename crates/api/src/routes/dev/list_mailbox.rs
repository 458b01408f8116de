use actix_web::{HttpResponse, get, web};
use rxgate_api_types::dev::MailboxMessage;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_app::dev_tools;
use rxgate_persistence::pagination::{TimeCursor, page_size};

use super::{ensure_enabled, to_api};
use crate::error::ApiError;
use crate::state::AppState;

/// Messages the local email transport delivered, newest first (local environment only).
#[utoipa::path(
    tag = "dev",
    params(PageQuery),
    responses(
        (status = OK, body = CursorPage<MailboxMessage>),
        (status = BAD_REQUEST, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Developer tools are off", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dev/mailbox")]
pub async fn list_mailbox(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    ensure_enabled(&state)?;
    let cursor = query
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?;
    let (rows, next) = dev_tools::mailbox_page(&state.db, cursor, page_size(query.limit)).await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next.map(|c| c.encode()),
    }))
}
