-- The waitlist (gateway/src/waitlist/): one SQL for SQLite and PostgreSQL. Times are Unix
-- milliseconds; tokens are kept only as the hex of their SHA-256.

-- A person waiting for a session type: unconfirmed until their e-mail's link is opened,
-- then waiting, or offered while a freed slot is held for them.
CREATE TABLE waitlist_entries (
    id TEXT PRIMARY KEY,
    session_type_id TEXT NOT NULL,
    session_type_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT,
    dates TEXT NOT NULL,
    timezone TEXT NOT NULL,
    language TEXT NOT NULL,
    booking_page TEXT NOT NULL,
    status TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    delete_after BIGINT NOT NULL
);
CREATE UNIQUE INDEX waitlist_entries_person ON waitlist_entries (session_type_id, email_key);
CREATE INDEX waitlist_entries_line ON waitlist_entries (session_type_id, status, joined_at);

-- The confirm and leave links' tokens. A confirm token of someone already waiting carries the
-- details they asked for (`pending`, JSON), applied only when that link is opened.
CREATE TABLE waitlist_tokens (
    hash TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    pending TEXT,
    used_at BIGINT,
    expires_at BIGINT NOT NULL
);
CREATE INDEX waitlist_tokens_entry ON waitlist_tokens (entry_id);

-- Leave tokens already used (or minted for a mail sent after the entry ended), so that a
-- leave link opened again answers as the first time did.
CREATE TABLE waitlist_left (
    hash TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- A freed slot offered to one person, held for them until expires_at.
CREATE TABLE waitlist_offers (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    session_type_id TEXT NOT NULL,
    session_type_name TEXT NOT NULL,
    starts TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    ends TEXT NOT NULL,
    timezone TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
-- One hold per freed slot, even with several gateways on one database: the second insert fails.
CREATE UNIQUE INDEX waitlist_offers_one_per_slot ON waitlist_offers (session_type_id, start_ms) WHERE status = 'holding';
-- One open offer per person.
CREATE UNIQUE INDEX waitlist_offers_one_per_person ON waitlist_offers (entry_id) WHERE status = 'holding';
CREATE INDEX waitlist_offers_entry ON waitlist_offers (entry_id);
CREATE INDEX waitlist_offers_due ON waitlist_offers (status, expires_at);

-- Mail to send, written in the same transaction as the change that causes it.
CREATE TABLE waitlist_outbox (
    id TEXT PRIMARY KEY,
    to_addr TEXT NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    lease_until BIGINT,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX waitlist_outbox_due ON waitlist_outbox (sent_at, next_attempt_at);

-- Confirmation mails sent to an address on a UTC day (YYYY-MM-DD), for the rate limit.
CREATE TABLE waitlist_mail_count (
    email_key TEXT NOT NULL,
    day TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (email_key, day)
);

-- The open slots the availability watch saw at its last look at a day (a JSON array).
CREATE TABLE waitlist_seen_open (
    session_type_id TEXT NOT NULL,
    day TEXT NOT NULL,
    starts TEXT NOT NULL,
    PRIMARY KEY (session_type_id, day)
);
