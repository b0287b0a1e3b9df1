//! Formatting through the browser's own Intl: it knows every locale and currency and costs
//! the widget no bytes. Only the browser build calls these. [`words`] holds the widget's
//! messages in the visitor's language.

pub mod words;

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
    match money_format(&code, locale) {
        Some((format, unit)) => write_money(&format, minor as f64 / unit),
        None => format!("{}.{:02} {code}", minor / 100, minor % 100),
    }
}

/// The locale's formatter for a currency (its code in capitals) and how many minor units make
/// one (100 for pence, 1 for yen); None for an ill-formed code or one the browser refuses.
pub fn money_format(code: &str, locale: &str) -> Option<(js_sys::Intl::NumberFormat, f64)> {
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let made = cached(["money;", locale, ";", code].concat(), || {
        let options = options(&[("style", "currency"), ("currency", code)]);
        Some(js_sys::Intl::NumberFormat::new(&Array::of1(&locale.into()), &options).into())
    })?;
    let format = made.unchecked_into::<js_sys::Intl::NumberFormat>();
    let digits =
        Reflect::get(&format.resolved_options(), &"maximumFractionDigits".into()).ok().and_then(|d| d.as_f64()).unwrap_or(2.0).clamp(0.0, 4.0);
    Some((format, 10f64.powi(digits as i32)))
}

