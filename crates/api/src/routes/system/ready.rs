use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::system::{CheckStatus, Readiness};
use rxgate_api_types::vocab::ReadinessStatus;

use crate::error::ApiError;
use crate::state::AppState;

/// Readiness: the database is reachable and has exactly the migrations this build expects.
/// A load balancer sends traffic only while this answers 200.
#[utoipa::path(
    tag = "system",
    responses(
        (status = OK, description = "Ready for traffic", body = Readiness),
        (status = SERVICE_UNAVAILABLE, description = "Not ready; `detail` says why",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if let Err(e) = state.db.ping().await {
        tracing::warn!(error = %e, "readiness: database unreachable");
        return Err(ApiError::Unavailable("database unreachable".into()));
    }
    match state.db.migrations_current().await {
        Ok(Ok(())) => Ok(HttpResponse::Ok().json(Readiness {
            status: ReadinessStatus::Ready,
            database: CheckStatus {
                ok: true,
                detail: None,
            },
            migrations: CheckStatus {
                ok: true,
                detail: None,
            },
        })),
        Ok(Err(reason)) => Err(ApiError::Unavailable(format!("migrations: {reason}"))),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: cannot read migrations");
            Err(ApiError::Unavailable("migrations: cannot be read".into()))
        }
    }
}
