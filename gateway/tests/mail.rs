//! The waitlist's e-mail: every kind written in English and in Arabic (links, tokens only in
//! fragments, the leave link, escaping, dates in the reader's zone), the catalogues against
//! English and interface.json, and the outbox drained into the mock studio's mail catcher
//! through a real SMTP conversation: taken, refused for now, the server down, back up.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use mock_studio::mail_catcher::Catcher;
use serde_json::{json, Value};
use studio_gateway::mail::{self, drain, render, Catalogues, MailQueue, Mailer, QueuedMail, FIRST_RETRY_MS as FIRST};

const PERSON_KINDS: [&str; 6] = ["confirm", "offer", "declined", "booked", "left", "expired"];
const STUDIO_KINDS: [&str; 2] = ["notify_joined", "notify_filled"];

fn payload() -> Value {
    json!({
        "first_name": "Ana <script>alert(1)</script>",
        "last_name": "Silva",
        "email": "ana@client.example",
        "phone": "+64 21 555 0101",
        "session_type_name": "Mini Session & Portraits",
        "timezone": "Pacific/Auckland",
        "studio_timezone": "America/Los_Angeles",
        "dates": ["2027-03-13", "2027-03-14"],
        "start": "2027-03-13T20:00:00Z",
        "end": "2027-03-13T20:30:00Z",
        "expires_at": "2027-03-12T20:00:00Z",
        "booking_page": "https://juniper.example/book?from=mail#old-fragment",
        "confirm_token": "CONFIRMtok3n",
        "leave_token": "LEAVEtok3n",
        "offer_id": "off_123",
        "offer_token": "OFFERtok3n"
    })
}

/// The built-in catalogues, with an Arabic one (English's words, until it is translated) so
/// that the right-to-left writing is tested either way.
fn catalogues() -> Catalogues {
    let arabic = mail::SOURCES.iter().find(|(l, _)| *l == "ar").unwrap().1;
    let arabic = if mail::parse_catalogue(arabic).unwrap().is_empty() { mail::SOURCES[0].1 } else { arabic };
    let sources = mail::SOURCES.iter().map(|(l, text)| (*l, if *l == "ar" { arabic } else { *text }));
    Catalogues::from_sources(sources).expect("the built-in catalogues")
}

/// Every web address in a text, up to white space, a quote or `<`.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("https://") {
        let tail = &rest[i..];
        let end = tail.find(|c: char| c.is_whitespace() || c == '"' || c == '<').unwrap_or(tail.len());
        found.push(tail[..end].replace("&amp;", "&"));
        rest = &tail[end..];
    }
    found
}

#[test]
fn every_kind_in_english_and_arabic() {
    let catalogues = catalogues();
    for language in ["en", "ar"] {
        for kind in PERSON_KINDS.iter().chain(STUDIO_KINDS.iter()) {
            let mail = render(kind, language, &payload(), &catalogues).unwrap_or_else(|e| panic!("{kind} {language}: {e}"));
            assert_eq!(mail.language, language);
            assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'), "{kind}: one subject line");
            // No value is left as markup, and no token travels in a query.
            assert!(!mail.html.contains("<script>"), "{kind} {language}: the name is escaped");
            assert!(mail.html.contains("&lt;script&gt;") || STUDIO_KINDS.contains(kind) && !mail.html.contains("script"), "{kind}");
            assert!(mail.html.contains("Mini Session &amp; Portraits"), "{kind} {language}: the session's name, escaped");
            for link in links(&mail.text).into_iter().chain(links(&mail.html)) {
                assert!(link.starts_with("https://juniper.example/book?from=mail"), "{kind}: {link}");
                assert!(!link.contains("old-fragment"), "{kind}: the page's own fragment is replaced");
                let query = link.split('#').next().unwrap();
                assert!(!query.contains("tok3n"), "{kind}: no token in the query: {link}");
            }
            let leave = "https://juniper.example/book?from=mail#studio-booking-waitlist-leave=LEAVEtok3n";
            if PERSON_KINDS.contains(kind) && *kind != "left" {
                assert!(mail.text.contains(leave), "{kind} {language}: the leave link in the text");
                assert!(mail.html.contains(leave), "{kind} {language}: the leave link in the HTML");
            } else {
                assert!(!mail.text.contains("tok3n"), "{kind}: no one's token");
            }
            if language == "ar" {
                assert!(mail.html.contains("dir=\"rtl\"") && mail.html.contains("lang=\"ar\""));
                assert!(
                    (mail.subject.clone() + &mail.text).contains("\u{2068}Mini Session & Portraits\u{2069}"),
                    "{kind}: the name isolated in the text"
                );
                assert!(mail.html.contains("<bdi>"));
            } else {
                assert!(mail.html.contains("dir=\"ltr\"") && !mail.text.contains('\u{2068}'));
            }
        }
    }
}

