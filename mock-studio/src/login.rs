//! Studio mode: the mock behind the photographer's own login, as the real Studio API is.
//!
//! A real studio answers only its owner's browser session: a session cookie on every
//! request and an `X-CSRF-Token` header on every write, 401 without them. With
//! `--studio-cookie NAME=VALUE --csrf-token TOKEN` the mock asks the same, so that a gateway
//! holding those credentials can be tested against it. The secrets are compared in constant
//! time and never written out: not in a log line, an error message or `Debug`.

use std::fmt;

/// The login a studio-mode mock expects: one cookie pair and the CSRF token for writes.
#[derive(Clone, PartialEq, Eq)]
pub struct StudioLogin {
    cookie_name: String,
    cookie_value: String,
    csrf_token: String,
}

/// Whether a byte may stand in a cookie's name (RFC 6265: an HTTP token).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether a byte may stand in a cookie's value (RFC 6265 cookie-octet).
fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

impl StudioLogin {
    /// Reads `NAME=VALUE` (the session cookie) and the CSRF token. The error never repeats
    /// the value or the token.
    pub fn new(cookie: &str, csrf_token: &str) -> Result<StudioLogin, String> {
        let Some((name, value)) = cookie.split_once('=') else {
            return Err("--studio-cookie takes NAME=VALUE".into());
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err("--studio-cookie: the cookie's name is empty or has a character a cookie name cannot hold".into());
        }
        if value.is_empty() || !value.bytes().all(is_cookie_octet) {
            return Err("--studio-cookie: the cookie's value is empty or has a character a cookie value cannot hold".into());
        }
        if csrf_token.is_empty() || !csrf_token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("--csrf-token: the token is empty or has a character other than visible ASCII".into());
        }
        Ok(StudioLogin { cookie_name: name.into(), cookie_value: value.into(), csrf_token: csrf_token.into() })
    }

    /// The cookie's name (not a secret).
    pub fn cookie_name(&self) -> &str {
        &self.cookie_name
    }

    /// Whether the request's `Cookie` headers hold exactly the expected pair; other cookies
    /// are ignored. Every pair of that name is compared in full, without stopping early.
    pub fn cookie_matches<'a>(&self, cookie_headers: impl IntoIterator<Item = &'a [u8]>) -> bool {
        let mut found = false;
        for header in cookie_headers {
            for (name, value) in cookie_pairs(header) {
                if name == self.cookie_name.as_bytes() {
                    found |= constant_time_eq(value, self.cookie_value.as_bytes());
                }
            }
        }
        found
    }

    /// Whether an `X-CSRF-Token` header's value is the token.
    pub fn csrf_matches(&self, header: Option<&[u8]>) -> bool {
        header.is_some_and(|given| constant_time_eq(given, self.csrf_token.as_bytes()))
    }
}

impl fmt::Debug for StudioLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StudioLogin").field("cookie_name", &self.cookie_name).finish_non_exhaustive()
    }
}

/// The `name=value` pairs of one `Cookie` header (`a=1; b=2`), spaces around each trimmed.
/// A piece without `=` is skipped; a value keeps any `=` it holds.
pub fn cookie_pairs(header: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    header.split(|&b| b == b';').filter_map(|piece| {
        let piece = piece.trim_ascii();
        let eq = piece.iter().position(|&b| b == b'=')?;
        Some((piece[..eq].trim_ascii(), piece[eq + 1..].trim_ascii()))
    })
}

/// Whether `given` equals `expected`, in a time that depends only on `expected`'s length:
/// every byte is compared, with no early exit, whatever `given` holds.
pub fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = u8::from(given.len() != expected.len());
    for (i, &e) in expected.iter().enumerate() {
        diff |= e ^ given.get(i).copied().unwrap_or(!e);
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(header: &str) -> Vec<(String, String)> {
        cookie_pairs(header.as_bytes()).map(|(n, v)| (String::from_utf8_lossy(n).into_owned(), String::from_utf8_lossy(v).into_owned())).collect()
    }

    #[test]
    fn cookie_headers_are_read_pair_by_pair() {
        let p = |n: &str, v: &str| (n.to_string(), v.to_string());
        assert_eq!(pairs("sid=abc"), vec![p("sid", "abc")]);
        assert_eq!(pairs("theme=dark; sid=abc;  lang=en "), vec![p("theme", "dark"), p("sid", "abc"), p("lang", "en")]);
        assert_eq!(pairs("a=b=c;flag; =x;"), vec![p("a", "b=c"), p("", "x")]);
        assert_eq!(pairs(""), vec![]);
    }

    #[test]
    fn the_cookie_must_be_exactly_the_pair() {
        let login = StudioLogin::new("pixieset_session=s3cr3t-Value", "tok-123").unwrap();
        let ok = |h: &str| login.cookie_matches([h.as_bytes()]);
        assert!(ok("pixieset_session=s3cr3t-Value"));
        assert!(ok("_ga=GA1.2.3; pixieset_session=s3cr3t-Value; theme=dark"));
        assert!(ok("pixieset_session=stale; pixieset_session=s3cr3t-Value"));
        assert!(!ok("pixieset_session=s3cr3t-Valu"));
        assert!(!ok("pixieset_session=s3cr3t-Value2"));
        assert!(!ok("pixieset_session=S3CR3T-VALUE"));
        assert!(!ok("Pixieset_session=s3cr3t-Value"));
        assert!(!ok("other=s3cr3t-Value"));
        assert!(!ok("xpixieset_session=s3cr3t-Value"));
        assert!(!ok("pixieset_session"));
        assert!(!ok(""));
        // The pair may come in a second Cookie header.
        assert!(login.cookie_matches(["a=1".as_bytes(), "pixieset_session=s3cr3t-Value".as_bytes()]));
        assert!(!login.cookie_matches(std::iter::empty::<&[u8]>()));
        assert!(login.csrf_matches(Some(b"tok-123")));
        assert!(!login.csrf_matches(Some(b"tok-12")));
        assert!(!login.csrf_matches(Some(b"")));
        assert!(!login.csrf_matches(None));
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abd", b"abc"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        assert!(!constant_time_eq(b"abcd", b"abc"));
        assert!(!constant_time_eq(b"", b"abc"));
        assert!(!constant_time_eq(b"abc", b""));
        // A missing byte never passes for the byte expected, even 0x00 or 0xFF.
        assert!(!constant_time_eq(b"\0", b"\0\0"));
        assert!(!constant_time_eq(b"\xff", b"\xff\xff"));
    }

    #[test]
    fn a_login_is_checked_and_never_shown() {
        for (cookie, token) in
            [("noequals", "t"), ("=v", "t"), ("n=", "t"), ("n v=x", "t"), ("n=a b", "t"), ("n=a;b", "t"), ("n=v", ""), ("n=v", "a b")]
        {
            let e = StudioLogin::new(cookie, token).unwrap_err();
            assert!(e.starts_with("--studio-cookie") || e.starts_with("--csrf-token"), "{e}");
        }
        let e = StudioLogin::new("sid=SECRETVALUE;", "TOKEN").unwrap_err();
        assert!(!e.contains("SECRETVALUE"), "{e}");
        let login = StudioLogin::new("sid=SECRETVALUE", "SECRETTOKEN").unwrap();
        let shown = format!("{login:?}");
        assert!(shown.contains("sid") && !shown.contains("SECRET"), "{shown}");
    }
}
