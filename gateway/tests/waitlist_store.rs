//! The waitlist's store and rules (`studio_gateway::waitlist`), over its public API: every
//! scenario runs against SQLite (a temporary file) and, when `STUDIO_GATEWAY_TEST_POSTGRES_URL`
//! names a PostgreSQL (scripts/test.sh starts one with scripts/postgres.sh), against a fresh
//! database of that server too. The clock is the tests' own (`now_ms`).

use std::collections::HashSet;
use std::future::Future;

use chrono::NaiveDate;
use sqlx::{Connection, Row};
use studio_gateway::waitlist::{tokens, FreedSlot, Hold, Join, OfferError, QueuedMail, Store, TokenError};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// 2027-03-01T00:00:00Z: the tests' "now".
const NOW: i64 = 1_803_859_200_000;
const PHOTOGRAPHER: &str = "studio@example.com";
const SET: &str = "set_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Runs `scenario` on each backend: a fresh SQLite file, and a fresh PostgreSQL database when
/// the environment names a server.
async fn each_backend<F, Fut>(name: &str, scenario: F)
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let file = std::env::temp_dir().join(format!("waitlist-{name}-{}.db", tokens::new_id("").unwrap()));
    scenario(format!("sqlite://{}", file.display())).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    match std::env::var("STUDIO_GATEWAY_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            let db = format!("wl_{}", tokens::new_id("").unwrap().to_lowercase());
            let mut admin = sqlx::PgConnection::connect(&base).await.expect("the test PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut admin).await.unwrap();
            let (root, _) = base.rsplit_once('/').unwrap();
            scenario(format!("{root}/{db}")).await;
            let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)")).execute(&mut admin).await;
        }
        _ => println!("STUDIO_GATEWAY_TEST_POSTGRES_URL is not set: {name} ran on SQLite only (scripts/test.sh runs PostgreSQL too)"),
    }
}

async fn store(url: &str) -> Store {
    Store::open(url).await.expect("the store opens").with_notify(Some(PHOTOGRAPHER))
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn ms(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_millis()
}

fn join(email: &str, dates: &[&str], timezone: &str) -> Join {
    Join {
        session_type_id: SET.into(),
        session_type_name: "Spring mini sessions".into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: email.into(),
        phone: Some("+44 20 7946 0000".into()),
        dates: dates.iter().map(|d| day(d)).collect(),
        timezone: timezone.into(),
        language: "en".into(),
        booking_page: "https://photographer.example/book".into(),
    }
}

fn slot(start: &str, end: &str) -> FreedSlot {
    FreedSlot {
        session_type_id: SET.into(),
        session_type_name: "Spring mini sessions".into(),
        start: start.into(),
        start_ms: ms(start),
        end: end.into(),
    }
}

/// The mail due at `now`, claimed and marked sent (each mail is read once).
async fn inbox(s: &Store, now: i64) -> Vec<QueuedMail> {
    let mails = s.claim_due_mail(now, HOUR, 1000).await.unwrap();
    for m in &mails {
        s.mail_sent(&m.id).await.unwrap();
    }
    mails
}

fn text<'a>(m: &'a QueuedMail, field: &str) -> &'a str {
    m.payload[field].as_str().unwrap_or_else(|| panic!("{} mail without {field}: {}", m.kind, m.payload))
}

