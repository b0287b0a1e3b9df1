//! The waitlist's outbox: the mail a change causes is written in the change's own transaction
//! ([`enqueue`]), and the mailer claims it from here, sends it, and says how it went. A claim
//! is a lease: a gateway that dies while sending leaves the row to be claimed again once the
//! lease runs out, and two gateways never hold one row's lease at once.

use serde_json::{Map, Value};
use sqlx::{AnyConnection, Row};

use super::{db, tokens, Backend, Store};

/// A mail the mailer is to send (claimed by [`Store::claim_due_mail`]): the mailer's own type.
pub use crate::mail::QueuedMail;

/// Writes a mail into the outbox, within the caller's transaction (so it is sent if and only
/// if the change that causes it is committed).
pub(super) async fn enqueue(
    c: &mut AnyConnection,
    to: &str,
    kind: &str,
    language: &str,
    payload: Map<String, Value>,
    now_ms: i64,
) -> Result<(), String> {
    sqlx::query(
        "INSERT INTO waitlist_outbox (id, to_addr, kind, language, payload, created_at, next_attempt_at, attempts) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, 0)",
    )
    .bind(tokens::new_id("mail_")?)
    .bind(to.trim())
    .bind(kind)
    .bind(language)
    .bind(Value::Object(payload).to_string())
    .bind(now_ms)
    .execute(&mut *c)
    .await
    .map_err(db)?;
    Ok(())
}

impl Store {
    /// Claims up to `limit` mails due at `now_ms` for `lease_ms`: no other gateway claims them
    /// until the lease runs out. The mailer answers each with [`Store::mail_sent`] or
    /// [`Store::mail_failed`].
    pub async fn claim_due_mail(&self, now_ms: i64, lease_ms: i64, limit: usize) -> Result<Vec<QueuedMail>, String> {
        // The due rows are chosen once (a CTE: a subquery under `IN` may run again per row and,
        // skipping locked rows, choose others, claiming more than `limit`), and the condition is
        // checked again on each row itself: a row another gateway claimed meanwhile is skipped
        // (PostgreSQL also skips rows locked by a claim under way).
        let lock = if self.backend == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "WITH due AS (SELECT id FROM waitlist_outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
               AND (lease_until IS NULL OR lease_until < $2) ORDER BY next_attempt_at, created_at, id LIMIT $3{lock}) \
             UPDATE waitlist_outbox SET lease_until = $1 WHERE id IN (SELECT id FROM due) \
             AND sent_at IS NULL AND (lease_until IS NULL OR lease_until < $2) \
             RETURNING id, to_addr, kind, language, payload, attempts"
        );
        let mut tx = self.begin().await?;
        let rows = sqlx::query(&sql)
            .bind(now_ms + lease_ms.max(1))
            .bind(now_ms)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(QueuedMail {
                    id: r.try_get("id").map_err(db)?,
                    to: r.try_get("to_addr").map_err(db)?,
                    kind: r.try_get("kind").map_err(db)?,
                    language: r.try_get("language").map_err(db)?,
                    payload: serde_json::from_str(&r.try_get::<String, _>("payload").map_err(db)?).unwrap_or(Value::Null),
                    attempts: r.try_get("attempts").map_err(db)?,
                })
            })
            .collect()
    }

    /// Marks a claimed mail sent. Its payload is scrubbed at once: it held the links' tokens.
    pub async fn mail_sent(&self, id: &str) -> Result<(), String> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        sqlx::query("UPDATE waitlist_outbox SET sent_at = $1, payload = '{}', lease_until = NULL, last_error = NULL WHERE id = $2")
            .bind(now_ms)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Marks a claimed mail failed: it is tried again from `next_attempt_ms`; `error` (the
    /// mail server's answer, never the payload) is kept for the photographer to read.
    pub async fn mail_failed(&self, id: &str, next_attempt_ms: i64, error: &str) -> Result<(), String> {
        let error: String = error.chars().take(500).collect();
        sqlx::query(
            "UPDATE waitlist_outbox SET attempts = attempts + 1, next_attempt_at = $1, lease_until = NULL, last_error = $2 \
             WHERE id = $3 AND sent_at IS NULL",
        )
        .bind(next_attempt_ms)
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }
}
