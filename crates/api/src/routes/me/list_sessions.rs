use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::SessionView;
use rxgate_persistence::sessions;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The caller's signed-in sessions (devices), most recently active first.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = OK, body = Vec<SessionView>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let mut tx = state.begin_as(&principal).await?;
    let rows = sessions::list_live(&mut tx, principal.user_id).await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("read", "sessions", principal.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|s| SessionView {
                current: s.id == principal.session_id,
                id: s.id,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                user_agent: s.user_agent,
                ip: s.ip,
            })
            .collect::<Vec<_>>(),
    ))
}
