//! The gateway's settings: a TOML file (optional), then the environment (`STUDIO_GATEWAY_*`,
//! the names deployment scripts use), then a secrets file for the studio's login. The
//! credentials are never printed: [`Config`]'s `Debug` and [`Config::summary`] redact them.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use serde::Deserialize;

/// The environment names, the gateway's interface with deployment scripts: kept exactly.
pub mod env {
    /// `address:port` to listen on.
    pub const LISTEN: &str = "STUDIO_GATEWAY_LISTEN";
    /// The studio's API base, e.g. `https://studio.pixieset.com/api/v1`.
    pub const UPSTREAM: &str = "STUDIO_GATEWAY_UPSTREAM";
    /// The whole `Cookie` header value of the photographer's login session.
    pub const COOKIE: &str = "STUDIO_GATEWAY_COOKIE";
    /// The `X-CSRF-Token` the studio expects on writes.
    pub const CSRF_TOKEN: &str = "STUDIO_GATEWAY_CSRF_TOKEN";
    /// The photographer's sites, comma-separated (`*` for any, only when written so).
    pub const ALLOWED_ORIGINS: &str = "STUDIO_GATEWAY_ALLOWED_ORIGINS";
    /// A TOML file of settings (read first; the variables above override it).
    pub const CONFIG: &str = "STUDIO_GATEWAY_CONFIG";
    /// A file holding the credentials (TOML: `cookie = "…"`, `csrf_token = "…"`), for
    /// deployments that keep secrets out of the environment.
    pub const SECRETS_FILE: &str = "STUDIO_GATEWAY_SECRETS_FILE";
    /// Whether to trust `X-Forwarded-For` for the client's address (`true` behind a proxy).
    pub const TRUST_FORWARDED_FOR: &str = "STUDIO_GATEWAY_TRUST_FORWARDED_FOR";
    /// Where the waitlist keeps its state: `sqlite://FILE` (the default,
    /// `sqlite://studio-gateway.db`) or `postgres://…` (several gateways sharing it).
    pub const DATABASE_URL: &str = "STUDIO_GATEWAY_DATABASE_URL";
    /// The SMTP server the waitlist's e-mails go through, in lettre's URL form
    /// (`smtp://user:pass@host:587?tls=required`, `smtps://…`, `smtp://host:port`). Secret.
    pub const SMTP_URL: &str = "STUDIO_GATEWAY_SMTP_URL";
    /// The e-mails' sender, `Juniper Studio <hello@juniper.example>`.
    pub const MAIL_FROM: &str = "STUDIO_GATEWAY_MAIL_FROM";
    /// The photographer's page with the widget, which the e-mails' links open.
    pub const BOOKING_PAGE: &str = "STUDIO_GATEWAY_BOOKING_PAGE";
    /// Where the photographer hears of each confirmed join and each spot filled (optional).
    pub const NOTIFY_EMAIL: &str = "STUDIO_GATEWAY_NOTIFY_EMAIL";
    /// How often the studio's availability is watched for freed slots, in seconds (300).
    pub const WAITLIST_POLL_SECS: &str = "STUDIO_GATEWAY_WAITLIST_POLL_SECS";
    /// How long a freed slot is held for the person it is offered to, in minutes (720).
    pub const OFFER_HOLD_MINUTES: &str = "STUDIO_GATEWAY_OFFER_HOLD_MINUTES";
}

/// The waitlist's settings: present when the SMTP URL, the sender and the booking page are
/// all set (the e-mails cannot be sent, or cannot link anywhere, without them).
#[derive(Clone)]
pub struct WaitlistConfig {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The SMTP server's URL (secret: it may hold a password).
    pub smtp_url: String,
    /// The e-mails' sender mailbox.
    pub mail_from: String,
    /// The page with the widget, without a fragment.
    pub booking_page: String,
    /// The photographer's address for notes of joins and filled spots.
    pub notify_email: Option<String>,
    /// How often the studio's availability is watched.
    pub poll: Duration,
    /// How long an offer holds its slot.
    pub offer_hold: Duration,
}

