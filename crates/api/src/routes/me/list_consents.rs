use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::ConsentView;
use rxgate_persistence::consents;

use crate::audit::{self, Event};
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
    let mut tx = state.begin_as(&principal).await?;
    let rows = consents::list(&mut tx, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "consents", principal.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|r| ConsentView {
                id: r.id,
                purpose: r.purpose,
                policy_version: r.policy_version,
                granted: r.granted,
                recorded_at: r.recorded_at,
            })
            .collect::<Vec<_>>(),
    ))
}