/// An amount in major units written by a currency's formatter ([`money_format`]) (which
/// throws for no finite number).
pub fn write_money(format: &js_sys::Intl::NumberFormat, major: f64) -> String {
    format.format().call1(&JsValue::NULL, &major.into()).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

// ---- Numbers, plurals, lists and lengths of time, through Intl's other formatters ----

/// `new Intl[kind](locale, options)`, made once per locale and options; None when the browser
/// has no such formatter or refuses the locale.
fn intl_made(kind: &str, locale: &str, pairs: &[(&str, &str)]) -> Option<JsValue> {
    let mut key = [kind, ";", locale].concat();
    for (k, v) in pairs {
        key.extend([";", k, "=", v]);
    }
    cached(key, || make_intl(kind, locale, pairs))
}

/// `new Intl[kind](locale, options)`, made anew.
fn make_intl(kind: &str, locale: &str, pairs: &[(&str, &str)]) -> Option<JsValue> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let made = Reflect::get(&intl, &kind.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Reflect::construct(&made, &Array::of2(&locale.into(), &options(pairs))).ok()
}

/// `object[method](argument)` as text.
fn call_text(object: &JsValue, method: &str, argument: &JsValue) -> Option<String> {
    let f = Reflect::get(object, &method.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    f.call1(object, argument).ok()?.as_string()
}

/// A number as the locale writes it ("1 234,5" in French, "١٢" in Arabic).
pub fn format_number(n: f64, locale: &str) -> String {
    intl_made("NumberFormat", locale, &[]).and_then(|f| call_text(&f, "format", &n.into())).unwrap_or_else(|| crate::core::json::number_text(n))
}

/// The plural category of `n` in the locale's language ("one", "few", "other"…).
pub fn plural_category(n: f64, locale: &str) -> String {
    intl_made("PluralRules", locale, &[]).and_then(|f| call_text(&f, "select", &n.into())).unwrap_or_else(|| "other".into())
}

/// Names joined as the locale joins a list ("VAT and service charge").
pub fn format_list(items: &[String], locale: &str) -> String {
    let list: Array = items.iter().map(|i| JsValue::from_str(i)).collect();
    intl_made("ListFormat", locale, &[]).and_then(|f| call_text(&f, "format", &list)).unwrap_or_else(|| items.join(", "))
}

/// A length of time in words ("1 hour, 30 minutes", "1 heure et 30 minutes"), by
/// `Intl.DurationFormat`; in a browser without it, in minutes by `Intl.NumberFormat`.
pub fn format_duration(minutes: u64, locale: &str) -> String {
    let parts = Object::new();
    let (h, m) = (minutes / 60, minutes % 60);
    if h > 0 {
        let _ = Reflect::set(&parts, &"hours".into(), &(h as f64).into());
    }
    if m > 0 || h == 0 {
        let _ = Reflect::set(&parts, &"minutes".into(), &(m as f64).into());
    }
    let written = |kind: &str, pairs: &[(&str, &str)], value: &JsValue| intl_made(kind, locale, pairs).and_then(|f| call_text(&f, "format", value));
    written("DurationFormat", &[("style", "long")], &parts)
        .or_else(|| written("NumberFormat", &[("style", "unit"), ("unit", "minute"), ("unitDisplay", "long")], &(minutes as f64).into()))
        .unwrap_or_else(|| crate::core::json::number_text(minutes as f64))
}

// ---- Time zones and dates, through Intl.DateTimeFormat ----

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
    intl_made("DateTimeFormat", locale, pairs).map(JsCast::unchecked_into)
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

/// A session's date and time in a zone, written whole by the locale ("Thursday 7 August 2025
/// at 09:00"), and with its end, as a range ("…, 09:00–10:00").
pub fn format_date_time(start: &str, end: Option<&str>, zone: &str, locale: &str) -> String {
    let Some(from) = instant_ms(start) else {
        return start.to_string();
    };
    let Some(f) = formatter(locale, &[("timeZone", zone), ("dateStyle", "full"), ("timeStyle", "short")]) else {
        return start.to_string();
    };
    let from = js_sys::Date::new(&from.into());
    let range = end.and_then(instant_ms).and_then(|to| {
        let f: &JsValue = f.as_ref();
        let format_range = Reflect::get(f, &"formatRange".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        format_range.call2(f, &from, &js_sys::Date::new(&to.into())).ok()?.as_string()
    });
    range.or_else(|| f.format().call1(&JsValue::NULL, &from).ok()?.as_string()).unwrap_or_else(|| start.to_string())
}

/// A zone's name in the locale at an instant, and its offset from UTC then: ("heure du
/// Népal", "UTC+5:45"). The name is the offset itself for a zone the locale has no name for.
pub fn zone_name_and_offset(zone: &str, locale: &str, at_ms: f64) -> (String, String) {
    zone_names(zone, locale, at_ms, true)
}

/// [`zone_name_and_offset`] for every zone of a list (the switcher's hundreds), with
/// formatters made for the moment instead of kept.
pub fn zone_names_of(zones: &[String], locale: &str, at_ms: f64) -> Vec<(String, String)> {
    zones.iter().map(|z| zone_names(z, locale, at_ms, false)).collect()
}

fn zone_names(zone: &str, locale: &str, at_ms: f64, keep: bool) -> (String, String) {
    let part = |style: &str| {
        let pairs = [("timeZone", zone), ("timeZoneName", style)];
        let f: js_sys::Intl::DateTimeFormat =
            if keep { formatter(locale, &pairs)? } else { make_intl("DateTimeFormat", locale, &pairs)?.unchecked_into() };
        f.format_to_parts(&js_sys::Date::new(&at_ms.into()))
            .iter()
            .find(|p| Reflect::get(p, &"type".into()).ok().and_then(|t| t.as_string()).as_deref() == Some("timeZoneName"))
            .and_then(|p| Reflect::get(&p, &"value".into()).ok()?.as_string())
    };
    let offset = part("shortOffset").unwrap_or_else(|| zone.to_string());
    (part("long").unwrap_or_else(|| offset.clone()), offset)
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

/// Text as a search compares it: lower case, accents dropped ("Japón" → "japon"), by the
/// browser's own Unicode tables (Rust's case tables would cost the wasm several KB).
pub fn search_form(text: &str) -> String {
    let marks = reg_exp("\\p{M}", "gu").ok();
    let decomposed = js_sys::JsString::from(text).normalize("NFD");
    let bare = match &marks {
        Some(re) => decomposed.replace_by_pattern(re, ""),
        None => decomposed,
    };
    String::from(bare.to_lower_case())
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
