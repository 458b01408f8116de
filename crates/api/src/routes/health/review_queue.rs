use actix_web::{HttpResponse, get, web};
use rxgate_api_types::health::ReviewItem;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_app::health;
use rxgate_persistence::pagination::page_size;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The doctor's patients whose flags trigger `review` rules, by name.
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = OK, body = CursorPage<ReviewItem>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/doctor/review-queue")]
pub async fn review_queue(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = health::review_queue(
        &state.db,
        &principal,
        &meta,
        query.cursor.as_deref(),
        page_size(query.limit),
    )
    .await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: page
            .rows
            .into_iter()
            .map(|r| ReviewItem {
                patient_id: r.patient_id,
                patient_name: r.patient_name,
                flags: r.flags,
                rules: r.rules,
            })
            .collect(),
        next_cursor: page.next_cursor,
    }))
}
