use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::auth::{ConsentInput, ConsentView};
use rxgate_persistence::consents;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

/// Grants or withdraws a consent (a new record; history is kept).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ConsentInput,
    responses(
        (status = CREATED, body = ConsentView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/consents")]
pub async fn record_consent(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: ValidatedJson<ConsentInput>,
) -> Result<HttpResponse, ApiError> {
    let mut tx = state.begin_as(&principal).await?;
    let row = consents::record(
        &mut tx,
        principal.user_id,
        &body.purpose,
        &body.policy_version,
        body.granted,
        meta.ip.as_deref(),
        meta.user_agent.as_deref(),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new(
            if body.granted {
                "consent_granted"
            } else {
                "consent_withdrawn"
            },
            "consent",
            row.id,
        )
        .details(
            serde_json::json!({ "purpose": row.purpose, "policy_version": row.policy_version }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(ConsentView {
        id: row.id,
        purpose: row.purpose,
        policy_version: row.policy_version,
        granted: row.granted,
        recorded_at: row.recorded_at,
    }))
}
