//! A local SMTP server that keeps what it is sent, for the demo and the tests (like MailHog):
//! the gateway's waitlist e-mails land here instead of in anyone's inbox.
//!
//! SMTP without TLS or login, as a local relay speaks it: EHLO/HELO, MAIL FROM, RCPT TO,
//! DATA, RSET, NOOP, QUIT. The last [`KEPT`] messages are kept in memory and shown over HTTP:
//! `GET /messages` (JSON, readable from any page: the demo shows them) and `GET /` (a plain
//! page, newest first). A test can make it refuse for a while ([`Catcher::set_refusing`]:
//! 451, try again later; [`Catcher::set_rejecting`]: 550, no such mailbox) and stop it
//! outright ([`Catcher::stop`]: the port closes), to see the sender's retries.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How many messages are kept: the oldest go first.
pub const KEPT: usize = 200;
/// The largest message taken, in bytes: a waitlist e-mail is a few KB.
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;
/// How long a client may stay silent between two commands.
const IDLE: Duration = Duration::from_secs(60);

/// One message as it arrived, and its parts as a person reads them.
#[derive(Debug, Clone, Serialize)]
pub struct CaughtMessage {
    /// A number, counting from 1 since the catcher started.
    pub id: u64,
    /// The `From` header, decoded (the envelope's sender when there is none).
    pub from: String,
    /// The envelope's recipients (RCPT TO).
    pub to: Vec<String>,
    /// The `Subject` header, decoded from RFC 2047.
    pub subject: String,
    /// When the catcher took it (RFC 3339, UTC).
    pub date: String,
    /// The text/plain part, decoded (empty when there is none).
    pub text: String,
    /// The text/html part, decoded (empty when there is none).
    pub html: String,
    /// The whole message as sent, headers and body.
    pub raw: String,
}

#[derive(Default)]
struct Shared {
    messages: Mutex<VecDeque<CaughtMessage>>,
    next_id: AtomicU64,
    refusing: AtomicBool,
    rejecting: AtomicBool,
}

impl Shared {
    fn keep(&self, from: String, to: Vec<String>, raw: Vec<u8>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let parsed = mime::parse(&raw);
        let message = CaughtMessage {
            id,
            from: parsed.from.unwrap_or(from),
            to,
            subject: parsed.subject,
            date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: parsed.text,
            html: parsed.html,
            raw,
        };
        let mut kept = self.messages.lock().unwrap_or_else(|e| e.into_inner());
        kept.push_back(message);
        while kept.len() > KEPT {
            kept.pop_front();
        }
        id
    }
}

/// A running catcher; dropping it without [`Catcher::stop`] leaves it running until the
/// runtime ends.
pub struct Catcher {
    smtp_addr: SocketAddr,
    http_addr: Option<SocketAddr>,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Catcher {
    /// Starts the SMTP side only, on `smtp` (`127.0.0.1:0` for any free port), as tests use it.
    pub async fn start(smtp: &str) -> io::Result<Catcher> {
        Catcher::start_with_http(smtp, None).await
    }

    /// Starts the SMTP side on `smtp` and, when given, the HTTP side on `http`.
    pub async fn start_with_http(smtp: &str, http: Option<&str>) -> io::Result<Catcher> {
        let shared = Arc::new(Shared::default());
        let (stop, stopped) = watch::channel(false);
        let smtp_listener = TcpListener::bind(smtp).await?;
        let smtp_addr = smtp_listener.local_addr()?;
        let mut tasks = vec![tokio::spawn(smtp_loop(smtp_listener, shared.clone(), stopped.clone()))];
        let mut http_addr = None;
        if let Some(http) = http {
            let listener = TcpListener::bind(http).await?;
            http_addr = Some(listener.local_addr()?);
            tasks.push(tokio::spawn(http_loop(listener, shared.clone(), stopped)));
        }
        Ok(Catcher { smtp_addr, http_addr, shared, stop, tasks })
    }

    /// Where SMTP is served.
    pub fn smtp_addr(&self) -> SocketAddr {
        self.smtp_addr
    }

    /// Where HTTP is served, when it is.
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http_addr
    }

    /// While true, every recipient is answered 451 (a passing refusal: the sender should try
    /// again later), and nothing is kept.
    pub fn set_refusing(&self, refusing: bool) {
        self.shared.refusing.store(refusing, Ordering::SeqCst);
    }

