use actix_web::{HttpResponse, get, web};
use rxgate_api_types::system::PlatformInfo;
use rxgate_api_types::vocab::Environment as WireEnvironment;
use rxgate_app::configuration::Environment;

use crate::state::AppState;

/// Public facts about this deployment (name, version, environment, developer tools).
#[utoipa::path(
    tag = "system",
    responses((status = OK, body = PlatformInfo))
)]
#[get("/platform")]
pub async fn platform(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(PlatformInfo {
        name: "Rxgate".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        environment: match state.settings.environment {
            Environment::Local => WireEnvironment::Local,
            Environment::Production => WireEnvironment::Production,
        },
        dev_tools: state.settings.dev_tools(),
    })
}
