//! The video port: how a consultation's two parties join its room. Three implementations,
//! chosen by configuration:
//!
//! - [`BuiltInVideo`] (the default): peer-to-peer WebRTC. The API issues a single-use ticket
//!   for its own signalling socket and hands out the configured STUN/TURN servers; nothing
//!   leaves the platform but the media between the two browsers.
//! - [`LiveKitVideo`]: a LiveKit access token (JWT, HS256 with the API secret): `iss` the API
//!   key, `sub` the participant's identity, `video: {roomJoin: true, room}`, valid from a
//!   little before the room opens (`nbf`) until it closes (`exp`).
//! - [`JitsiVideo`]: a JWT for Jitsi Meet's `token` authentication (`aud`, `iss` the app id,
//!   `sub` the Jitsi domain, `room`, `context.user`), with the same validity window.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::Sha256;

/// Tokens become valid this long before the room opens (clocks differ a little).
pub const CLOCK_SKEW_SECS: i64 = 60;

/// Which implementation serves the rooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoKind {
    BuiltIn,
    LiveKit,
    Jitsi,
}

/// One participant joining one room for a window of time.
#[derive(Debug, Clone)]
pub struct JoinRequest {
    /// The room's name (the consultation's id).
    pub room: String,
    /// The participant's stable identity (their user id).
    pub identity: String,
    /// The name shown to the other party.
    pub display_name: String,
    /// When the room opens and closes.
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// How the participant joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Join {
    /// Open the API's own signalling socket with a ticket the application issues.
    Signalling,
    /// Join the service at `url` with `token`.
    Token { url: String, token: String },
}

#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    #[error("the video provider is not configured: {0}")]
    NotConfigured(&'static str),
    #[error("token could not be encoded: {0}")]
    Encode(String),
}

/// The port.
pub trait VideoProvider: Send + Sync {
    fn kind(&self) -> VideoKind;
    fn join(&self, request: &JoinRequest) -> Result<Join, VideoError>;
}

/// Peer-to-peer WebRTC through the API's signalling socket.
#[derive(Debug, Clone, Default)]
pub struct BuiltInVideo;

impl VideoProvider for BuiltInVideo {
    fn kind(&self) -> VideoKind {
        VideoKind::BuiltIn
    }

    fn join(&self, _request: &JoinRequest) -> Result<Join, VideoError> {
        Ok(Join::Signalling)
    }
}

/// A compact JWS, HS256.
pub fn hs256_jwt(claims: &impl Serialize, secret: &[u8]) -> Result<String, VideoError> {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = serde_json::to_vec(claims).map_err(|e| VideoError::Encode(e.to_string()))?;
    let signing_input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(body));
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret).map_err(|e| VideoError::Encode(e.to_string()))?;
    mac.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    Ok(format!("{signing_input}.{sig}"))
}

fn window(request: &JoinRequest) -> (i64, i64) {
    (
        (request.opens_at - Duration::seconds(CLOCK_SKEW_SECS)).timestamp(),
        request.closes_at.timestamp(),
    )
}

/// LiveKit (self-hosted or cloud).
#[derive(Debug, Clone)]
pub struct LiveKitVideo {
    /// The server's address the browser connects to (`wss://…`).
    pub url: String,
    pub api_key: String,
    pub api_secret: SecretString,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LiveKitVideoGrant {
    pub room_join: bool,
    pub room: String,
    pub can_publish: bool,
    pub can_subscribe: bool,
}

/// LiveKit's access-token claims.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct LiveKitClaims {
    pub iss: String,
    pub sub: String,
    pub name: String,
    pub nbf: i64,
    pub exp: i64,
    pub video: LiveKitVideoGrant,
}

impl LiveKitVideo {
    pub fn claims(&self, request: &JoinRequest) -> LiveKitClaims {
        let (nbf, exp) = window(request);
        LiveKitClaims {
            iss: self.api_key.clone(),
            sub: request.identity.clone(),
            name: request.display_name.clone(),
            nbf,
            exp,
            video: LiveKitVideoGrant {
                room_join: true,
                room: request.room.clone(),
                can_publish: true,
                can_subscribe: true,
            },
        }
    }
}

impl VideoProvider for LiveKitVideo {
    fn kind(&self) -> VideoKind {
        VideoKind::LiveKit
    }

    fn join(&self, request: &JoinRequest) -> Result<Join, VideoError> {
        if self.api_key.is_empty() || self.api_secret.expose_secret().is_empty() {
            return Err(VideoError::NotConfigured("livekit api key and secret"));
        }
        let token = hs256_jwt(
            &self.claims(request),
            self.api_secret.expose_secret().as_bytes(),
        )?;
        Ok(Join::Token {
            url: self.url.clone(),
            token,
        })
    }
}

