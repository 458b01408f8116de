//! Dates and numbers in the viewer's locale and time zone.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rxgate_api_types::catalogue::MoneyView;

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

/// A calendar date, e.g. "22 Nov 2026" in the browser's locale (no time zone involved).
pub fn date(day: &NaiveDate) -> String {
    let (Ok(year), Ok(month), Ok(dom)) = (
        u32::try_from(day.year()),
        i32::try_from(day.month0()),
        i32::try_from(day.day()),
    ) else {
        return day.to_string();
    };
    let date = js_sys::Date::new_with_year_month_day(year, month, dom);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    date.to_locale_date_string("default", &options).into()
}

/// The browser's IANA time zone, e.g. `Africa/Johannesburg`.
pub fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
        .filter(|zone| !zone.is_empty())
}

/// An amount of money as South Africans write it, e.g. "R 1,650.00" (ZAR) or "USD 12.50":
/// the currency's symbol or code, thousands grouped with commas, and its minor units. Whole
/// numbers only: money is never a float here.
pub fn money(amount: &MoneyView) -> String {
    let decimals = crate::components::money::decimals(&amount.currency);
    let symbol = match amount.currency.as_str() {
        "ZAR" => "R",
        other => other,
    };
    let minor = amount.amount_minor.unsigned_abs();
    let scale = 10_u64.pow(decimals);
    let (major, cents) = (minor / scale, minor % scale);
    let digits = major.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount.amount_minor < 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{symbol} {grouped}")
    } else {
        format!(
            "{sign}{symbol} {grouped}.{cents:0width$}",
            width = decimals as usize
        )
    }
}

/// A session's device as a person names it, e.g. "Chrome on Android" or "Safari on iPhone",
/// from its User-Agent header; the raw header when neither part is recognised. Written by hand:
/// the user-agent databases (uap-core and its crates) carry hundreds of regular expressions,
/// far more WASM than a label on the sessions list is worth.
pub fn device(user_agent: &str) -> String {
    let ua = user_agent;
    // Order matters: Edge and Opera also say Chrome; Chrome also says Safari.
    let browser = if ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("EdgiOS/") {
        Some("Edge")
    } else if ua.contains("OPR/") {
        Some("Opera")
    } else if ua.contains("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        Some("Firefox")
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/") {
        Some("Chrome")
    } else if ua.contains("Safari/") {
        Some("Safari")
    } else if ua.starts_with("curl/") {
        Some("curl")
    } else {
        None
    };
    let system = if ua.contains("iPhone") {
        Some("iPhone")
    } else if ua.contains("iPad") {
        Some("iPad")
    } else if ua.contains("Android") {
        Some("Android")
    } else if ua.contains("CrOS") {
        Some("ChromeOS")
    } else if ua.contains("Windows") {
        Some("Windows")
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        Some("macOS")
    } else if ua.contains("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) => ua.to_owned(),
    }
}

fn js_date(at: &DateTime<Utc>) -> js_sys::Date {
    #[allow(clippy::cast_precision_loss)]
    let millis = at.timestamp_millis() as f64;
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis))
}

/// `Intl` options: `pairs` of (name, value), and `timeZone` when `zone` is given.
fn options(pairs: &[(&str, &str)], zone: Option<&str>) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (name, value) in pairs {
        let _ = js_sys::Reflect::set(&options, &(*name).into(), &(*value).into());
    }
    if let Some(zone) = zone {
        let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into());
    }
    options
}

/// A time of day, e.g. "14:05", in the browser's zone, or in `zone` (an IANA name) when given.
pub fn time(at: &DateTime<Utc>, zone: Option<&str>) -> String {
    js_date(at)
        .to_locale_time_string_with_options("default", &options(&[("timeStyle", "short")], zone))
        .into()
}

/// A day with its weekday, e.g. "Mon, 7 Dec 2026", in the browser's zone.
pub fn day(on: &NaiveDate) -> String {
    let (Ok(year), Ok(month), Ok(dom)) = (
        u32::try_from(on.year()),
        i32::try_from(on.month0()),
        i32::try_from(on.day()),
    ) else {
        return on.to_string();
    };
    let date = js_sys::Date::new_with_year_month_day(year, month, dom);
    date.to_locale_date_string(
        "default",
        &options(
            &[
                ("weekday", "short"),
                ("day", "numeric"),
                ("month", "short"),
                ("year", "numeric"),
            ],
            None,
        ),
    )
    .into()
}

/// The calendar date of an instant in the browser's zone.
pub fn local_day(at: &DateTime<Utc>) -> NaiveDate {
    let date = js_date(at);
    NaiveDate::from_ymd_opt(
        i32::try_from(date.get_full_year()).unwrap_or(1970),
        date.get_month() + 1,
        date.get_date(),
    )
    .unwrap_or_default()
}

/// The instant the day `on` starts in the browser's zone.
pub fn local_midnight(on: &NaiveDate) -> DateTime<Utc> {
    let (Ok(year), Ok(month), Ok(dom)) = (
        u32::try_from(on.year()),
        i32::try_from(on.month0()),
        i32::try_from(on.day()),
    ) else {
        return now();
    };
    let date = js_sys::Date::new_with_year_month_day(year, month, dom);
    #[allow(clippy::cast_possible_truncation)]
    let millis = date.get_time() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_else(now)
}

/// The time now, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    #[allow(clippy::cast_possible_truncation)]
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}