#[test]
fn links_and_times_of_each_kind() {
    let catalogues = catalogues();
    let p = payload();
    let confirm = render("confirm", "en", &p, &catalogues).unwrap();
    assert!(confirm.text.contains("https://juniper.example/book?from=mail#studio-booking-waitlist-confirm=CONFIRMtok3n"));
    assert!(confirm.text.contains("Saturday 13 March 2027, Sunday 14 March 2027"), "{}", confirm.text);
    assert!(confirm.text.starts_with("Hello Ana <script>alert(1)</script>,"), "the text part is plain text");

    let offer = render("offer", "en", &p, &catalogues).unwrap();
    let link = "https://juniper.example/book?from=mail#studio-booking-offer=off_123&studio-booking-offer-token=OFFERtok3n";
    assert!(offer.text.contains(link));
    assert!(offer.html.contains(&link.replace('&', "&amp;")));
    assert!(offer.text.contains("decline"), "the offer says it can be declined on its page");
    // 20:00 UTC on 13 March is 09:00 on the 14th in Auckland (UTC+13), 12:00 on the 13th at
    // the studio in Los Angeles (UTC-8).
    assert!(offer.text.contains("Sunday 14 March 2027 at 09:00 to 09:30, Pacific/Auckland time (UTC+13:00)"), "{}", offer.text);
    assert!(
        offer.text.contains("At the studio, that is Saturday 13 March 2027 at 12:00 to 12:30, America/Los Angeles time (UTC-08:00)."),
        "{}",
        offer.text
    );
    assert!(offer.text.contains("held for you until Saturday 13 March 2027 at 09:00"), "{}", offer.text);

    let mut no_studio = p.clone();
    no_studio["studio_timezone"] = json!("Pacific/Auckland");
    no_studio["dates"] = json!([]);
    let booked = render("booked", "en", &no_studio, &catalogues).unwrap();
    assert!(!booked.text.contains("At the studio"), "the studio's time only when it differs");
    let declined = render("declined", "en", &no_studio, &catalogues).unwrap();
    assert!(declined.text.contains("on any day"), "{}", declined.text);

    let arabic = render("offer", "ar-EG", &p, &catalogues).unwrap();
    assert!(arabic.text.contains(link));

    let joined = render("notify_joined", "en", &p, &catalogues).unwrap();
    assert!(joined.subject.starts_with("Ana <script>alert(1)</script> Silva joined"));
    assert!(joined.text.contains("E-mail: ana@client.example") && joined.text.contains("Phone: +64 21 555 0101"));
    let mut no_phone = p.clone();
    no_phone.as_object_mut().unwrap().remove("phone");
    assert!(!render("notify_filled", "en", &no_phone, &catalogues).unwrap().text.contains("Phone"));

    // A language not translated yet reads English, whole.
    let built_in = Catalogues::load().unwrap();
    let french = render("confirm", "fr", &p, &built_in).unwrap();
    if mail::parse_catalogue(mail::SOURCES.iter().find(|(l, _)| *l == "fr").unwrap().1).unwrap().is_empty() {
        assert_eq!(french, render("confirm", "en", &p, &built_in).unwrap());
    } else {
        assert_eq!(french.language, "fr");
    }

    // Unknown languages read English; a mail its payload cannot write is refused by name.
    assert_eq!(render("left", "tlh", &p, &catalogues).unwrap().language, "en");
    let mut no_token = p.clone();
    no_token.as_object_mut().unwrap().remove("offer_token");
    let e = render("offer", "en", &no_token, &catalogues).unwrap_err();
    assert!(e.contains("offer_token") && !e.contains("tok3n"), "{e}");
    assert!(render("postcard", "en", &p, &catalogues).is_err());
    let mut evil = p.clone();
    evil["booking_page"] = json!("javascript:alert(1)");
    assert!(render("confirm", "en", &evil, &catalogues).is_err());
}

