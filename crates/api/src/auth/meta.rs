//! Who is asking from where: the facts every audit event records.

use std::future::{Ready, ready};
use std::net::IpAddr;
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use ipnet::IpNet;
use rxgate_app::auth::RequestFacts;

use crate::middleware::request_id::RequestId;
use crate::state::AppState;

/// The application layer's [`RequestFacts`], extracted from the request.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta(pub RequestFacts);

impl Deref for RequestMeta {
    type Target = RequestFacts;
    fn deref(&self) -> &RequestFacts {
        &self.0
    }
}

pub use rxgate_app::configuration::parse_proxy;

/// The trusted proxies of the configuration, parsed (entries that do not parse were refused
/// when the settings were loaded).
pub fn trusted_proxies(entries: &[String]) -> Vec<IpNet> {
    entries.iter().filter_map(|e| parse_proxy(e)).collect()
}

/// The hops a request passed through, nearest last: from `Forwarded` (RFC 7239) when present,
/// else `X-Forwarded-For`.
fn forwarded_hops(headers: &HeaderMap) -> Vec<IpAddr> {
    let forwarded: Vec<IpAddr> = headers
        .get_all(actix_web::http::header::FORWARDED)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                if !key.trim().eq_ignore_ascii_case("for") {
                    return None;
                }
                let value = value.trim().trim_matches('"');
                // `[2001:db8::1]:4711`, `192.0.2.1:80` or a bare address.
                let host = match value.strip_prefix('[') {
                    Some(rest) => rest.split(']').next()?,
                    None => value.split(':').next()?,
                };
                host.parse().ok()
            })
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect()
}

/// The client's address: the peer, unless the peer is a trusted proxy; then the nearest hop
/// of the forwarding headers that is not itself a trusted proxy. A client cannot choose its
/// address by sending the headers itself: only hops added by trusted proxies are believed.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let hops = forwarded_hops(headers);
    Some(
        hops.iter()
            .rev()
            .find(|hop| !is_trusted(hop))
            .or(hops.first())
            .copied()
            .unwrap_or(peer),
    )
}

/// [`client_ip`] for an actix request, with the server's configured proxies.
pub fn request_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => client_ip(peer, req.headers(), &state.trusted_proxies),
        None => peer,
    }
}

impl FromRequest for RequestMeta {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ip = request_ip(req).map(|ip| ip.to_string());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(400).collect());
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        let audit_off = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|s| !s.settings.audit.enabled);
        ready(Ok(Self(RequestFacts {
            ip,
            user_agent,
            request_id,
            audit_off,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let trusted = trusted_proxies(&["10.0.0.0/8".into(), "192.0.2.7".into()]);
        let h = headers(&[("x-forwarded-for", "203.0.113.9, 10.1.2.3")]);
        // Straight from a client: its own headers are ignored.
        assert_eq!(
            client_ip(Some(ip("198.51.100.4")), &h, &trusted),
            Some(ip("198.51.100.4"))
        );
        // Through the load balancer: the nearest untrusted hop.
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), &h, &trusted),
            Some(ip("203.0.113.9"))
        );
        // A forged left-most entry does not win over the hop the proxy saw.
        let forged = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(
            client_ip(Some(ip("192.0.2.7")), &forged, &trusted),
            Some(ip("203.0.113.9"))
        );
        // RFC 7239 Forwarded wins over X-Forwarded-For, ports and brackets are stripped.
        let rfc = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8::5]:4711\";proto=https, for=10.9.9.9",
            ),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), &rfc, &trusted),
            Some(ip("2001:db8::5"))
        );
        // A trusted peer without headers is the client.
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), &HeaderMap::new(), &trusted),
            Some(ip("10.0.0.1"))
        );
        assert!(parse_proxy("not-an-ip").is_none());
    }
}
