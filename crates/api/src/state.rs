//! What every handler can reach through `web::Data<AppState>`.

use std::sync::Arc;

use rxgate_persistence::Db;

use crate::auth::JwtKeys;
use crate::configuration::Settings;
use crate::crypto::DataKeys;

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Db,
    pub keys: Arc<JwtKeys>,
    pub data_keys: Arc<DataKeys>,
    /// The WebAuthn relying party for passkeys.
    pub webauthn: Arc<webauthn_rs::Webauthn>,
    /// Uploaded files (product images).
    pub store: Arc<dyn rxgate_integrations::storage::ObjectStore>,
    /// The payment gateway (and the sandbox's controls when it is the sandbox).
    pub payments: rxgate_app::payments::Gateways,
    /// How consultations meet (`[video]`: built-in WebRTC signalling, LiveKit or Jitsi).
    pub video: Arc<dyn rxgate_integrations::video::VideoProvider>,
    /// The built-in provider's signalling relay (fanned out through PostgreSQL NOTIFY).
    pub signal: Arc<crate::signal::SignalHub>,
    /// Reverse proxies whose forwarding headers are believed (`application.trusted_proxies`).
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
}

impl AppState {
    /// What the sign-in use cases need.
    pub fn auth(&self) -> rxgate_app::sign_in::AuthServices<'_> {
        rxgate_app::sign_in::AuthServices {
            db: &self.db,
            settings: &self.settings,
            keys: &self.keys,
            data_keys: &self.data_keys,
            webauthn: &self.webauthn,
        }
    }
}
