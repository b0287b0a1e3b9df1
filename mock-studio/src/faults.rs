//! Fault injection for tests: rules that delay, fail, garble or drop the answers to matching
//! requests. Off unless a rule is given at start-up (`--fault JSON`) or posted to
//! `/__admin/faults` while running.
//!
//! A rule, as JSON:
//! ```text
//! {"kind": "status", "status": 503, "retry_after": 2, "path": "/session_types", "method": "GET", "count": 1}
//! ```
//! - `kind`: `latency` (wait, then answer normally), `status` (answer with `status` and an error
//!   body of the contract; 429 says rate_limited, 503 unavailable, 500 server_error, or the
//!   raw `body` if given), `malformed` (200 with a body that is not JSON), `truncated` (the real
//!   answer cut in half), `drop` (close the connection without answering and without doing the
//!   work), `drop_after` (do the work, then close the connection without answering).
//! - `path`: a piece the request path must contain; `method`: GET, POST…; both optional.
//! - `count`: apply to the next N matching requests, then retire; absent means every one.
//! - `share`: apply to this share (0 to 1) of matching requests, at random.
//! - `latency_ms` and `jitter_ms`: for `latency`, a wait of latency plus up to jitter.
//!
//! Latency rules add up; of the other rules the first that matches applies.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    Latency,
    Status,
    Malformed,
    Truncated,
    Drop,
    DropAfter,
}

/// One fault rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    pub kind: FaultKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

impl FaultRule {
    /// Checks that the rule makes sense.
    pub fn validate(&self) -> Result<(), String> {
        if self.kind == FaultKind::Status {
            match self.status {
                Some(s) if (100..=599).contains(&s) => {}
                _ => return Err("a status fault needs a status from 100 to 599".into()),
            }
        }
        if let Some(share) = self.share {
            if !(0.0..=1.0).contains(&share) {
                return Err("share must be from 0 to 1".into());
            }
        }
        if self.latency_ms.unwrap_or(0) > 120_000 || self.jitter_ms.unwrap_or(0) > 120_000 {
            return Err("latency and jitter are at most 120000 ms".into());
        }
        Ok(())
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.path.as_deref().is_none_or(|p| path.contains(p)) && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}

/// What to do with one request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub delay_ms: u64,
    pub fault: Option<FaultRule>,
}

/// The rules in force, and how many times faults were applied.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
    pub injected: u64,
}

impl Faults {
    /// Adds a rule.
    pub fn add(&mut self, rule: FaultRule) -> Result<(), String> {
        rule.validate()?;
        self.rules.push(rule);
        Ok(())
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules in force.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Decides what happens to a request, using up counts.
    pub fn plan(&mut self, method: &str, path: &str) -> Plan {
        let mut plan = Plan::default();
        let mut rng = rand::rng();
        for rule in self.rules.iter_mut() {
            if !rule.matches(method, path) || rule.count == Some(0) {
                continue;
            }
            if let Some(share) = rule.share {
                if !rng.random_bool(share) {
                    continue;
                }
            }
            if rule.kind == FaultKind::Latency {
                let jitter = rule.jitter_ms.unwrap_or(0);
                plan.delay_ms += rule.latency_ms.unwrap_or(0) + if jitter > 0 { rng.random_range(0..=jitter) } else { 0 };
            } else if plan.fault.is_none() {
                plan.fault = Some(rule.clone());
            } else {
                continue;
            }
            if let Some(n) = rule.count.as_mut() {
                *n -= 1;
            }
        }
        self.rules.retain(|r| r.count != Some(0));
        if plan.fault.is_some() || plan.delay_ms > 0 {
            self.injected += 1;
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> FaultRule {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn counts_retire_rules_and_paths_match() {
        let mut f = Faults::default();
        f.add(rule(r#"{"kind":"status","status":503,"retry_after":1,"path":"/session_types","count":2}"#)).unwrap();
        assert!(f.plan("GET", "/api/v1/sessions").fault.is_none());
        assert_eq!(f.plan("GET", "/api/v1/session_types/").fault.unwrap().status, Some(503));
        assert!(f.plan("GET", "/api/v1/session_types/").fault.is_some());
        assert!(f.plan("GET", "/api/v1/session_types/").fault.is_none());
        assert!(f.rules().is_empty());
        assert_eq!(f.injected, 2);
    }

    #[test]
    fn latency_adds_up_and_first_fault_wins() {
        let mut f = Faults::default();
        f.add(rule(r#"{"kind":"latency","latency_ms":100}"#)).unwrap();
        f.add(rule(r#"{"kind":"latency","latency_ms":50,"method":"POST"}"#)).unwrap();
        f.add(rule(r#"{"kind":"malformed","method":"POST","count":1}"#)).unwrap();
        f.add(rule(r#"{"kind":"drop","method":"POST","count":1}"#)).unwrap();
        let p = f.plan("POST", "/api/v1/sessions");
        assert_eq!(p.delay_ms, 150);
        assert_eq!(p.fault.unwrap().kind, FaultKind::Malformed);
        let p = f.plan("POST", "/api/v1/sessions");
        assert_eq!(p.fault.unwrap().kind, FaultKind::Drop);
        assert_eq!(f.plan("GET", "/x").delay_ms, 100);
    }

    #[test]
    fn bad_rules_are_refused() {
        let mut f = Faults::default();
        assert!(f.add(rule(r#"{"kind":"status"}"#)).is_err());
        assert!(f.add(rule(r#"{"kind":"status","status":503,"share":2}"#)).is_err());
        assert!(serde_json::from_str::<FaultRule>(r#"{"kind":"explode"}"#).is_err());
        assert!(serde_json::from_str::<FaultRule>(r#"{"kind":"drop","typo":1}"#).is_err());
    }

    #[test]
    fn share_zero_never_and_one_always() {
        let mut f = Faults::default();
        f.add(rule(r#"{"kind":"status","status":500,"share":0}"#)).unwrap();
        assert!((0..50).all(|_| f.plan("GET", "/").fault.is_none()));
        f.clear();
        f.add(rule(r#"{"kind":"status","status":500,"share":1}"#)).unwrap();
        assert!((0..50).all(|_| f.plan("GET", "/").fault.is_some()));
    }
}
