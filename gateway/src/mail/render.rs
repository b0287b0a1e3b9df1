//! The waitlist e-mails' words: the catalogues (`gateway/mail/{language}.toml`), and each
//! kind of e-mail written from them in the reader's language and time zone, as plain text and
//! as simple HTML.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, Locale, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::Value;

/// The languages the widget speaks (interface.json's `languages`), English first.
pub const LANGUAGES: [&str; 14] = ["en", "fr", "de", "es", "it", "nl", "pt-BR", "sv", "da", "nb", "pl", "ja", "ar", "he"];

/// Other names readers' browsers give some of them (interface.json's `languageAliases`).
pub const LANGUAGE_ALIASES: [(&str, &str); 3] = [("pt", "pt-BR"), ("no", "nb"), ("nn", "nb")];

/// The languages written right to left (interface.json's `rightToLeft`).
pub const RIGHT_TO_LEFT: [&str; 2] = ["ar", "he"];

/// The names of the booking page's link parameters, in the URL's fragment (interface.json's
/// `waitlistLink`): the widget on the page reads them, so they are kept exactly.
pub mod link_names {
    /// Confirms a waitlist place (double opt-in).
    pub const CONFIRM: &str = "studio-booking-waitlist-confirm";
    /// Leaves the waitlist.
    pub const LEAVE: &str = "studio-booking-waitlist-leave";
    /// The offer of a freed slot: its id…
    pub const OFFER: &str = "studio-booking-offer";
    /// …and its token. The page it opens books the slot, or declines it.
    pub const OFFER_TOKEN: &str = "studio-booking-offer-token";
}

/// The catalogues as written, one per language, built into the gateway. A language whose
/// file has no keys yet is read as English, key by key.
pub const SOURCES: [(&str, &str); 14] = [
    ("en", include_str!("../../mail/en.toml")),
    ("fr", include_str!("../../mail/fr.toml")),
    ("de", include_str!("../../mail/de.toml")),
    ("es", include_str!("../../mail/es.toml")),
    ("it", include_str!("../../mail/it.toml")),
    ("nl", include_str!("../../mail/nl.toml")),
    ("pt-BR", include_str!("../../mail/pt-BR.toml")),
    ("sv", include_str!("../../mail/sv.toml")),
    ("da", include_str!("../../mail/da.toml")),
    ("nb", include_str!("../../mail/nb.toml")),
    ("pl", include_str!("../../mail/pl.toml")),
    ("ja", include_str!("../../mail/ja.toml")),
    ("ar", include_str!("../../mail/ar.toml")),
    ("he", include_str!("../../mail/he.toml")),
];

/// One e-mail, written: what [`crate::mail::Mailer::send`] sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    /// The plain text part.
    pub text: String,
    /// The HTML part: inline styles only, no images, nothing fetched.
    pub html: String,
    /// The language it is written in (its `Content-Language`).
    pub language: String,
}

/// Every language's messages, keyed `section.key` (`offer.subject`).
#[derive(Debug, Clone)]
pub struct Catalogues {
    languages: HashMap<String, HashMap<String, String>>,
}

/// The `section.key` names of a catalogue's TOML text, with their messages.
pub fn parse_catalogue(text: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut messages = HashMap::new();
    for (section, keys) in table {
        let keys = keys.as_table().ok_or_else(|| format!("`{section}` is not a [section]"))?;
        for (key, message) in keys {
            let message = message.as_str().ok_or_else(|| format!("`{section}.{key}` is not text"))?;
            messages.insert(format!("{section}.{key}"), message.to_string());
        }
    }
    Ok(messages)
}

/// The `{placeholders}` of a message, sorted, as the catalogues' check compares them.
pub fn placeholders(message: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        match rest.find('}') {
            Some(close) if rest[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && close > 0 => {
                names.push(rest[..close].to_string());
                rest = &rest[close + 1..];
            }
            _ => {}
        }
    }
    names.sort();
    names
}

