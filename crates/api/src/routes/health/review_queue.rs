use actix_web::{HttpResponse, get, web};
use rxgate_api_types::health::ReviewItem;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::pagination::{NameCursor, finish_page, page_size};
use rxgate_persistence::questionnaires;

use crate::audit::{self, Event};
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
    principal.require(Role::Doctor)?;
    let after = query
        .cursor
        .as_deref()
        .map(NameCursor::decode)
        .transpose()?;
    let limit = page_size(query.limit);
    let mut tx = state.begin_as(&principal).await?;
    let rows = questionnaires::review_queue(&mut tx, principal.user_id, after, limit).await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        NameCursor {
            name: r.patient_name.clone(),
            id: r.patient_id,
        }
        .encode()
    });
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "review_queue", principal.user_id)
            .shown(rows.iter().map(|r| r.patient_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows
            .into_iter()
            .map(|r| ReviewItem {
                patient_id: r.patient_id,
                patient_name: r.patient_name,
                flags: r.flags,
                rules: r.rules,
            })
            .collect(),
        next_cursor,
    }))
}