    /// While true, every recipient is answered 550 (no such mailbox: a lasting refusal).
    pub fn set_rejecting(&self, rejecting: bool) {
        self.shared.rejecting.store(rejecting, Ordering::SeqCst);
    }

    /// The messages kept, oldest first.
    pub fn messages(&self) -> Vec<CaughtMessage> {
        self.shared.messages.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }

    /// Forgets every message kept.
    pub fn clear(&self) {
        self.shared.messages.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Stops serving: the ports close and open connections are cut.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            task.abort();
            let _ = task.await;
        }
    }
}

async fn smtp_loop(listener: TcpListener, shared: Arc<Shared>, stopped: watch::Receiver<bool>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let shared = shared.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = smtp_session(stream, shared) => {}
                _ = stopped.wait_for(|s| *s) => {}
            }
        });
    }
}

/// The address between `<` and `>` of a `MAIL FROM:` or `RCPT TO:` argument.
fn address_of(argument: &str) -> Option<String> {
    let start = argument.find('<')?;
    let end = start + argument[start..].find('>')?;
    Some(argument[start + 1..end].to_string())
}

/// A connection read line by line: mock-studio's tokio has no io-util, so by hand over
/// `readable`/`try_read`.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    /// The next line, `\n` included, of at most `max` bytes (a longer one is cut there);
    /// `None` once the client has gone.
    async fn line(&mut self, max: usize) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                return Ok(Some(self.buffer.drain(..=end.min(max)).collect()));
            }
            if self.buffer.len() >= max {
                return Ok(Some(self.buffer.drain(..max).collect()));
            }
            tokio::time::timeout(IDLE, self.stream.readable()).await.map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
            let mut chunk = [0u8; 8192];
            match self.stream.try_read(&mut chunk) {
                Ok(0) => return Ok(None),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
    }

    async fn say(&mut self, reply: &str) -> io::Result<()> {
        let bytes = format!("{reply}\r\n").into_bytes();
        let mut sent = 0;
        while sent < bytes.len() {
            self.stream.writable().await?;
            match self.stream.try_write(&bytes[sent..]) {
                Ok(n) => sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

async fn smtp_session(stream: TcpStream, shared: Arc<Shared>) -> io::Result<()> {
    let mut connection = Connection { stream, buffer: Vec::new() };
    connection.say("220 mail-catcher ESMTP ready").await?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    loop {
        let Some(line) = connection.line(4096).await? else { return Ok(()) };
        let command = String::from_utf8_lossy(&line).trim_end().to_string();
        let verb = command.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let argument = command.get(verb.len()..).unwrap_or("").trim();
        let reply: String = match verb.as_str() {
            "EHLO" => "250-mail-catcher\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760".into(),
            "HELO" => "250 mail-catcher".into(),
            "MAIL" => match address_of(argument) {
                Some(address) if argument.to_ascii_uppercase().starts_with("FROM:") => {
                    from = Some(address);
                    to.clear();
                    "250 2.1.0 OK".into()
                }
                _ => "501 5.5.4 MAIL FROM:<address>".into(),
            },
            "RCPT" if from.is_none() => "503 5.5.1 MAIL first".into(),
            "RCPT" => match address_of(argument) {
                _ if shared.refusing.load(Ordering::SeqCst) => "451 4.3.0 not now, try again later".into(),
                _ if shared.rejecting.load(Ordering::SeqCst) => "550 5.1.1 no such mailbox".into(),
                Some(address) if argument.to_ascii_uppercase().starts_with("TO:") && !address.is_empty() => {
                    to.push(address);
                    "250 2.1.5 OK".into()
                }
                _ => "501 5.5.4 RCPT TO:<address>".into(),
            },
            "DATA" if to.is_empty() => "503 5.5.1 RCPT first".into(),
            "DATA" => {
                connection.say("354 end with <CRLF>.<CRLF>").await?;
                let mut message = Vec::new();
                let mut too_large = false;
                loop {
                    let Some(line) = connection.line(64 * 1024).await? else { return Ok(()) };
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    // Dot-stuffing: a line the sender began with "." was sent as "..".
                    let body = if line.starts_with(b".") { &line[1..] } else { &line[..] };
                    if message.len() + body.len() > MAX_MESSAGE_BYTES {
                        too_large = true;
                    } else {
                        message.extend_from_slice(body);
                    }
                }
                let sender = from.take().unwrap_or_default();
                let recipients = std::mem::take(&mut to);
                if too_large {
                    "552 5.3.4 message too large".into()
                } else {
                    let id = shared.keep(sender, recipients, message);
                    format!("250 2.0.0 OK kept as {id}")
                }
            }
            "RSET" => {
                from = None;
                to.clear();
                "250 2.0.0 OK".into()
            }
            "NOOP" => "250 2.0.0 OK".into(),
            "VRFY" => "252 2.5.0 cannot verify".into(),
            "QUIT" => {
                connection.say("221 2.0.0 bye").await?;
                return Ok(());
            }
            _ => "502 5.5.2 not implemented".into(),
        };
        connection.say(&reply).await?;
    }
}

async fn http_loop(listener: TcpListener, shared: Arc<Shared>, stopped: watch::Receiver<bool>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let shared = shared.clone();
        let mut stopped = stopped.clone();
        let service = hyper::service::service_fn(move |request| {
            let shared = shared.clone();
            async move { Ok::<_, std::convert::Infallible>(answer(&shared, &request)) }
        });
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = stopped.wait_for(|s| *s) => {}
            }
        });
    }
}

