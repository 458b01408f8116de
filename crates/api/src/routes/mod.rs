//! `/api/v1`: one endpoint per file, registered through utoipa-actix-web so each route is
//! written once and appears in the OpenAPI document from its `#[utoipa::path]`.

pub mod dev;
pub mod system;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every `/api/v1` endpoint (paths relative to the `/api/v1` scope).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(system::health::health)
        .service(system::ready::ready)
        .service(system::platform::platform)
        .service(dev::list_mailbox::list_mailbox)
        .service(dev::get_mailbox_message::get_mailbox_message)
        .service(dev::send_test_email::send_test_email);
}
