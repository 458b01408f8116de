use actix_web::{HttpResponse, get};
use rxgate_api_types::system::Health;
use rxgate_api_types::vocab::HealthStatus;

/// Liveness: the process is up and answering. Does not touch the database.
#[utoipa::path(
    tag = "system",
    responses((status = OK, description = "The server is alive", body = Health))
)]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: HealthStatus::Ok,
        name: "Rxgate".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        api_version: "v1".into(),
    })
}