impl Catalogues {
    /// The catalogues built into the gateway ([`SOURCES`]).
    pub fn load() -> Result<Catalogues, String> {
        Catalogues::from_sources(SOURCES.iter().copied())
    }

    /// Catalogues from `(language, TOML text)` pairs; English must be among them.
    pub fn from_sources<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Catalogues, String> {
        let mut languages = HashMap::new();
        for (language, text) in sources {
            let messages = parse_catalogue(text).map_err(|e| format!("mail catalogue {language}: {e}"))?;
            languages.insert(language.to_string(), messages);
        }
        if languages.get("en").is_none_or(|en| en.is_empty()) {
            return Err("mail catalogue en: missing (every other language falls back to it)".into());
        }
        Ok(Catalogues { languages })
    }

    /// Whether `language` has any message of its own (a file only of comments has none).
    fn speaks(&self, language: &str) -> bool {
        self.languages.get(language).is_some_and(|m| !m.is_empty())
    }

    /// A message in `language`, or in English when that language has no such key.
    fn message(&self, language: &str, key: &str) -> Result<&str, String> {
        self.languages
            .get(language)
            .and_then(|m| m.get(key))
            .or_else(|| self.languages.get("en").and_then(|m| m.get(key)))
            .map(String::as_str)
            .ok_or_else(|| format!("mail catalogue: no message `{key}`"))
    }
}

/// The language a mail is written in, for a language asked for (`fr-CA`, `pt`, `AR`):
/// itself, its alias or its first part when the widget speaks it, otherwise English.
pub fn language_of(requested: &str) -> &'static str {
    let requested = requested.trim().replace('_', "-");
    let primary = requested.split('-').next().unwrap_or("");
    let find = |wanted: &str| LANGUAGES.iter().copied().find(|l| l.eq_ignore_ascii_case(wanted));
    find(&requested)
        .or_else(|| LANGUAGE_ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(primary)).and_then(|(_, l)| find(l)))
        .or_else(|| find(primary))
        .or_else(|| LANGUAGES.iter().copied().find(|l| l.split('-').next().is_some_and(|p| p.eq_ignore_ascii_case(primary))))
        .unwrap_or("en")
}

/// The locale whose day and month names a language's dates are written with.
fn locale_of(language: &str) -> Locale {
    match language {
        "fr" => Locale::fr_FR,
        "de" => Locale::de_DE,
        "es" => Locale::es_ES,
        "it" => Locale::it_IT,
        "nl" => Locale::nl_NL,
        "pt-BR" => Locale::pt_BR,
        "sv" => Locale::sv_SE,
        "da" => Locale::da_DK,
        "nb" => Locale::nb_NO,
        "pl" => Locale::pl_PL,
        "ja" => Locale::ja_JP,
        "ar" => Locale::ar_EG,
        "he" => Locale::he_IL,
        _ => Locale::en_GB,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How a mail is being written: as plain text or as HTML, right to left or not.
#[derive(Clone, Copy)]
struct Mode {
    html: bool,
    rtl: bool,
}

impl Mode {
    /// A value as it sits in a sentence: escaped for HTML, and in a right-to-left language
    /// isolated (FSI…PDI, or `<bdi>`), so a Latin name or a date keeps its own order.
    fn value(self, raw: &str) -> String {
        let raw = if self.html { escape(raw) } else { raw.to_string() };
        self.isolate(raw)
    }

    /// An already written value, isolated as [`Mode::value`] does.
    fn isolate(self, written: String) -> String {
        match (self.rtl, self.html) {
            (false, _) => written,
            (true, false) => format!("\u{2068}{written}\u{2069}"),
            (true, true) => format!("<bdi>{written}</bdi>"),
        }
    }

    /// A message with its `{placeholders}` filled from `values` (already written for this
    /// mode); the message's own words are escaped for HTML.
    fn fill(self, message: &str, values: &HashMap<&'static str, String>, key: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = message;
        while let Some(open) = rest.find('{') {
            let literal = &rest[..open];
            out.push_str(&if self.html { escape(literal) } else { literal.to_string() });
            rest = &rest[open..];
            let close = rest.find('}').unwrap_or(0);
            let name = &rest[1..close.max(1)];
            if close > 1 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                let value = values.get(name).ok_or_else(|| format!("`{key}` needs {{{name}}}, which this mail's payload does not give"))?;
                out.push_str(value);
                rest = &rest[close + 1..];
            } else {
                out.push_str(if self.html { "&#123;" } else { "{" });
                rest = &rest[1..];
            }
        }
        out.push_str(&if self.html { escape(rest) } else { rest.to_string() });
        Ok(out)
    }
}

/// The payload's text field `name`, when given and not blank.
fn field<'a>(payload: &'a Value, name: &str) -> Option<&'a str> {
    payload.get(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn required<'a>(payload: &'a Value, name: &str, kind: &str) -> Result<&'a str, String> {
    field(payload, name).ok_or_else(|| format!("{kind}: the payload has no `{name}`"))
}

