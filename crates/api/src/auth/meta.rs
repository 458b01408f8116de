//! Who is asking from where: the facts every audit event records.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::middleware::request_id::RequestId;

#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

impl FromRequest for RequestMeta {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The peer address, not X-Forwarded-For: a forwarded header is only trustworthy
        // behind a known proxy, which is deployment configuration for a later issue.
        let ip = req.peer_addr().map(|a| a.ip().to_string());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(400).collect());
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        ready(Ok(Self {
            ip,
            user_agent,
            request_id,
        }))
    }
}
