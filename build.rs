//! Writes two files to OUT_DIR:
//! - the widget's stylesheet without comments and needless whitespace, for `src/mount.rs` to
//!   include: style/widget.css stays commented for people, the wasm carries only the rules
//!   (15.8 → 13.0 KB raw, 0.8 KB less gzip);
//! - `interface.rs`, the element's attributes, events and theme properties as Rust
//!   (`src/ui/events.rs`, `src/mount.rs`), from `interface.json`, which the loader reads too.

use std::{env, fs, path::Path};

/// Drops comments, collapses whitespace to one space and drops it around `{`, `}` and `;`,
/// leaving quoted strings as written.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut last = '\0';
            for n in chars.by_ref() {
                if last == '*' && n == '/' {
                    break;
                }
                last = n;
            }
            pending_space = true;
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let tight = |ch: char| matches!(ch, '{' | '}' | ';');
        if pending_space && !out.is_empty() && !tight(c) && !out.ends_with(tight) {
            out.push(' ');
        }
        pending_space = false;
        if c == '"' || c == '\'' {
            quote = Some(c);
        }
        out.push(c);
    }
    out
}

/// "session-type-selected" → "SessionTypeSelected"; "api-base" → "API_BASE".
fn camel(name: &str) -> String {
    name.split('-').map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect()
}
fn constant(name: &str) -> String {
    name.replace('-', "_").to_ascii_uppercase()
}

/// The element's interface from interface.json, as Rust.
fn interface_rs(facts: &serde_json::Value) -> String {
    let list = |key: &str| -> Vec<String> {
        facts[key].as_array().unwrap_or_else(|| panic!("interface.json: {key}")).iter().map(|v| v.as_str().expect("a name").to_string()).collect()
    };
    let text = |key: &str| facts[key].as_str().unwrap_or_else(|| panic!("interface.json: {key}")).to_string();
    let mut out = String::from("// Written by build.rs from interface.json.\n\n");
    out += "/// The element's attributes (the README's list), by name.\npub mod attribute {\n";
    for a in list("attributes") {
        out += &format!("    /// `{a}`.\n    pub const {}: &str = {a:?};\n", constant(&a));
    }
    out += "}\n\n/// The theme's custom properties, as set on the element.\npub mod theme_property {\n";
    let prefix = text("themePropertyPrefix");
    for p in list("themeProperties") {
        out += &format!("    /// `{prefix}{p}`.\n    pub const {}: &str = \"{prefix}{p}\";\n", constant(&p));
    }
    out += "}\n\n";
    let events = list("events");
    out += "/// The events the element sends (the README's list).\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum WidgetEvent {\n";
    for e in &events {
        out += &format!("    /// `{}{e}`.\n    {},\n", text("eventPrefix"), camel(e));
    }
    out += "}\n\nimpl WidgetEvent {\n    /// Every event, in interface.json's order.\n    pub const ALL: [WidgetEvent; ";
    out += &format!("{}] = [{}];\n\n", events.len(), events.iter().map(|e| format!("WidgetEvent::{}", camel(e))).collect::<Vec<_>>().join(", "));
    out += "    /// The event's name in the DOM (`studio-booking:ready`).\n    pub fn dom_name(self) -> &'static str {\n        match self {\n";
    for e in &events {
        out += &format!("            WidgetEvent::{} => \"{}{e}\",\n", camel(e), text("eventPrefix"));
    }
    out += "        }\n    }\n}\n";
    out
}

fn main() {
    let source = "style/widget.css";
    println!("cargo::rerun-if-changed={source}");
    println!("cargo::rerun-if-changed=build.rs");
    let css = fs::read_to_string(source).expect("style/widget.css");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("widget.min.css");
    fs::write(out, minify_css(&css)).expect("writing the minified stylesheet");

    println!("cargo::rerun-if-changed=interface.json");
    let facts: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("interface.json").expect("interface.json")).expect("interface.json is JSON");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("interface.rs");
    fs::write(out, interface_rs(&facts)).expect("writing interface.rs");
}