#[test]
fn catalogues_have_englishs_keys_and_placeholders() {
    let english = mail::parse_catalogue(mail::SOURCES[0].1).unwrap();
    assert_eq!(mail::SOURCES[0].0, "en");
    assert!(english.len() >= 40);
    let mut files: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/mail"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".toml").map(str::to_string))
        .collect();
    files.sort();
    let mut built_in: Vec<String> = mail::SOURCES.iter().map(|(l, _)| l.to_string()).collect();
    built_in.sort();
    assert_eq!(files, built_in, "every catalogue file is built in");
    let english_keys: BTreeSet<&String> = english.keys().collect();
    for (language, text) in mail::SOURCES {
        let messages = mail::parse_catalogue(text).unwrap_or_else(|e| panic!("{language}: {e}"));
        if messages.is_empty() {
            continue; // Not translated yet: read as English.
        }
        assert_eq!(messages.keys().collect::<BTreeSet<_>>(), english_keys, "{language}: exactly English's keys");
        for (key, message) in &messages {
            assert_eq!(mail::placeholders(message), mail::placeholders(&english[key]), "{language} {key}: English's placeholders");
            assert!(!message.trim().is_empty() && !message.contains(['<', '>', '\n']), "{language} {key}: one line of words, no markup");
        }
        // Every pattern writes a date.
        for key in ["format.date", "format.date_time", "format.time"] {
            assert!(messages[key].contains('%'), "{language} {key}");
        }
    }
}

#[test]
fn the_link_names_are_interface_jsons() {
    let facts: Value = serde_json::from_str(include_str!("../../interface.json")).unwrap();
    let names = &facts["waitlistLink"];
    assert_eq!(names["confirm"], mail::link_names::CONFIRM);
    assert_eq!(names["leave"], mail::link_names::LEAVE);
    assert_eq!(names["offer"], mail::link_names::OFFER);
    assert_eq!(names["offerToken"], mail::link_names::OFFER_TOKEN);
    assert_eq!(names.as_object().unwrap().len(), 4, "a new link name: the mails should carry it");
    let languages: Vec<String> = serde_json::from_value(facts["languages"].clone()).unwrap();
    assert_eq!(languages, mail::LANGUAGES);
    let rtl: Vec<String> = serde_json::from_value(facts["rightToLeft"].clone()).unwrap();
    assert_eq!(rtl, mail::RIGHT_TO_LEFT);
    let aliases: BTreeMap<String, String> = serde_json::from_value(facts["languageAliases"].clone()).unwrap();
    assert_eq!(aliases, mail::LANGUAGE_ALIASES.iter().map(|(a, l)| (a.to_string(), l.to_string())).collect());
}

/// An outbox in memory, leasing as a store would.
#[derive(Default)]
struct Outbox {
    rows: Mutex<Vec<Row>>,
}

#[derive(Debug, Clone)]
struct Row {
    mail: QueuedMail,
    next_attempt_ms: i64,
    leased_until: i64,
    sent: bool,
    last_error: Option<String>,
}

impl Outbox {
    fn queue(&self, id: &str, kind: &str, language: &str) {
        let mail = QueuedMail {
            id: id.into(),
            to: "ana@client.example".into(),
            kind: kind.into(),
            language: language.into(),
            payload: payload(),
            attempts: 0,
        };
        self.rows.lock().unwrap().push(Row { mail, next_attempt_ms: 0, leased_until: 0, sent: false, last_error: None });
    }

    fn row(&self, id: &str) -> Row {
        self.rows.lock().unwrap().iter().find(|r| r.mail.id == id).unwrap().clone()
    }
}

