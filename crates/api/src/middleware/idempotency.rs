//! `Idempotency-Key` on money-moving POSTs: one middleware, wrapped around the routes that
//! move money, instead of code in each handler.
//!
//! A request with the header is scoped to its caller (the bearer token's user), its method and
//! path, and the key. The first such request runs and its answer (status, content type, body)
//! is stored; for 24 hours the same key then gets that answer again (`Idempotent-Replayed:
//! true`) without running anything. The same key with another body is `422
//! IDEMPOTENCY_KEY_REUSED`; while the first request still runs, a duplicate is `409
//! REQUEST_IN_PROGRESS`. A first answer that is a server error is not kept, so a retry runs
//! again. Requests without the header, or without a valid token (the handler then answers
//! 401), pass through untouched.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpResponse, ResponseError};
use rxgate_persistence::{RlsContext, idempotency};
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";
/// Set on an answer replayed from the store.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// Documents the header on the operations it wraps (made a reusable parameter,
/// `#/components/parameters/IdempotencyKey`, by [`crate::openapi::document`]).
#[derive(utoipa::IntoParams)]
#[into_params(names("Idempotency-Key"), parameter_in = Header)]
pub struct IdempotencyKeyHeader(
    /// A unique value per intended operation (a UUID), 1–255 visible ASCII characters: a
    /// retry with the same key and body gets the first answer again for 24 hours instead of
    /// repeating the operation.
    #[allow(dead_code)]
    #[param(min_length = 1, max_length = 255, pattern = r"^[\x21-\x7E]{1,255}$")]
    Option<String>,
);

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(raw) = req.headers().get(HEADER) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(key) = raw
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
    else {
        return Ok(refuse(
            req,
            ApiError::BadRequest {
                code: "INVALID_IDEMPOTENCY_KEY",
                detail: "An Idempotency-Key is 1 to 255 visible ASCII characters.".into(),
            },
        ));
    };
    let Ok(principal) = req.extract::<Principal>().await else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let body = req.extract::<Bytes>().await?;
    req.set_payload(Payload::from(body.clone()));
    let user = principal.user_id;
    let route = format!("{} {}", req.method(), req.path());
    let hash = Sha256::digest(&body).to_vec();

    let claimed = async {
        let mut tx = state.db.begin(&RlsContext::system()).await?;
        let took = idempotency::claim(&mut tx, user, &route, &key, &hash).await?;
        let stored = if took {
            None
        } else {
            idempotency::find(&mut tx, user, &route, &key).await?
        };
        tx.commit().await?;
        Ok::<_, rxgate_persistence::RepoError>((took, stored))
    }
    .await;
    let (took, stored) = match claimed {
        Ok(claimed) => claimed,
        Err(e) => return Ok(refuse(req, ApiError::from(e))),
    };
    if !took {
        return Ok(match stored {
            Some(s) if s.request_hash != hash => refuse(
                req,
                ApiError::Rule {
                    code: "IDEMPOTENCY_KEY_REUSED",
                    detail: "This Idempotency-Key was used with another request body: use a new \
                             key for a new request."
                        .into(),
                },
            ),
            Some(idempotency::StoredKey {
                status_code: Some(status),
                content_type,
                response_body: Some(stored_body),
                ..
            }) => {
                let status = u16::try_from(status)
                    .ok()
                    .and_then(|s| StatusCode::from_u16(s).ok())
                    .unwrap_or(StatusCode::OK);
                let mut res = HttpResponse::build(status);
                if let Some(ct) = content_type {
                    res.insert_header((header::CONTENT_TYPE, ct));
                }
                res.insert_header((REPLAYED_HEADER, HeaderValue::from_static("true")));
                req.into_response(res.body(stored_body))
            }
            // Still running (or it ended between the two statements above: a retry replays).
            _ => refuse(
                req,
                ApiError::Conflict {
                    code: "REQUEST_IN_PROGRESS",
                    detail: "A request with this Idempotency-Key is still being processed: \
                             retry in a moment to get its answer."
                        .into(),
                },
            ),
        });
    }

    let res = next.call(req).await;
    let release = async {
        if let Ok(mut tx) = state.db.begin(&RlsContext::system()).await
            && idempotency::release(&mut tx, user, &route, &key)
                .await
                .is_ok()
        {
            let _ = tx.commit().await;
        }
    };
    let res = match res {
        Ok(res) => res,
        Err(e) => {
            release.await;
            return Err(e);
        }
    };
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (http_req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            release.await;
            return Ok(ServiceResponse::new(
                http_req,
                ApiError::internal(std::io::Error::other("response body unreadable"))
                    .error_response(),
            ));
        }
    };
    if status.is_server_error() {
        release.await;
    } else {
        let stored = async {
            let mut tx = state.db.begin(&RlsContext::system()).await?;
            idempotency::complete(
                &mut tx,
                user,
                &route,
                &key,
                i16::try_from(status.as_u16()).unwrap_or(500),
                content_type.as_deref(),
                &bytes,
            )
            .await?;
            tx.commit().await?;
            Ok::<_, rxgate_persistence::RepoError>(())
        }
        .await;
        if let Err(e) = stored {
            tracing::error!(error = %e, "could not store an idempotent answer");
        }
    }
    Ok(ServiceResponse::new(
        http_req,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}

fn refuse(req: ServiceRequest, err: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(err.error_response())
}