/// A URL with its password (between `:` and `@` after the scheme) replaced, for printing.
pub fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return "<redacted>".into() };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or("");
            let shown = if user_info.contains(':') { format!("{user}:<redacted>") } else { "<redacted>".to_string() };
            format!("{scheme}://{shown}@{host}{tail}")
        }
        None => url.to_string(),
    }
}

/// Which sites may call the gateway from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins {
    /// Any site: only when configured as `*`.
    Any,
    /// Exactly these origins (`https://juniper.example`), compared whole.
    Exactly(Vec<String>),
}

/// Everything the gateway runs with.
#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// The studio's API base, without a trailing slash.
    pub upstream: String,
    /// The `Cookie` header value of the studio login (secret).
    pub cookie: String,
    /// The `X-CSRF-Token` of the studio login (secret).
    pub csrf_token: String,
    pub allowed_origins: Origins,
    /// Take the client's address from `X-Forwarded-For` (its last hop, the proxy's view).
    pub trust_forwarded_for: bool,
    /// One upstream attempt's deadline.
    pub upstream_timeout: Duration,
    /// The longest a visitor's request may take in all.
    pub request_timeout: Duration,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// The largest request body taken (a booking), in bytes.
    pub max_body_bytes: usize,
    /// The most intake answers a booking may carry, and the longest each may be (characters).
    pub max_answers: usize,
    pub max_answer_chars: usize,
    /// How long a month's or a day's availability is kept before the studio is asked again.
    pub availability_ttl: Duration,
    /// Requests one client address may make in a minute: reads (session types,
    /// availability, coupon checks, a client's own session, health), and writes (bookings,
    /// a client's cancels and moves). A burst of as many is allowed.
    pub reads_per_minute: u32,
    pub bookings_per_minute: u32,
    /// Coupon checks one client address may make in a minute, on top of the read limit:
    /// codes are short words people can guess, and each check tells whether one exists.
    pub coupon_checks_per_minute: u32,
    /// The waitlist, when its settings are there; None: the gateway keeps no state.
    pub waitlist: Option<WaitlistConfig>,
}

