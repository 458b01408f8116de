//! Dates and numbers in the viewer's locale and time zone.

use chrono::{DateTime, Utc};

/// e.g. "22 Nov 2026, 14:05" in the browser's locale and zone.
pub fn date_time(at: &DateTime<Utc>) -> String {
    #[allow(clippy::cast_precision_loss)]
    let millis = at.timestamp_millis() as f64;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string("default", &options).into()
}

/// The browser's IANA time zone, e.g. `Africa/Johannesburg`.
pub fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
        .filter(|zone| !zone.is_empty())
}
