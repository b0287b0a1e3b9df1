//! Formatting through the browser's own Intl: it knows every locale and currency and costs
//! the widget no bytes. Only the browser build calls these.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = getCanonicalLocales, catch)]
    fn get_canonical_locales(locales: &JsValue) -> Result<Array, JsValue>;
}

/// Has the booking core read and write numbers with JavaScript's `parseFloat` and
/// `String(n)`, so that Rust's float parsing and printing (about 16 KB) stay out of the wasm.
pub fn use_browser_numbers() {
    static BROWSER: crate::core::json::NumberText = crate::core::json::NumberText {
        read: |text| js_sys::parse_float(text),
        write: |n| js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default(),
    };
    crate::core::json::use_numbers(&BROWSER);
}

/// A locale the browser accepts: `wanted` if it is a valid tag, else the browser's language,
/// else "en".
pub fn usable_locale(wanted: Option<&str>) -> String {
    let valid = |tag: &str| -> Option<String> {
        if tag.is_empty() || tag.len() > 35 {
            return None;
        }
        get_canonical_locales(&JsValue::from_str(tag)).ok().and_then(|a| a.get(0).as_string())
    };
    wanted
        .and_then(valid)
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()).and_then(|l| valid(&l)))
        .unwrap_or_else(|| "en".to_string())
}

/// An amount in minor units as the locale writes it in that currency ("£250.00", "¥45,000").
/// An ill-formed currency code is written plainly ("250.00 XX1").
pub fn format_money(minor: u64, currency: &str, locale: &str) -> String {
    let code = currency.trim().to_ascii_uppercase();
    let plain = || format!("{}.{:02} {code}", minor / 100, minor % 100);
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return plain();
    }
    let made = cached(["money;", locale, ";", &code].concat(), || {
        let options = options(&[("style", "currency"), ("currency", &code)]);
        Some(js_sys::Intl::NumberFormat::new(&Array::of1(&locale.into()), &options).into())
    });
    let Some(format) = made.map(JsCast::unchecked_into::<js_sys::Intl::NumberFormat>) else {
        return plain();
    };
    let digits =
        Reflect::get(&format.resolved_options(), &"maximumFractionDigits".into()).ok().and_then(|d| d.as_f64()).unwrap_or(2.0).clamp(0.0, 4.0);
    let major = minor as f64 / 10f64.powi(digits as i32);
    format
        .format()
        .call1(&JsValue::NULL, &major.into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{} {code}", crate::core::json::number_text(major)))
}