fn instant(payload: &Value, name: &str, kind: &str) -> Result<DateTime<Utc>, String> {
    let text = required(payload, name, kind)?;
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| format!("{kind}: `{name}` is not an RFC 3339 time"))
}

fn zone(payload: &Value, name: &str) -> Option<Tz> {
    field(payload, name).and_then(|z| z.parse::<Tz>().ok())
}

/// A link to the booking page (its own fragment replaced by ours): every parameter's value
/// percent-encoded, in the fragment so that it never reaches a server's log.
pub fn booking_link(booking_page: &str, parameters: &[(&str, &str)]) -> Result<String, String> {
    let page = booking_page.trim();
    let page = page.split('#').next().unwrap_or(page);
    let scheme_ok = page.starts_with("https://") || page.starts_with("http://");
    if !scheme_ok || page.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\'' | '\\' | '`')) {
        return Err("the payload's `booking_page` is not an http(s) address".into());
    }
    let mut link = page.to_string();
    for (i, (name, value)) in parameters.iter().enumerate() {
        link.push(if i == 0 { '#' } else { '&' });
        link.push_str(name);
        link.push('=');
        for byte in value.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                link.push(byte as char);
            } else {
                let _ = write!(link, "%{byte:02X}");
            }
        }
    }
    Ok(link)
}

