//! The browser's half of passkeys (WebAuthn): hands the options of a ceremony the server started
//! to `navigator.credentials`, and turns the authenticator's answer into the JSON the API
//! verifies. The conversions between JSON, JavaScript objects and binary fields are
//! webauthn-rs-proto's, the same types the server uses, so both sides agree on the encoding.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

use crate::api::ApiError;

/// Creates a passkey with the registration `options` of `PasskeyChallenge`; returns the
/// credential for `PasskeyRegistration.credential`.
pub async fn create(options: serde_json::Value) -> Result<serde_json::Value, ApiError> {
    let options: CreationChallengeResponse =
        serde_json::from_value(options).map_err(unreadable_options)?;
    let promise = credentials()?
        .create_with_options(&options.into())
        .map_err(refused)?;
    let credential = answer(promise).await?;
    to_json(&RegisterPublicKeyCredential::from(credential))
}

/// Signs the challenge of the sign-in or second-factor `options` of `PasskeyChallenge` with a
/// passkey; returns the credential for `PasskeyAssertion.credential`.
pub async fn get(options: serde_json::Value) -> Result<serde_json::Value, ApiError> {
    let options: RequestChallengeResponse =
        serde_json::from_value(options).map_err(unreadable_options)?;
    let promise = credentials()?
        .get_with_options(&options.into())
        .map_err(refused)?;
    let credential = answer(promise).await?;
    to_json(&PublicKeyCredential::from(credential))
}

/// A name to recognise a new passkey by, from the browser and system it is made on, e.g.
/// "Chrome on Android".
pub fn suggested_name() -> String {
    let agent = web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default();
    let pick = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| agent.contains(marker))
            .map(|(_, name)| *name)
    };
    // Order matters: Edge and Opera also say "Chrome", and Chrome also says "Safari".
    let browser = pick(&[
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]);
    // Android says "Linux" too, and iPadOS may say "Macintosh".
    let system = pick(&[
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Macintosh", "Mac"),
        ("Linux", "Linux"),
    ]);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => "My passkey".to_owned(),
    }
}

fn browser_error(message: impl Into<String>) -> ApiError {
    ApiError::Browser(message.into())
}

fn unsupported() -> ApiError {
    browser_error(
        "This browser cannot use passkeys. Try an up-to-date browser, or sign in another way.",
    )
}

fn unreadable_options(e: serde_json::Error) -> ApiError {
    browser_error(format!(
        "The server's passkey request could not be read ({e})."
    ))
}

fn to_json<T: serde::Serialize>(credential: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(credential)
        .map_err(|e| browser_error(format!("The passkey's answer could not be sent ({e}).")))
}

/// `navigator.credentials`, when the browser has WebAuthn (it has neither on pages that are not
/// a secure context, such as plain `http` to anything but `localhost`).
fn credentials() -> Result<web_sys::CredentialsContainer, ApiError> {
    let window = web_sys::window().ok_or_else(unsupported)?;
    let has = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(name))
            .is_ok_and(|v| !v.is_undefined() && !v.is_null())
    };
    let navigator = window.navigator();
    if !has(&window, "PublicKeyCredential") || !has(&navigator, "credentials") {
        return Err(unsupported());
    }
    Ok(navigator.credentials())
}

/// Waits for the authenticator; the person may take their time (the server's options carry
/// the time-out).
async fn answer(promise: js_sys::Promise) -> Result<web_sys::PublicKeyCredential, ApiError> {
    let credential = JsFuture::from(promise).await.map_err(refused)?;
    credential
        .dyn_into::<web_sys::PublicKeyCredential>()
        .map_err(|_| browser_error("The browser returned no passkey. Try again."))
}

/// Why the browser turned the request down, in words people can act on.
fn refused(error: JsValue) -> ApiError {
    let Some(exception) = error.dyn_ref::<web_sys::DomException>() else {
        let text = error
            .as_string()
            .or_else(|| {
                js_sys::Reflect::get(&error, &JsValue::from_str("message"))
                    .ok()
                    .and_then(|m| m.as_string())
            })
            .unwrap_or_else(|| "unknown error".to_owned());
        return browser_error(format!("The passkey request failed ({text})."));
    };
    browser_error(match exception.name().as_str() {
        // Also what browsers answer when no passkey of this site is on the device, so as not
        // to reveal which sites it holds passkeys for.
        "NotAllowedError" => "The passkey request was cancelled or timed out.".to_owned(),
        "AbortError" => "The passkey request was cancelled.".to_owned(),
        "InvalidStateError" => {
            "This device already holds a passkey for your account. Use that one, or add a \
             passkey on another device."
                .to_owned()
        }
        "NotSupportedError" => {
            "This device has no authenticator that can keep a passkey for Rxgate.".to_owned()
        }
        "SecurityError" => {
            "Passkeys only work on a secure address (https, or localhost while developing)."
                .to_owned()
        }
        _ => format!("The passkey request failed ({}).", exception.message()),
    })
}
