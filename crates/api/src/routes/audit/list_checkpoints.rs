use actix_web::{HttpResponse, get, web};
use rxgate_api_types::audit::AuditCheckpointView;
use rxgate_api_types::{CursorPage, Problem};
use rxgate_persistence::pagination::page_size;
use serde::Deserialize;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;
use rxgate_app::audit::{self, checkpoint_message};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckpointQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "rxgate_api_types::pagination::limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The chain's signed checkpoints, newest first, for export: each can be checked offline with
/// the JWKS key it names (information officer only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(CheckpointQuery),
    responses(
        (status = OK, body = CursorPage<AuditCheckpointView>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-events/checkpoints")]
pub async fn list_checkpoints(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<CheckpointQuery>,
) -> Result<HttpResponse, ApiError> {
    let before = match &query.cursor {
        Some(c) => Some(c.parse::<i64>().map_err(|_| ApiError::InvalidCursor)?),
        None => None,
    };
    let (rows, next) =
        audit::checkpoints(&state.db, &principal, &meta, before, page_size(query.limit)).await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows
            .into_iter()
            .map(|c| AuditCheckpointView {
                position: c.chain_seq,
                message: checkpoint_message(c.chain_seq, &c.hash),
                hash: hex::encode(&c.hash),
                key_id: c.key_id,
                signature: c.signature,
                created_at: c.created_at,
            })
            .collect(),
        next_cursor: next,
    }))
}