/// One piece of a mail's body.
enum Block {
    /// A paragraph: a catalogue key.
    Paragraph(&'static str),
    /// A paragraph already written (for this mode).
    Written(String),
    /// A link: the key of its words, and its address.
    Action(&'static str, String),
    /// Small print at the bottom: a catalogue key.
    Small(&'static str),
}

struct Writer<'a> {
    catalogues: &'a Catalogues,
    language: &'static str,
    kind: &'a str,
    payload: &'a Value,
    /// The reader's zone.
    zone: Tz,
}

impl Writer<'_> {
    fn message(&self, key: &str) -> Result<&str, String> {
        self.catalogues.message(self.language, key)
    }

    fn fill(&self, mode: Mode, key: &str, values: &HashMap<&'static str, String>) -> Result<String, String> {
        mode.fill(self.message(key)?, values, key)
    }

    /// A time written with the catalogue's pattern `format_key`, in `zone`, in the language.
    fn time(&self, at: DateTime<Utc>, zone: Tz, format_key: &str) -> Result<String, String> {
        let pattern = self.message(format_key)?;
        let mut out = String::new();
        write!(out, "{}", at.with_timezone(&zone).format_localized(pattern, locale_of(self.language)))
            .map_err(|_| format!("mail catalogue {}: `{format_key}` is not a date pattern", self.language))?;
        Ok(out)
    }

    /// A zone's name and its offset at `at`: "Pacific/Auckland time (UTC+13:00)".
    fn zone_name(&self, mode: Mode, zone: Tz, at: DateTime<Utc>) -> Result<String, String> {
        let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix().to_string();
        let values = HashMap::from([("zone_name", mode.value(&zone.name().replace('_', " "))), ("offset", mode.value(&offset))]);
        Ok(mode.isolate(self.fill(mode, "common.zone", &values)?))
    }

    /// A slot, from its start to its end, in `zone`.
    fn slot(&self, mode: Mode, zone: Tz, key: &str) -> Result<String, String> {
        let (start, end) = (instant(self.payload, "start", self.kind)?, instant(self.payload, "end", self.kind)?);
        let same_day = start.with_timezone(&zone).date_naive() == end.with_timezone(&zone).date_naive();
        let values = HashMap::from([
            ("start", mode.value(&self.time(start, zone, "format.date_time")?)),
            ("end", mode.value(&self.time(end, zone, if same_day { "format.time" } else { "format.date_time" })?)),
            ("zone", self.zone_name(mode, zone, start)?),
        ]);
        self.fill(mode, key, &values)
    }

    /// The studio's zone, when the payload gives one whose clock differs from the reader's
    /// at the slot's start.
    fn studio_zone(&self) -> Option<Tz> {
        let studio = zone(self.payload, "studio_timezone")?;
        let start = instant(self.payload, "start", self.kind).ok()?;
        let offset = |z: Tz| z.offset_from_utc_datetime(&start.naive_utc()).fix();
        (offset(studio) != offset(self.zone)).then_some(studio)
    }

    /// The values this mail's messages may name, written for `mode`.
    fn values(&self, mode: Mode) -> Result<HashMap<&'static str, String>, String> {
        let p = self.payload;
        let mut values = HashMap::new();
        for (name, from) in [("first_name", "first_name"), ("session", "session_type_name"), ("email", "email"), ("phone", "phone")] {
            if let Some(v) = field(p, from) {
                values.insert(name, mode.value(v));
            }
        }
        let full_name = [field(p, "first_name"), field(p, "last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
        if !full_name.is_empty() {
            values.insert("name", mode.value(&full_name));
        }
        let dates: Vec<NaiveDate> = match p.get("dates") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .map(|d| {
                    d.as_str()
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                        .ok_or_else(|| format!("{}: `dates` holds something not a YYYY-MM-DD day", self.kind))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(format!("{}: `dates` is not a list", self.kind)),
        };
        let days = if dates.is_empty() {
            self.fill(mode, "common.any_day", &HashMap::new())?
        } else {
            let mut written = Vec::new();
            for day in dates {
                // A day is written as its noon in UTC: the same day in every zone's calendar.
                let noon = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap_or_default());
                written.push(mode.value(&self.time(noon, Tz::UTC, "format.date")?));
            }
            let separator = self.message("format.list_separator")?;
            let separator = if mode.html { escape(separator) } else { separator.to_string() };
            self.fill(mode, "common.some_days", &HashMap::from([("dates", written.join(&separator))]))?
        };
        values.insert("days", mode.isolate(days));
        if field(p, "start").is_some() {
            values.insert("slot", mode.isolate(self.slot(mode, self.zone, "common.slot")?));
        }
        if field(p, "expires_at").is_some() {
            let expires = instant(p, "expires_at", self.kind)?;
            values.insert("expires", mode.value(&self.time(expires, self.zone, "format.date_time")?));
        }
        Ok(values)
    }

    fn person_link(&self, parameters: &[(&str, &str)]) -> Result<String, String> {
        booking_link(required(self.payload, "booking_page", self.kind)?, parameters)
    }

    /// The subject and the body's blocks of this mail's kind.
    fn blocks(&self, mode: Mode) -> Result<(&'static str, Vec<Block>), String> {
        let p = self.payload;
        let kind = self.kind;
        let to_studio = kind.starts_with("notify_");
        let mut blocks = Vec::new();
        if !to_studio {
            blocks.push(Block::Paragraph(if field(p, "first_name").is_some() { "common.greeting" } else { "common.greeting_no_name" }));
        }
        let studio_slot = |blocks: &mut Vec<Block>| -> Result<(), String> {
            if let Some(studio) = self.studio_zone() {
                blocks.push(Block::Written(self.slot(mode, studio, "common.slot_at_studio")?));
            }
            Ok(())
        };
        let subject = match kind {
            "confirm" => {
                let link = self.person_link(&[(link_names::CONFIRM, required(p, "confirm_token", kind)?)])?;
                blocks.extend([
                    Block::Paragraph("confirm.intro"),
                    Block::Paragraph("confirm.ask"),
                    Block::Action("confirm.action", link),
                    Block::Paragraph("confirm.ignore"),
                ]);
                "confirm.subject"
            }
            "offer" => {
                let link = self.person_link(&[
                    (link_names::OFFER, required(p, "offer_id", kind)?),
                    (link_names::OFFER_TOKEN, required(p, "offer_token", kind)?),
                ])?;
                blocks.extend([Block::Paragraph("offer.intro"), Block::Paragraph("offer.when")]);
                studio_slot(&mut blocks)?;
                blocks.extend([Block::Paragraph("offer.held"), Block::Action("offer.action", link), Block::Paragraph("offer.decline")]);
                "offer.subject"
            }
            "declined" | "expired" => {
                blocks.push(Block::Paragraph(if kind == "declined" { "declined.body" } else { "expired.body" }));
                studio_slot(&mut blocks)?;
                blocks.push(Block::Paragraph("common.still_waiting"));
                if kind == "declined" {
                    "declined.subject"
                } else {
                    "expired.subject"
                }
            }
            "booked" => {
                blocks.push(Block::Paragraph("booked.body"));
                studio_slot(&mut blocks)?;
                "booked.subject"
            }
            "left" => {
                let page = self.person_link(&[])?;
                blocks.extend([Block::Paragraph("left.body"), Block::Paragraph("left.rejoin"), Block::Action("left.action", page)]);
                "left.subject"
            }
            "notify_joined" | "notify_filled" => {
                blocks.push(Block::Paragraph(if kind == "notify_joined" { "notify_joined.body" } else { "notify_filled.body" }));
                if kind == "notify_filled" {
                    studio_slot(&mut blocks)?;
                }
                if field(p, "email").is_some() {
                    blocks.push(Block::Paragraph("common.contact_email"));
                }
                if field(p, "phone").is_some() {
                    blocks.push(Block::Paragraph("common.contact_phone"));
                }
                blocks.push(Block::Small("common.studio_footer"));
                if kind == "notify_joined" {
                    "notify_joined.subject"
                } else {
                    "notify_filled.subject"
                }
            }
            other => return Err(format!("no e-mail of the kind `{other}`")),
        };
        // Every mail to a person lets them leave, except the one saying they have left.
        if !to_studio && kind != "left" {
            let leave = self.person_link(&[(link_names::LEAVE, required(p, "leave_token", kind)?)])?;
            blocks.extend([
                Block::Paragraph("common.sign_off"),
                Block::Paragraph("common.leave"),
                Block::Action("common.leave_action", leave),
                Block::Small("common.footer"),
            ]);
        } else if !to_studio {
            blocks.extend([Block::Paragraph("common.sign_off"), Block::Small("common.footer")]);
        }
        Ok((subject, blocks))
    }

    fn text(&self) -> Result<(String, String), String> {
        let mode = Mode { html: false, rtl: RIGHT_TO_LEFT.contains(&self.language) };
        let values = self.values(mode)?;
        let (subject_key, blocks) = self.blocks(mode)?;
        let subject = self.fill(mode, subject_key, &values)?;
        let mut parts = Vec::new();
        for block in blocks {
            parts.push(match block {
                Block::Paragraph(key) | Block::Small(key) => self.fill(mode, key, &values)?,
                Block::Written(text) => text,
                Block::Action(key, link) => format!("{}\n{link}", self.fill(mode, key, &values)?),
            });
        }
        // A subject is one line, whatever a name held.
        let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok((subject, parts.join("\n\n") + "\n"))
    }

    fn html(&self, subject: &str) -> Result<String, String> {
        let rtl = RIGHT_TO_LEFT.contains(&self.language);
        let mode = Mode { html: true, rtl };
        let values = self.values(mode)?;
        let (_, blocks) = self.blocks(mode)?;
        let dir = if rtl { "rtl" } else { "ltr" };
        let mut html = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{dir}\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\n<body style=\"margin:0;padding:24px 12px;background:#f6f5f3;color:#222;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5\">\n<div style=\"max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px\">\n",
            self.language,
            escape(subject)
        );
        for block in blocks {
            match block {
                Block::Paragraph(key) => {
                    let _ = writeln!(html, "<p style=\"margin:0 0 16px\">{}</p>", self.fill(mode, key, &values)?);
                }
                Block::Written(text) => {
                    let _ = writeln!(html, "<p style=\"margin:0 0 16px\">{text}</p>");
                }
                Block::Action(key, link) => {
                    let _ = writeln!(
                        html,
                        "<p style=\"margin:0 0 16px\"><a href=\"{}\" style=\"display:inline-block;padding:10px 18px;background:#222;color:#ffffff;text-decoration:none;border-radius:6px\">{}</a></p>",
                        escape(&link),
                        self.fill(mode, key, &values)?
                    );
                }
                Block::Small(key) => {
                    let _ = writeln!(html, "<p style=\"margin:24px 0 0;font-size:13px;color:#666\">{}</p>", self.fill(mode, key, &values)?);
                }
            }
        }
        html.push_str("</div>\n</body>\n</html>\n");
        Ok(html)
    }
}

/// Writes one e-mail of `kind` (`confirm`, `offer`, `declined`, `booked`, `left`, `expired`,
/// `notify_joined`, `notify_filled`) in `language` (English, whole, when the widget does not
/// speak it or its catalogue is not translated yet), its times in the payload's `timezone` (then `studio_timezone`, then UTC). An error
/// names the kind and the payload's field at fault, never a value.
pub fn render(kind: &str, language: &str, payload: &Value, catalogues: &Catalogues) -> Result<Rendered, String> {
    let language = Some(language_of(language)).filter(|l| catalogues.speaks(l)).unwrap_or("en");
    let zone = zone(payload, "timezone").or_else(|| zone(payload, "studio_timezone")).unwrap_or(Tz::UTC);
    let writer = Writer { catalogues, language, kind, payload, zone };
    let (subject, text) = writer.text()?;
    let html = writer.html(&subject)?;
    Ok(Rendered { subject, text, html, language: language.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_resolve() {
        assert_eq!(language_of("fr-CA"), "fr");
        assert_eq!(language_of("pt"), "pt-BR");
        assert_eq!(language_of("pt_PT"), "pt-BR");
        assert_eq!(language_of("no"), "nb");
        assert_eq!(language_of("AR"), "ar");
        assert_eq!(language_of("xx"), "en");
        assert_eq!(language_of(""), "en");
    }

    #[test]
    fn links_keep_tokens_in_the_fragment() {
        assert_eq!(booking_link("https://juniper.example/book?x=1#old", &[("a", "t/k n")]).unwrap(), "https://juniper.example/book?x=1#a=t%2Fk%20n");
        assert!(booking_link("javascript:alert(1)", &[]).is_err());
        assert!(booking_link("https://a.example/\"onmouseover", &[]).is_err());
    }

    #[test]
    fn placeholders_are_read() {
        assert_eq!(placeholders("{b} and {a}, {not one} {}"), vec!["a", "b"]);
    }
}
