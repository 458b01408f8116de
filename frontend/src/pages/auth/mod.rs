//! Signing up, in (with the second factor), and the emailed links (verify an address, reset a
//! password, accept a staff invitation).

pub mod accept_invitation;
pub mod forgot_password;
pub mod mfa_setup;
pub mod mfa_verify;
pub mod reset_password;
pub mod signin;
pub mod signup;
pub mod verify_email;

use leptos::prelude::*;

use crate::routes::Page;

/// Version of the terms, privacy notice and consent texts people agree to.
pub const POLICY_VERSION: &str = "2026-11";

/// Consents sign-up cannot go without.
pub const REQUIRED_CONSENTS: [&str; 3] = ["terms", "privacy", "health_data_processing"];

/// What a consent purpose means, for people.
pub fn consent_label(purpose: &str) -> String {
    match purpose {
        "terms" => "Terms of service".into(),
        "privacy" => "Privacy notice".into(),
        "health_data_processing" => "Processing of health information".into(),
        "marketing" => "News and offers by email".into(),
        other => other.replace('_', " "),
    }
}

/// The token of an emailed link (`/verify-email#token=…`, `/reset-password#token=…`,
/// `/accept-invitation#token=…`). It travels in the fragment, which browsers never send to a
/// server, so it stays out of server logs and `Referer` headers. Once read it is also removed
/// from the address bar and history (the address becomes `page`'s plain path).
pub fn take_token_from_fragment(page: Page) -> Option<String> {
    let location = window().location();
    let hash = location.hash().ok()?;
    let raw = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("token="))?;
    let token = js_sys::decode_uri_component(raw)
        .map(String::from)
        .unwrap_or_else(|_| raw.to_owned());
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(page.path()));
    }
    (!token.is_empty()).then_some(token)
}
