//! Which links from a studio's text may be shown: http, https and mailto only.

/// Whether an href from studio-written HTML is safe to keep. Browsers ignore tabs and
/// newlines inside a URL and leading spaces or control characters, so those are removed
/// before the scheme is read; anything but http:, https: and mailto: is refused, relative
/// links too (they would point into the photographer's own site by accident).
pub fn is_safe_href(href: &str) -> bool {
    let cleaned: String = href.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let lower = cleaned.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && cleaned.len() > 8 || lower.starts_with("mailto:") && cleaned.len() > 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links() {
        for ok in ["https://juniper.example/faq", "http://a.example", "mailto:hi@juniper.example", "  HTTPS://x.example"] {
            assert!(is_safe_href(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            " \u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "/relative",
            "//evil.example",
            "https://",
            "",
        ] {
            assert!(!is_safe_href(bad), "{bad:?}");
        }
    }
}
