//! The waitlist's e-mail: a visitor's double opt-in, the offer of a freed slot held for them,
//! the notes that follow (declined, expired, booked, left), and the photographer's notes (a
//! confirmed join, a spot filled from the waitlist).
//!
//! Mail is never sent while a visitor waits: the waitlist queues it (an outbox in its store,
//! [`MailQueue`]) and [`run_outbox`] sends it, trying again later when the mail server cannot
//! take it now. Links carry their tokens in the URL's fragment, which no server receives, and
//! the log names a mail by its id and kind only: no address, token or link.

mod render;

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub use render::{
    booking_link, language_of, link_names, parse_catalogue, placeholders, render, Catalogues, Rendered, LANGUAGES, LANGUAGE_ALIASES, RIGHT_TO_LEFT,
    SOURCES,
};

/// The environment names of the mail settings, kept exactly (deployment scripts use them).
pub mod env {
    pub use crate::config::env::{MAIL_FROM, SMTP_URL};
}

/// How long a claimed mail is the drain's alone: another instance takes it after that.
pub const LEASE_MS: i64 = 60_000;
/// How many mails one claim takes.
pub const BATCH: i64 = 20;
/// The wait before the first retry (a server back within seconds gets its mail within
/// seconds); it doubles with each failed attempt…
pub const FIRST_RETRY_MS: i64 = 5_000;
/// …up to an hour. A passing failure (4xx, connection refused, time-out) is retried for as
/// long as it lasts: a mail server down overnight loses nothing.
pub const LONGEST_RETRY_MS: i64 = 3_600_000;
/// A lasting refusal (5xx: no such mailbox) is tried this many times in all, as some servers
/// answer 5xx for a passing fault, and then kept as failed for good.
pub const PERMANENT_ATTEMPTS: i64 = 3;
/// The `next_attempt_ms` of a mail kept as failed for good (a lasting refusal, or a mail that
/// cannot be written: an unknown kind, a payload without what its kind needs): never due.
pub const NEVER: i64 = i64::MAX;
/// How long the outbox waits for news before it looks again on its own.
pub const IDLE_WAIT: Duration = Duration::from_secs(5);
/// One conversation with the mail server's deadline.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// A mail waiting in the outbox, as the store gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedMail {
    pub id: String,
    /// The recipient's address.
    pub to: String,
    /// `confirm`, `offer`, `declined`, `booked`, `left`, `expired`, `notify_joined` or
    /// `notify_filled`.
    pub kind: String,
    /// The reader's language (`fr`, `pt-BR`; "en" for the photographer unless given).
    pub language: String,
    /// What the mail says: see [`render`].
    pub payload: serde_json::Value,
    /// The attempts that failed before this one.
    pub attempts: i64,
}

/// The outbox the mail is sent from: the waitlist's store implements it.
pub trait MailQueue: Send + Sync + 'static {
    /// The mails due at `now_ms` (at most `limit`), each leased for `lease_ms` so that no
    /// other drain sends it meanwhile.
    fn claim_due_mail(&self, now_ms: i64, lease_ms: i64, limit: i64) -> impl std::future::Future<Output = Result<Vec<QueuedMail>, String>> + Send;
    /// The mail was taken by the mail server: never send it again.
    fn mail_sent(&self, id: &str) -> impl std::future::Future<Output = Result<(), String>> + Send;
    /// The attempt failed: count it, and try again at `next_attempt_ms` ([`NEVER`]: not again).
    fn mail_failed(&self, id: &str, next_attempt_ms: i64, error: &str) -> impl std::future::Future<Output = Result<(), String>> + Send;
}

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The server refused it for good (5xx), or the address is not one: trying again will
    /// not help.
    Permanent(String),
    /// It could not be sent now (4xx, the server unreachable, a time-out): try again later.
    Transient(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Permanent(why) => write!(f, "refused for good: {why}"),
            SendError::Transient(why) => write!(f, "not sent for now: {why}"),
        }
    }
}

impl std::error::Error for SendError {}

/// Sends the mail through the photographer's mail server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The transport holds the server's password: only the sender is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer {{ from: {} }}", self.from)
    }
}

