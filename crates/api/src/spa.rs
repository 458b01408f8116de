//! Serves the built SPA from the API process: hashed assets with long cache lifetimes, sent as
//! the brotli or gzip files the build made next to them, and `index.html` for every other GET
//! outside `/api` so client-side routes survive a reload.

use std::path::{Component, Path, PathBuf};

use actix_web::http::Method;
use actix_web::http::header::{self, ContentEncoding, HeaderMap, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;

#[derive(Clone)]
pub struct SpaIndex(pub Option<PathBuf>);

/// The folder of the SPA's hashed assets (`<spa_dir>/assets`).
#[derive(Clone)]
pub struct SpaAssets(pub PathBuf);

/// Which content codings a request's `Accept-Encoding` allows (q > 0), as RFC 9110 reads it: a
/// coding listed with `q=0` is refused, `*` stands for every coding not listed.
fn allows(headers: &HeaderMap, coding: &str) -> bool {
    let mut wildcard = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if name.eq_ignore_ascii_case(coding) {
                return q > 0.0;
            }
            if name == "*" {
                wildcard = Some(q > 0.0);
            }
        }
    }
    wildcard.unwrap_or(false)
}

/// `tail` as a path inside the assets folder: plain names only, no `..`, no root.
fn inside(tail: &str) -> Option<PathBuf> {
    let path = Path::new(tail);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !tail.is_empty()).then(|| path.to_path_buf())
}

async fn is_file(path: &Path) -> bool {
    tokio::fs::metadata(path).await.is_ok_and(|m| m.is_file())
}

/// `GET /assets/{tail}`: the asset as the build precompressed it. `app.js.br` when the request
/// allows brotli, else `app.js.gz` when it allows gzip, else `app.js` itself; the response names
/// its coding and `Vary: Accept-Encoding`, keeps the raw file's type, and is never compressed
/// again on the fly.
pub async fn asset(
    req: HttpRequest,
    assets: web::Data<SpaAssets>,
) -> Result<HttpResponse, ApiError> {
    let rel = inside(req.match_info().query("tail")).ok_or(ApiError::NotFound)?;
    let raw = assets.0.join(rel);
    if !is_file(&raw).await {
        return Err(ApiError::NotFound);
    }
    let mut chosen = (raw.clone(), ContentEncoding::Identity);
    for (coding, encoding, ext) in [
        ("br", ContentEncoding::Brotli, "br"),
        ("gzip", ContentEncoding::Gzip, "gz"),
    ] {
        if !allows(req.headers(), coding) {
            continue;
        }
        let mut variant = raw.clone().into_os_string();
        variant.push(".");
        variant.push(ext);
        let variant = PathBuf::from(variant);
        if is_file(&variant).await {
            chosen = (variant, encoding);
            break;
        }
    }
    let (path, encoding) = chosen;
    let mime = actix_files::file_extension_to_mime(
        raw.extension().and_then(|e| e.to_str()).unwrap_or_default(),
    );
    let file = actix_files::NamedFile::open_async(&path)
        .await
        .map_err(|_| ApiError::NotFound)?
        .set_content_type(mime)
        .use_etag(true)
        .use_last_modified(true);
    // A coding header, `identity` included, is what keeps the Compress middleware off: the
    // files are sent as they are (the build made the small ones).
    let file = if encoding == ContentEncoding::Identity && !allows(req.headers(), "gzip") {
        file
    } else {
        file.set_content_encoding(encoding)
    };
    let mut res = file.into_response(&req);
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(res)
}

/// Which methods each `/api/v1` path answers, from the OpenAPI document (which describes every
/// route): a request that matches a path but not its method is `405` with `Allow`, not 404.
#[derive(Clone, Default)]
pub struct ApiMethods(Vec<(Vec<Segment>, String)>);

#[derive(Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter,
}

impl ApiMethods {
    pub fn from_document(doc: &utoipa::openapi::OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Parameter
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                let mut methods: Vec<&str> = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some() || item.head.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, has)| has.then_some(m))
                .collect();
                methods.dedup();
                (segments, methods.join(", "))
            })
            .collect();
        Self(routes)
    }

    /// The methods of the documented path `path` matches, if any: the most literal match, so
    /// `/me/passkeys/options` is that path, not `/me/passkeys/{id}`.
    pub(crate) fn allowed(&self, path: &str) -> Option<&str> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.0
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(s, p)| match s {
                        Segment::Literal(l) => l == p,
                        Segment::Parameter => !p.is_empty(),
                    })
            })
            .max_by_key(|(segments, _)| {
                segments
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count()
            })
            .map(|(_, methods)| methods.as_str())
    }

    /// `Allow` for a request to a documented path that does not take its method; `None` when
    /// the path is unknown or takes it.
    pub(crate) fn refused(&self, path: &str, method: &Method) -> Option<String> {
        self.allowed(path)
            .filter(|allow| !allow.split(", ").any(|m| m == method.as_str()))
            .map(str::to_owned)
    }
}

/// The default service: problem+json 404 for API paths and non-GET requests, the SPA's
/// `index.html` for anything else.
pub async fn fallback(
    req: HttpRequest,
    spa: web::Data<SpaIndex>,
    methods: web::Data<ApiMethods>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if let Some(allow) = methods.allowed(path) {
        // A documented path reached here only because no route of it takes this method.
        return Err(ApiError::MethodNotAllowed {
            allow: allow.to_owned(),
        });
    }
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
Disallow: /accept-invitation\n\
Disallow: /pay/\n";
