//! What every handler can reach through `web::Data<AppState>`.

use std::sync::Arc;

use rxgate_persistence::{Db, RlsContext};
use sqlx::{Postgres, Transaction};

use crate::auth::{JwtKeys, Principal};
use crate::configuration::Settings;
use crate::crypto::DataKeys;
use crate::error::ApiError;
use crate::middleware::request_id::current_request_id;

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
    /// Reverse proxies whose forwarding headers are believed (`application.trusted_proxies`).
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
}

impl AppState {
    /// Opens the request's transaction as an anonymous caller (identity arrives with sign-in).
    pub async fn begin_anonymous(&self) -> Result<Transaction<'static, Postgres>, ApiError> {
        Ok(self
            .db
            .begin(&RlsContext::anonymous(current_request_id()))
            .await?)
    }

    /// Opens the request's transaction acting as the signed-in caller.
    pub async fn begin_as(
        &self,
        principal: &Principal,
    ) -> Result<Transaction<'static, Postgres>, ApiError> {
        Ok(self.db.begin(&principal.rls()).await?)
    }

    /// Opens a transaction acting as the platform itself. Only for developer tools and
    /// system tasks, never on behalf of a user.
    pub async fn begin_system(&self) -> Result<Transaction<'static, Postgres>, ApiError> {
        let ctx = RlsContext {
            request_id: current_request_id(),
            ..RlsContext::system()
        };
        Ok(self.db.begin(&ctx).await?)
    }
}