/// Jitsi Meet with token authentication (prosody `token` auth, `app_id` / `app_secret`).
#[derive(Debug, Clone)]
pub struct JitsiVideo {
    /// The Jitsi Meet server (`https://meet.example.org`); its host is the `sub` claim.
    pub url: String,
    pub app_id: String,
    pub app_secret: SecretString,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct JitsiUser {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct JitsiContext {
    pub user: JitsiUser,
}

/// Jitsi's token claims.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct JitsiClaims {
    pub aud: String,
    pub iss: String,
    pub sub: String,
    pub room: String,
    pub nbf: i64,
    pub exp: i64,
    pub context: JitsiContext,
}

impl JitsiVideo {
    fn domain(&self) -> String {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or_default().to_owned()
    }

    pub fn claims(&self, request: &JoinRequest) -> JitsiClaims {
        let (nbf, exp) = window(request);
        JitsiClaims {
            aud: "jitsi".into(),
            iss: self.app_id.clone(),
            sub: self.domain(),
            room: request.room.clone(),
            nbf,
            exp,
            context: JitsiContext {
                user: JitsiUser {
                    id: request.identity.clone(),
                    name: request.display_name.clone(),
                },
            },
        }
    }
}

impl VideoProvider for JitsiVideo {
    fn kind(&self) -> VideoKind {
        VideoKind::Jitsi
    }

    fn join(&self, request: &JoinRequest) -> Result<Join, VideoError> {
        if self.app_id.is_empty() || self.app_secret.expose_secret().is_empty() {
            return Err(VideoError::NotConfigured("jitsi app id and secret"));
        }
        let token = hs256_jwt(
            &self.claims(request),
            self.app_secret.expose_secret().as_bytes(),
        )?;
        Ok(Join::Token {
            url: format!("{}/{}", self.url.trim_end_matches('/'), request.room),
            token,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn request() -> JoinRequest {
        let opens: DateTime<Utc> = "2026-06-10T08:50:00Z".parse().unwrap();
        JoinRequest {
            room: "0b7c6f1e-2d7a-4b8e-9a51-1f0c3e2d4a5b".into(),
            identity: "user-1".into(),
            display_name: "Dr Sipho Doctor".into(),
            opens_at: opens,
            closes_at: opens + Duration::minutes(45),
        }
    }

    /// The claims of a compact JWS, after checking its HS256 signature with `secret`.
    fn verified_claims(token: &str, secret: &[u8]) -> serde_json::Value {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "HS256");
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
    }

    #[test]
    fn a_livekit_token_joins_one_room_as_the_participant_for_the_rooms_window() {
        let lk = LiveKitVideo {
            url: "wss://lk.example.org".into(),
            api_key: "APIkey".into(),
            api_secret: SecretString::from("s3cret-s3cret-s3cret"),
        };
        let Join::Token { url, token } = lk.join(&request()).unwrap() else {
            panic!("a token");
        };
        assert_eq!(url, "wss://lk.example.org");
        let claims = verified_claims(&token, b"s3cret-s3cret-s3cret");
        let r = request();
        assert_eq!(claims["iss"], "APIkey");
        assert_eq!(claims["sub"], "user-1");
        assert_eq!(claims["name"], "Dr Sipho Doctor");
        assert_eq!(claims["video"]["roomJoin"], true);
        assert_eq!(claims["video"]["room"], r.room.as_str());
        assert_eq!(claims["nbf"], r.opens_at.timestamp() - CLOCK_SKEW_SECS);
        assert_eq!(claims["exp"], r.closes_at.timestamp());
        assert!(verified_claims_fails(&token, b"another secret"));
    }

    fn verified_claims_fails(token: &str, secret: &[u8]) -> bool {
        std::panic::catch_unwind(|| verified_claims(token, secret)).is_err()
    }

    #[test]
    fn a_jitsi_token_names_the_app_the_domain_the_room_and_the_user() {
        let jitsi = JitsiVideo {
            url: "https://meet.example.org/".into(),
            app_id: "rxgate".into(),
            app_secret: SecretString::from("jitsi-secret"),
        };
        let r = request();
        let Join::Token { url, token } = jitsi.join(&r).unwrap() else {
            panic!("a token");
        };
        assert_eq!(url, format!("https://meet.example.org/{}", r.room));
        let claims = verified_claims(&token, b"jitsi-secret");
        assert_eq!(claims["aud"], "jitsi");
        assert_eq!(claims["iss"], "rxgate");
        assert_eq!(claims["sub"], "meet.example.org");
        assert_eq!(claims["room"], r.room.as_str());
        assert_eq!(claims["context"]["user"]["id"], "user-1");
        assert_eq!(claims["context"]["user"]["name"], "Dr Sipho Doctor");
        assert_eq!(claims["nbf"], r.opens_at.timestamp() - CLOCK_SKEW_SECS);
        assert_eq!(claims["exp"], r.closes_at.timestamp());
    }

    #[test]
    fn unconfigured_providers_refuse_and_the_built_in_one_uses_signalling() {
        let lk = LiveKitVideo {
            url: "wss://x".into(),
            api_key: String::new(),
            api_secret: SecretString::from(""),
        };
        assert!(matches!(
            lk.join(&request()),
            Err(VideoError::NotConfigured(_))
        ));
        assert_eq!(BuiltInVideo.join(&request()).unwrap(), Join::Signalling);
        assert_eq!(BuiltInVideo.kind(), VideoKind::BuiltIn);
    }
}
