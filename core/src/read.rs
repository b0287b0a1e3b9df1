//! Tolerant reading of JSON, by hand: the studio's answers and the kept draft are parsed once
//! into a [`Value`] (`core::json`) and read field by field with the helpers here. A field that is
//! absent, null or of a type this widget cannot use takes its default; a boolean may come as
//! `true`/`false`, `0`/`1` or `"true"`/`"false"`; a whole number as `60`, `60.0` or `"60"`.
//! Only what a model cannot do without (an `id`, a list that is not a list) makes the whole
//! answer unreadable.
//!
//! Why not `#[derive(Deserialize)]`: the derived decoders are generic code made once per
//! model for serde_json's parser, about 125 KB of the wasm before optimisation (measured:
//! the production build went from 313.2 to 285.2 KB gzip with this module).

pub use crate::json::{Object, Value};

/// A type read from JSON by hand.
pub trait FromJson: Sized {
    /// Reads it from a parsed value; None when the value cannot be one.
    fn from_json(value: &Value) -> Option<Self>;
}

/// Parses text and reads a `T` from it; None when it is not JSON or not a `T`.
pub fn decode<T: FromJson>(text: &str) -> Option<T> {
    T::from_json(&crate::json::parse(text)?)
}

/// A string field; "" when absent or not a string.
pub fn text(o: &Object, key: &str) -> String {
    opt_text(o, key).unwrap_or_default()
}

/// A string field that may be absent (None also for null and for what is not a string).
pub fn opt_text(o: &Object, key: &str) -> Option<String> {
    o.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A whole number written as a number (rounded when it has a fraction) or a numeric string;
/// None when absent, null, negative or anything else.
pub fn opt_whole(o: &Object, key: &str) -> Option<u64> {
    match o.get(key)? {
        Value::Number(n) => (*n >= 0.0).then(|| n.round() as u64),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Like [`opt_whole`], 0 when there is none.
pub fn whole(o: &Object, key: &str) -> u64 {
    opt_whole(o, key).unwrap_or(0)
}

/// A signed whole number (an order); 0 when there is none.
pub fn integer(o: &Object, key: &str) -> i64 {
    match o.get(key) {
        Some(Value::Number(n)) => n.round() as i64,
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// A number (a tax rate, a bound); None when absent or not a number or numeric string.
pub fn opt_number(o: &Object, key: &str) -> Option<f64> {
    match o.get(key)? {
        Value::Number(n) => Some(*n),
        Value::String(s) => crate::json::parse_number(s.trim()),
        _ => None,
    }
}

/// A boolean written as true/false, 0/1 (any non-zero number is true), "true"/"false",
/// "1"/"0" or "yes"; false when absent, null or anything else.
pub fn flag(o: &Object, key: &str) -> bool {
    match o.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => *n != 0.0,
        Some(Value::String(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
        }
        _ => false,
    }
}

/// A list of `T`: empty when absent or null; None when it is something else or one of its
/// items cannot be read.
pub fn list<T: FromJson>(o: &Object, key: &str) -> Option<Vec<T>> {
    match o.get(key) {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(items)) => {
            // A plain loop: collecting into Option<Vec<T>> compiles an adapter per type.
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(T::from_json(item)?);
            }
            Some(out)
        }
        Some(_) => None,
    }
}

/// A list of strings: empty when absent or null; the items that are not strings are left
/// out.
pub fn strings(o: &Object, key: &str) -> Vec<String> {
    match o.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// An object field read as a `T`: None when absent, null or unreadable.
pub fn object<T: FromJson>(o: &Object, key: &str) -> Option<T> {
    o.get(key).filter(|v| v.is_object()).and_then(T::from_json)
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Option<Self> {
        Some(value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(text: &str) -> Object {
        crate::json::parse(text).unwrap().as_object().unwrap().clone()
    }

    #[test]
    fn reads_loose_numbers_and_booleans() {
        let o = obj(r#"{"a": 60, "b": 60.4, "c": " 30 ", "d": -1, "e": "x", "f": null, "g": 1e300,
            "t1": true, "t2": 1, "t3": "TRUE", "t4": "yes", "t5": 2.5, "f1": 0, "f2": "no", "f3": [], "f4": null}"#);
        assert_eq!(opt_whole(&o, "a"), Some(60));
        assert_eq!(opt_whole(&o, "b"), Some(60));
        assert_eq!(opt_whole(&o, "c"), Some(30));
        assert_eq!(opt_whole(&o, "d"), None);
        assert_eq!(opt_whole(&o, "e"), None);
        assert_eq!(opt_whole(&o, "f"), None);
        assert_eq!(opt_whole(&o, "missing"), None);
        assert_eq!(whole(&o, "e"), 0);
        assert_eq!(integer(&o, "d"), -1);
        assert_eq!(opt_number(&o, "b"), Some(60.4));
        assert_eq!(opt_number(&o, "c"), Some(30.0));
        assert_eq!(opt_number(&o, "e"), None);
        for k in ["t1", "t2", "t3", "t4", "t5"] {
            assert!(flag(&o, k), "{k}");
        }
        for k in ["f1", "f2", "f3", "f4", "missing"] {
            assert!(!flag(&o, k), "{k}");
        }
    }

    #[test]
    fn reads_text_and_lists() {
        let o = obj(r#"{"s": "x", "n": 5, "list": ["a", 3, "b"], "bad": {"x": 1}}"#);
        assert_eq!(text(&o, "s"), "x");
        assert_eq!(text(&o, "n"), "");
        assert_eq!(opt_text(&o, "n"), None);
        assert_eq!(strings(&o, "list"), vec!["a", "b"]);
        assert_eq!(strings(&o, "bad"), Vec::<String>::new());
        assert_eq!(list::<Value>(&o, "missing"), Some(vec![]));
        assert_eq!(list::<Value>(&o, "bad"), None);
        assert_eq!(list::<Value>(&o, "list").map(|l| l.len()), Some(3));
        assert!(decode::<Value>("{").is_none());
    }
}
