//! Writes two files to OUT_DIR (the widget's stylesheet is not in the wasm: the loader carries
//! it, see tools/build/styles.mjs):
//! - `messages.rs`, the message names of the catalogues (i18n/) with the English text built
//!   in (`src/intl/words.rs`);
//! - `interface.rs`, the element's attributes, events and theme properties as Rust
//!   (`src/ui/events.rs`, `src/mount.rs`), from `interface.json`, which the loader reads too.

use std::{env, fs, path::Path};

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
    out += "/// The element's attributes (docs/embedding.md's list), by name.\npub mod attribute {\n";
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
    out += "/// The events the element sends (docs/embedding.md's list).\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum WidgetEvent {\n";
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

/// FNV-1a (32 bits) of the message names, one per line, in hex: a language file starts with
/// it, so that a file of another build (other messages, other order) is never read as this
/// one's (tools/build/languages.mjs computes the same).
fn messages_key(names: &[&String]) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join("\n").bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
}

/// The messages of i18n/en.json as Rust: [`Msg`], one variant per message in the names'
/// order (the order of every language file), and the English text of each, built in.
fn messages_rs(english: &serde_json::Map<String, serde_json::Value>, facts: &serde_json::Value) -> String {
    let mut names: Vec<&String> = english.keys().collect();
    names.sort();
    let mut out = String::from("// Written by build.rs from i18n/en.json and interface.json.\n\n");
    out += &format!(
        "/// Names this build's messages: the first entry of each of its language files.\npub const MESSAGES_KEY: &str = {:?};\n\n",
        messages_key(&names)
    );
    out += "/// A message of the catalogues (i18n/), by its name there.\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Msg {\n";
    let mut joined = Vec::new();
    for name in &names {
        let forms: Vec<(String, String)> = match &english[name.as_str()] {
            serde_json::Value::String(s) => vec![(String::new(), s.clone())],
            serde_json::Value::Object(o) => o.iter().map(|(k, v)| (k.clone(), v.as_str().expect("a plural form is text").to_string())).collect(),
            _ => panic!("i18n/en.json: {name} is neither text nor plural forms"),
        };
        let camel: String = name.split('_').map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect();
        let shown = forms.last().map(|(_, t)| t.replace('`', "'")).unwrap_or_default();
        out += &format!("    /// `{name}`: “{shown}”\n    {camel},\n");
        joined.push(if forms.len() == 1 && forms[0].0.is_empty() {
            forms[0].1.clone()
        } else {
            forms.iter().map(|(k, t)| format!("{k}\t{t}")).collect::<Vec<_>>().join("\t")
        });
    }
    out += "}\n\n";
    out += &format!("/// How many messages there are.\npub const MESSAGE_COUNT: usize = {};\n\n", names.len());
    // One text (a table of 121 pointers cost the wasm 3 KB): the way a language file holds them.
    let text = joined.join("\n");
    let starts: Vec<String> = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).map(|s| s.to_string()).collect();
    assert!(text.len() < 65_536, "i18n/en.json: over 64 KB");
    out += &format!("/// Every message in English, in the names' order, as a language file holds them (see\n/// [`Table`]), and where each starts.\nconst ENGLISH: &str = {text:?};\nconst ENGLISH_STARTS: [u16; {}] = [{}];\n\n", starts.len(), starts.join(", "));
    let rtl: Vec<String> = facts["rightToLeft"]
        .as_array()
        .expect("interface.json: rightToLeft")
        .iter()
        .map(|v| format!("{:?}", v.as_str().expect("a language")))
        .collect();
    out += &format!("/// The languages written right to left.\npub const RIGHT_TO_LEFT: [&str; {}] = [{}];\n", rtl.len(), rtl.join(", "));
    out
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=interface.json");
    let facts: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("interface.json").expect("interface.json")).expect("interface.json is JSON");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("interface.rs");
    fs::write(out, interface_rs(&facts)).expect("writing interface.rs");

    println!("cargo::rerun-if-changed=i18n/en.json");
    let english: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&fs::read_to_string("i18n/en.json").expect("i18n/en.json")).expect("i18n/en.json is a JSON object");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("messages.rs");
    fs::write(out, messages_rs(&english, &facts)).expect("writing messages.rs");
}
