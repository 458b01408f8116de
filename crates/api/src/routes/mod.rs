//! `/api/v1`: one endpoint per file, registered through utoipa-actix-web so each route is
//! written once and appears in the OpenAPI document from its `#[utoipa::path]`.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod booking;
pub mod catalogue;
pub mod consultations;
pub mod dev;
pub mod health;
pub mod me;
pub mod payments;
pub mod system;

use std::net::IpAddr;

use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::{
    Governor, GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Keys rate limits on the client's address as [`crate::auth::meta::request_ip`] finds it:
/// behind configured proxies, the forwarded client rather than the load balancer. IPv6
/// clients are limited per /56, since one customer usually holds a whole prefix.
#[derive(Debug, Clone, Copy)]
pub struct ClientIpKey;

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        let ip = crate::auth::meta::request_ip(req.request())
            .ok_or_else(|| SimpleKeyExtractionError::new("no client address"))?;
        Ok(match ip {
            IpAddr::V6(v6) => {
                let mut octets = v6.octets();
                octets[7..16].fill(0);
                IpAddr::V6(octets.into())
            }
            v4 => v4,
        })
    }
}

/// Per-client-address limits on the sign-in endpoints (brute force, credential stuffing,
/// email flooding). Shared by every HTTP worker of the process.
pub type AuthRateLimit = GovernorConfig<ClientIpKey, NoOpMiddleware>;

/// `None` only for a zero period or burst, which the clamping here never passes.
pub fn auth_rate_limit(per_minute: u32, burst: u32) -> Option<AuthRateLimit> {
    let per_request_ms = 60_000 / u64::from(per_minute.max(1));
    GovernorConfigBuilder::default()
        .milliseconds_per_request(per_request_ms.max(1))
        .burst_size(burst.max(1))
        .key_extractor(ClientIpKey)
        .finish()
}

/// The two per-address limits of `/auth/*`: sign-in steps (strict: guessing) and token
/// renewal (generous: every page load of the SPA renews once, and reloading must never lock a
/// person out of signing in).
#[derive(Clone)]
pub struct AuthLimits {
    pub sign_in: AuthRateLimit,
    pub refresh: AuthRateLimit,
}