impl MailQueue for Outbox {
    async fn claim_due_mail(&self, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<QueuedMail>, String> {
        let mut rows = self.rows.lock().unwrap();
        let due = rows.iter_mut().filter(|r| !r.sent && r.next_attempt_ms <= now_ms && r.leased_until <= now_ms).take(limit as usize);
        Ok(due
            .map(|r| {
                r.leased_until = now_ms + lease_ms;
                r.mail.clone()
            })
            .collect())
    }

    async fn mail_sent(&self, id: &str) -> Result<(), String> {
        let mut rows = self.rows.lock().unwrap();
        let row = rows.iter_mut().find(|r| r.mail.id == id).ok_or("no such mail")?;
        row.sent = true;
        Ok(())
    }

    async fn mail_failed(&self, id: &str, next_attempt_ms: i64, error: &str) -> Result<(), String> {
        let mut rows = self.rows.lock().unwrap();
        let row = rows.iter_mut().find(|r| r.mail.id == id).ok_or("no such mail")?;
        row.mail.attempts += 1;
        row.next_attempt_ms = next_attempt_ms;
        row.leased_until = 0;
        row.last_error = Some(error.to_string());
        Ok(())
    }
}

#[tokio::test]
async fn the_outbox_sends_through_a_real_smtp_server() {
    let catalogues = catalogues();
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let addr = catcher.smtp_addr();
    let mailer = Mailer::new(&format!("smtp://{addr}"), "Juniper Studio <hello@juniper.example>").unwrap();
    let outbox = Outbox::default();
    let t0 = 1_800_000_000_000;

    // Taken: sent, once.
    outbox.queue("m1", "offer", "ar");
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0).await.unwrap(), 1);
    assert!(outbox.row("m1").sent);
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0 + 1).await.unwrap(), 0, "never twice");
    let caught = catcher.messages();
    assert_eq!(caught.len(), 1);
    let offer = render("offer", "ar", &payload(), &catalogues).unwrap();
    assert_eq!(caught[0].to, vec!["ana@client.example".to_string()]);
    assert!(caught[0].from.contains("Juniper Studio") && caught[0].from.ends_with("<hello@juniper.example>"), "{}", caught[0].from);
    assert_eq!(caught[0].subject, offer.subject, "the UTF-8 subject arrives whole");
    assert_eq!(caught[0].text.trim_end(), offer.text.trim_end());
    assert_eq!(caught[0].html.trim_end(), offer.html.trim_end());
    assert!(caught[0].raw.contains("Content-Language: ar"));
    assert!(caught[0].raw.contains("multipart/alternative"));

    // Refused for now (451): kept, tried again a little later, then sent.
    catcher.set_refusing(true);
    outbox.queue("m2", "confirm", "en");
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0).await.unwrap(), 0);
    let row = outbox.row("m2");
    assert!(!row.sent && row.mail.attempts == 1 && row.next_attempt_ms == t0 + FIRST, "{row:?}");
    assert!(row.last_error.unwrap().contains("451"));
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0 + FIRST - 1).await.unwrap(), 0, "not before its time");
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0 + FIRST).await.unwrap(), 0, "still refused");
    assert_eq!(outbox.row("m2").next_attempt_ms, t0 + FIRST + 2 * FIRST, "the wait doubles");
    catcher.set_refusing(false);
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0 + 3 * FIRST).await.unwrap(), 1);
    assert!(outbox.row("m2").sent);

    // Refused for good (550): tried a few times, then kept as failed, never due again.
    catcher.set_rejecting(true);
    outbox.queue("m3", "booked", "en");
    let mut now = t0 + 100_000;
    for _ in 0..mail::PERMANENT_ATTEMPTS {
        drain(&outbox, &mailer, &catalogues, now).await.unwrap();
        now = outbox.row("m3").next_attempt_ms;
    }
    let row = outbox.row("m3");
    assert!(!row.sent && row.mail.attempts == mail::PERMANENT_ATTEMPTS && row.next_attempt_ms == mail::NEVER, "{row:?}");
    catcher.set_rejecting(false);

    // A mail that cannot be written: failed for good at once.
    outbox.queue("m4", "postcard", "en");
    drain(&outbox, &mailer, &catalogues, t0 + 200_000).await.unwrap();
    assert_eq!(outbox.row("m4").next_attempt_ms, mail::NEVER);

    // The server down (the port closed): failed, tried again later; back up: sent.
    catcher.stop().await;
    outbox.queue("m5", "left", "en");
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0 + 300_000).await.unwrap(), 0);
    let row = outbox.row("m5");
    assert!(!row.sent && row.next_attempt_ms == t0 + 300_000 + FIRST, "{row:?}");
    let catcher = Catcher::start(&addr.to_string()).await.unwrap();
    assert_eq!(drain(&outbox, &mailer, &catalogues, t0 + 300_000 + FIRST).await.unwrap(), 1);
    assert!(outbox.row("m5").sent);
    assert_eq!(catcher.messages().len(), 1);
    assert_eq!(catcher.messages()[0].subject, render("left", "en", &payload(), &catalogues).unwrap().subject);
    catcher.stop().await;
}

#[tokio::test]
async fn the_outbox_loop_wakes_when_mail_is_queued() {
    let catcher = Catcher::start("127.0.0.1:0").await.unwrap();
    let mailer = Mailer::new(&format!("smtp://{}", catcher.smtp_addr()), "hello@juniper.example").unwrap();
    let outbox = std::sync::Arc::new(Outbox::default());
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let task = tokio::spawn(mail::run_outbox(outbox.clone(), mailer, std::sync::Arc::new(catalogues()), wake.clone()));
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    outbox.queue("w1", "notify_joined", "en");
    wake.notify_one();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
    while !outbox.row("w1").sent {
        assert!(tokio::time::Instant::now() < deadline, "sent well before the 5 s idle wait");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    task.abort();
    catcher.stop().await;
}
