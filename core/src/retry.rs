//! When to try a request again, and how long to wait first: capped exponential backoff with
//! jitter, and the server's Retry-After when it gives one. Pure, so it is tested natively.

/// How a GET is retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first wait, doubled on each retry.
    pub base_ms: u32,
    /// No computed wait is longer than this.
    pub cap_ms: u32,
    /// A Retry-After longer than this is not waited out: the visitor is told instead.
    pub longest_retry_after_ms: u32,
    /// Each attempt's deadline.
    pub timeout_ms: u32,
    /// No retry starts once this much time has passed since the first attempt.
    pub budget_ms: Option<u32>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_ms: 400,
            cap_ms: 5_000,
            longest_retry_after_ms: 10_000,
            timeout_ms: crate::facts::AVAILABILITY_ATTEMPT_MS,
            budget_ms: None,
        }
    }
}

/// Whether an HTTP status is worth another try (rate limited, or briefly unavailable).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Reads a Retry-After header given in seconds (the contract's form); an HTTP date or
/// garbage is ignored.
pub fn parse_retry_after(value: Option<&str>) -> Option<u32> {
    let v = value?.trim();
    let secs = crate::json::parse_number(v)?;
    (secs.is_finite() && secs >= 0.0).then(|| (secs * 1000.0).min(u32::MAX as f64) as u32)
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (attempt counts from 1 for the first try), or
    /// None when no more attempts should be made. `jitter` is a random number in [0, 1).
    pub fn wait_before_next(&self, attempt: u32, retry_after_ms: Option<u32>, jitter: f64) -> Option<u32> {
        if attempt >= self.max_attempts {
            return None;
        }
        if let Some(ms) = retry_after_ms {
            if ms > self.longest_retry_after_ms {
                return None;
            }
        }
        let exp = self.base_ms.saturating_mul(1u32 << (attempt - 1).min(16)).min(self.cap_ms);
        // "Equal jitter": half fixed, half random, so retries of many visitors spread out.
        let jittered = exp / 2 + ((exp / 2) as f64 * jitter.clamp(0.0, 1.0)) as u32;
        Some(jittered.max(retry_after_ms.unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_stops() {
        let p = RetryPolicy::default();
        assert_eq!(p.wait_before_next(1, None, 0.0), Some(200));
        assert_eq!(p.wait_before_next(1, None, 1.0), Some(400));
        assert_eq!(p.wait_before_next(2, None, 1.0), Some(800));
        assert_eq!(p.wait_before_next(3, None, 1.0), Some(1_600));
        assert_eq!(p.wait_before_next(4, None, 1.0), None);
        let long = RetryPolicy { max_attempts: 30, ..p };
        assert_eq!(long.wait_before_next(20, None, 1.0), Some(5_000));
    }

    #[test]
    fn retry_after_is_honoured_or_reported() {
        let p = RetryPolicy::default();
        assert_eq!(p.wait_before_next(1, Some(2_000), 0.5), Some(2_000));
        assert_eq!(p.wait_before_next(1, Some(0), 0.0), Some(200));
        assert_eq!(p.wait_before_next(1, Some(60_000), 0.0), None);
        assert_eq!(parse_retry_after(Some("2")), Some(2_000));
        assert_eq!(parse_retry_after(Some(" 1.5 ")), Some(1_500));
        assert_eq!(parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(parse_retry_after(Some("-1")), None);
        assert_eq!(parse_retry_after(None), None);
    }

    #[test]
    fn which_statuses_retry() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 404, 409, 422, 500] {
            assert!(!is_retryable_status(s));
        }
    }
}