// ---- Time zones and dates, through Intl.DateTimeFormat ----

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat(locales, options)`, which throws on a bad zone or locale.
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat, catch)]
    fn date_time_format(locales: &JsValue, options: &JsValue) -> Result<js_sys::Intl::DateTimeFormat, JsValue>;
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
    }
    o
}

thread_local! {
    /// Intl formatters made so far, by locale and options: making one costs the browser far
    /// more than using it (a month's calendar names 42 days, a list of session types writes a
    /// price or two on each card), so each is made once.
    static FORMATTERS: std::cell::RefCell<Vec<(String, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The formatter kept under `key`, or the one `make` makes, then kept (a few dozen at most:
/// the cache starts over past 64, when a visitor has tried many zones).
fn cached(key: String, make: impl FnOnce() -> Option<JsValue>) -> Option<JsValue> {
    if let Some(f) = FORMATTERS.with(|c| c.borrow().iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone())) {
        return Some(f);
    }
    let made = make()?;
    FORMATTERS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 64 {
            c.clear();
        }
        c.push((key, made.clone()));
    });
    Some(made)
}

/// The date and time formatter for a locale and options.
fn formatter(locale: &str, pairs: &[(&str, &str)]) -> Option<js_sys::Intl::DateTimeFormat> {
    let mut key = String::from(locale);
    for (k, v) in pairs {
        key.extend([";", k, "=", v]);
    }
    cached(key, || date_time_format(&Array::of1(&locale.into()), &options(pairs)).ok().map(Into::into)).map(JsCast::unchecked_into)
}

/// The browser's own time zone ("Europe/London"), or "UTC" when it does not say.
pub fn visitor_zone() -> String {
    formatter("en", &[])
        .and_then(|f| Reflect::get(&f.resolved_options(), &"timeZone".into()).ok())
        .and_then(|z| z.as_string())
        .map(|z| crate::core::zones::current_name(&z).to_string())
        .filter(|z| is_valid_zone(z))
        .unwrap_or_else(|| "UTC".to_string())
}

/// Whether the browser knows a zone name.
pub fn is_valid_zone(zone: &str) -> bool {
    crate::core::paths::is_plausible_zone(zone) && formatter("en", &[("timeZone", zone)]).is_some()
}

/// Every IANA zone the browser knows, for the zone switcher.
pub fn supported_zones() -> Vec<String> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok();
    let f = intl.as_ref().and_then(|i| Reflect::get(i, &"supportedValuesOf".into()).ok()).and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (intl, f) {
        (Some(intl), Some(f)) => f
            .call1(&intl, &"timeZone".into())
            .ok()
            .map(|a| {
                // Current names, sorted by the browser (zone names are ASCII: the same order).
                let current: Array =
                    Array::from(&a).iter().filter_map(|v| v.as_string()).map(|z| JsValue::from_str(crate::core::zones::current_name(&z))).collect();
                let mut zones: Vec<String> = current.sort().iter().filter_map(|v| v.as_string()).collect();
                zones.dedup();
                zones
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The wall clock of an instant (milliseconds since the epoch) in a zone: date, hour, minute.
pub fn wall_clock(epoch_ms: f64, zone: &str) -> Option<(chrono::NaiveDate, u32, u32)> {
    let f = formatter(
        "en-US",
        &[
            ("timeZone", zone),
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("hourCycle", "h23"),
        ],
    )?;
    let parts = f.format_to_parts(&js_sys::Date::new(&epoch_ms.into()));
    let mut ymdhm = [0i64; 5];
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let i = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            _ => continue,
        };
        ymdhm[i] = value.parse().ok()?;
    }
    let date = chrono::NaiveDate::from_ymd_opt(ymdhm[0] as i32, ymdhm[1] as u32, ymdhm[2] as u32)?;
    Some((date, (ymdhm[3] % 24) as u32, ymdhm[4] as u32))
}

/// Milliseconds since the epoch of an RFC 3339 instant.
pub fn instant_ms(rfc3339: &str) -> Option<f64> {
    crate::core::iso::parse_instant_ms(rfc3339).map(|ms| ms as f64)
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Today's date in a zone.
pub fn today_in(zone: &str) -> chrono::NaiveDate {
    wall_clock(now_ms(), zone).map(|(d, _, _)| d).unwrap_or(chrono::NaiveDate::MIN)
}

/// The date an RFC 3339 instant falls on in a zone.
pub fn date_in(rfc3339: &str, zone: &str) -> Option<chrono::NaiveDate> {
    wall_clock(instant_ms(rfc3339)?, zone).map(|(d, _, _)| d)
}

/// A time as the locale writes it ("9:00 AM" in en-US, "09:00" in en-GB and de-DE), in a
/// zone: the locale's own short time style. (`hour: "numeric"` wrote "0:15" and "9:30" for
/// the 24-hour locales.)
pub fn format_time(rfc3339: &str, zone: &str, locale: &str) -> String {
    let Some(ms) = instant_ms(rfc3339) else {
        return rfc3339.to_string();
    };
    formatter(locale, &[("timeZone", zone), ("timeStyle", "short")])
        .and_then(|f| f.format().call1(&JsValue::NULL, &js_sys::Date::new(&ms.into())).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| rfc3339.to_string())
}

fn utc_noon_ms(date: chrono::NaiveDate) -> f64 {
    date.and_hms_opt(12, 0, 0).map(|t| t.and_utc().timestamp_millis() as f64).unwrap_or(0.0)
}

fn format_date_with(date: chrono::NaiveDate, locale: &str, pairs: &[(&str, &str)]) -> String {
    let mut all = vec![("timeZone", "UTC")];
    all.extend_from_slice(pairs);
    formatter(locale, &all)
        .and_then(|f| f.format().call1(&JsValue::NULL, &js_sys::Date::new(&utc_noon_ms(date).into())).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| crate::core::iso::format_date(date))
}

/// A date in full ("Thursday 7 August 2025" in en-GB).
pub fn format_long_date(date: chrono::NaiveDate, locale: &str) -> String {
    format_date_with(date, locale, &[("weekday", "long"), ("day", "numeric"), ("month", "long"), ("year", "numeric")])
}

/// A month and year ("August 2025").
pub fn format_month(ym: crate::core::calendar::YearMonth, locale: &str) -> String {
    format_date_with(ym.first_day(), locale, &[("month", "long"), ("year", "numeric")])
}

/// A weekday's short and long names ("Mon", "Monday").
pub fn weekday_names(day: chrono::Weekday, locale: &str) -> (String, String) {
    // 2024-01-01 was a Monday.
    let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(i64::from(day.num_days_from_monday()));
    (format_date_with(date, locale, &[("weekday", "short")]), format_date_with(date, locale, &[("weekday", "long")]))
}

/// The first day of the week in a locale (Intl.Locale's week info, else by region).
pub fn week_start(locale: &str) -> chrono::Weekday {
    let from_intl = (|| {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let ctor = Reflect::get(&intl, &"Locale".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let loc = Reflect::construct(&ctor, &Array::of1(&locale.into())).ok()?;
        let info = match Reflect::get(&loc, &"getWeekInfo".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            Some(f) => f.call0(&loc).ok()?,
            None => Reflect::get(&loc, &"weekInfo".into()).ok()?,
        };
        Reflect::get(&info, &"firstDay".into()).ok()?.as_f64()
    })();
    match from_intl.map(|d| d as u32) {
        Some(7) => chrono::Weekday::Sun,
        Some(6) => chrono::Weekday::Sat,
        Some(1..=5) => chrono::Weekday::Mon,
        _ => {
            let region = locale.split(['-', '_']).nth(1).unwrap_or("").to_ascii_uppercase();
            if ["US", "CA", "JP", "BR", "MX", "IL", "KR", "PH", "ZA", "AU", "IN"].contains(&region.as_str()) || locale == "en" {
                chrono::Weekday::Sun
            } else {
                chrono::Weekday::Mon
            }
        }
    }
}

/// Whether a JavaScript regular expression matches the whole of `value`; None when the
/// pattern does not compile.
pub fn pattern_matches(pattern: &str, value: &str) -> Option<bool> {
    reg_exp(&format!("^(?:{pattern})$"), "u").ok().map(|re| re.test(value))
}

#[wasm_bindgen]
extern "C" {
    /// `RegExp(pattern, flags)`, which throws on a pattern that does not compile.
    #[wasm_bindgen(js_name = RegExp, catch)]
    fn reg_exp(pattern: &str, flags: &str) -> Result<js_sys::RegExp, JsValue>;
}
