//! The waitlist's rules: joining and confirming, leaving, offering a freed slot to the first
//! person in line who wants its day, holding it for them, and what ends a hold. Each method is
//! one transaction; where two gateways may race (the same freed slot, the same person, the
//! same due offer), a unique index or a conditional update decides who was first.

use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::{AnyConnection, Row};

use super::outbox::enqueue;
use super::{
    dates_text, db, email_key, load_entry, parse_dates, rfc3339, tokens, unique_violation, utc_day, zone, Entry, EntryView, FreedSlot, Hold, Join,
    ListedEntry, OfferError, OfferMade, OfferView, Store, TokenError, CONFIRM_FOR_MS, CONFIRM_MAILS_PER_DAY, DAY_MS, ENDED_OFFER_KEPT_MS,
    ENTRY_COLUMNS, LEAVE_FOR_MS, SENT_KEPT_MS,
};

/// How many times a transaction that lost a race to another gateway is tried again.
const RETRIES: usize = 8;

/// An offer as stored.
#[derive(Clone, Debug)]
struct OfferRow {
    id: String,
    entry_id: String,
    session_type_id: String,
    session_type_name: String,
    starts: String,
    start_ms: i64,
    ends: String,
    timezone: String,
    token_hash: String,
    status: String,
    expires_at: i64,
}

/// The columns [`OfferRow::from_row`] reads.
const OFFER_COLUMNS: &str = "id, entry_id, session_type_id, session_type_name, starts, start_ms, ends, timezone, token_hash, status, expires_at";

impl OfferRow {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<OfferRow, String> {
        Ok(OfferRow {
            id: row.try_get("id").map_err(db)?,
            entry_id: row.try_get("entry_id").map_err(db)?,
            session_type_id: row.try_get("session_type_id").map_err(db)?,
            session_type_name: row.try_get("session_type_name").map_err(db)?,
            starts: row.try_get("starts").map_err(db)?,
            start_ms: row.try_get("start_ms").map_err(db)?,
            ends: row.try_get("ends").map_err(db)?,
            timezone: row.try_get("timezone").map_err(db)?,
            token_hash: row.try_get("token_hash").map_err(db)?,
            status: row.try_get("status").map_err(db)?,
            expires_at: row.try_get("expires_at").map_err(db)?,
        })
    }

    /// The slot this offer held, to pass on to the next person.
    fn slot(&self) -> FreedSlot {
        FreedSlot {
            session_type_id: self.session_type_id.clone(),
            session_type_name: self.session_type_name.clone(),
            start: self.starts.clone(),
            start_ms: self.start_ms,
            end: self.ends.clone(),
        }
    }

    /// The view its person sees, with their details while their entry lasts.
    fn view(&self, entry: Option<&Entry>, status: &str) -> OfferView {
        OfferView {
            id: self.id.clone(),
            session_type_id: self.session_type_id.clone(),
            start: self.starts.clone(),
            end: self.ends.clone(),
            timezone: self.timezone.clone(),
            expires_at: rfc3339(self.expires_at),
            status: status.into(),
            first_name: entry.map(|e| e.first_name.clone()).unwrap_or_default(),
            last_name: entry.map(|e| e.last_name.clone()).unwrap_or_default(),
            email: entry.map(|e| e.email.clone()).unwrap_or_default(),
            phone: entry.and_then(|e| e.phone.clone()),
        }
    }

    /// What an offer mail carries besides the person's fields: the slot and its hold.
    fn add_slot(&self, payload: &mut serde_json::Map<String, Value>) {
        payload.insert("start".into(), self.starts.clone().into());
        payload.insert("end".into(), self.ends.clone().into());
        payload.insert("expires_at".into(), rfc3339(self.expires_at).into());
        payload.insert("offer_id".into(), self.id.clone().into());
    }
}

/// The offer `id`, if there is one.
async fn load_offer(c: &mut AnyConnection, id: &str) -> Result<Option<OfferRow>, String> {
    let row =
        sqlx::query(&format!("SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE id = $1")).bind(id).fetch_optional(&mut *c).await.map_err(db)?;
    row.as_ref().map(OfferRow::from_row).transpose()
}