fn answer(shared: &Shared, request: &Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
    let messages: Vec<CaughtMessage> = shared.messages.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect();
    let (status, kind, body) = match (request.method(), request.uri().path()) {
        (&Method::GET, "/messages") => (StatusCode::OK, "application/json", serde_json::to_string(&messages).unwrap_or_default()),
        (&Method::DELETE, "/messages") => {
            shared.messages.lock().unwrap_or_else(|e| e.into_inner()).clear();
            (StatusCode::OK, "application/json", "[]".to_string())
        }
        (&Method::GET, "/") => (StatusCode::OK, "text/html; charset=utf-8", page(&messages)),
        _ => (StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "not found\n".to_string()),
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    response.headers_mut().insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The page at `/`: each message's text, escaped, with its web addresses made links.
fn page(messages: &[CaughtMessage]) -> String {
    let mut html = String::from("<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Mail catcher</title><body style=\"font-family:sans-serif;max-width:50rem;margin:2rem auto\"><h1>Mail catcher</h1>");
    if messages.is_empty() {
        html.push_str("<p>No messages yet.</p>");
    }
    for m in messages.iter().rev() {
        let text: Vec<String> = m
            .text
            .split_inclusive(char::is_whitespace)
            .map(|word| {
                let bare = word.trim_end();
                if bare.starts_with("https://") || bare.starts_with("http://") {
                    format!("<a href=\"{0}\">{0}</a>{1}", escape(bare), &word[bare.len()..])
                } else {
                    escape(word)
                }
            })
            .collect();
        html.push_str(&format!(
            "<article style=\"border-top:1px solid #ccc;padding:0.5rem 0\"><h2 style=\"font-size:1.1rem\">{}</h2><p>#{} · {} · from {} to {}</p><pre style=\"white-space:pre-wrap\">{}</pre></article>",
            escape(&m.subject),
            m.id,
            escape(&m.date),
            escape(&m.from),
            escape(&m.to.join(", ")),
            text.concat()
        ));
    }
    html.push_str("</body></html>");
    html
}

/// Just enough MIME to read what a mailer sends: headers (folded, RFC 2047 words),
/// multipart bodies, quoted-printable and base64.
pub mod mime {
    /// What [`parse`] reads of a message.
    #[derive(Debug, Default, PartialEq)]
    pub struct Parsed {
        pub from: Option<String>,
        pub subject: String,
        pub text: String,
        pub html: String,
    }

    /// Splits a message (or a part) into its unfolded headers and its body.
    fn split(raw: &str) -> (Vec<(String, String)>, &str) {
        let (head, body) = match raw.find("\r\n\r\n") {
            Some(i) => (&raw[..i], &raw[i + 4..]),
            None => match raw.find("\n\n") {
                Some(i) => (&raw[..i], &raw[i + 2..]),
                None => (raw, ""),
            },
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = headers.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        (headers, body)
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// A parameter of a header value (`boundary="…"` of a Content-Type).
    fn parameter(value: &str, name: &str) -> Option<String> {
        value.split(';').skip(1).find_map(|p| {
            let (n, v) = p.split_once('=')?;
            (n.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_string())
        })
    }

    /// Reads a message: its From and Subject, and its first text/plain and text/html parts.
    pub fn parse(raw: &str) -> Parsed {
        let (headers, body) = split(raw);
        let mut parsed = Parsed {
            from: header(&headers, "from").map(decode_words),
            subject: header(&headers, "subject").map(decode_words).unwrap_or_default(),
            ..Parsed::default()
        };
        read_part(&headers, body, &mut parsed, 0);
        parsed
    }

    fn read_part(headers: &[(String, String)], body: &str, parsed: &mut Parsed, depth: usize) {
        let kind = header(headers, "content-type").unwrap_or("text/plain");
        let media = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if media.starts_with("multipart/") && depth < 8 {
            let Some(boundary) = parameter(kind, "boundary") else { return };
            let delimiter = format!("--{boundary}");
            for part in body.split(delimiter.as_str()).skip(1) {
                if part.starts_with("--") {
                    break;
                }
                let part = part.strip_prefix("\r\n").or_else(|| part.strip_prefix('\n')).unwrap_or(part);
                let (part_headers, part_body) = split(part);
                read_part(&part_headers, part_body, parsed, depth + 1);
            }
            return;
        }
        let encoding = header(headers, "content-transfer-encoding").unwrap_or("7bit").trim().to_ascii_lowercase();
        let bytes = match encoding.as_str() {
            "base64" => base64(body),
            "quoted-printable" => quoted_printable(body, false),
            _ => body.as_bytes().to_vec(),
        };
        let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n").trim_end().to_string();
        if media == "text/plain" && parsed.text.is_empty() {
            parsed.text = text;
        } else if media == "text/html" && parsed.html.is_empty() {
            parsed.html = text;
        }
    }

    /// Decodes base64, skipping line breaks and anything else outside its alphabet.
    pub fn base64(text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 3 / 4);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.bytes() {
            let value = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                b'=' => break,
                _ => continue,
            };
            buffer = (buffer << 6) | u32::from(value);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        out
    }

    /// Decodes quoted-printable (`=C3=A9`, soft line breaks); `underscore_is_space` for the
    /// Q words of headers.
    pub fn quoted_printable(text: &str, underscore_is_space: bool) -> Vec<u8> {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'=' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => i += 3,
                b'=' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
                b'=' => match text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                    }
                    None => {
                        out.push(b'=');
                        i += 1;
                    }
                },
                b'_' if underscore_is_space => {
                    out.push(b' ');
                    i += 1;
                }
                byte => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        out
    }

    /// Decodes the RFC 2047 words of a header (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`); the white
    /// space between two such words is dropped, as the RFC says.
    pub fn decode_words(value: &str) -> String {
        let mut out = String::new();
        let mut rest = value;
        let mut pending_space = String::new();
        let mut after_word = false;
        while !rest.is_empty() {
            let word = rest.starts_with("=?").then(|| encoded_word(rest)).flatten();
            if let Some((decoded, used)) = word {
                if !after_word {
                    out.push_str(&pending_space);
                }
                pending_space.clear();
                out.push_str(&decoded);
                rest = &rest[used..];
                after_word = true;
                continue;
            }
            let c = rest.chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                pending_space.push(c);
            } else {
                out.push_str(&pending_space);
                pending_space.clear();
                out.push(c);
                after_word = false;
            }
            rest = &rest[c.len_utf8()..];
        }
        out.push_str(&pending_space);
        out
    }

    /// One encoded word at the start of `text`: its decoded text and its length.
    fn encoded_word(text: &str) -> Option<(String, usize)> {
        let inner = &text[2..];
        let (_charset, inner) = inner.split_once('?')?;
        let (encoding, inner) = inner.split_once('?')?;
        let end = inner.find("?=")?;
        let payload = &inner[..end];
        if payload.contains(char::is_whitespace) {
            return None;
        }
        let bytes = match encoding.to_ascii_lowercase().as_str() {
            "b" => base64(payload),
            "q" => quoted_printable(payload, true),
            _ => return None,
        };
        let used = text.len() - inner.len() + end + 2;
        Some((String::from_utf8_lossy(&bytes).into_owned(), used))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    #[test]
    fn decodes_headers_and_parts() {
        assert_eq!(mime::decode_words("=?utf-8?b?Q2Fmw6k=?= =?utf-8?q?_cr=C3=A8me?= ok"), "Café crème ok");
        assert_eq!(mime::decode_words("Plain subject"), "Plain subject");
        assert_eq!(mime::base64("SGVs\r\nbG8="), b"Hello");
        assert_eq!(mime::quoted_printable("caf=C3=A9 =\r\nau lait", false), "café au lait".as_bytes());
        let raw = "From: =?utf-8?b?SnVuaXBlciDDqXR1ZGlv?= <a@b.example>\r\nSubject: Hi\r\nContent-Type: multipart/alternative;\r\n boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nJoin =E2=86=92 here\r\n--XX\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+SGk8L3A+\r\n--XX--\r\n";
        let parsed = mime::parse(raw);
        assert_eq!(parsed.from.as_deref(), Some("Juniper étudio <a@b.example>"));
        assert_eq!(parsed.subject, "Hi");
        assert_eq!(parsed.text, "Join → here");
        assert_eq!(parsed.html, "<p>Hi</p>");
    }

    async fn say(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, write: &mut tokio::net::tcp::OwnedWriteHalf, line: &str) -> String {
        write.write_all(line.as_bytes()).await.unwrap();
        let mut reply = String::new();
        loop {
            let mut one = String::new();
            read.read_line(&mut one).await.unwrap();
            reply.push_str(&one);
            if one.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    }

    #[tokio::test]
    async fn speaks_smtp_keeps_and_refuses() {
        let catcher = Catcher::start_with_http("127.0.0.1:0", Some("127.0.0.1:0")).await.unwrap();
        let (read, mut write) = TcpStream::connect(catcher.smtp_addr()).await.unwrap().into_split();
        let mut read = BufReader::new(read);
        let mut greeting = String::new();
        read.read_line(&mut greeting).await.unwrap();
        assert!(greeting.starts_with("220"));
        assert!(say(&mut read, &mut write, "EHLO test\r\n").await.contains("250 "));
        assert!(say(&mut read, &mut write, "RCPT TO:<a@b.example>\r\n").await.starts_with("503"));
        assert!(say(&mut read, &mut write, "MAIL FROM:<studio@juniper.example>\r\n").await.starts_with("250"));
        catcher.set_refusing(true);
        assert!(say(&mut read, &mut write, "RCPT TO:<ana@client.example>\r\n").await.starts_with("451"));
        catcher.set_refusing(false);
        catcher.set_rejecting(true);
        assert!(say(&mut read, &mut write, "RCPT TO:<ana@client.example>\r\n").await.starts_with("550"));
        catcher.set_rejecting(false);
        assert!(say(&mut read, &mut write, "RCPT TO:<ana@client.example>\r\n").await.starts_with("250"));
        assert!(say(&mut read, &mut write, "DATA\r\n").await.starts_with("354"));
        let reply = say(&mut read, &mut write, "Subject: Hello\r\n\r\n..a line with a dot\r\nsecond\r\n.\r\n").await;
        assert!(reply.starts_with("250"), "{reply}");
        assert!(say(&mut read, &mut write, "NOOP\r\n").await.starts_with("250"));
        assert!(say(&mut read, &mut write, "QUIT\r\n").await.starts_with("221"));
        let kept = catcher.messages();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].to, vec!["ana@client.example".to_string()]);
        assert_eq!(kept[0].from, "studio@juniper.example");
        assert_eq!(kept[0].subject, "Hello");
        assert_eq!(kept[0].text, ".a line with a dot\nsecond");

        // The HTTP side, by hand: one request, the connection closed after it.
        let mut http = TcpStream::connect(catcher.http_addr().unwrap()).await.unwrap();
        http.write_all(b"GET /messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut http, &mut answer).await.unwrap();
        assert!(answer.to_ascii_lowercase().contains("access-control-allow-origin: *"));
        assert!(answer.contains("\"subject\":\"Hello\""));

        let addr = catcher.smtp_addr();
        catcher.stop().await;
        assert!(TcpStream::connect(addr).await.is_err(), "the port is closed once stopped");
    }
}
