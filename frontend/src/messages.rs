//! Plain sentences for what went wrong, in one place: the API's problem codes, the rules of its
//! field checks, and the browser's own checks of a field. Nothing here shows a rule's code, an
//! HTTP reason phrase or a field's API name.

use rxgate_api_types::problem::{FieldError, Problem};

/// The sentence for a problem whose server text is technical (or absent); `None` when the
/// server's own detail is already meant for people (e.g. `INVALID_CREDENTIALS`).
pub fn for_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "RATE_LIMITED" => "Too many attempts. Wait a minute and try again.",
        "INTERNAL_ERROR" => "Something went wrong on our side. Try again in a moment.",
        "SERVICE_UNAVAILABLE" => "The service is busy or being updated. Try again in a moment.",
        "PAYLOAD_TOO_LARGE" => {
            "That is too large to send. Choose a smaller file or shorten the text."
        }
        "UNSUPPORTED_MEDIA_TYPE" => "That kind of file is not accepted.",
        "URI_TOO_LONG" => "The search is too long. Shorten it and try again.",
        "NOT_FOUND" => "We could not find that. It may have been removed.",
        "FORBIDDEN" | "UNAUTHORIZED" => "You do not have access to this.",
        "UNAUTHENTICATED" | "TOKEN_EXPIRED" | "REFRESH_INVALID" | "INVALID_TOKEN" => {
            "Your session has ended. Sign in again."
        }
        "VALIDATION_FAILED" => {
            "Some answers need attention. Check the messages next to the fields."
        }
        "MALFORMED_JSON"
        | "INVALID_BODY"
        | "BAD_REQUEST"
        | "CSRF_HEADER_MISSING"
        | "METHOD_NOT_ALLOWED"
        | "REQUEST_REJECTED"
        | "INVALID_CURSOR" => {
            "The app sent something the server could not use. Reload the page and try again."
        }
        "INVALID_BOOKING_TRANSITION" => {
            "This consult has already ended or was cancelled: it cannot be changed any more."
        }
        "CONSULT_NOT_STARTED" => "The consult has not started yet: record how it went afterwards.",
        "NOT_RESCHEDULABLE" => "Only a coming consult can be moved to another time.",
        _ => return None,
    })
}

/// What to tell people about a problem.
pub fn for_problem(p: &Problem) -> String {
    if let Some(text) = for_code(&p.code) {
        return text.to_owned();
    }
    match p.detail.as_deref() {
        Some(detail) if !looks_technical(detail) => quoted(detail),
        _ => by_status(p.status).to_owned(),
    }
}

/// A sentence by HTTP status, for codes this app does not know yet.
fn by_status(status: u16) -> &'static str {
    match status {
        401 => "Your session has ended. Sign in again.",
        403 => "You do not have access to this.",
        404 => "We could not find that. It may have been removed.",
        409 => "That clashes with something that changed meanwhile. Reload the page and try again.",
        429 => "Too many attempts. Wait a minute and try again.",
        s if s >= 500 => "Something went wrong on our side. Try again in a moment.",
        _ => "That did not work. Check what you entered and try again.",
    }
}

/// The sentence for one failed field check: the server's message when it is a plain one,
/// otherwise one made from the rule.
pub fn for_field(error: &FieldError) -> String {
    if !looks_technical(&error.message) {
        return quoted(&error.message);
    }
    for_rule(&error.code).to_owned()
}

/// The server's sentences quote the values they name in backticks (`` the key `Bad Key` ``):
/// shown to people as typographic quotes.
fn quoted(text: &str) -> String {
    let mut open = true;
    text.chars()
        .map(|c| {
            if c == '`' {
                let q = if open { '“' } else { '”' };
                open = !open;
                q
            } else {
                c
            }
        })
        .collect()
}

/// A plain sentence for a validation rule's code, for when nothing better is known.
pub fn for_rule(rule: &str) -> &'static str {
    match rule {
        "required" => "Fill this in.",
        "length" => "This is too short or too long.",
        "range" => "Enter a number within the allowed range.",
        "email" => "Enter an email address, like name@example.org.",
        "url" => "Enter a web address, like https://example.org.",
        "must_match" => "The two entries do not match.",
        _ => "This value is not accepted.",
    }
}

/// Text meant for developers: rule codes in backticks, "failed the … rule", API field paths,
/// the wording of a JSON or query decoder.
fn looks_technical(text: &str) -> bool {
    const DECODER: [&str; 5] = [
        "invalid type",
        "unknown variant",
        "missing field",
        "unknown field",
        "expected ",
    ];
    text.starts_with("failed the ")
        || text.contains("[0]")
        || DECODER.iter().any(|d| text.contains(d))
}

/// The sentence for the browser's own check of an input (its `ValidityState`), so a form shows
/// the app's messages and never the browser's pop-up.
pub fn for_validity(input: &web_sys::HtmlInputElement) -> Option<String> {
    let v = input.validity();
    if v.valid() {
        return None;
    }
    let text = if v.value_missing() {
        if input.type_() == "checkbox" {
            "Tick this box to go on.".to_owned()
        } else {
            "Fill this in.".to_owned()
        }
    } else if v.type_mismatch() && input.type_() == "email" {
        for_rule("email").to_owned()
    } else if v.type_mismatch() && input.type_() == "url" {
        for_rule("url").to_owned()
    } else if v.too_short() {
        format!("Use at least {} characters.", input.min_length())
    } else if v.too_long() {
        format!("Use at most {} characters.", input.max_length())
    } else if v.range_underflow() {
        format!("Enter a number of at least {}.", input.min())
    } else if v.range_overflow() {
        format!("Enter a number of at most {}.", input.max())
    } else {
        "Check this entry.".to_owned()
    };
    Some(text)
}