impl Mailer {
    /// A mailer for the server at `smtp_url` (see [`env::SMTP_URL`]) sending as `from` (see
    /// [`env::MAIL_FROM`]). The error says which setting is wrong, never the URL's password.
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let from: Mailbox =
            from.trim().parse().map_err(|_| format!("{}: not a mailbox like `Juniper Studio <hello@juniper.example>`", env::MAIL_FROM))?;
        let smtp_url = smtp_url.trim();
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url).map_err(|e| {
            let mut why = e.to_string();
            // lettre's errors do not hold the URL, but be sure the password is not in them.
            if let Some(password) =
                smtp_url.split_once("://").and_then(|(_, rest)| rest.split('@').next()).and_then(|userinfo| userinfo.split_once(':')).map(|(_, p)| p)
            {
                if !password.is_empty() {
                    why = why.replace(password, "<redacted>");
                }
            }
            format!(
                "{}: not a mail server URL like smtp://user:password@host:587?tls=required, smtps://user:password@host or smtp://host:port ({why})",
                env::SMTP_URL
            )
        })?;
        Ok(Mailer { transport: builder.timeout(Some(SMTP_TIMEOUT)).build(), from })
    }

    /// The mailer the environment describes (`var` reads it): `None` when
    /// [`env::SMTP_URL`] is not set (the waitlist then sends no mail).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<Mailer>, String> {
        let var = |name: &str| var(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let Some(url) = var(env::SMTP_URL) else { return Ok(None) };
        let from = var(env::MAIL_FROM).ok_or_else(|| format!("{} is set but {} is not (who the mail is from)", env::SMTP_URL, env::MAIL_FROM))?;
        Mailer::new(&url, &from).map(Some)
    }

    /// Sends `rendered` to `to`: plain text and HTML as alternatives, with its language.
    pub async fn send(&self, to: &str, rendered: &Rendered) -> Result<(), SendError> {
        let to: Mailbox = to.trim().parse().map_err(|_| SendError::Permanent("not an e-mail address".into()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject.clone())
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Content-Language"), rendered.language.clone()))
            // Asks mail servers not to answer it with an out-of-office reply.
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()))
            .multipart(MultiPart::alternative_plain_html(rendered.text.clone(), rendered.html.clone()))
            .map_err(|e| SendError::Permanent(format!("the message cannot be built: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }
}

/// When to try a mail again after its `attempts`-th failure (0 for the first):
/// [`FIRST_RETRY_MS`] doubled each time, at most [`LONGEST_RETRY_MS`].
pub fn retry_at(now_ms: i64, attempts: i64) -> i64 {
    let wait = FIRST_RETRY_MS.saturating_mul(1i64 << attempts.clamp(0, 20));
    now_ms.saturating_add(wait.min(LONGEST_RETRY_MS))
}

/// Sends every mail due at `now_ms`: writes it, sends it, and marks it sent, or failed with
/// its next attempt (see [`retry_at`], [`PERMANENT_ATTEMPTS`], [`NEVER`]). Returns how many
/// were sent. A store that fails to take an outcome is said in the error, after the others
/// are done: that mail is sent again once its lease ends (once more, rather than never).
pub async fn drain<Q: MailQueue>(queue: &Q, mailer: &Mailer, catalogues: &Catalogues, now_ms: i64) -> Result<usize, String> {
    let mut sent = 0;
    let mut store_error = None;
    // A full batch may hide more: claim again, a few times at most per call.
    for _ in 0..10 {
        let due = queue.claim_due_mail(now_ms, LEASE_MS, BATCH).await?;
        let claimed = due.len();
        for mail in due {
            let outcome = match render(&mail.kind, &mail.language, &mail.payload, catalogues) {
                Ok(rendered) => mailer.send(&mail.to, &rendered).await,
                Err(why) => {
                    tracing::error!(mail = %mail.id, kind = %mail.kind, outcome = "not written", "a queued mail cannot be written: kept as failed");
                    Err(SendError::Permanent(format!("cannot be written: {why}")))
                }
            };
            let recorded = match &outcome {
                Ok(()) => {
                    tracing::info!(mail = %mail.id, kind = %mail.kind, outcome = "sent");
                    sent += 1;
                    queue.mail_sent(&mail.id).await
                }
                Err(SendError::Transient(why)) => {
                    let next = retry_at(now_ms, mail.attempts);
                    tracing::warn!(mail = %mail.id, kind = %mail.kind, outcome = "not sent for now", attempts = mail.attempts + 1, retry_in_s = (next - now_ms) / 1000);
                    queue.mail_failed(&mail.id, next, why).await
                }
                Err(SendError::Permanent(why)) => {
                    let last = mail.attempts + 1 >= PERMANENT_ATTEMPTS || why.starts_with("cannot be written");
                    let next = if last { NEVER } else { retry_at(now_ms, mail.attempts) };
                    tracing::warn!(mail = %mail.id, kind = %mail.kind, outcome = "refused", attempts = mail.attempts + 1, given_up = last);
                    queue.mail_failed(&mail.id, next, why).await
                }
            };
            if let Err(e) = recorded {
                tracing::error!(mail = %mail.id, kind = %mail.kind, "the outbox did not take the mail's outcome");
                store_error.get_or_insert(e);
            }
        }
        if (claimed as i64) < BATCH {
            break;
        }
    }
    match store_error {
        Some(e) => Err(format!("the outbox did not take an outcome: {e}")),
        None => Ok(sent),
    }
}

/// The time now, in milliseconds since 1970, as the outbox counts it.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Sends the outbox's mail for as long as the gateway runs: drains it, then waits for
/// `wake` (notified when mail is queued: `notify_one` or `notify_waiters`, neither is lost
/// while a drain runs) or [`IDLE_WAIT`], which also brings the retries due.
pub async fn run_outbox<Q: MailQueue>(queue: Arc<Q>, mailer: Mailer, catalogues: Arc<Catalogues>, wake: Arc<tokio::sync::Notify>) {
    loop {
        let woken = wake.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        if let Err(e) = drain(queue.as_ref(), &mailer, &catalogues, now_ms()).await {
            tracing::error!(error = %e, "the outbox could not be drained");
        }
        tokio::select! {
            () = woken => {}
            () = tokio::time::sleep(IDLE_WAIT) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_an_hour() {
        assert_eq!(retry_at(0, 0), FIRST_RETRY_MS);
        assert_eq!(retry_at(0, 1), 2 * FIRST_RETRY_MS);
        assert_eq!(retry_at(0, 6), 64 * FIRST_RETRY_MS);
        assert_eq!(retry_at(0, 10), 3_600_000);
        assert_eq!(retry_at(0, 500), 3_600_000);
        assert_eq!(retry_at(i64::MAX - 1, 3), i64::MAX);
    }

    #[test]
    fn settings_are_checked_without_showing_the_password() {
        let e = Mailer::new("smtp://user:s3cr3t-pw@mail.example:bad?tls=required", "Juniper Studio <hello@juniper.example>").unwrap_err();
        assert!(!e.contains("s3cr3t-pw"), "{e}");
        assert!(e.contains(env::SMTP_URL));
        let e = Mailer::new("gopher://user:s3cr3t-pw@mail.example", "Juniper Studio <hello@juniper.example>").unwrap_err();
        assert!(!e.contains("s3cr3t-pw"), "{e}");
        assert!(Mailer::new("smtp://127.0.0.1:2525", "not a mailbox").unwrap_err().contains(env::MAIL_FROM));
        assert!(Mailer::new("smtp://user:pw@mail.example:587?tls=required", "Juniper Studio <hello@juniper.example>").is_ok());
        assert!(Mailer::new("smtps://user:pw@mail.example", "hello@juniper.example").is_ok());
        let mailer = Mailer::new("smtp://user:s3cr3t-pw@mail.example", "hello@juniper.example").unwrap();
        assert!(!format!("{mailer:?}").contains("s3cr3t-pw"));
        assert!(Mailer::from_env(|_| None).unwrap().is_none());
        assert!(Mailer::from_env(|n| (n == env::SMTP_URL).then(|| "smtp://127.0.0.1:2525".to_string())).is_err());
    }
}
