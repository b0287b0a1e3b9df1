//! The widget's layers run one way: mount → ui → (api, intl) → browser → core. Each module
//! may name only the layers below it (the booking core is a crate of its own, which cannot
//! name the widget at all). Read from the sources, natively.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

/// Each layer and the layers it may use.
const MAY_USE: &[(&str, &[&str])] = &[
    ("mount", &["ui", "api", "intl", "browser", "core"]),
    ("ui", &["api", "intl", "browser", "core"]),
    ("api", &["browser", "core"]),
    ("intl", &["core"]),
    ("browser", &[]),
];

fn layer_of(path: &Path) -> Option<&'static str> {
    let rel = path.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.trim_end_matches(".rs");
    MAY_USE.iter().map(|(l, _)| *l).find(|l| *l == first)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_names_only_the_layers_below_it() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let Some(layer) = layer_of(file) else {
            continue;
        };
        let allowed = MAY_USE.iter().find(|(l, _)| *l == layer).unwrap().1;
        let text = fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (at, _) in code.match_indices("crate::") {
                let used: String = code[at + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let is_layer = MAY_USE.iter().any(|(l, _)| *l == used) || used == "core";
                if is_layer && used != layer && !allowed.contains(&used.as_str()) {
                    wrong.push(format!("{}:{}: {layer} uses {used}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn the_booking_core_depends_on_no_browser_crate_http_client_or_ui() {
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("core/Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    for banned in ["web-sys", "js-sys", "wasm-bindgen", "gloo", "leptos", "reqwest", "hyper"] {
        assert!(!deps.contains(banned), "core depends on {banned}");
    }
}
