//! The widget's layers run one way, as `MAY_USE` below says: mount → ui → api and intl →
//! core, with browser (the page's timers and paints) usable by all but intl and naming none.
//! Each module may name only the layers below it (the booking core is a crate of its own,
//! which cannot name the widget at all), and no module names itself through others. Read
//! from the sources, natively.
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

/// The modules of `src/` each file names (`crate::ui::steps::date_time::…`, or `crate::ui::{a, b}`),
/// as paths below `src/` without `.rs` ("ui/steps/date_time").
fn named_modules(text: &str, modules: &[String]) -> Vec<String> {
    let mut named = Vec::new();
    let mut add = |path: &str| {
        // The longest prefix of the path that is a module ("ui/text" of "ui/text/price").
        let parts: Vec<&str> = path.split("::").collect();
        if let Some(m) = (1..=parts.len()).rev().map(|k| parts[..k].join("/")).find(|m| modules.contains(m)) {
            named.push(m);
        }
    };
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + 7..];
            let path: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let path = path.trim_end_matches(':');
            add(path);
            // `crate::ui::{a, b::C}`: each name in the braces.
            if let Some(group) = rest.strip_prefix(&format!("{path}::{{")).and_then(|g| g.split('}').next()) {
                for item in group.split(',') {
                    add(&format!("{path}::{}", item.trim()));
                }
            }
        }
    }
    named
}

#[test]
fn no_module_of_the_widget_names_itself_through_others() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let module =
        |f: &Path| f.strip_prefix(&src).unwrap().with_extension("").to_string_lossy().replace('\\', "/").trim_end_matches("/mod").to_string();
    let modules: Vec<String> = files.iter().map(|f| module(f)).collect();
    let uses: Vec<(String, Vec<String>)> = files
        .iter()
        .map(|f| {
            let m = module(f);
            let named = named_modules(&fs::read_to_string(f).unwrap(), &modules)
                .into_iter()
                .filter(|n| *n != m && !m.starts_with(&format!("{n}/")))
                .collect();
            (m, named)
        })
        .collect();
    // A depth-first walk from each module: reaching it again is a circle.
    fn walk(at: &str, start: &str, uses: &[(String, Vec<String>)], path: &mut Vec<String>, seen: &mut std::collections::HashSet<String>) {
        for n in &uses.iter().find(|(m, _)| m == at).unwrap().1 {
            assert!(n != start, "a circle: {} -> {start}", path.join(" -> "));
            if seen.insert(n.clone()) {
                path.push(n.clone());
                walk(n, start, uses, path, seen);
                path.pop();
            }
        }
    }
    for (start, _) in &uses {
        walk(start, start, &uses, &mut vec![start.clone()], &mut Default::default());
    }
}
