//! Input checks every `/api/v1` route shares, made once before any handler runs.
//!
//! - **JSON syntax.** A JSON body that is not JSON at all is `400 MALFORMED_JSON` here; so
//!   whatever the typed extractor later refuses is a well-formed body of the wrong shape,
//!   `422 INVALID_BODY` (serde reports some shape errors, e.g. a number where an enum's tag
//!   belongs, in its syntax category).
//! - **NUL characters.** PostgreSQL cannot store U+0000 in text: a NUL anywhere in a request's
//!   strings would reach the database and fail there as a 500. Refused as `400 INVALID_QUERY`
//!   naming the query parameter, or `422 VALIDATION_FAILED` naming the JSON field
//!   (`variants[0].sku`). Other control characters are each field's own validation rule.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{Error, ResponseError};
use rxgate_api_types::FieldError;
use serde_json::Value;

use crate::error::ApiError;
use crate::state::AppState;

pub async fn check_input(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, Error> {
    if let Some(param) = nul_query_param(req.query_string()) {
        let refused = ApiError::InvalidQuery(format!(
            "`{param}` contains a NUL character (U+0000), which is not allowed"
        ));
        return Ok(req
            .into_response(refused.error_response())
            .map_into_right_body());
    }
    if is_json(&req) {
        let body = match req.extract::<Bytes>().await {
            Ok(body) => body,
            Err(e) if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
                let limit = req
                    .app_data::<web::Data<AppState>>()
                    .map_or(0, |s| s.settings.application.body_limit_bytes);
                let refused = ApiError::PayloadTooLarge { limit };
                return Ok(req
                    .into_response(refused.error_response())
                    .map_into_right_body());
            }
            Err(e) => return Err(e),
        };
        // The body is parsed once here: for its syntax, its NULs and its whole-number floats.
        let mut body = body;
        let mut nul = None;
        if !body.is_empty() {
            let mut value = match serde_json::from_slice::<Value>(&body) {
                Ok(value) => value,
                Err(e) => {
                    let refused = ApiError::MalformedJson(e.to_string());
                    return Ok(req
                        .into_response(refused.error_response())
                        .map_into_right_body());
                }
            };
            nul = find(&value, String::new());
            // A webhook's body is signed as sent: it is never rewritten.
            if nul.is_none() && !is_webhook(&req) && integral_floats(&mut value) {
                body = Bytes::from(serde_json::to_vec(&value)?);
            }
        }
        if let Some(field) = nul {
            let refused = ApiError::Validation(vec![FieldError {
                field,
                code: "nul_character".into(),
                message: "Contains a NUL character (U+0000), which is not allowed.".into(),
            }]);
            return Ok(req
                .into_response(refused.error_response())
                .map_into_right_body());
        }
        req.set_payload(Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn is_webhook(req: &ServiceRequest) -> bool {
    req.path().starts_with("/api/v1/payments/webhooks/")
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"))
}

/// The first query parameter whose name or value decodes to a NUL (decoded as actix's own
/// query extractor does, by `application/x-www-form-urlencoded` rules).
fn nul_query_param(query: &str) -> Option<String> {
    if !query.contains("%00") && !query.contains('\0') {
        return None;
    }
    form_urlencoded::parse(query.as_bytes()).find_map(|(name, value)| {
        (name.contains('\0') || value.contains('\0')).then(|| name.replace('\0', "\u{FFFD}"))
    })
}

/// Rewrites every number that is a whole number written as a float (`3.0`, `1e3`) as an
/// integer, and says whether it changed any. JSON Schema counts `3.0` as an `integer` (the
/// document says `integer` for every count and amount), while serde refuses it for an integer
/// field; floats with a fraction stay as they are, and so do magnitudes beyond 2^53, where a
/// float is no longer exact.
fn integral_floats(value: &mut Value) -> bool {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            #[allow(clippy::cast_possible_truncation)]
            Some(f) if f.fract() == 0.0 && f.abs() < EXACT => {
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| integral_floats(item) | changed),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, item| integral_floats(item) | changed),
        _ => false,
    }
}

/// The path of the first JSON string (key or value) holding a NUL.
fn find(value: &Value, path: String) -> Option<String> {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => {
            Some(if path.is_empty() { "body".into() } else { path })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find(item, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                Some(at(&key.replace('\0', "\u{FFFD}")))
            } else {
                find(item, at(key))
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nul_field(body: &[u8]) -> Option<String> {
        find(&serde_json::from_slice(body).unwrap(), String::new())
    }

    #[test]
    fn whole_floats_become_integers_and_fractions_stay() {
        let mut v = serde_json::json!({"a": 3.0, "b": [1e3, 2.5], "c": "4.0", "d": 7});
        assert!(integral_floats(&mut v));
        assert_eq!(
            v,
            serde_json::json!({"a": 3, "b": [1000, 2.5], "c": "4.0", "d": 7})
        );
        let mut unchanged = serde_json::json!({"x": 1, "y": 0.5});
        assert!(!integral_floats(&mut unchanged));
    }

    #[test]
    fn a_nul_is_found_where_it_is() {
        assert_eq!(nul_query_param("q=abc&limit=2"), None);
        assert_eq!(nul_query_param("limit=2&q=ab%00c"), Some("q".into()));
        assert_eq!(nul_query_param("q%00x=1"), Some("q\u{FFFD}x".into()));
        assert_eq!(nul_field(br#"{"name":"ok"}"#), None);
        assert_eq!(
            nul_field(br#"{"display_name":"Eve\u0000"}"#),
            Some("display_name".into())
        );
        assert_eq!(
            nul_field(br#"{"variants":[{"sku":"A"},{"sku":"B\u0000"}]}"#),
            Some("variants[1].sku".into())
        );
        // An escaped backslash followed by "u0000" is text, not a NUL.
        assert_eq!(nul_field(br#"{"note":"\\u0000"}"#), None);
        assert_eq!(nul_field(br#""\u0000""#), Some("body".into()));
    }
}
