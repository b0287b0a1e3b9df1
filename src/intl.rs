//! Formatting through the browser's own Intl: it knows every locale and currency and costs
//! the widget no bytes. Only the browser build calls these.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = getCanonicalLocales, catch)]
    fn get_canonical_locales(locales: &JsValue) -> Result<Array, JsValue>;
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
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return format!("{:.2} {code}", minor as f64 / 100.0);
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &code.as_str().into());
    let format = js_sys::Intl::NumberFormat::new(&Array::of1(&locale.into()), &options);
    let digits = Reflect::get(&format.resolved_options(), &"maximumFractionDigits".into())
        .ok()
        .and_then(|d| d.as_f64())
        .unwrap_or(2.0)
        .clamp(0.0, 4.0);
    let major = minor as f64 / 10f64.powi(digits as i32);
    format.format().call1(&JsValue::NULL, &major.into()).ok().and_then(|s| s.as_string()).unwrap_or_else(|| format!("{major} {code}"))
}
