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
