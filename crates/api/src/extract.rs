//! Extractors that turn bad input into problem+json instead of actix's text/plain defaults.

use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::ApiError;

/// JSON body that is deserialized and then checked with its `validator` rules.
pub struct ValidatedJson<T>(pub T);

impl<T> Deref for ValidatedJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidatedJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<T>::from_request(req, payload);
        Box::pin(async move {
            let value = json.await?.into_inner();
            value.validate().map_err(ApiError::from)?;
            Ok(Self(value))
        })
    }
}

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |err, _req| json_error(err, limit).into())
}

fn json_error(err: JsonPayloadError, limit: usize) -> ApiError {
    match err {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge { limit },
        JsonPayloadError::OverflowKnownLength { limit, .. } => ApiError::PayloadTooLarge { limit },
        JsonPayloadError::Deserialize(e) => {
            use serde_json::error::Category;
            match e.classify() {
                // The edge middleware (middleware::edge) has already refused bodies that are
                // not JSON, so a "syntax" error here is serde's report of a shape problem.
                Category::Data | Category::Syntax => ApiError::InvalidBody(e.to_string()),
                Category::Eof | Category::Io => ApiError::MalformedJson(e.to_string()),
            }
        }
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => {
            ApiError::PayloadTooLarge { limit }
        }
        other => ApiError::MalformedJson(other.to_string()),
    }
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let detail = match err {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        ApiError::InvalidQuery(detail).into()
    })
}

/// A path segment that does not parse (e.g. a malformed id) names nothing that exists.
pub fn path_config() -> web::PathConfig {
    // A path id that does not parse is a resource that does not exist, unless the path is a
    // documented literal one that only looked like an id to a neighbouring route (DELETE on
    // `/me/passkeys/options` reaches `/me/passkeys/{id}`): that is the wrong method, 405.
    web::PathConfig::default().error_handler(|_err: PathError, req| {
        let methods = req.app_data::<web::Data<crate::spa::ApiMethods>>();
        match methods.and_then(|m| m.refused(req.path(), req.method())) {
            Some(allow) => ApiError::MethodNotAllowed { allow }.into(),
            None => ApiError::NotFound.into(),
        }
    })
}

pub fn payload_config(limit: usize) -> web::PayloadConfig {
    web::PayloadConfig::new(limit)
}

/// Documents the `X-Rxgate-Clinic` header of the routes that act in one clinic. A caller who
/// belongs to several clinics names the one a request is for (else `422 CLINIC_REQUIRED`); a
/// caller of one clinic may leave it out. Read by the `Principal` extractor.
#[derive(utoipa::IntoParams)]
#[into_params(names("X-Rxgate-Clinic"), parameter_in = Header)]
pub struct ClinicHeader(
    /// The clinic (id) this request acts in.
    #[allow(dead_code)]
    Option<uuid::Uuid>,
);