/// The TOML file's shape: every field optional (defaults, then the environment, apply).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    upstream: Option<String>,
    cookie: Option<String>,
    csrf_token: Option<String>,
    allowed_origins: Option<Vec<String>>,
    trust_forwarded_for: Option<bool>,
    upstream_timeout_ms: Option<u64>,
    request_timeout_ms: Option<u64>,
    header_timeout_ms: Option<u64>,
    max_body_bytes: Option<usize>,
    max_answers: Option<usize>,
    max_answer_chars: Option<usize>,
    availability_ttl_secs: Option<u64>,
    reads_per_minute: Option<u32>,
    bookings_per_minute: Option<u32>,
    coupon_checks_per_minute: Option<u32>,
    database_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    booking_page: Option<String>,
    notify_email: Option<String>,
    waitlist_poll_secs: Option<u64>,
    offer_hold_minutes: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Secrets {
    cookie: Option<String>,
    csrf_token: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

fn origins_of(list: &[String]) -> Result<Origins, String> {
    let list: Vec<String> = list.iter().map(|o| o.trim().trim_end_matches('/').to_string()).filter(|o| !o.is_empty()).collect();
    if list.iter().any(|o| o == "*") {
        return if list.len() == 1 { Ok(Origins::Any) } else { Err("allowed origins: `*` must stand alone".into()) };
    }
    for o in &list {
        let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
        let ok = rest.is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', ' ', '@', ',']));
        if !ok {
            return Err(format!("allowed origins: `{o}` is not an origin like https://studio.example"));
        }
    }
    Ok(Origins::Exactly(list))
}

impl Config {
    /// Reads the settings: `file` (TOML text, if any), then `var` (the environment), then the
    /// secrets file it names. Refuses what cannot work, saying which setting is wrong.
    pub fn load(file: Option<&str>, var: impl Fn(&str) -> Option<String>, read: impl Fn(&str) -> Result<String, String>) -> Result<Config, String> {
        let f: FileConfig = match file {
            Some(text) => toml::from_str(text).map_err(|e| format!("config file: {e}"))?,
            None => FileConfig::default(),
        };
        let var = |name: &str| var(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let waitlist = waitlist_of(&var, &f)?;
        let listen = var(env::LISTEN).or(f.listen).unwrap_or_else(|| "127.0.0.1:8788".into());
        let listen: SocketAddr = listen.parse().map_err(|_| format!("{}: `{listen}` is not an address:port", env::LISTEN))?;
        let upstream = var(env::UPSTREAM).or(f.upstream).ok_or_else(|| format!("{} is not set (the studio's API base)", env::UPSTREAM))?;
        let upstream = upstream.trim_end_matches('/').to_string();
        if !(upstream.starts_with("https://") || upstream.starts_with("http://")) || upstream.contains(['?', '#', ' ']) {
            return Err(format!("{}: `{upstream}` is not an http(s) URL without a query", env::UPSTREAM));
        }
        let secrets: Secrets = match var(env::SECRETS_FILE) {
            Some(path) => toml::from_str(&read(&path)?).map_err(|e| format!("{}: {e}", env::SECRETS_FILE))?,
            None => Secrets::default(),
        };
        let cookie = var(env::COOKIE)
            .or(secrets.cookie)
            .or(f.cookie)
            .ok_or_else(|| format!("{} is not set (the studio login's Cookie header)", env::COOKIE))?;
        let csrf_token = var(env::CSRF_TOKEN).or(secrets.csrf_token).or(f.csrf_token).ok_or_else(|| format!("{} is not set", env::CSRF_TOKEN))?;
        // A header value with a line break would let the value add headers of its own.
        for (name, value) in [(env::COOKIE, &cookie), (env::CSRF_TOKEN, &csrf_token)] {
            if value.chars().any(|c| c.is_control()) {
                return Err(format!("{name} holds a control character"));
            }
        }
        let origins = match var(env::ALLOWED_ORIGINS) {
            Some(list) => list.split(',').map(str::to_string).collect(),
            None => f.allowed_origins.unwrap_or_default(),
        };
        let allowed_origins = origins_of(&origins)?;
        let trust_forwarded_for = match var(env::TRUST_FORWARDED_FOR) {
            Some(v) => matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"),
            None => f.trust_forwarded_for.unwrap_or(false),
        };
        Ok(Config {
            waitlist,
            listen,
            upstream,
            cookie,
            csrf_token,
            allowed_origins,
            trust_forwarded_for,
            upstream_timeout: Duration::from_millis(f.upstream_timeout_ms.unwrap_or(8_000).clamp(100, 60_000)),
            request_timeout: Duration::from_millis(f.request_timeout_ms.unwrap_or(25_000).clamp(500, 120_000)),
            header_timeout: Duration::from_millis(f.header_timeout_ms.unwrap_or(10_000).clamp(100, 60_000)),
            max_body_bytes: f.max_body_bytes.unwrap_or(32 * 1024).clamp(1024, 1024 * 1024),
            max_answers: f.max_answers.unwrap_or(64).clamp(1, 1000),
            max_answer_chars: f.max_answer_chars.unwrap_or(5_000).clamp(16, 100_000),
            availability_ttl: Duration::from_secs(f.availability_ttl_secs.unwrap_or(30).min(3_600)),
            reads_per_minute: f.reads_per_minute.unwrap_or(600).clamp(1, 1_000_000),
            bookings_per_minute: f.bookings_per_minute.unwrap_or(12).clamp(1, 100_000),
            coupon_checks_per_minute: f.coupon_checks_per_minute.unwrap_or(20).clamp(1, 100_000),
        })
    }

    /// The settings in words, the credentials redacted (for `--check-config` and the log).
    pub fn summary(&self) -> String {
        let origins = match &self.allowed_origins {
            Origins::Any => "* (any site)".to_string(),
            Origins::Exactly(list) if list.is_empty() => "none (no browser may call it)".to_string(),
            Origins::Exactly(list) => list.join(", "),
        };
        format!(
            "listen {}; upstream {}; cookie <{} characters, redacted>; csrf token <redacted>; allowed origins {origins}; trust X-Forwarded-For {}; upstream timeout {} ms; request timeout {} ms; body limit {} bytes; at most {} answers of {} characters; availability kept {} s; per client and minute {} reads, {} bookings, {} coupon checks",
            self.listen,
            self.upstream,
            self.cookie.chars().count(),
            self.trust_forwarded_for,
            self.upstream_timeout.as_millis(),
            self.request_timeout.as_millis(),
            self.max_body_bytes,
            self.max_answers,
            self.max_answer_chars,
            self.availability_ttl.as_secs(),
            self.reads_per_minute,
            self.bookings_per_minute,
            self.coupon_checks_per_minute,
        ) + &match &self.waitlist {
            None => "; waitlist off (no SMTP URL, sender and booking page: no state kept)".to_string(),
            Some(w) => format!(
                "; waitlist on: database {}, SMTP {}, from {}, booking page {}, photographer told at {}, availability watched every {} s, offers held {} min",
                redacted_url(&w.database_url),
                redacted_url(&w.smtp_url),
                w.mail_from,
                w.booking_page,
                w.notify_email.as_deref().unwrap_or("(nobody)"),
                w.poll.as_secs(),
                w.offer_hold.as_secs() / 60,
            ),
        }
    }
}

/// The waitlist's database URL alone (for the command line's `waitlist` commands, which need
/// neither the studio's login nor the mail): the environment's, the file's, or the default.
pub fn database_url(file: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let f: FileConfig = match file {
        Some(text) => toml::from_str(text).map_err(|e| format!("config file: {e}"))?,
        None => FileConfig::default(),
    };
    Ok(var(env::DATABASE_URL)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .or(f.database_url)
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()))
}

/// Where the waitlist is kept when no database is named: a file beside the gateway.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://studio-gateway.db";

/// The waitlist's settings from the environment and the file: all of the SMTP URL, the
/// sender and the booking page, or none of them (then None).
fn waitlist_of(var: &impl Fn(&str) -> Option<String>, f: &FileConfig) -> Result<Option<WaitlistConfig>, String> {
    let smtp_url = var(env::SMTP_URL).or(f.smtp_url.clone());
    let mail_from = var(env::MAIL_FROM).or(f.mail_from.clone());
    let booking_page = var(env::BOOKING_PAGE).or(f.booking_page.clone());
    let (smtp_url, mail_from, booking_page) = match (smtp_url, mail_from, booking_page) {
        (None, None, None) => return Ok(None),
        (Some(s), Some(m), Some(b)) => (s, m, b),
        (s, m, b) => {
            let missing: Vec<&str> = [(s.is_none(), env::SMTP_URL), (m.is_none(), env::MAIL_FROM), (b.is_none(), env::BOOKING_PAGE)]
                .into_iter()
                .filter_map(|(gone, name)| gone.then_some(name))
                .collect();
            return Err(format!(
                "the waitlist needs {}, {} and {} together: {} not set",
                env::SMTP_URL,
                env::MAIL_FROM,
                env::BOOKING_PAGE,
                missing.join(" and ")
            ));
        }
    };
    if !(smtp_url.starts_with("smtp://") || smtp_url.starts_with("smtps://")) || smtp_url.chars().any(char::is_control) {
        return Err(format!("{}: `{}` is not an smtp:// or smtps:// URL", env::SMTP_URL, redacted_url(&smtp_url)));
    }
    if mail_from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(format!("{}: `{mail_from}` is not a mailbox like `Juniper Studio <hello@juniper.example>`", env::MAIL_FROM));
    }
    let booking_page = booking_page.split('#').next().unwrap_or_default().to_string();
    let page_ok = (booking_page.starts_with("https://") || booking_page.starts_with("http://"))
        && booking_page.split_once("://").is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'))
        && !booking_page.contains(char::is_whitespace);
    if !page_ok {
        return Err(format!("{}: `{booking_page}` is not an http(s) URL of the page with the widget", env::BOOKING_PAGE));
    }
    let notify_email = var(env::NOTIFY_EMAIL).or(f.notify_email.clone());
    if let Some(n) = &notify_email {
        if n.parse::<lettre::Address>().is_err() {
            return Err(format!("{}: `{n}` is not an e-mail address", env::NOTIFY_EMAIL));
        }
    }
    let database_url = var(env::DATABASE_URL).or(f.database_url.clone()).unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
        return Err(format!("{}: `{}` is neither sqlite://FILE nor postgres://…", env::DATABASE_URL, redacted_url(&database_url)));
    }
    let number = |name: &str, from_file: Option<u64>, default: u64, range: std::ops::RangeInclusive<u64>| -> Result<u64, String> {
        let n = match var(name) {
            Some(v) => v.parse::<u64>().map_err(|_| format!("{name}: `{v}` is not a whole number"))?,
            None => from_file.unwrap_or(default),
        };
        if range.contains(&n) {
            Ok(n)
        } else {
            Err(format!("{name}: {n} is outside {}..={}", range.start(), range.end()))
        }
    };
    let poll = number(env::WAITLIST_POLL_SECS, f.waitlist_poll_secs, 300, 1..=86_400)?;
    let hold = number(env::OFFER_HOLD_MINUTES, f.offer_hold_minutes, 720, 1..=10_080)?;
    Ok(Some(WaitlistConfig {
        database_url,
        smtp_url,
        mail_from,
        booking_page,
        notify_email,
        poll: Duration::from_secs(poll),
        offer_hold: Duration::from_secs(hold * 60),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn no_files(_: &str) -> Result<String, String> {
        Err("no files here".into())
    }

    const BASE: [(&str, &str); 4] = [
        (env::UPSTREAM, "https://studio.example/api/v1/"),
        (env::COOKIE, "pxs_session=s3cr3t; other=1"),
        (env::CSRF_TOKEN, "tok-3n"),
        (env::ALLOWED_ORIGINS, "https://juniper.example, http://localhost:8080/"),
    ];

    #[test]
    fn the_environment_alone_is_enough_and_secrets_never_show() {
        let c = Config::load(None, vars(&BASE), no_files).unwrap();
        assert_eq!(c.upstream, "https://studio.example/api/v1");
        assert_eq!(c.listen.to_string(), "127.0.0.1:8788");
        assert_eq!(c.allowed_origins, Origins::Exactly(vec!["https://juniper.example".into(), "http://localhost:8080".into()]));
        for shown in [c.summary(), format!("{c:?}")] {
            assert!(!shown.contains("s3cr3t") && !shown.contains("tok-3n"), "{shown}");
        }
    }

    #[test]
    fn the_environment_overrides_the_file_and_a_secrets_file_holds_the_login() {
        let file = "listen = \"0.0.0.0:9000\"\nupstream = \"https://file.example/api/v1\"\nallowed_origins = [\"*\"]\nupstream_timeout_ms = 3000";
        let secrets =
            |path: &str| if path == "/run/secrets/studio" { Ok("cookie = \"a=b\"\ncsrf_token = \"t\"".to_string()) } else { Err(path.to_string()) };
        let c = Config::load(Some(file), vars(&[(env::UPSTREAM, "https://env.example/api/v1"), (env::SECRETS_FILE, "/run/secrets/studio")]), secrets)
            .unwrap();
        assert_eq!((c.listen.to_string().as_str(), c.upstream.as_str(), c.cookie.as_str()), ("0.0.0.0:9000", "https://env.example/api/v1", "a=b"));
        assert_eq!(c.allowed_origins, Origins::Any);
        assert_eq!(c.upstream_timeout, Duration::from_millis(3000));
    }

    #[test]
    fn what_cannot_work_is_refused_by_name() {
        let without = |name: &str| BASE.iter().filter(|(k, _)| *k != name).copied().collect::<Vec<_>>();
        assert!(Config::load(None, vars(&without(env::UPSTREAM)), no_files).unwrap_err().contains(env::UPSTREAM));
        assert!(Config::load(None, vars(&without(env::COOKIE)), no_files).unwrap_err().contains(env::COOKIE));
        let mut bad = BASE.to_vec();
        bad.push((env::ALLOWED_ORIGINS, "*, https://a.example"));
        bad.retain(|(k, v)| *k != env::ALLOWED_ORIGINS || v.starts_with('*'));
        assert!(Config::load(None, vars(&bad), no_files).is_err());
        let mut injected = BASE.to_vec();
        injected.retain(|(k, _)| *k != env::COOKIE);
        injected.push((env::COOKIE, "a=b\r\nX-Evil: 1"));
        assert!(Config::load(None, vars(&injected), no_files).unwrap_err().contains("control"));
        assert!(Config::load(Some("listen = 5\nnonsense = true"), vars(&BASE), no_files).is_err());
        let mut path_origin = BASE.to_vec();
        path_origin.retain(|(k, _)| *k != env::ALLOWED_ORIGINS);
        path_origin.push((env::ALLOWED_ORIGINS, "https://a.example/path"));
        assert!(Config::load(None, vars(&path_origin), no_files).is_err());
    }

    #[test]
    fn the_waitlist_is_on_with_its_three_settings_and_its_secrets_never_show() {
        assert!(Config::load(None, vars(&BASE), no_files).unwrap().waitlist.is_none());
        let mut on = BASE.to_vec();
        on.extend([
            (env::SMTP_URL, "smtp://mailer:pa55word@mail.example:587?tls=required"),
            (env::MAIL_FROM, "Juniper Studio <hello@juniper.example>"),
            (env::BOOKING_PAGE, "https://juniper.example/book#old"),
            (env::OFFER_HOLD_MINUTES, "90"),
        ]);
        let c = Config::load(None, vars(&on), no_files).unwrap();
        let w = c.waitlist.as_ref().unwrap();
        assert_eq!((w.database_url.as_str(), w.booking_page.as_str()), ("sqlite://studio-gateway.db", "https://juniper.example/book"));
        assert_eq!((w.poll, w.offer_hold), (Duration::from_secs(300), Duration::from_secs(90 * 60)));
        assert!(!c.summary().contains("pa55word") && c.summary().contains("mailer:<redacted>@mail.example:587"), "{}", c.summary());
        let partial: Vec<_> = on.iter().filter(|(k, _)| *k != env::MAIL_FROM).copied().collect();
        assert!(Config::load(None, vars(&partial), no_files).unwrap_err().contains(env::MAIL_FROM));
        let mut bad_hold = on.clone();
        bad_hold.push((env::OFFER_HOLD_MINUTES, "0"));
        bad_hold.retain(|(k, v)| *k != env::OFFER_HOLD_MINUTES || *v == "0");
        assert!(Config::load(None, vars(&bad_hold), no_files).unwrap_err().contains(env::OFFER_HOLD_MINUTES));
        let mut bad_db = on.clone();
        bad_db.push((env::DATABASE_URL, "mysql://u:secret@h/db"));
        let e = Config::load(None, vars(&bad_db), no_files).unwrap_err();
        assert!(e.contains(env::DATABASE_URL) && !e.contains("secret"), "{e}");
    }
}
