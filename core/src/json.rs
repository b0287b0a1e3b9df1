//! JSON values, read from text and written back: the studio's answers, the booking the widget
//! sends, the kept draft and the events' details (and, in the gateway, a booking request
//! before the core's rules check it). A small reader and writer of RFC 8259 JSON, with no
//! generic code per type: every answer is parsed into one [`Value`] and read field by field
//! with the helpers of `read` (into the models of `models`).
//!
//! Why not serde_json: the widget only ever needs a whole value, never a typed decoder, and
//! serde_json's value parser and printer, with the float formatting and map code they bring,
//! cost more of the wasm than this module (measured in BENCHMARKS.md).
//!
//! Numbers are `f64`, as in JavaScript: whole numbers up to 2^53 are exact and are written
//! without a fraction. Objects keep their keys in the order they came, and a repeated key
//! keeps its last value (as `JSON.parse` does).

use std::fmt::{self, Write as _};

mod numbers;
pub use numbers::{number_text, parse_number, use_numbers, NumberText};

/// A JSON object: its members in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object(Vec<(String, Value)>);

/// A JSON value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Object),
}

impl Object {
    /// An object with no members.
    pub fn new() -> Self {
        Object(Vec::new())
    }

    /// The value of a member, if there is one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets a member: a key already there gets the new value in its place.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        let (key, value) = (key.into(), value.into());
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(member) => member.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Takes a member out, if it is there.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1)
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Object {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, Value)>, fn(&'a (String, Value)) -> (&'a String, &'a Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// Builds an object from `key => value` pairs, each value anything that turns into a
/// [`Value`]: `object! { "id" => id, "name" => name }`.
#[macro_export]
macro_rules! object {
    ($($key:expr => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut o = $crate::json::Object::new();
        $(o.insert($key, $value);)*
        $crate::json::Value::Object(o)
    }};
}

impl Value {
    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// A member of an object (None for a missing key and for what is not an object).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }
}

/// `value["key"]`: the member, or null (as serde_json does), for tests and quick reads.
impl std::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        const NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value == "text"`: whether it is that string.
impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// `value == true`: whether it is that boolean.
impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n as f64)
    }
}
impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Number(n.into())
    }
}
impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(n.into())
    }
}
impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Value::Number(n as f64)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        v.as_ref().into()
    }
}
impl From<&[String]> for Value {
    fn from(items: &[String]) -> Self {
        Value::Array(items.iter().map(Value::from).collect())
    }
}
impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Self {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}
impl From<Object> for Value {
    fn from(o: Object) -> Self {
        Value::Object(o)
    }
}

// ------------------------------------------------------------------------------- reading

/// Parses JSON text (one value, spaces around it allowed); None when it is not JSON.
pub fn parse(text: &str) -> Option<Value> {
    let mut r = Reader { bytes: text.as_bytes(), at: 0, depth: 0 };
    let v = r.value()?;
    r.space();
    (r.at == r.bytes.len()).then_some(v)
}

/// Deeper nesting than this is refused, not followed (no stack overflow on hostile input).
const MAX_DEPTH: u32 = 128;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: u32,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn word(&mut self, word: &[u8], v: Value) -> Option<Value> {
        self.bytes[self.at..].starts_with(word).then(|| {
            self.at += word.len();
            v
        })
    }

    fn value(&mut self) -> Option<Value> {
        self.space();
        match self.peek()? {
            b'n' => self.word(b"null", Value::Null),
            b't' => self.word(b"true", Value::Bool(true)),
            b'f' => self.word(b"false", Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'[' | b'{' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                let v = if self.peek() == Some(b'[') { self.array() } else { self.object() };
                self.depth -= 1;
                v
            }
            _ => self.number(),
        }
    }

    fn array(&mut self) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(b']') {
                return Some(Value::Array(items));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn object(&mut self) -> Option<Value> {
        self.at += 1;
        let mut o = Object::new();
        if self.eat(b'}') {
            return Some(Value::Object(o));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return None;
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            let v = self.value()?;
            o.insert(key, v);
            if self.eat(b'}') {
                return Some(Value::Object(o));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// A number as JSON writes it: what [`parse_number`] reads, without a leading "+", "01",
    /// ".5", "5." or "1.e5".
    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.at += 1;
        }
        // Only ASCII was taken, so the slice is a str.
        let text = std::str::from_utf8(&self.bytes[start..self.at]).ok()?;
        let int = text.strip_prefix('-').unwrap_or(text).as_bytes();
        let leading_zero = int.first() == Some(&b'0') && int.get(1).is_some_and(u8::is_ascii_digit);
        let bare_point = text.ends_with('.') || text.contains(".e") || text.contains(".E");
        if !int.first().is_some_and(u8::is_ascii_digit) || leading_zero || bare_point {
            return None;
        }
        parse_number(text).map(Value::Number)
    }

    fn hex4(&mut self) -> Option<u32> {
        let hex = self.bytes.get(self.at..self.at + 4)?;
        let mut n = 0;
        for &b in hex {
            n = n * 16 + (b as char).to_digit(16)?;
        }
        self.at += 4;
        Some(n)
    }

    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Runs of plain text are copied whole (they are whole UTF-8: the input is a str).
            let from = self.at;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.bytes[from..self.at]).ok()?);
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let e = self.peek()?;
                    self.at += 1;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut c = self.hex4()?;
                            if (0xD800..0xDC00).contains(&c) && self.bytes[self.at..].starts_with(b"\\u") {
                                let at = self.at;
                                self.at += 2;
                                match self.hex4()? {
                                    low @ 0xDC00..0xE000 => c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00),
                                    _ => self.at = at,
                                }
                            }
                            // A lone surrogate is not text: it reads as U+FFFD, as browsers show it.
                            char::from_u32(c).unwrap_or('\u{FFFD}')
                        }
                        _ => return None,
                    });
                }
                // A control character inside a string is not JSON.
                _ => return None,
            }
        }
    }
}

// ------------------------------------------------------------------------------- writing

/// Writes `s` as a JSON string, quotes included.
fn write_str(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    let mut from = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => "",
            _ => continue,
        };
        out.write_str(&s[from..i])?;
        if escape.is_empty() {
            write!(out, "\\u{:04x}", c as u32)?;
        } else {
            out.write_str(escape)?;
        }
        from = i + c.len_utf8();
    }
    out.write_str(&s[from..])?;
    out.write_char('"')
}

/// JSON text, compact (no spaces): `value.to_string()`.
impl fmt::Display for Value {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => out.write_str("null"),
            Value::Bool(b) => out.write_str(if *b { "true" } else { "false" }),
            // What JSON cannot write (NaN, infinities) is null, as JSON.stringify writes it.
            Value::Number(n) => out.write_str(&number_text(*n)),
            Value::String(s) => write_str(out, s),
            Value::Array(items) => {
                out.write_char('[')?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.write_char(',')?;
                    }
                    v.fmt(out)?;
                }
                out.write_char(']')
            }
            Value::Object(o) => {
                out.write_char('{')?;
                for (i, (k, v)) in o.0.iter().enumerate() {
                    if i > 0 {
                        out.write_char(',')?;
                    }
                    write_str(out, k)?;
                    out.write_char(':')?;
                    v.fmt(out)?;
                }
                out.write_char('}')
            }
        }
    }
}

#[cfg(test)]
mod tests;
