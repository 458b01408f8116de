//! Serves the built SPA from the API process: hashed assets with long cache lifetimes, and
//! `index.html` for every other GET outside `/api` so client-side routes survive a reload.

use std::path::PathBuf;

use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;

#[derive(Clone)]
pub struct SpaIndex(pub Option<PathBuf>);

/// The default service: problem+json 404 for API paths and non-GET requests, the SPA's
/// `index.html` for anything else.
pub async fn fallback(
    req: HttpRequest,
    spa: web::Data<SpaIndex>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    let is_api = path == "/api" || path.starts_with("/api/") || path.starts_with("/assets/");
    if is_api || !(req.method() == Method::GET || req.method() == Method::HEAD) {
        return Err(ApiError::NotFound);
    }
    let Some(index) = &spa.0 else {
        return Err(ApiError::NotFound);
    };
    let html = tokio::fs::read(index)
        .await
        .map_err(|_| ApiError::NotFound)?;
    let mut res = HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(res)
}

/// `robots.txt`: the public pages may be indexed; the API, the portals and the one-time link
/// pages may not (they hold nothing for a search engine, and tokens ride in some of them).
pub async fn robots() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(ROBOTS)
}

const ROBOTS: &str = "User-agent: *\n\
Disallow: /api/\n\
Disallow: /dev/\n\
Disallow: /patient\n\
Disallow: /doctor\n\
Disallow: /pharmacist\n\
Disallow: /clinic\n\
Disallow: /admin\n\
Disallow: /officer\n\
Disallow: /account\n\
Disallow: /verify-email\n\
Disallow: /reset-password\n\
Disallow: /accept-invitation\n";