/// Joins and confirms `email`; answers the leave token of the confirm mail.
async fn waiting(s: &Store, j: Join, now: i64) -> String {
    let to = j.email.clone();
    s.join(j, now).await.unwrap();
    let mails = inbox(s, now).await;
    let confirm = mails.iter().find(|m| m.kind == "confirm" && m.to == to).expect("a confirm mail");
    s.confirm(text(confirm, "confirm_token"), now).await.unwrap();
    inbox(s, now).await;
    text(confirm, "leave_token").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn joining_confirming_and_leaving() {
    each_backend("join", |url| async move {
        let s = store(&url).await;
        s.join(join(" Ada@Example.com ", &["2027-03-14", "2027-03-13"], "Europe/London"), NOW).await.unwrap();
        let mails = inbox(&s, NOW).await;
        assert_eq!(mails.len(), 1);
        let m = &mails[0];
        assert_eq!((m.kind.as_str(), m.to.as_str(), m.language.as_str()), ("confirm", "Ada@Example.com", "en"));
        for field in ["first_name", "session_type_name", "timezone", "booking_page", "confirm_token", "leave_token", "expires_at"] {
            text(m, field);
        }
        assert_eq!(m.payload["dates"], serde_json::json!(["2027-03-13", "2027-03-14"]));
        let confirm = text(m, "confirm_token").to_string();
        assert_eq!(confirm.len(), 43);
        let listed = s.list(Some(SET)).await.unwrap();
        assert_eq!((listed.len(), listed[0].status.as_str()), (1, "unconfirmed"));

        // Not yet confirmed: no slot is offered to them.
        let freed = slot("2027-03-13T10:00:00Z", "2027-03-13T10:30:00Z");
        assert_eq!(s.offer_freed(freed.clone(), NOW + HOUR, NOW).await.unwrap(), None);

        let view = s.confirm(&confirm, NOW + HOUR).await.unwrap();
        assert_eq!((view.status.as_str(), view.timezone.as_str(), view.session_type_id.as_str()), ("waiting", "Europe/London", SET));
        assert_eq!(view.dates, vec!["2027-03-13", "2027-03-14"]);
        assert_eq!(serde_json::to_value(&view).unwrap()["status"], "waiting");
        // Again: the same answer, and the photographer is told once.
        assert_eq!(s.confirm(&confirm, NOW + 2 * HOUR).await.unwrap(), view);
        let mails = inbox(&s, NOW + 2 * HOUR).await;
        assert_eq!(mails.len(), 1);
        assert_eq!((mails[0].kind.as_str(), mails[0].to.as_str(), mails[0].language.as_str()), ("notify_joined", PHOTOGRAPHER, "en"));
        assert_eq!(
            (text(&mails[0], "email"), text(&mails[0], "last_name"), text(&mails[0], "phone")),
            ("Ada@Example.com", "Lovelace", "+44 20 7946 0000")
        );

        assert_eq!(s.confirm("not-a-token", NOW).await, Err(TokenError::Invalid));
        assert_eq!(s.confirm(&tokens::new_token().unwrap(), NOW).await, Err(TokenError::Invalid));
        assert_eq!(s.leave(&confirm, NOW).await, Err(TokenError::Invalid), "a confirm token does not leave");
        assert_eq!(s.confirm(&confirm, NOW + 49 * HOUR).await, Err(TokenError::Expired));
        assert_eq!((TokenError::Invalid.status(), TokenError::Expired.status()), (403, 410));

        // Leaving: the entry ends, a last mail says so, and the link answers the same again.
        let leave = text(m, "leave_token").to_string();
        assert_eq!(s.leave(&leave, NOW + 3 * HOUR).await, Ok(None));
        assert!(s.list(None).await.unwrap().is_empty());
        let mails = inbox(&s, NOW + 3 * HOUR).await;
        assert_eq!((mails.len(), mails[0].kind.as_str(), mails[0].to.as_str()), (1, "left", "Ada@Example.com"));
        let later_leave = text(&mails[0], "leave_token").to_string();
        assert_eq!(s.leave(&leave, NOW + 4 * HOUR).await, Ok(None));
        assert_eq!(s.leave(&later_leave, NOW + 4 * HOUR).await, Ok(None), "the left mail's own link answers too");
        assert_eq!(s.leave(&tokens::new_token().unwrap(), NOW).await, Err(TokenError::Invalid));
        assert!(inbox(&s, NOW + 4 * HOUR).await.is_empty(), "leaving again sends nothing");
        assert_eq!(s.confirm(&confirm, NOW + 4 * HOUR).await, Err(TokenError::Invalid), "the entry is gone");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn joining_again_keeps_the_place_and_a_stranger_cannot_change_the_days() {
    each_backend("rejoin", |url| async move {
        let s = store(&url).await;
        // Unconfirmed: joining again updates the details.
        s.join(join("bo@example.com", &["2027-03-10"], "UTC"), NOW).await.unwrap();
        s.join(join("BO@example.com", &["2027-03-11"], "UTC"), NOW + 1).await.unwrap();
        let mails = inbox(&s, NOW + 1).await;
        assert_eq!(mails.len(), 2);
        assert_eq!(s.list(None).await.unwrap()[0].dates, vec!["2027-03-11"]);
        let view = s.confirm(text(&mails[0], "confirm_token"), NOW + 2).await.unwrap();
        assert_eq!(view.dates, vec!["2027-03-11"], "any confirm link of the entry confirms its latest details");
        inbox(&s, NOW + 2).await;

        // Someone else joins after, then the first address asks for other days.
        waiting(&s, join("cy@example.com", &["2027-03-12"], "UTC"), NOW + 3).await;
        s.join(join("bo@example.com", &["2027-03-12"], "UTC"), NOW + 4).await.unwrap();
        let listed = s.list(Some(SET)).await.unwrap();
        assert_eq!(listed[0].email, "BO@example.com", "as typed last while unconfirmed");
        assert_eq!(listed[0].dates, vec!["2027-03-11"], "not changed until the owner of the address confirms");
        let mails = inbox(&s, NOW + 4).await;
        assert_eq!((mails.len(), mails[0].kind.as_str()), (1, "confirm"));
        assert_eq!(mails[0].payload["dates"], serde_json::json!(["2027-03-12"]), "the mail shows what its link confirms");
        let view = s.confirm(text(&mails[0], "confirm_token"), NOW + 5).await.unwrap();
        assert_eq!(view.dates, vec!["2027-03-12"]);
        assert!(inbox(&s, NOW + 5).await.is_empty(), "the photographer is told of a new person only");
        // Still first in line: the freed slot of that day goes to them.
        let made = s.offer_freed(slot("2027-03-12T09:00:00Z", "2027-03-12T09:30:00Z"), NOW + HOUR, NOW + 6).await.unwrap();
        assert!(made.is_some());
        assert_eq!(inbox(&s, NOW + 6).await[0].to, "BO@example.com");
        assert!(s.join(join("dee@example.com", &[], "Not/AZone"), NOW).await.is_err());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_most_three_confirm_mails_an_address_a_day() {
    each_backend("ratelimit", |url| async move {
        let s = store(&url).await;
        for i in 0..5 {
            let mut j = join("eve@example.com", &[], "UTC");
            j.session_type_id = format!("set_{i:0>30}");
            s.join(j, NOW + i).await.unwrap();
        }
        assert_eq!(inbox(&s, NOW + 10).await.len(), 3);
        assert_eq!(s.list(None).await.unwrap().len(), 5, "the entries are kept; only the mail is not sent");
        s.join(join("EVE@example.com", &[], "UTC"), NOW + 20).await.unwrap();
        assert!(inbox(&s, NOW + 20).await.is_empty());
        s.join(join("other@example.com", &[], "UTC"), NOW + 20).await.unwrap();
        assert_eq!(inbox(&s, NOW + 20).await.len(), 1, "another address is not limited");
        s.join(join("eve@example.com", &[], "UTC"), NOW + DAY).await.unwrap();
        assert_eq!(inbox(&s, NOW + DAY).await.len(), 1, "the next UTC day counts afresh");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_freed_slot_is_offered_held_declined_expired_booked_or_taken() {
    each_backend("offers", |url| async move {
        let s = store(&url).await;
        waiting(&s, join("ann@example.com", &["2027-03-13"], "UTC"), NOW).await;
        waiting(&s, join("ben@example.com", &[], "UTC"), NOW + 1).await;
        waiting(&s, join("cat@example.com", &["2027-03-20"], "UTC"), NOW + 2).await;
        let freed = slot("2027-03-13T10:00:00Z", "2027-03-13T10:30:00Z");
        assert_eq!(s.offer_freed(freed.clone(), NOW, NOW).await.unwrap(), None, "a hold that ends at once is no hold");

        // The first in line who wants that day.
        let made = s.offer_freed(freed.clone(), NOW + HOUR, NOW).await.unwrap().unwrap();
        assert!(made.offer_id.starts_with("off_") && made.offer_id.len() == 34 && made.offer_id[4..].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(s.offer_freed(freed.clone(), NOW + HOUR, NOW).await.unwrap(), None, "already held");
        let mails = inbox(&s, NOW).await;
        assert_eq!((mails.len(), mails[0].kind.as_str(), mails[0].to.as_str()), (1, "offer", "ann@example.com"));
        let m = &mails[0];
        assert_eq!(text(m, "offer_id"), made.offer_id);
        assert_eq!(
            (text(m, "start"), text(m, "end"), text(m, "expires_at")),
            ("2027-03-13T10:00:00Z", "2027-03-13T10:30:00Z", "2027-03-01T01:00:00Z")
        );
        text(m, "leave_token");
        let token = text(m, "offer_token").to_string();

        let view = s.offer(&made.offer_id, &token, NOW + 1).await.unwrap();
        assert_eq!((view.status.as_str(), view.email.as_str(), view.first_name.as_str()), ("holding", "ann@example.com", "Ada"));
        assert_eq!((view.expires_at.as_str(), view.timezone.as_str(), view.start.as_str()), ("2027-03-01T01:00:00Z", "UTC", "2027-03-13T10:00:00Z"));
        assert_eq!(s.offer(&made.offer_id, &tokens::new_token().unwrap(), NOW).await, Err(OfferError::Invalid));
        assert_eq!(s.offer("off_000000000000000000000000000000", &token, NOW).await, Err(OfferError::NotFound));
        assert_eq!(s.list(Some(SET)).await.unwrap()[0].status, "offered");

        // The hold: only its token books it; availability hides it.
        assert_eq!(s.hold_check(SET, freed.start_ms, Some(&token), NOW).await.unwrap(), Hold::ForThisToken { offer_id: made.offer_id.clone() });
        assert_eq!(s.hold_check(SET, freed.start_ms, None, NOW).await.unwrap(), Hold::Held);
        assert_eq!(s.hold_check(SET, freed.start_ms, Some(&tokens::new_token().unwrap()), NOW).await.unwrap(), Hold::Held);
        assert_eq!(s.hold_check(SET, freed.start_ms + HOUR, Some(&token), NOW).await.unwrap(), Hold::Free);
        assert_eq!(s.hold_check(SET, freed.start_ms, Some(&token), NOW + HOUR).await.unwrap(), Hold::Free, "a hold past its time");
        assert_eq!(s.held_starts(SET, NOW).await.unwrap(), vec![freed.start_ms]);
        assert!(s.held_starts(SET, NOW + HOUR).await.unwrap().is_empty());

        // Declined: freed for the next, who is not the one who declined it.
        let (view, again) = s.decline(&made.offer_id, &token, NOW + 2).await.unwrap();
        assert_eq!((view.status.as_str(), again), ("declined", Some(freed.clone())));
        let (view2, none) = s.decline(&made.offer_id, &token, NOW + 3).await.unwrap();
        assert_eq!((view2, none), (view, None));
        assert_eq!(inbox(&s, NOW + 3).await.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(), vec!["declined"]);
        let made = s.offer_freed(freed.clone(), NOW + HOUR, NOW + 4).await.unwrap().unwrap();
        let mails = inbox(&s, NOW + 4).await;
        assert_eq!(mails[0].to, "ben@example.com", "any day matches; cat wants another day");
        let token = text(&mails[0], "offer_token").to_string();

        // Run out: ends once, the person waits again and is told.
        assert!(s.expire_due(NOW + HOUR - 1).await.unwrap().is_empty());
        assert_eq!(s.offer(&made.offer_id, &token, NOW + HOUR).await, Err(OfferError::Expired), "past its time even before expire_due");
        assert_eq!(s.expire_due(NOW + HOUR).await.unwrap(), vec![freed.clone()]);
        assert!(s.expire_due(NOW + HOUR).await.unwrap().is_empty());
        assert_eq!(s.offer(&made.offer_id, &token, NOW + HOUR).await, Err(OfferError::Expired));
        assert_eq!(s.decline(&made.offer_id, &token, NOW + HOUR).await, Err(OfferError::Expired));
        assert_eq!(inbox(&s, NOW + HOUR).await.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(), vec!["expired"]);
        assert!(s.list(None).await.unwrap().iter().all(|e| e.status == "waiting"));
        assert_eq!(s.offer_freed(freed.clone(), NOW + 2 * HOUR, NOW + HOUR).await.unwrap(), None, "no one is offered the same slot twice");

        // Booked: the entry ends, the person and the photographer are told.
        let other = slot("2027-03-13T11:00:00Z", "2027-03-13T11:30:00Z");
        let made = s.offer_freed(other.clone(), NOW + 2 * HOUR, NOW + HOUR).await.unwrap().unwrap();
        let token = text(&inbox(&s, NOW + HOUR).await[0], "offer_token").to_string();
        s.booked(&made.offer_id, NOW + HOUR + 1).await.unwrap();
        s.booked(&made.offer_id, NOW + HOUR + 2).await.unwrap();
        let mails = inbox(&s, NOW + HOUR + 2).await;
        let kinds: HashSet<_> = mails.iter().map(|m| (m.kind.as_str(), m.to.as_str())).collect();
        assert_eq!(kinds, HashSet::from([("booked", "ann@example.com"), ("notify_filled", PHOTOGRAPHER)]));
        let filled = mails.iter().find(|m| m.kind == "notify_filled").unwrap();
        assert_eq!((text(filled, "email"), text(filled, "start")), ("ann@example.com", "2027-03-13T11:00:00Z"));
        assert_eq!(s.list(None).await.unwrap().iter().map(|e| e.email.as_str()).collect::<Vec<_>>(), vec!["ben@example.com", "cat@example.com"]);
        let view = s.offer(&made.offer_id, &token, NOW + HOUR + 3).await.unwrap();
        assert_eq!((view.status.as_str(), view.email.as_str(), view.phone.clone()), ("booked", "", None), "the person's details are gone");
        assert!(s.held_starts(SET, NOW + HOUR).await.unwrap().is_empty());

        // Taken: the studio refused the booking; the person waits for a later slot.
        let third = slot("2027-03-20T09:00:00Z", "2027-03-20T09:30:00Z");
        let made = s.offer_freed(third.clone(), NOW + 3 * HOUR, NOW + 2 * HOUR).await.unwrap().unwrap();
        let mails = inbox(&s, NOW + 2 * HOUR).await;
        assert_eq!(mails[0].to, "ben@example.com");
        let token = text(&mails[0], "offer_token").to_string();
        s.taken(&made.offer_id, NOW + 2 * HOUR).await.unwrap();
        assert_eq!(s.offer(&made.offer_id, &token, NOW + 2 * HOUR).await, Err(OfferError::Taken));
        assert_eq!(OfferError::Taken.status(), 409);
        assert!(s.list(None).await.unwrap().iter().all(|e| e.status == "waiting"));
        let fourth = slot("2027-03-20T10:00:00Z", "2027-03-20T10:30:00Z");
        let made = s.offer_freed(fourth.clone(), NOW + 3 * HOUR, NOW + 2 * HOUR).await.unwrap().unwrap();
        assert_eq!(inbox(&s, NOW + 2 * HOUR).await[0].to, "ben@example.com", "still first in line");

        // Leaving with a slot held frees it (ben's leave link from the mail of joining again).
        let _ = made;
        let ben_leave = {
            s.join(join("ben@example.com", &[], "UTC"), NOW + 2 * HOUR).await.unwrap();
            let m = inbox(&s, NOW + 2 * HOUR).await;
            text(&m[0], "leave_token").to_string()
        };
        assert_eq!(s.leave(&ben_leave, NOW + 2 * HOUR).await.unwrap(), Some(fourth.clone()));
        assert!(s.held_starts(SET, NOW + 2 * HOUR).await.unwrap().is_empty());
        let next = s.offer_freed(fourth, NOW + 3 * HOUR, NOW + 2 * HOUR).await.unwrap();
        assert!(next.is_some());
        let mails = inbox(&s, NOW + 2 * HOUR).await;
        let kinds: HashSet<_> = mails.iter().map(|m| (m.kind.as_str(), m.to.as_str())).collect();
        assert_eq!(kinds, HashSet::from([("left", "ben@example.com"), ("offer", "cat@example.com")]), "cat wants the 20th");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn days_are_days_of_the_persons_zone() {
    each_backend("zones", |url| async move {
        let s = store(&url).await;
        // 2027-03-13T20:00Z is 2027-03-14 09:00 in Auckland, still the 13th in London.
        waiting(&s, join("lon@example.com", &["2027-03-14"], "Europe/London"), NOW).await;
        waiting(&s, join("akl@example.com", &["2027-03-14"], "Pacific/Auckland"), NOW + 1).await;
        let made = s.offer_freed(slot("2027-03-13T20:00:00Z", "2027-03-13T20:30:00Z"), NOW + HOUR, NOW + 2).await.unwrap();
        assert!(made.is_some());
        let mails = inbox(&s, NOW + 2).await;
        assert_eq!((mails[0].to.as_str(), text(&mails[0], "timezone")), ("akl@example.com", "Pacific/Auckland"));
        let view = s.offer(&made.unwrap().offer_id, text(&mails[0], "offer_token"), NOW + 3).await.unwrap();
        assert_eq!(view.timezone, "Pacific/Auckland");
        // The London entry's 14th is matched by a slot on their 14th.
        assert!(s.offer_freed(slot("2027-03-14T09:00:00Z", "2027-03-14T09:30:00Z"), NOW + HOUR, NOW + 3).await.unwrap().is_some());
        assert_eq!(inbox(&s, NOW + 3).await[0].to, "lon@example.com");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_gateways_race_for_one_freed_slot() {
    each_backend("race_offer", |url| async move {
        let a = store(&url).await;
        let b = store(&url).await;
        for i in 0..5 {
            waiting(&a, join(&format!("p{i}@example.com"), &[], "UTC"), NOW + i).await;
        }
        let freed = slot("2027-03-13T10:00:00Z", "2027-03-13T10:30:00Z");
        let mut tasks = Vec::new();
        for i in 0..24 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            let freed = freed.clone();
            tasks.push(tokio::spawn(async move { s.offer_freed(freed, NOW + HOUR, NOW + 10).await.unwrap() }));
        }
        let mut made = 0;
        for t in tasks {
            made += t.await.unwrap().is_some() as usize;
        }
        assert_eq!(made, 1, "exactly one offer for one freed slot");
        assert_eq!(a.held_starts(SET, NOW + 10).await.unwrap(), vec![freed.start_ms]);
        let mails = inbox(&b, NOW + 10).await;
        assert_eq!((mails.len(), mails[0].to.as_str()), (1, "p0@example.com"));

        // Many slots at once: each person holds at most one, each slot one person.
        let mut tasks = Vec::new();
        for i in 0..16 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            let freed = slot(&format!("2027-03-14T{:02}:00:00Z", 6 + i / 2), &format!("2027-03-14T{:02}:30:00Z", 6 + i / 2));
            tasks.push(tokio::spawn(async move { s.offer_freed(freed, NOW + HOUR, NOW + 20).await.unwrap() }));
        }
        let mut made = 0;
        for t in tasks {
            made += t.await.unwrap().is_some() as usize;
        }
        assert_eq!(made, 4, "four people were still waiting");
        let mails = inbox(&a, NOW + 20).await;
        let people: HashSet<_> = mails.iter().map(|m| m.to.clone()).collect();
        let slots: HashSet<_> = mails.iter().map(|m| text(m, "start").to_string()).collect();
        assert_eq!((mails.len(), people.len(), slots.len()), (4, 4, 4));
        assert!(!people.contains("p0@example.com"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_gateways_expire_each_hold_once_and_claim_each_mail_once() {
    each_backend("race_expire", |url| async move {
        let a = store(&url).await;
        let b = store(&url).await;
        for i in 0..6 {
            waiting(&a, join(&format!("p{i}@example.com"), &[], "UTC"), NOW + i).await;
        }
        for i in 0..6 {
            let freed = slot(&format!("2027-03-14T{:02}:00:00Z", 8 + i), &format!("2027-03-14T{:02}:30:00Z", 8 + i));
            assert!(a.offer_freed(freed, NOW + HOUR, NOW + 10).await.unwrap().is_some());
        }
        let mut tasks = Vec::new();
        for i in 0..8 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move { s.expire_due(NOW + HOUR).await.unwrap() }));
        }
        let mut freed = Vec::new();
        for t in tasks {
            freed.extend(t.await.unwrap());
        }
        let starts: HashSet<_> = freed.iter().map(|f| f.start_ms).collect();
        assert_eq!((freed.len(), starts.len()), (6, 6), "each hold ended once");

        // 6 offer mails and 6 expired mails are due: claimed by two gateways at once.
        let mut tasks = Vec::new();
        for i in 0..8 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move { s.claim_due_mail(NOW + HOUR, 60_000, 1).await.unwrap() }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            ids.extend(t.await.unwrap().into_iter().map(|m| m.id));
        }
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "no mail claimed twice");
        let rest = a.claim_due_mail(NOW + HOUR, 60_000, 100).await.unwrap();
        assert_eq!(ids.len() + rest.len(), 12);
        assert!(b.claim_due_mail(NOW + HOUR, 60_000, 100).await.unwrap().is_empty(), "all leased");

        // A failed mail comes back when its time comes, counting the attempt; a lease that ran
        // out (a gateway died while sending) gives the mail to another.
        a.mail_failed(&rest[0].id, NOW + 2 * HOUR, "451 try later").await.unwrap();
        assert!(b.claim_due_mail(NOW + HOUR + 1, 60_000, 100).await.unwrap().is_empty());
        let again = b.claim_due_mail(NOW + 2 * HOUR, 60_000, 100).await.unwrap();
        assert_eq!(again.len(), 12, "the failed one and the ones whose lease ran out");
        assert_eq!(again.iter().find(|m| m.id == rest[0].id).unwrap().attempts, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_reopened_keeps_holds_and_pending_mail() {
    each_backend("reopen", |url| async move {
        let s = store(&url).await;
        s.join(join("fay@example.com", &[], "UTC"), NOW).await.unwrap();
        let confirm = inbox(&s, NOW).await;
        s.confirm(text(&confirm[0], "confirm_token"), NOW).await.unwrap();
        let freed = slot("2027-03-13T10:00:00Z", "2027-03-13T10:30:00Z");
        s.offer_freed(freed.clone(), NOW + HOUR, NOW).await.unwrap().unwrap();
        // A mail claimed but never answered (the gateway died while sending).
        let claimed = s.claim_due_mail(NOW, 60_000, 1).await.unwrap();
        assert_eq!(claimed.len(), 1);
        s.close().await;
        drop(s);

        let s = store(&url).await;
        assert_eq!(s.held_starts(SET, NOW).await.unwrap(), vec![freed.start_ms]);
        let kinds: HashSet<_> = s.claim_due_mail(NOW + 120_000, 60_000, 10).await.unwrap().into_iter().map(|m| m.kind).collect();
        assert_eq!(kinds, HashSet::from(["notify_joined".to_string(), "offer".to_string()]));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_never_stored_in_plain() {
    each_backend("plain", |url| async move {
        let s = store(&url).await;
        s.join(join("gus@example.com", &[], "UTC"), NOW).await.unwrap();
        let mut plain = Vec::new();
        let mails = s.claim_due_mail(NOW, HOUR, 10).await.unwrap();
        plain.push(text(&mails[0], "confirm_token").to_string());
        plain.push(text(&mails[0], "leave_token").to_string());
        s.confirm(&plain[0], NOW).await.unwrap();
        s.offer_freed(slot("2027-03-13T10:00:00Z", "2027-03-13T10:30:00Z"), NOW + HOUR, NOW).await.unwrap().unwrap();
        let mails = s.claim_due_mail(NOW, HOUR, 10).await.unwrap();
        let offer = mails.iter().find(|m| m.kind == "offer").unwrap();
        plain.push(text(offer, "offer_token").to_string());
        plain.push(text(offer, "leave_token").to_string());

        let scan = |outbox: bool| {
            let url = url.clone();
            let plain = plain.clone();
            async move {
                sqlx::any::install_default_drivers();
                let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
                let mut tables =
                    vec!["waitlist_entries", "waitlist_tokens", "waitlist_left", "waitlist_offers", "waitlist_mail_count", "waitlist_seen_open"];
                if outbox {
                    tables.push("waitlist_outbox");
                }
                let mut cells = 0;
                for table in tables {
                    for row in sqlx::query(&format!("SELECT * FROM {table}")).fetch_all(&mut c).await.unwrap() {
                        for i in 0..row.len() {
                            if let Ok(Some(cell)) = row.try_get::<Option<String>, _>(i) {
                                cells += 1;
                                for t in &plain {
                                    assert!(!cell.contains(t.as_str()), "a plain token in {table}");
                                }
                            }
                        }
                    }
                }
                assert!(cells > 20, "the scan read the tables ({cells} cells)");
            }
        };
        scan(false).await;
        // The outbox holds them until sent, then its payloads are scrubbed.
        for m in s.claim_due_mail(NOW + 2 * HOUR, HOUR, 100).await.unwrap().iter().chain(&mails) {
            s.mail_sent(&m.id).await.unwrap();
        }
        let first = s.claim_due_mail(NOW, HOUR, 10).await.unwrap();
        assert!(first.is_empty());
        scan(true).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_forgets_what_is_no_longer_needed() {
    each_backend("purge", |url| async move {
        let s = store(&url).await;
        s.join(join("unconfirmed@example.com", &[], "UTC"), NOW).await.unwrap();
        waiting(&s, join("dated@example.com", &["2027-03-05"], "UTC"), NOW).await;
        waiting(&s, join("anyday@example.com", &[], "UTC"), NOW).await;
        inbox(&s, NOW).await;
        assert_eq!(s.purge(NOW + 47 * HOUR).await.unwrap(), 0);
        assert_eq!(s.purge(NOW + 48 * HOUR).await.unwrap(), 1, "unconfirmed after 48 hours");
        // The 5th ends at 2027-03-06T00:00Z; a day more.
        assert_eq!(s.purge(ms("2027-03-07T00:00:00Z") - 1).await.unwrap(), 0);
        assert_eq!(s.purge(ms("2027-03-07T00:00:00Z")).await.unwrap(), 1, "a day after the last wanted day");
        assert_eq!(s.list(None).await.unwrap().iter().map(|e| e.email.as_str()).collect::<Vec<_>>(), vec!["anyday@example.com"]);
        assert_eq!(s.purge(NOW + 90 * DAY).await.unwrap(), 1, "any day: 90 days");
        assert!(s.list(None).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_watch_looks_at_wanted_days_and_sees_slots_free_up() {
    each_backend("watch", |url| async move {
        let s = store(&url).await;
        s.join(join("unconfirmed@example.com", &["2027-03-30"], "UTC"), NOW).await.unwrap();
        waiting(&s, join("a@example.com", &["2027-03-14", "2027-02-01"], "UTC"), NOW).await;
        waiting(&s, join("b@example.com", &["2027-03-12", "2027-03-14"], "Pacific/Auckland"), NOW).await;
        let mut other = join("c@example.com", &[], "UTC");
        other.session_type_id = "set_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB".into();
        waiting(&s, other, NOW).await;
        let wanted = s.wanted(NOW).await.unwrap();
        assert_eq!(
            wanted,
            vec![(SET.to_string(), vec![day("2027-03-12"), day("2027-03-14")]), ("set_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB".to_string(), vec![])]
        );

        let d = day("2027-03-14");
        let open = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(s.observe_open(SET, d, &open(&["2027-03-14T09:00:00Z"])).await.unwrap().is_empty(), "the first look");
        assert!(s.observe_open(SET, d, &open(&["2027-03-14T09:00:00Z"])).await.unwrap().is_empty());
        assert_eq!(s.observe_open(SET, d, &open(&["2027-03-14T09:00:00Z", "2027-03-14T10:00:00Z"])).await.unwrap(), open(&["2027-03-14T10:00:00Z"]));
        assert!(s.observe_open(SET, d, &open(&[])).await.unwrap().is_empty());
        assert_eq!(s.observe_open(SET, d, &open(&["2027-03-14T09:00:00Z"])).await.unwrap(), open(&["2027-03-14T09:00:00Z"]));
        assert!(s.observe_open(SET, day("2027-03-15"), &open(&["2027-03-15T09:00:00Z"])).await.unwrap().is_empty(), "a day of its own");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_photographer_lists_and_forgets() {
    each_backend("forget", |url| async move {
        let s = store(&url).await;
        waiting(&s, join("hal@example.com", &["2027-03-13"], "UTC"), NOW).await;
        let mut other = join("Hal@Example.com", &[], "UTC");
        other.session_type_id = "set_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB".into();
        s.join(other, NOW + 1).await.unwrap();
        waiting(&s, join("ivy@example.com", &[], "UTC"), NOW + 2).await;
        s.offer_freed(slot("2027-03-13T10:00:00Z", "2027-03-13T10:30:00Z"), NOW + HOUR, NOW + 3).await.unwrap().unwrap();

        let all = s.list(None).await.unwrap();
        assert_eq!(all.len(), 3);
        let of_set = s.list(Some(SET)).await.unwrap();
        assert_eq!(
            of_set.iter().map(|e| (e.email.as_str(), e.status.as_str())).collect::<Vec<_>>(),
            vec![("hal@example.com", "offered"), ("ivy@example.com", "waiting")]
        );
        assert_eq!(
            (of_set[0].dates.clone(), of_set[0].joined_at, of_set[0].session_type_name.as_str()),
            (vec!["2027-03-13".to_string()], NOW, "Spring mini sessions")
        );

        assert_eq!(s.forget(" HAL@example.com").await.unwrap(), 2);
        assert_eq!(s.list(None).await.unwrap().len(), 1);
        assert!(s.held_starts(SET, NOW + 3).await.unwrap().is_empty());
        let mails = s.claim_due_mail(NOW + 3, HOUR, 100).await.unwrap();
        assert!(mails
            .iter()
            .all(|m| !m.to.eq_ignore_ascii_case("hal@example.com") && m.payload.get("email").and_then(|e| e.as_str()) != Some("hal@example.com")));
        assert_eq!(s.forget("nobody@example.com").await.unwrap(), 0);
    })
    .await;
}
