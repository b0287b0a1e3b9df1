//! Sending what the visitor asked for: a booking or a move under one Idempotency-Key per
//! attempt, the contract's signature checked, a coupon code applied, and the details a page
//! fills in.

use super::*;

impl Flow {
    /// Starts sending `body` (a booking or a move): its Idempotency-Key, the attempt's own
    /// while the same request is sent again; a visitor who changed something after a failed
    /// attempt makes a new attempt, with a new key.
    pub(super) fn attempt(&mut self, body: &Value, env: &Env) -> String {
        let text = body.to_string();
        if self.attempt_body.as_ref() != Some(&text) {
            self.attempt_key = None;
        }
        let key = self.attempt_key.get_or_insert_with(env.new_key).clone();
        self.attempt_body = Some(text);
        self.sending = true;
        self.notice = None;
        key
    }

    /// Checks the contract's signature and box; records or clears the message. Whether fine.
    pub(super) fn check_signature(&mut self) -> bool {
        let result = check_signature(&self.signature, self.contract_agreed);
        self.record(CONTRACT_SIGNATURE, result)
    }

    /// "Apply": a code of a possible shape is asked about; another is refused as unknown.
    pub(super) fn apply_coupon(&mut self) -> Option<Effect> {
        let accepts = self.session_type.as_ref().is_some_and(|t| t.accepts_coupons);
        let code = self.coupon_typed.trim().to_string();
        if code.is_empty() {
            return None;
        }
        if !accepts || coupon_shape(&code).is_none() {
            self.coupon = None;
            self.errors.insert(COUPON_CODE.into(), if accepts { Problem::CouponNotFound } else { Problem::CouponNotAccepted });
            return None;
        }
        self.coupon_checking = true;
        self.errors.remove(COUPON_CODE);
        Some(Effect::CheckCoupon { code })
    }

    /// Fills in the visitor's name and e-mail given by the page, where they typed nothing. A
    /// name is split at its first space into first and last name.
    pub fn prefill(&mut self, name: Option<&str>, email: Option<&str>) {
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
            let (first, last) = name.split_once(' ').unwrap_or((name, ""));
            if self.client.first_name.is_empty() && self.client.last_name.is_empty() {
                self.client.first_name = first.trim().to_string();
                self.client.last_name = last.trim().to_string();
            }
        }
        if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
            if self.client.email.is_empty() {
                self.client.email = email.to_string();
            }
        }
    }
}
