use actix_web::{HttpResponse, get, web};
use rxgate_api_types::payments::PaymentView;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_app::payments;
use rxgate_persistence::pagination::page_size;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The caller's own payments, newest first.
#[utoipa::path(
    tag = "payments",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = OK, body = CursorPage<PaymentView>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/payments")]
pub async fn list_payments(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = payments::list_mine(
        &state.db,
        &principal,
        &meta,
        query.cursor.as_deref(),
        page_size(query.limit),
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page.rows.into_iter().map(super::to_view).collect(),
        next_cursor: page.next_cursor,
    }))
}