/// Mints a token of `purpose` (`confirm` or `leave`) for an entry and stores its hash; the
/// plain token is returned for the one mail that carries it.
async fn mint(c: &mut AnyConnection, entry_id: &str, purpose: &str, pending: Option<String>, expires_at: i64) -> Result<String, String> {
    let token = tokens::new_token()?;
    sqlx::query("INSERT INTO waitlist_tokens (hash, entry_id, purpose, pending, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(tokens::hash(&token))
        .bind(entry_id)
        .bind(purpose)
        .bind(pending)
        .bind(expires_at)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    Ok(token)
}

/// A fresh leave token for a mail to a person on the list.
async fn leave_token(c: &mut AnyConnection, entry_id: &str, now_ms: i64) -> Result<String, String> {
    mint(c, entry_id, "leave", None, now_ms + LEAVE_FOR_MS).await
}

/// A leave token for a mail sent as the entry ends (left, booked): opening it answers "left",
/// as leaving again does.
async fn spent_leave_token(c: &mut AnyConnection, now_ms: i64) -> Result<String, String> {
    let token = tokens::new_token()?;
    remember_left(c, &tokens::hash(&token), now_ms).await?;
    Ok(token)
}

/// Keeps a used leave token's hash, so that the link answers the same when opened again.
async fn remember_left(c: &mut AnyConnection, hash: &str, now_ms: i64) -> Result<(), String> {
    sqlx::query("INSERT INTO waitlist_left (hash, expires_at) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING")
        .bind(hash)
        .bind(now_ms + LEAVE_FOR_MS)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    Ok(())
}

/// Counts a confirmation mail to `key` today (UTC); false once the day's limit is passed.
async fn may_send_confirm(c: &mut AnyConnection, key: &str, now_ms: i64) -> Result<bool, String> {
    let row = sqlx::query(
        "INSERT INTO waitlist_mail_count (email_key, day, n) VALUES ($1, $2, 1) \
         ON CONFLICT (email_key, day) DO UPDATE SET n = waitlist_mail_count.n + 1 RETURNING n",
    )
    .bind(key)
    .bind(utc_day(now_ms))
    .fetch_one(&mut *c)
    .await
    .map_err(db)?;
    Ok(row.try_get::<i64, _>("n").map_err(db)? <= CONFIRM_MAILS_PER_DAY)
}

/// Deletes an entry with its tokens and its offers, except a booked one (kept, without the
/// person's details, so that its link still answers "booked"). True if it was there.
async fn delete_entry(c: &mut AnyConnection, entry_id: &str) -> Result<bool, String> {
    let gone = sqlx::query("DELETE FROM waitlist_entries WHERE id = $1").bind(entry_id).execute(&mut *c).await.map_err(db)?;
    sqlx::query("DELETE FROM waitlist_tokens WHERE entry_id = $1").bind(entry_id).execute(&mut *c).await.map_err(db)?;
    sqlx::query("DELETE FROM waitlist_offers WHERE entry_id = $1 AND status <> 'booked'").bind(entry_id).execute(&mut *c).await.map_err(db)?;
    Ok(gone.rows_affected() > 0)
}

/// The details a confirm link of someone already waiting applies when opened.
fn pending_of(j: &Join) -> String {
    json!({
        "first_name": j.first_name, "last_name": j.last_name, "phone": j.phone,
        "dates": dates_text(&j.dates), "timezone": j.timezone, "language": j.language,
    })
    .to_string()
}

impl Store {
    /// A visitor joins a session type's waitlist. The answer is the same whether or not the
    /// address already waits (no one learns who is on the list). A new address is kept
    /// unconfirmed for 48 hours and sent a confirm link; an unconfirmed one is updated and sent
    /// another; a confirmed one is left as it is and sent a link that applies the new details
    /// when opened (a stranger cannot change someone's days), keeping their place in line.
    /// At most three confirm mails go to one address a day; past that, none, silently.
    /// Err: a zone that is not an IANA zone, or the database failed.
    pub async fn join(&self, mut j: Join, now_ms: i64) -> Result<(), String> {
        zone_of(&j.timezone)?;
        j.dates.sort();
        j.dates.dedup();
        let key = email_key(&j.email);
        if key.is_empty() {
            return Err("an e-mail address is needed".into());
        }
        for _ in 0..RETRIES {
            let mut tx = self.begin().await?;
            let existing = sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM waitlist_entries WHERE session_type_id = $1 AND email_key = $2"))
                .bind(&j.session_type_id)
                .bind(&key)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            let existing = existing.as_ref().map(Entry::from_row).transpose()?;
            let (entry_id, pending) = match existing {
                None => {
                    let id = tokens::new_id("wl_")?;
                    let inserted = sqlx::query(
                        "INSERT INTO waitlist_entries (id, session_type_id, session_type_name, email, email_key, first_name, last_name, \
                         phone, dates, timezone, language, booking_page, status, joined_at, delete_after) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'unconfirmed', $13, $14)",
                    )
                    .bind(&id)
                    .bind(&j.session_type_id)
                    .bind(&j.session_type_name)
                    .bind(j.email.trim())
                    .bind(&key)
                    .bind(&j.first_name)
                    .bind(&j.last_name)
                    .bind(j.phone.clone())
                    .bind(dates_text(&j.dates))
                    .bind(&j.timezone)
                    .bind(&j.language)
                    .bind(&j.booking_page)
                    .bind(now_ms)
                    .bind(now_ms + CONFIRM_FOR_MS)
                    .execute(&mut *tx)
                    .await;
                    match inserted {
                        Ok(_) => (id, None),
                        // The same address joined at the same moment elsewhere: again, as an update.
                        Err(e) if unique_violation(&e) => continue,
                        Err(e) => return Err(db(e)),
                    }
                }
                Some(e) if e.status == "unconfirmed" => {
                    sqlx::query(
                        "UPDATE waitlist_entries SET session_type_name = $1, email = $2, first_name = $3, last_name = $4, phone = $5, \
                         dates = $6, timezone = $7, language = $8, booking_page = $9, delete_after = $10 WHERE id = $11",
                    )
                    .bind(&j.session_type_name)
                    .bind(j.email.trim())
                    .bind(&j.first_name)
                    .bind(&j.last_name)
                    .bind(j.phone.clone())
                    .bind(dates_text(&j.dates))
                    .bind(&j.timezone)
                    .bind(&j.language)
                    .bind(&j.booking_page)
                    .bind(now_ms + CONFIRM_FOR_MS)
                    .bind(&e.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    (e.id, None)
                }
                Some(e) => (e.id, Some(pending_of(&j))),
            };
            if may_send_confirm(&mut tx, &key, now_ms).await? {
                let confirm = mint(&mut tx, &entry_id, "confirm", pending, now_ms + CONFIRM_FOR_MS).await?;
                let leave = leave_token(&mut tx, &entry_id, now_ms).await?;
                // The mail shows what the link confirms: the details just asked for.
                let shown = Entry {
                    id: entry_id.clone(),
                    session_type_id: j.session_type_id.clone(),
                    session_type_name: j.session_type_name.clone(),
                    email: j.email.trim().to_string(),
                    first_name: j.first_name.clone(),
                    last_name: j.last_name.clone(),
                    phone: j.phone.clone(),
                    dates: j.dates.clone(),
                    timezone: j.timezone.clone(),
                    language: j.language.clone(),
                    booking_page: j.booking_page.clone(),
                    status: String::new(),
                    joined_at: now_ms,
                };
                let mut payload = shown.payload(&leave);
                payload.insert("confirm_token".into(), confirm.into());
                payload.insert("expires_at".into(), rfc3339(now_ms + CONFIRM_FOR_MS).into());
                enqueue(&mut tx, &shown.email, "confirm", &j.language, payload, now_ms).await?;
            }
            tx.commit().await.map_err(db)?;
            return Ok(());
        }
        Err("the waitlist is busy: try again".into())
    }

    /// A confirm link opened: the entry waits from now on (its place in line is when it
    /// joined), or, for someone already waiting, the details they asked for apply. Opening
    /// the link again answers the same. The photographer is told of a new person.
    pub async fn confirm(&self, token: &str, now_ms: i64) -> Result<EntryView, TokenError> {
        if !tokens::well_formed(token) {
            return Err(TokenError::Invalid);
        }
        let hash = tokens::hash(token);
        let mut tx = self.begin().await?;
        let (entry_id, pending) = live_token(&mut tx, &hash, "confirm", now_ms).await?;
        let Some(mut entry) = load_entry(&mut tx, &entry_id).await? else { return Err(TokenError::Invalid) };
        // Only the first opening changes anything (the row's lock makes "first" one gateway).
        let first = sqlx::query("UPDATE waitlist_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL")
            .bind(now_ms)
            .bind(&hash)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected()
            > 0;
        if first {
            if let Some(p) = pending.and_then(|p| serde_json::from_str::<Value>(&p).ok()) {
                let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
                entry.first_name = text("first_name").unwrap_or(entry.first_name);
                entry.last_name = text("last_name").unwrap_or(entry.last_name);
                entry.phone = text("phone");
                entry.dates = text("dates").map(|d| parse_dates(&d)).unwrap_or(entry.dates);
                entry.timezone = text("timezone").unwrap_or(entry.timezone);
                entry.language = text("language").unwrap_or(entry.language);
            }
            let newly = entry.status == "unconfirmed";
            if newly {
                entry.status = "waiting".into();
            }
            sqlx::query(
                "UPDATE waitlist_entries SET first_name = $1, last_name = $2, phone = $3, dates = $4, timezone = $5, language = $6, \
                 status = $7, confirmed_at = COALESCE(confirmed_at, $8), delete_after = $9 WHERE id = $10",
            )
            .bind(&entry.first_name)
            .bind(&entry.last_name)
            .bind(entry.phone.clone())
            .bind(dates_text(&entry.dates))
            .bind(&entry.timezone)
            .bind(&entry.language)
            .bind(&entry.status)
            .bind(now_ms)
            .bind(super::kept_until(&entry.dates, zone(&entry.timezone), now_ms))
            .bind(&entry.id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            if let (true, Some(to)) = (newly, &self.notify) {
                enqueue(&mut tx, to, "notify_joined", "en", entry.notify_payload(), now_ms).await?;
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(entry.view())
    }

    /// A leave link opened: the entry ends (its details, tokens and offers are deleted) and a
    /// last mail says so. A slot held for them is freed: it is returned, to be offered to the
    /// next person. Opening the link again answers Ok (and frees nothing).
    pub async fn leave(&self, token: &str, now_ms: i64) -> Result<Option<FreedSlot>, TokenError> {
        if !tokens::well_formed(token) {
            return Err(TokenError::Invalid);
        }
        let hash = tokens::hash(token);
        let mut tx = self.begin().await?;
        let left = sqlx::query("SELECT hash FROM waitlist_left WHERE hash = $1").bind(&hash).fetch_optional(&mut *tx).await.map_err(db)?;
        if left.is_some() {
            return Ok(None);
        }
        let (entry_id, _) = live_token(&mut tx, &hash, "leave", now_ms).await?;
        let entry = load_entry(&mut tx, &entry_id).await?;
        let held = sqlx::query(&format!("SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE entry_id = $1 AND status = 'holding'"))
            .bind(&entry_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let held = held.as_ref().map(OfferRow::from_row).transpose()?;
        remember_left(&mut tx, &hash, now_ms).await?;
        if !delete_entry(&mut tx, &entry_id).await? {
            // Another gateway ended it a moment ago: that one sends the mail.
            tx.commit().await.map_err(db)?;
            return Ok(None);
        }
        if let Some(entry) = entry {
            let leave = spent_leave_token(&mut tx, now_ms).await?;
            enqueue(&mut tx, &entry.email, "left", &entry.language, entry.payload(&leave), now_ms).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(held.map(|o| o.slot()).filter(|s| s.start_ms > now_ms))
    }

    /// A slot has become free: it is offered to the first person in joining order who
    /// confirmed, waits (holds no other offer), wants the slot's day in their own zone (or any
    /// day), and was never offered this slot before (who declined it or let it run out is not
    /// asked again). It is held for them until `hold_until_ms` and the offer mail written.
    /// Ok(None): no one wants it, the hold would end at once, or it is already held (another
    /// gateway offered it first).
    pub async fn offer_freed(&self, slot: FreedSlot, hold_until_ms: i64, now_ms: i64) -> Result<Option<OfferMade>, String> {
        if hold_until_ms <= now_ms || slot.start_ms <= now_ms {
            return Ok(None);
        }
        for _ in 0..RETRIES {
            let mut tx = self.begin().await?;
            let held = sqlx::query("SELECT id FROM waitlist_offers WHERE session_type_id = $1 AND start_ms = $2 AND status = 'holding'")
                .bind(&slot.session_type_id)
                .bind(slot.start_ms)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            if held.is_some() {
                return Ok(None);
            }
            let line = sqlx::query(&format!(
                "SELECT {ENTRY_COLUMNS} FROM waitlist_entries e WHERE session_type_id = $1 AND status = 'waiting' \
                 AND confirmed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = e.id \
                 AND (o.status = 'holding' OR (o.session_type_id = $1 AND o.start_ms = $2))) ORDER BY joined_at, id"
            ))
            .bind(&slot.session_type_id)
            .bind(slot.start_ms)
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
            let mut first = None;
            for row in &line {
                let entry = Entry::from_row(row)?;
                if entry.wants(slot.start_ms) {
                    first = Some(entry);
                    break;
                }
            }
            let Some(entry) = first else { return Ok(None) };
            let token = tokens::new_token()?;
            let offer = OfferRow {
                id: tokens::new_id("off_")?,
                entry_id: entry.id.clone(),
                session_type_id: slot.session_type_id.clone(),
                session_type_name: slot.session_type_name.clone(),
                starts: slot.start.clone(),
                start_ms: slot.start_ms,
                ends: slot.end.clone(),
                timezone: entry.timezone.clone(),
                token_hash: tokens::hash(&token),
                status: "holding".into(),
                expires_at: hold_until_ms,
            };
            let inserted = sqlx::query(
                "INSERT INTO waitlist_offers (id, entry_id, session_type_id, session_type_name, starts, start_ms, ends, timezone, \
                 token_hash, status, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'holding', $10, $11)",
            )
            .bind(&offer.id)
            .bind(&offer.entry_id)
            .bind(&offer.session_type_id)
            .bind(&offer.session_type_name)
            .bind(&offer.starts)
            .bind(offer.start_ms)
            .bind(&offer.ends)
            .bind(&offer.timezone)
            .bind(&offer.token_hash)
            .bind(now_ms)
            .bind(offer.expires_at)
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => {}
                // Another gateway held this slot, or this person, first: look again.
                Err(e) if unique_violation(&e) => continue,
                Err(e) => return Err(db(e)),
            }
            let marked = sqlx::query("UPDATE waitlist_entries SET status = 'offered' WHERE id = $1 AND status = 'waiting'")
                .bind(&entry.id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            if marked.rows_affected() == 0 {
                // They left or were offered another slot meanwhile: look again.
                continue;
            }
            let leave = leave_token(&mut tx, &entry.id, now_ms).await?;
            let mut payload = entry.payload(&leave);
            offer.add_slot(&mut payload);
            payload.insert("offer_token".into(), token.into());
            enqueue(&mut tx, &entry.email, "offer", &entry.language, payload, now_ms).await?;
            tx.commit().await.map_err(db)?;
            return Ok(Some(OfferMade { offer_id: offer.id, expires_at: offer.expires_at }));
        }
        Ok(None)
    }

    /// An offer's page: the offer as its person sees it, with its token. Refused: no such
    /// offer, another token, a hold that ran out, a slot taken by someone else.
    pub async fn offer(&self, offer_id: &str, token: &str, now_ms: i64) -> Result<OfferView, OfferError> {
        let mut c = self.pool.acquire().await.map_err(db)?;
        let o = checked_offer(&mut c, offer_id, token).await?;
        let status = effective_status(&o, now_ms)?;
        let entry = load_entry(&mut c, &o.entry_id).await?;
        Ok(o.view(entry.as_ref(), status))
    }

    /// An offer declined: the slot is freed (returned, for the next person) and its person
    /// waits again, for another slot. Declining again answers the same, and frees nothing.
    pub async fn decline(&self, offer_id: &str, token: &str, now_ms: i64) -> Result<(OfferView, Option<FreedSlot>), OfferError> {
        let mut tx = self.begin().await?;
        let o = checked_offer(&mut tx, offer_id, token).await?;
        let status = effective_status(&o, now_ms)?;
        let entry = load_entry(&mut tx, &o.entry_id).await?;
        match status {
            "declined" => return Ok((o.view(entry.as_ref(), "declined"), None)),
            "holding" => {}
            _ => return Err(OfferError::Taken),
        }
        let ended = sqlx::query("UPDATE waitlist_offers SET status = 'declined' WHERE id = $1 AND status = 'holding'")
            .bind(&o.id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if ended.rows_affected() == 0 {
            return Ok((o.view(entry.as_ref(), "declined"), None));
        }
        if let Some(entry) = &entry {
            back_in_line(&mut tx, &entry.id).await?;
            let leave = leave_token(&mut tx, &entry.id, now_ms).await?;
            let mut payload = entry.payload(&leave);
            o.add_slot(&mut payload);
            enqueue(&mut tx, &entry.email, "declined", &entry.language, payload, now_ms).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok((o.view(entry.as_ref(), "declined"), Some(o.slot()).filter(|s| s.start_ms > now_ms)))
    }

    /// Whether the slot of `session_type_id` at `start_ms` may be booked by whoever asks: free,
    /// held for the person whose offer token came with the booking, or held for someone else.
    pub async fn hold_check(&self, session_type_id: &str, start_ms: i64, offer_token: Option<&str>, now_ms: i64) -> Result<Hold, String> {
        let row = sqlx::query(
            "SELECT id, token_hash FROM waitlist_offers WHERE session_type_id = $1 AND start_ms = $2 AND status = 'holding' AND expires_at > $3",
        )
        .bind(session_type_id)
        .bind(start_ms)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(Hold::Free) };
        let stored: String = row.try_get("token_hash").map_err(db)?;
        match offer_token {
            Some(t) if tokens::well_formed(t) && tokens::same_hash(&stored, &tokens::hash(t)) => {
                Ok(Hold::ForThisToken { offer_id: row.try_get("id").map_err(db)? })
            }
            _ => Ok(Hold::Held),
        }
    }

    /// The starts (Unix ms) of a session type's slots held right now: availability hides them.
    pub async fn held_starts(&self, session_type_id: &str, now_ms: i64) -> Result<Vec<i64>, String> {
        let rows = sqlx::query(
            "SELECT start_ms FROM waitlist_offers WHERE session_type_id = $1 AND status = 'holding' AND expires_at > $2 ORDER BY start_ms",
        )
        .bind(session_type_id)
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| r.try_get::<i64, _>("start_ms").map_err(db)).collect()
    }

    /// The studio accepted the booking of an offered slot: the offer is booked, and its
    /// person's entry ends (their details are deleted) after the mails to them and the
    /// photographer are written. Again: Ok, nothing more.
    pub async fn booked(&self, offer_id: &str, now_ms: i64) -> Result<(), String> {
        let mut tx = self.begin().await?;
        let Some(o) = load_offer(&mut tx, offer_id).await? else { return Err(format!("no offer {offer_id}")) };
        let marked = sqlx::query("UPDATE waitlist_offers SET status = 'booked' WHERE id = $1 AND status IN ('holding', 'expired')")
            .bind(&o.id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if marked.rows_affected() == 0 {
            return if o.status == "booked" { Ok(()) } else { Err(format!("offer {offer_id} is {}", o.status)) };
        }
        if let Some(entry) = load_entry(&mut tx, &o.entry_id).await? {
            let leave = spent_leave_token(&mut tx, now_ms).await?;
            let mut payload = entry.payload(&leave);
            o.add_slot(&mut payload);
            enqueue(&mut tx, &entry.email, "booked", &entry.language, payload, now_ms).await?;
            if let Some(to) = &self.notify {
                let mut payload = entry.notify_payload();
                o.add_slot(&mut payload);
                enqueue(&mut tx, to, "notify_filled", "en", payload, now_ms).await?;
            }
            delete_entry(&mut tx, &entry.id).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    /// The studio refused the booking of an offered slot (someone else took it): the offer is
    /// `taken` and its person waits again, for a later slot.
    pub async fn taken(&self, offer_id: &str, _now_ms: i64) -> Result<(), String> {
        let mut tx = self.begin().await?;
        let Some(o) = load_offer(&mut tx, offer_id).await? else { return Err(format!("no offer {offer_id}")) };
        let marked = sqlx::query("UPDATE waitlist_offers SET status = 'taken' WHERE id = $1 AND status IN ('holding', 'expired')")
            .bind(&o.id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if marked.rows_affected() > 0 {
            back_in_line(&mut tx, &o.entry_id).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    /// Ends the holds that ran out by `now_ms`: their people wait again (and are told), and
    /// the slots are returned, to be offered to the next person. With several gateways, each
    /// hold is ended (and returned) by one of them.
    pub async fn expire_due(&self, now_ms: i64) -> Result<Vec<FreedSlot>, String> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(&format!(
            "UPDATE waitlist_offers SET status = 'expired' WHERE status = 'holding' AND expires_at <= $1 RETURNING {OFFER_COLUMNS}"
        ))
        .bind(now_ms)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let mut freed = Vec::new();
        for row in &rows {
            let o = OfferRow::from_row(row)?;
            back_in_line(&mut tx, &o.entry_id).await?;
            if let Some(entry) = load_entry(&mut tx, &o.entry_id).await? {
                let leave = leave_token(&mut tx, &entry.id, now_ms).await?;
                let mut payload = entry.payload(&leave);
                o.add_slot(&mut payload);
                enqueue(&mut tx, &entry.email, "expired", &entry.language, payload, now_ms).await?;
            }
            if o.start_ms > now_ms {
                freed.push(o.slot());
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(freed)
    }

    /// Forgets what is no longer needed: entries never confirmed within 48 hours, entries past
    /// their last wanted day (a day later) or kept 90 days for any day, tokens past their time,
    /// sent mail older than 7 days, old counts and looks. Answers how many entries went.
    pub async fn purge(&self, now_ms: i64) -> Result<u64, String> {
        let mut tx = self.begin().await?;
        // An entry whose slot is held keeps it until the hold ends (expire_due frees it first).
        let due = "SELECT id FROM waitlist_entries WHERE delete_after <= $1 AND status <> 'offered'";
        sqlx::query(&format!("DELETE FROM waitlist_tokens WHERE entry_id IN ({due})")).bind(now_ms).execute(&mut *tx).await.map_err(db)?;
        sqlx::query(&format!("DELETE FROM waitlist_offers WHERE status <> 'booked' AND entry_id IN ({due})"))
            .bind(now_ms)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let entries = sqlx::query("DELETE FROM waitlist_entries WHERE delete_after <= $1 AND status <> 'offered'")
            .bind(now_ms)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        for sql in [
            "DELETE FROM waitlist_tokens WHERE expires_at <= $1",
            "DELETE FROM waitlist_left WHERE expires_at <= $1",
            "DELETE FROM waitlist_offers WHERE status <> 'holding' AND expires_at <= $2 \
             AND NOT EXISTS (SELECT 1 FROM waitlist_entries e WHERE e.id = waitlist_offers.entry_id)",
            "DELETE FROM waitlist_outbox WHERE sent_at IS NOT NULL AND sent_at <= $3",
        ] {
            sqlx::query(sql).bind(now_ms).bind(now_ms - ENDED_OFFER_KEPT_MS).bind(now_ms - SENT_KEPT_MS).execute(&mut *tx).await.map_err(db)?;
        }
        let yesterday = utc_day(now_ms - DAY_MS);
        for sql in ["DELETE FROM waitlist_mail_count WHERE day < $1", "DELETE FROM waitlist_seen_open WHERE day < $1"] {
            sqlx::query(sql).bind(&yesterday).execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(entries)
    }

    /// What the availability watch should look at: each session type someone confirmed for,
    /// with the days wanted from today on (in each person's zone), or no days: any day.
    pub async fn wanted(&self, now_ms: i64) -> Result<Vec<(String, Vec<NaiveDate>)>, String> {
        let rows =
            sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM waitlist_entries WHERE status IN ('waiting', 'offered') ORDER BY session_type_id"))
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        let now = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
        let mut wanted: Vec<(String, Option<Vec<NaiveDate>>)> = Vec::new();
        for row in &rows {
            let e = Entry::from_row(row)?;
            let today = now.with_timezone(&zone(&e.timezone)).date_naive();
            let days: Option<Vec<NaiveDate>> =
                if e.dates.is_empty() { None } else { Some(e.dates.iter().copied().filter(|d| *d >= today).collect()) };
            if days.as_ref().is_some_and(Vec::is_empty) {
                continue;
            }
            if wanted.last().is_none_or(|(t, _)| *t != e.session_type_id) {
                wanted.push((e.session_type_id.clone(), Some(Vec::new())));
            }
            let last = wanted.last_mut().map(|(_, d)| d).expect("just pushed");
            match (last.as_mut(), days) {
                (Some(all), Some(days)) => all.extend(days),
                (_, None) => *last = None,
                (None, Some(_)) => {}
            }
        }
        Ok(wanted
            .into_iter()
            .map(|(t, d)| {
                let mut d = d.unwrap_or_default();
                d.sort();
                d.dedup();
                (t, d)
            })
            .collect())
    }

    /// The availability watch's look at a day: records `open_starts` and answers those that
    /// were not open at its previous look (slots that have just become free). The first look
    /// at a day answers none: what was open then was open before anyone watched.
    pub async fn observe_open(&self, session_type_id: &str, day: NaiveDate, open_starts: &[String]) -> Result<Vec<String>, String> {
        let mut tx = self.begin().await?;
        let before = sqlx::query("SELECT starts FROM waitlist_seen_open WHERE session_type_id = $1 AND day = $2")
            .bind(session_type_id)
            .bind(day.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let now = serde_json::Value::from(open_starts.to_vec()).to_string();
        sqlx::query(
            "INSERT INTO waitlist_seen_open (session_type_id, day, starts) VALUES ($1, $2, $3) \
             ON CONFLICT (session_type_id, day) DO UPDATE SET starts = excluded.starts",
        )
        .bind(session_type_id)
        .bind(day.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        let Some(before) = before else { return Ok(Vec::new()) };
        let before: Vec<String> = serde_json::from_str(&before.try_get::<String, _>("starts").map_err(db)?).unwrap_or_default();
        Ok(open_starts.iter().filter(|s| !before.contains(s)).cloned().collect())
    }

    /// The waitlist as the photographer's command line lists it, of one session type or all,
    /// in joining order.
    pub async fn list(&self, session_type_id: Option<&str>) -> Result<Vec<ListedEntry>, String> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM waitlist_entries WHERE ($1 = '' OR session_type_id = $1) ORDER BY session_type_id, joined_at, id"
        ))
        .bind(session_type_id.unwrap_or(""))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let e = Entry::from_row(r)?;
                Ok(ListedEntry {
                    email: e.email,
                    first_name: e.first_name,
                    last_name: e.last_name,
                    session_type_id: e.session_type_id,
                    session_type_name: e.session_type_name,
                    dates: e.dates.iter().map(|d| d.to_string()).collect(),
                    status: e.status,
                    joined_at: e.joined_at,
                })
            })
            .collect()
    }

    /// Forgets an address (the photographer's command line, on its owner's request): every
    /// entry of it, their tokens and offers, and every mail to it or about it, sent or not.
    /// Answers how many entries went. A slot held for them is not passed on here: it is
    /// simply free again.
    pub async fn forget(&self, email: &str) -> Result<u64, String> {
        let key = email_key(email);
        let mut tx = self.begin().await?;
        let ids = sqlx::query("SELECT id FROM waitlist_entries WHERE email_key = $1").bind(&key).fetch_all(&mut *tx).await.map_err(db)?;
        let mut gone = 0;
        for row in &ids {
            let id: String = row.try_get("id").map_err(db)?;
            sqlx::query("DELETE FROM waitlist_offers WHERE entry_id = $1").bind(&id).execute(&mut *tx).await.map_err(db)?;
            if delete_entry(&mut tx, &id).await? {
                gone += 1;
            }
        }
        let mails = sqlx::query("SELECT id, to_addr, payload FROM waitlist_outbox").fetch_all(&mut *tx).await.map_err(db)?;
        for row in &mails {
            let to: String = row.try_get("to_addr").map_err(db)?;
            let payload: Value = serde_json::from_str(&row.try_get::<String, _>("payload").map_err(db)?).unwrap_or(Value::Null);
            let about = payload.get("email").and_then(Value::as_str).is_some_and(|e| email_key(e) == key);
            if email_key(&to) == key || about {
                sqlx::query("DELETE FROM waitlist_outbox WHERE id = $1")
                    .bind(row.try_get::<String, _>("id").map_err(db)?)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
        }
        sqlx::query("DELETE FROM waitlist_mail_count WHERE email_key = $1").bind(&key).execute(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(gone)
    }
}

/// An IANA zone's name checked.
fn zone_of(name: &str) -> Result<chrono_tz::Tz, String> {
    name.parse().map_err(|_| format!("not an IANA zone: {name}"))
}

/// Someone whose offer ended waits again (unless they hold another offer by now).
async fn back_in_line(c: &mut AnyConnection, entry_id: &str) -> Result<(), String> {
    sqlx::query(
        "UPDATE waitlist_entries SET status = 'waiting' WHERE id = $1 AND status = 'offered' \
         AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = $1 AND o.status = 'holding')",
    )
    .bind(entry_id)
    .execute(&mut *c)
    .await
    .map_err(db)?;
    Ok(())
}

/// The offer `offer_id` if `token` is its token: NotFound, or Invalid.
async fn checked_offer(c: &mut AnyConnection, offer_id: &str, token: &str) -> Result<OfferRow, OfferError> {
    let Some(o) = load_offer(c, offer_id).await? else { return Err(OfferError::NotFound) };
    if !tokens::well_formed(token) || !tokens::same_hash(&o.token_hash, &tokens::hash(token)) {
        return Err(OfferError::Invalid);
    }
    Ok(o)
}

/// An offer's status as its person is told it: a hold past its time has expired even before
/// [`Store::expire_due`] marks it; an expired or taken one is refused.
fn effective_status(o: &OfferRow, now_ms: i64) -> Result<&'static str, OfferError> {
    match o.status.as_str() {
        "holding" if o.expires_at > now_ms => Ok("holding"),
        "holding" | "expired" => Err(OfferError::Expired),
        "declined" => Ok("declined"),
        "booked" => Ok("booked"),
        _ => Err(OfferError::Taken),
    }
}

/// The entry a link's token (by its `hash`) is for, and the details a confirm link would
/// apply: only a token of this `purpose` that has not run out (Invalid, Expired otherwise).
async fn live_token(tx: &mut sqlx::AnyConnection, hash: &str, purpose: &str, now_ms: i64) -> Result<(String, Option<String>), TokenError> {
    let row = sqlx::query("SELECT hash, entry_id, purpose, pending, expires_at FROM waitlist_tokens WHERE hash = $1")
        .bind(hash)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    let Some(row) = row else { return Err(TokenError::Invalid) };
    let stored: String = row.try_get("hash").map_err(db)?;
    if !tokens::same_hash(&stored, hash) || row.try_get::<String, _>("purpose").map_err(db)? != purpose {
        return Err(TokenError::Invalid);
    }
    if row.try_get::<i64, _>("expires_at").map_err(db)? <= now_ms {
        return Err(TokenError::Expired);
    }
    Ok((row.try_get("entry_id").map_err(db)?, row.try_get("pending").map_err(db)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::waitlist::day_start_ms;

    #[test]
    fn an_entry_is_kept_to_a_day_after_its_last_day_in_its_zone() {
        let tz: chrono_tz::Tz = "Pacific/Auckland".parse().unwrap();
        let last = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
        // 2027-03-16T00:00 in Auckland (NZDT, +13) is 2027-03-15T11:00Z.
        assert_eq!(super::super::kept_until(&[last], tz, 0), day_start_ms(NaiveDate::from_ymd_opt(2027, 3, 16).unwrap(), tz));
        assert_eq!(rfc3339(day_start_ms(NaiveDate::from_ymd_opt(2027, 3, 16).unwrap(), tz)), "2027-03-15T11:00:00Z");
    }
}
