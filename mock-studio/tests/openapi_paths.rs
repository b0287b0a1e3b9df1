//! The project's description of the API (`api/openapi.yaml`) and the mock studio describe
//! the same operations: every one the mock lists at `/api/v1` is in the file, every one in
//! the file is routed by the mock. Read as text, with no YAML parser (scripts/contract.sh
//! checks that the file is valid YAML and OpenAPI): paths sit two spaces in under `paths:`,
//! methods four.

use std::collections::BTreeSet;

use hyper::Method;
use mock_studio::demo::family_portrait_id;
use mock_studio::http::{route, ApiHeaders, AppState};
use mock_studio::studio::StudioConfig;

const DESCRIPTION: &str = include_str!("../../api/openapi.yaml");

/// A path's shape: each `{parameter}` (and a run of them joined by hyphens) as `{}`.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("a { without }");
        if !out.ends_with("{}-") {
            out.push_str("{}");
        } else {
            out.pop();
        }
        rest = &rest[close + 1..];
    }
    out + rest
}

/// (METHOD, path as written) of every operation in the description that a studio serves:
/// those tagged `gateway` (the waitlist: the gateway's own, tested in gateway/tests) left out.
fn documented() -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    let mut in_paths = false;
    let mut path = None;
    let mut last = None;
    for line in DESCRIPTION.lines() {
        if !line.starts_with(' ') && !line.is_empty() && !line.starts_with('#') {
            in_paths = line == "paths:";
            continue;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /").and_then(|p| p.strip_suffix(':')) {
            path = Some(format!("/{}", p.trim_matches('"')));
        } else if let Some(m) = line.strip_prefix("    ").and_then(|m| m.strip_suffix(':')) {
            if ["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&m) {
                let op = (m.to_uppercase(), path.clone().expect("a method before any path"));
                ops.insert(op.clone());
                last = Some(op);
            }
        } else if line.trim() == "tags: [gateway]" {
            ops.remove(&last.take().expect("tags after a method"));
        }
    }
    ops
}

#[test]
fn the_description_lists_exactly_the_operations_the_mock_serves() {
    assert!(DESCRIPTION.lines().any(|l| l.starts_with("openapi: 3.0.")), "api/openapi.yaml is not OpenAPI 3.0");
    let documented = documented();
    let documented_shapes: BTreeSet<(String, String)> = documented.iter().map(|(m, p)| (m.clone(), shape(p))).collect();

    let state = AppState::new(StudioConfig::default());
    let index = route(&state, &Method::GET, "/api/v1", None, ApiHeaders::default(), b"");
    let index: serde_json::Value = serde_json::from_slice(&index.body).unwrap();
    let served: BTreeSet<(String, String)> = index["data"]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut words = e.as_str().unwrap().split_whitespace();
            let (method, path) = (words.next().unwrap(), words.next().unwrap());
            let path = path.strip_prefix("/api/v1").unwrap().split('?').next().unwrap();
            (method.to_string(), shape(path))
        })
        .collect();
    assert_eq!(served.len(), 11, "the mock's index: {served:?}");
    assert_eq!(documented_shapes, served, "api/openapi.yaml and the operations the mock serves differ");

    // And the mock really routes each one (no "No such path", no 405).
    for (method, path) in &documented {
        let concrete = path
            .replace("{session_type_id}", &family_portrait_id())
            .replace("{month_timezone}", "2026-12-America/Argentina/Buenos_Aires")
            .replace("{date_timezone}", "2026-12-2-America/Argentina/Buenos_Aires")
            .replace("{code}", "JUNIPER20")
            .replace("{session_id}", "ses_NOSUCHSESSION0000000000000000");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let out = route(&state, &method, &format!("/api/v1{concrete}"), None, ApiHeaders::default(), b"");
        let body = String::from_utf8_lossy(&out.body);
        assert!(out.status != 405 && !body.contains("No such path"), "{method} {concrete}: {} {body}", out.status);
    }
}

#[test]
fn shapes() {
    assert_eq!(shape("/session_types/{id}/check-day-avail/{year}-{month}-{day}-{Zone/Name}"), "/session_types/{}/check-day-avail/{}");
    assert_eq!(shape("/session_types/{session_type_id}/check-day-avail/{date_timezone}"), "/session_types/{}/check-day-avail/{}");
    assert_eq!(shape("/sessions/inquiry/count"), "/sessions/inquiry/count");
}
