//! The one error type of the HTTP layer and its RFC 9457 problem+json rendering.
//! Every failure a client can see goes through [`ApiError`], so every error body has the same
//! shape and a stable `code`; causes of 5xx answers go to the log, never to the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use rxgate_api_types::{FieldError, Problem};
use rxgate_persistence::RepoError;

use crate::middleware::request_id::current_request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("request body is not valid JSON")]
    MalformedJson(String),
    #[error("request body does not match the expected shape")]
    InvalidBody(String),
    #[error("invalid query parameters")]
    InvalidQuery(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("invalid pagination cursor")]
    InvalidCursor,
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("request body too large")]
    PayloadTooLarge { limit: usize },
    #[error("not found")]
    NotFound,
    /// The path exists, but not with this method; `allow` lists the methods it has.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("authentication required")]
    Unauthenticated,
    /// The access token was genuine but has expired: renew it with the refresh token.
    #[error("access token expired")]
    AccessTokenExpired,
    #[error("invalid credentials")]
    InvalidCredentials,
    /// The refresh token or session can no longer be used (`code` says why).
    #[error("session ended: {code}")]
    SessionEnded { code: &'static str, detail: String },
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str, detail: String },
    #[error("account locked")]
    Locked { retry_after_secs: i64 },
    /// An emailed link that is unknown, used or expired.
    #[error("invalid token")]
    InvalidToken { expired: bool },
    /// The request is well-formed but breaks a rule (`code` names the rule).
    #[error("unprocessable: {code}")]
    Rule { code: &'static str, detail: String },
    #[error("conflict: {code}")]
    Conflict { code: &'static str, detail: String },
    /// A request that can never be right as sent (`code` says why): a webhook whose signature
    /// does not match, a malformed `Idempotency-Key`.
    #[error("bad request: {code}")]
    BadRequest { code: &'static str, detail: String },
    /// A conflict about one field of the request (a taken address or code): also listed in the
    /// problem's `errors`, so a form shows it next to the field.
    #[error("conflict: {code} ({field})")]
    FieldConflict {
        code: &'static str,
        field: &'static str,
        detail: String,
    },
    #[error("service unavailable")]
    Unavailable(String),
    /// Anything unexpected. The cause is logged; the client sees a generic 500.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(err))
    }

    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedJson(_) => "MALFORMED_JSON",
            Self::InvalidBody(_) => "INVALID_BODY",
            Self::InvalidQuery(_) => "INVALID_QUERY",
            Self::Validation(_) => "VALIDATION_FAILED",
            Self::InvalidCursor => "INVALID_CURSOR",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            Self::NotFound => "NOT_FOUND",
            Self::MethodNotAllowed { .. } => "METHOD_NOT_ALLOWED",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::AccessTokenExpired => "TOKEN_EXPIRED",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::SessionEnded { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Rule { code, .. }
            | Self::BadRequest { code, .. } => code,
            Self::Locked { .. } => "ACCOUNT_LOCKED",
            Self::InvalidToken { expired: true } => "TOKEN_EXPIRED",
            Self::InvalidToken { expired: false } => "INVALID_TOKEN",
            Self::Conflict { code, .. } | Self::FieldConflict { code, .. } => code,
            Self::Unavailable(_) => "SERVICE_UNAVAILABLE",
            Self::Internal(_) => "INTERNAL_ERROR",
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            Self::MalformedJson(d) | Self::InvalidBody(d) | Self::InvalidQuery(d) => {
                Some(d.clone())
            }
            Self::Validation(_) => Some("One or more fields are invalid.".into()),
            Self::InvalidCursor => Some("The cursor is not one this API issued.".into()),
            Self::UnsupportedMediaType => Some("Send the body as application/json.".into()),
            Self::PayloadTooLarge { limit } => {
                Some(format!("The body is larger than {limit} bytes."))
            }
            Self::NotFound => Some("The resource does not exist.".into()),
            Self::MethodNotAllowed { allow } => Some(format!("This path answers only {allow}.")),
            Self::Unauthenticated => {
                Some("Sign in and send the access token as `Authorization: Bearer …`.".into())
            }
            Self::AccessTokenExpired => {
                Some("The access token has expired: renew it with the refresh token.".into())
            }
            Self::InvalidCredentials => Some("The email or password is wrong.".into()),
            Self::SessionEnded { detail, .. }
            | Self::Forbidden { detail, .. }
            | Self::Rule { detail, .. }
            | Self::BadRequest { detail, .. } => Some(detail.clone()),
            Self::Locked { retry_after_secs } => Some(format!(
                "Too many failed sign-ins. Try again in {} minute(s), or reset your password.",
                (retry_after_secs + 59) / 60
            )),
            Self::InvalidToken { expired: true } => {
                Some("This link has expired. Ask for a new one.".into())
            }
            Self::InvalidToken { expired: false } => {
                Some("This link is not valid or has already been used.".into())
            }
            Self::Conflict { detail, .. } | Self::FieldConflict { detail, .. } => {
                Some(detail.clone())
            }
            Self::Unavailable(d) => Some(d.clone()),
            Self::Internal(_) => None,
        }
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        Problem {
            kind: format!(
                "https://rxgate.dev/problems/{}",
                self.code().to_ascii_lowercase().replace('_', "-")
            ),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code().to_owned(),
            request_id: current_request_id(),
            errors: match self {
                Self::Validation(errors) => errors.clone(),
                Self::FieldConflict {
                    code,
                    field,
                    detail,
                } => vec![FieldError {
                    field: (*field).to_owned(),
                    code: code.to_ascii_lowercase(),
                    message: detail.clone(),
                }],
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::MalformedJson(_) | Self::InvalidQuery(_) | Self::InvalidCursor => {
                StatusCode::BAD_REQUEST
            }
            Self::InvalidBody(_) | Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unauthenticated
            | Self::AccessTokenExpired
            | Self::InvalidCredentials
            | Self::SessionEnded { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::Locked { .. } => StatusCode::LOCKED,
            Self::InvalidToken { .. } | Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Rule { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict { .. } | Self::FieldConflict { .. } => StatusCode::CONFLICT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(error.cause_chain = %error_chain(cause.as_ref()), "internal error");
        }
        let mut res = problem_response(&self.to_problem());
        match self {
            Self::Unauthenticated | Self::SessionEnded { .. } => {
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"rxgate\""),
                );
            }
            Self::AccessTokenExpired => {
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(
                        "Bearer realm=\"rxgate\", error=\"invalid_token\", \
                         error_description=\"The access token expired\"",
                    ),
                );
            }
            Self::MethodNotAllowed { allow } => {
                if let Ok(v) = HeaderValue::from_str(allow) {
                    res.headers_mut().insert(header::ALLOW, v);
                }
            }
            Self::Locked { retry_after_secs } => {
                if let Ok(v) = HeaderValue::from_str(&(*retry_after_secs).max(1).to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            _ => {}
        }
        res
    }
}

/// Renders a problem with the right content type.
pub fn problem_response(problem: &Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = HttpResponse::build(status).json(problem);
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    res
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut current = err.source();
    while let Some(cause) = current {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        current = cause.source();
    }
    out
}

impl From<rxgate_app::AppError> for ApiError {
    fn from(err: rxgate_app::AppError) -> Self {
        use rxgate_app::AppError;
        match err {
            AppError::NotFound => Self::NotFound,
            AppError::Forbidden { code, detail } => Self::Forbidden { code, detail },
            AppError::InvalidQuery(detail) => Self::InvalidQuery(detail),
            AppError::Validation(errors) => Self::Validation(errors),
            AppError::InvalidCredentials => Self::InvalidCredentials,
            AppError::Locked { retry_after_secs } => Self::Locked { retry_after_secs },
            AppError::SessionEnded { code, detail } => Self::SessionEnded { code, detail },
            AppError::InvalidToken { expired } => Self::InvalidToken { expired },
            AppError::Rule { code, detail } => Self::Rule { code, detail },
            AppError::Conflict { code, detail } => Self::Conflict { code, detail },
            AppError::BadRequest { code, detail } => Self::BadRequest { code, detail },
            AppError::FieldConflict {
                code,
                field,
                detail,
            } => Self::FieldConflict {
                code,
                field,
                detail,
            },
            AppError::Repo(e) => Self::from(e),
            AppError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<RepoError> for ApiError {
    fn from(err: RepoError) -> Self {
        match err {
            RepoError::NotFound => Self::NotFound,
            // Row-level security refusing a write means the row is not the caller's: it does
            // not exist for them.
            RepoError::Forbidden => Self::NotFound,
            RepoError::InvalidCursor => Self::InvalidCursor,
            RepoError::SessionEnded => Self::SessionEnded {
                code: "SESSION_ENDED",
                detail: "This session has ended. Sign in again.".into(),
            },
            RepoError::Conflict { constraint } => conflict_for_constraint(&constraint),
            RepoError::Db(e) => Self::internal(e),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        RepoError::from(err).into()
    }
}

/// The one place where database constraint names become problem codes. Constraints the
/// application checks first for a friendlier message still land here when two requests race.
fn conflict_for_constraint(constraint: &str) -> ApiError {
    // (code, the request field it is about when there is one, what to say)
    let (code, field, detail) = match constraint {
        "jobs_dedupe_key" => ("DUPLICATE_JOB", None, "That job is already queued."),
        "bookings_no_overlap" => (
            "SLOT_TAKEN",
            None,
            "Someone has just booked that time: choose another.",
        ),
        "organisations_slug_key" => (
            "SLUG_TAKEN",
            Some("slug"),
            "Another organisation has that address.",
        ),
        "users_email_key" => (
            "EMAIL_TAKEN",
            Some("email"),
            "An account with that email address exists.",
        ),
        "doctor_profiles_licence_body_licence_number_key" => (
            "LICENCE_TAKEN",
            None,
            "Another doctor is registered with that licence number.",
        ),
        "passkeys_credential_id_key" => (
            "PASSKEY_ALREADY_REGISTERED",
            None,
            "That passkey is already registered.",
        ),
        // Which variant of the request it was is not known here.
        "product_variants_sku_key" => ("SKU_TAKEN", None, "Another variant already has that SKU."),
        "products_slug_key" => (
            "PRODUCT_SLUG_TAKEN",
            Some("name"),
            "Another product already has that name.",
        ),
        "categories_slug_key" => (
            "SLUG_TAKEN",
            Some("slug"),
            "Another category has that address.",
        ),
        "products_category_id_fkey" => (
            "CATEGORY_IN_USE",
            None,
            "Products are in this category: move them to another category first.",
        ),
        "flags_pkey" => ("FLAG_EXISTS", Some("code"), "A flag with that code exists."),
        "questionnaires_clinic_id_fkey" => ("UNKNOWN_CLINIC", None, "There is no such clinic."),
        "questionnaire_versions_one_draft" => (
            "DRAFT_EXISTS",
            None,
            "The questionnaire already has a draft: edit that one.",
        ),
        "questionnaire_versions_frozen" => (
            "VERSION_FROZEN",
            None,
            "A published version never changes: start a new draft.",
        ),
        "contraindication_rules_product_id_fkey" | "contraindication_rules_ingredient_id_fkey" => (
            "UNKNOWN_TARGET",
            None,
            "There is no such product or ingredient.",
        ),
        _ => (
            "CONFLICT",
            None,
            "The request conflicts with the current state of the resource.",
        ),
    };
    let detail = detail.to_owned();
    match field {
        Some(field) => ApiError::FieldConflict {
            code,
            field,
            detail,
        },
        None => ApiError::Conflict { code, detail },
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_field_errors(&errors, "", &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field).then(a.code.cmp(&b.code)));
        Self::Validation(fields)
    }
}

/// A plain sentence for a failed validation rule that has no message of its own, from the
/// rule's bounds: "Use at most 200 characters.", never the rule's code.
fn rule_message(e: &validator::ValidationError) -> String {
    let param = |name: &str| e.params.get(name).map(ToString::to_string);
    let (min, max) = (param("min"), param("max"));
    match e.code.as_ref() {
        "length" => {
            let value = e.params.get("value");
            let unit = match value {
                Some(serde_json::Value::Array(_)) => "items",
                _ => "characters",
            };
            let count = match value {
                Some(serde_json::Value::String(text)) => Some(text.chars().count()),
                Some(serde_json::Value::Array(items)) => Some(items.len()),
                _ => None,
            };
            let bound = |b: &Option<String>| b.as_deref().and_then(|b| b.parse::<usize>().ok());
            let too_short = count.zip(bound(&min)).is_some_and(|(c, m)| c < m);
            let too_long = count.zip(bound(&max)).is_some_and(|(c, m)| c > m);
            match (min, max, param("equal")) {
                (_, _, Some(n)) => format!("Use exactly {n} {unit}."),
                _ if too_short && count == Some(0) => "Fill this in.".to_owned(),
                (Some(min), _, None) if too_short => format!("Use at least {min} {unit}."),
                (_, Some(max), None) if too_long => format!("Use at most {max} {unit}."),
                (Some(min), Some(max), None) => format!("Use {min} to {max} {unit}."),
                (None, Some(max), None) => format!("Use at most {max} {unit}."),
                (Some(min), None, None) => format!("Use at least {min} {unit}."),
                (None, None, None) => "The length is not accepted.".to_owned(),
            }
        }
        "range" => match (min, max) {
            (Some(min), Some(max)) => format!("Enter a number from {min} to {max}."),
            (None, Some(max)) => format!("Enter a number of at most {max}."),
            (Some(min), None) => format!("Enter a number of at least {min}."),
            (None, None) => "The number is not accepted.".to_owned(),
        },
        "email" => "Enter an email address, like name@example.org.".to_owned(),
        "url" => "Enter a web address, like https://example.org.".to_owned(),
        "required" => "Fill this in.".to_owned(),
        "must_match" => "The two entries do not match.".to_owned(),
        _ => "This value is not accepted.".to_owned(),
    }
}

fn collect_field_errors(
    errors: &validator::ValidationErrors,
    prefix: &str,
    out: &mut Vec<FieldError>,
) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    out.push(FieldError {
                        field: path.clone(),
                        code: e.code.to_string(),
                        message: e
                            .message
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_else(|| rule_message(e)),
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_field_errors(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_field_errors(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use validator::Validate;

    use super::*;

    #[derive(Validate)]
    struct Form {
        #[validate(length(min = 1, max = 5))]
        name: String,
        #[validate(length(min = 3))]
        code: String,
        #[validate(range(min = 1, max = 10))]
        count: u32,
        #[validate(email)]
        email: String,
    }

    fn messages(form: &Form) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        collect_field_errors(&form.validate().unwrap_err(), "", &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        fields.into_iter().map(|f| (f.field, f.message)).collect()
    }

    #[test]
    fn rules_without_a_message_get_plain_sentences() {
        let form = Form {
            name: "far too long".into(),
            code: "ab".into(),
            count: 11,
            email: "nope".into(),
        };
        let got = messages(&form);
        let want = [
            ("code", "Use at least 3 characters."),
            ("count", "Enter a number from 1 to 10."),
            ("email", "Enter an email address, like name@example.org."),
            ("name", "Use at most 5 characters."),
        ];
        assert_eq!(
            got,
            want.map(|(f, m)| (f.to_owned(), m.to_owned())).to_vec()
        );
        assert!(got.iter().all(|(_, m)| !m.contains('`')));

        let empty = Form {
            name: String::new(),
            code: "abc".into(),
            count: 0,
            email: "a@example.org".into(),
        };
        assert_eq!(
            messages(&empty),
            vec![
                (
                    "count".to_owned(),
                    "Enter a number from 1 to 10.".to_owned()
                ),
                ("name".to_owned(), "Fill this in.".to_owned()),
            ]
        );
    }
}
