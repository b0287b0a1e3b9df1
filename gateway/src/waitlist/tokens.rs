//! The waitlist's secrets and ids: the tokens of its e-mail links (confirm, leave, an offer),
//! kept only as SHA-256 hashes, and the random ids of entries, offers and queued mail.
//! A token is never logged: only its hash is stored, and the plain token goes into the one
//! e-mail whose link carries it.

use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The letters and digits of an id (the contract's `[A-Za-z0-9]`).
const ID_ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// How many letters or digits follow an id's prefix (`off_` and 30, the contract's offer id).
pub const ID_LEN: usize = 30;

/// A new random id: `prefix` and 30 letters or digits (`off_…` for an offer, `wl_…` for an
/// entry, `mail_…` for a queued mail). Err only when the system has no randomness to give.
pub fn new_id(prefix: &str) -> Result<String, String> {
    let mut id = String::with_capacity(prefix.len() + ID_LEN);
    id.push_str(prefix);
    let mut bytes = [0u8; 64];
    while id.len() < prefix.len() + ID_LEN {
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
        // 248 = 4 × 62: bytes from 248 up are skipped, so that every letter is as likely.
        for b in bytes.iter().filter(|b| **b < 248) {
            if id.len() == prefix.len() + ID_LEN {
                break;
            }
            id.push(ID_ALPHABET[(*b % 62) as usize] as char);
        }
    }
    Ok(id)
}

/// A new token for an e-mail link: 32 random bytes in base64url without padding (43
/// characters, within the contract's 32 to 128).
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The hex of a token's SHA-256: what is stored and looked up, never the token itself.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two stored hashes are the same, in constant time (how long it takes tells nothing
/// of where they differ).
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether `token` may be one of ours at all: 32 to 128 visible ASCII characters (the
/// contract's shape). Anything else is refused before the database is asked.
pub fn well_formed(token: &str) -> bool {
    (32..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_have_the_contracts_shape() {
        let id = new_id("off_").unwrap();
        assert_eq!(id.len(), 34);
        assert!(id.starts_with("off_") && id[4..].bytes().all(|b| b.is_ascii_alphanumeric()));
        let t = new_token().unwrap();
        assert_eq!(t.len(), 43);
        assert!(well_formed(&t) && !well_formed("short") && !well_formed(&"a b".repeat(20)));
        assert_ne!(t, new_token().unwrap());
        assert_eq!(hash(&t).len(), 64);
        assert!(same_hash(&hash(&t), &hash(&t)) && !same_hash(&hash(&t), &hash("other")));
    }
}
