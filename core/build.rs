//! Reads the facts both the Rust and the JS side need (`interface.json` at the workspace's
//! root: the API's paths, the list's page size, the deadlines) and writes them as Rust
//! constants for `src/facts.rs`, so that they are written in one place.

use std::{env, fs, path::Path};

fn main() {
    let source = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR")).join("../interface.json");
    println!("cargo::rerun-if-changed={}", source.display());
    println!("cargo::rerun-if-changed=build.rs");
    let text = fs::read_to_string(&source).expect("interface.json beside the workspace's Cargo.toml");
    let facts: serde_json::Value = serde_json::from_str(&text).expect("interface.json is JSON");
    let path = |name: &str| facts["paths"][name].as_str().unwrap_or_else(|| panic!("interface.json: paths.{name}")).to_string();
    let number = |v: &serde_json::Value, what: &str| v.as_u64().unwrap_or_else(|| panic!("interface.json: {what}"));
    let mut out = String::from("// Written by core/build.rs from interface.json.\n");
    // Each path's template, and a function that fills it in: the template is the format
    // string itself, so a placeholder without its parameter does not compile.
    let paths = [
        ("SESSION_TYPES_PAGE", "sessionTypesPage", "session_types_page", "page: u64, per_page: u64"),
        ("MONTH_AVAILABILITY", "monthAvailability", "month_availability", "id: &str, year: i32, month: u32, zone: &str"),
        ("DAY_AVAILABILITY", "dayAvailability", "day_availability", "id: &str, year: i32, month: u32, day: u32, zone: &str"),
        ("SESSIONS", "sessions", "sessions", ""),
        ("COUPON", "coupon", "coupon", "id: &str, code: &str"),
        ("SESSION", "session", "session", "id: &str"),
        ("CANCEL_SESSION", "cancelSession", "cancel_session", "id: &str"),
        ("RESCHEDULE_SESSION", "rescheduleSession", "reschedule_session", "id: &str"),
        ("JOIN_WAITLIST", "joinWaitlist", "join_waitlist", "id: &str"),
        ("CONFIRM_WAITLIST", "confirmWaitlist", "confirm_waitlist", ""),
        ("LEAVE_WAITLIST", "leaveWaitlist", "leave_waitlist", ""),
        ("OFFER", "offer", "offer", "id: &str"),
        ("DECLINE_OFFER", "declineOffer", "decline_offer", "id: &str"),
    ];
    for (name, key, function, params) in paths {
        let template = path(key);
        out += &format!("/// The path template `{template}`.\npub const {name}: &str = {template:?};\n");
        // (A template without placeholders is a format string all the same.)
        out += &format!("/// The path `{template}`, filled in.\n#[allow(clippy::useless_format)]\npub fn {function}_path({params}) -> String {{\n    format!({template:?})\n}}\n");
    }
    out += &format!(
        "/// Session types asked for per page.\npub const SESSION_TYPES_PER_PAGE: u64 = {};\n",
        number(&facts["sessionTypesPerPage"], "sessionTypesPerPage")
    );
    let link = |k: &str| facts["manageLink"][k].as_str().unwrap_or_else(|| panic!("interface.json: manageLink.{k}")).to_string();
    out += &format!("/// The manage link's parameter naming the session.\npub const MANAGE_SESSION_PARAM: &str = {:?};\n", link("session"));
    out += &format!("/// The manage link's query parameter holding the token.\npub const MANAGE_TOKEN_PARAM: &str = {:?};\n", link("token"));
    let waitlist = |k: &str| facts["waitlistLink"][k].as_str().unwrap_or_else(|| panic!("interface.json: waitlistLink.{k}")).to_string();
    for (name, key, what) in [
        ("WAITLIST_CONFIRM_PARAM", "confirm", "a waitlist entry's confirmation token"),
        ("WAITLIST_LEAVE_PARAM", "leave", "the token to leave the waitlist"),
        ("OFFER_PARAM", "offer", "the id of a waitlist offer"),
        ("OFFER_TOKEN_PARAM", "offerToken", "the token of a waitlist offer"),
    ] {
        out += &format!("/// The waitlist links' fragment parameter holding {what}.\npub const {name}: &str = {:?};\n", waitlist(key));
    }
    let deadlines = facts["deadlinesMs"].as_object().expect("interface.json: deadlinesMs");
    for (key, value) in deadlines {
        let mut name = String::new();
        for c in key.chars() {
            if c.is_ascii_uppercase() {
                name.push('_');
            }
            name.push(c.to_ascii_uppercase());
        }
        out += &format!("/// interface.json's deadlinesMs.{key}, in milliseconds.\npub const {name}_MS: u32 = {};\n", number(value, key));
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("facts.rs");
    fs::write(dest, out).expect("writing facts.rs");
}
