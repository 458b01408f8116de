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