/// Registers every `/api/v1` endpoint (paths relative to the `/api/v1` scope).
pub fn configure(cfg: &mut ServiceConfig, limits: &AuthLimits) {
    cfg.service(system::health::health)
        .service(system::ready::ready)
        .service(system::platform::platform)
        .service(dev::list_mailbox::list_mailbox)
        .service(dev::get_mailbox_message::get_mailbox_message)
        .service(dev::send_test_email::send_test_email)
        .service(dev::start_test_payment::start_test_payment)
        .service(auth::jwks::jwks)
        // Renewal first, in a scope of its own that only matches `/auth/refresh` (a guard that
        // fails lets the next scope match), with its own limit.
        .service(
            scope("/auth")
                .guard(actix_web::guard::fn_guard(|ctx| {
                    ctx.head().uri.path().ends_with("/auth/refresh")
                }))
                .wrap(Governor::new(&limits.refresh))
                .service(auth::refresh::refresh),
        )
        .service(
            scope("/auth")
                .wrap(Governor::new(&limits.sign_in))
                .service(auth::signup::signup)
                .service(auth::accept_invitation::accept_invitation)
                .service(auth::verify_email::verify_email)
                .service(auth::login::login)
                .service(auth::logout::logout)
                .service(auth::logout_all::logout_all)
                .service(auth::mfa_verify::mfa_verify)
                .service(auth::passkey_mfa_options::passkey_mfa_options)
                .service(auth::passkey_mfa_verify::passkey_mfa_verify)
                .service(auth::passkey_login_options::passkey_login_options)
                .service(auth::passkey_login::passkey_login)
                .service(auth::password_reset_request::password_reset_request)
                .service(auth::password_reset_confirm::password_reset_confirm),
        )
        .service(me::start_totp::start_totp)
        .service(me::confirm_totp::confirm_totp)
        .service(me::get_me::get_me)
        .service(me::list_consents::list_consents)
        .service(me::record_consent::record_consent)
        .service(me::list_sessions::list_sessions)
        .service(me::revoke_session::revoke_session)
        .service(me::passkey_options::passkey_options)
        .service(me::add_passkey::add_passkey)
        .service(me::list_passkeys::list_passkeys)
        .service(me::delete_passkey::delete_passkey)
        .service(booking::offer::get_offer)
        .service(booking::offer::set_offer)
        .service(booking::doctors::list_clinic_doctors)
        .service(booking::slots::search_slots)
        .service(booking::schedule::get_schedule)
        .service(booking::schedule::set_schedule)
        // Booking holds a slot and starts a payment: behind `Idempotency-Key` (a scope that
        // only takes `POST /bookings`, so the other `/bookings…` routes fall through).
        .service(
            scope("/bookings")
                .guard(actix_web::guard::fn_guard(|ctx| {
                    ctx.head().method == actix_web::http::Method::POST
                        && ctx.head().uri.path().ends_with("/bookings")
                }))
                .wrap(actix_web::middleware::from_fn(
                    crate::middleware::idempotency::idempotency,
                ))
                .service(booking::bookings::create_booking),
        )
        .service(booking::bookings::pay_booking)
        .service(booking::bookings::list_bookings)
        .service(booking::bookings::get_booking)
        .service(booking::changes::cancel_booking)
        .service(booking::changes::reschedule_booking)
        .service(booking::changes::record_outcome)
        .service(consultations::consultation::get_consultation)
        .service(consultations::consultation::act_on_consultation)
        .service(consultations::consultation::consent_to_recording)
        .service(consultations::room::join_room)
        .service(consultations::signal::signal)
        .service(consultations::notes::get_notes)
        .service(consultations::notes::save_notes)
        .service(booking::waitlist::join_waitlist)
        .service(booking::waitlist::my_waitlist)
        .service(booking::waitlist::leave_waitlist)
        .service(audit::list_checkpoints::list_checkpoints)
        .service(audit::export_events::export_events)
        .service(audit::list_events::list_events)
        .service(audit::verify_chain::verify_chain)
        .service(admin::list_doctors::list_doctors)
        .service(admin::decide_doctor::decide_doctor)
        .service(admin::suspend_user::suspend_user)
        .service(admin::reinstate_user::reinstate_user)
        .service(admin::create_organisation::create_organisation)
        .service(admin::list_organisations::list_organisations)
        .service(admin::create_invitation::create_invitation)
        .service(admin::list_invitations::list_invitations)
        .service(admin::list_users::list_users)
        .service(admin::create_product::create_product)
        .service(admin::import_products::import_products)
        .service(admin::edit_catalogue::update_product)
        .service(admin::edit_catalogue::update_variant)
        .service(admin::edit_catalogue::add_variants)
        .service(admin::edit_catalogue::create_category)
        .service(admin::edit_catalogue::rename_category)
        .service(admin::edit_catalogue::delete_category)
        .service(admin::product_images::upload_image)
        .service(admin::product_images::delete_image)
        .service(catalogue::get_image::get_image)
        .service(admin::list_flags::list_flags)
        .service(admin::create_flag::create_flag)
        .service(admin::list_rules::list_rules)
        .service(admin::save_rule::create_rule)
        .service(admin::save_rule::update_rule)
        .service(admin::questionnaires::list_questionnaires)
        .service(admin::questionnaires::get_version)
        .service(admin::questionnaires::create_questionnaire)
        .service(admin::questionnaires::create_draft)
        .service(admin::questionnaires::update_draft)
        .service(admin::questionnaires::publish_version)
        .service(catalogue::list_categories::list_categories)
        .service(catalogue::list_products::list_products)
        .service(catalogue::get_product::get_product)
        .service(catalogue::set_clinic_selection::set_clinic_selection)
        .service(catalogue::set_clinic_price::set_clinic_price)
        .service(catalogue::set_doctor_price::set_doctor_price)
        .service(health::get_questionnaire::get_questionnaire)
        .service(health::save_answers::save_answers)
        .service(health::submit_answers::submit_answers)
        .service(health::my_health_profile::my_health_profile)
        .service(health::patient_health_profile::patient_health_profile)
        .service(health::add_flag_override::add_flag_override)
        .service(health::review_queue::review_queue)
        .service(health::list_patients::list_patients)
        .service(payments::receive_webhook::receive_webhook)
        .service(payments::list_payments::list_payments)
        .service(payments::get_payment::get_payment)
        .service(payments::sandbox::get_sandbox_payment)
        .service(payments::sandbox::act_on_sandbox_payment)
        // Money-moving POSTs: behind the one `Idempotency-Key` middleware.
        .service(
            scope("/admin/payments")
                .wrap(actix_web::middleware::from_fn(
                    crate::middleware::idempotency::idempotency,
                ))
                .service(payments::create_refund::create_refund),
        );
}
