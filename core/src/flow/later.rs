//! The later steps' actions ([`Later`]): the contract signed, a coupon code checked and
//! applied, a managed session moved or cancelled. Applied apart from [`Action`]s, so that the
//! code of the first screens (which apply actions) carries none of this.

use super::manage::{Done, ManageRefusal};
use super::request::{self, CONTRACT_SIGNATURE, COUPON_CODE};
use super::{Effect, Env, Flow, Later, Notice, Step};

impl Flow {
    /// Applies one of the later steps' actions; returns what the view must do next.
    pub fn apply_later(&mut self, action: Later, env: &Env) -> Option<Effect> {
        let answer = matches!(action, Later::Moved(_) | Later::Cancelled(_) | Later::ManageRefused(_));
        if self.sending && !answer {
            // While a request is on its way, nothing may change what it asks.
            return None;
        }
        match action {
            Later::Continue => self.continue_later(env),
            Later::EditSignature(name) => {
                self.signature = name;
                if self.errors.contains_key(CONTRACT_SIGNATURE) {
                    self.check_signature();
                }
                None
            }
            Later::AgreeToContract(yes) => {
                self.contract_agreed = yes;
                if self.errors.contains_key(CONTRACT_SIGNATURE) {
                    self.check_signature();
                }
                None
            }
            Later::EditCoupon(code) => {
                self.coupon_typed = code;
                self.errors.remove(COUPON_CODE);
                None
            }
            Later::ApplyCoupon => self.apply_coupon(),
            Later::CouponChecked(code, answer) => {
                // An answer about a code no longer typed (or for a session type left) is old.
                if !self.coupon_checking || !code.eq_ignore_ascii_case(self.coupon_typed.trim()) {
                    return None;
                }
                self.coupon_checking = false;
                let go_on = std::mem::take(&mut self.continue_after_coupon);
                match answer {
                    Ok(coupon) => {
                        self.set_coupon(Some(coupon));
                        self.errors.remove(COUPON_CODE);
                        if go_on && self.step == Step::Payment {
                            return self.continue_later(env);
                        }
                    }
                    Err(problem) => {
                        self.set_coupon(None);
                        self.errors.insert(COUPON_CODE.into(), problem);
                    }
                }
                None
            }
            Later::RemoveCoupon => {
                self.set_coupon(None);
                self.coupon_typed.clear();
                self.coupon_checking = false;
                self.errors.remove(COUPON_CODE);
                None
            }
            Later::LinkRead { id, token } => {
                let m = self.managing.as_mut()?;
                m.id = id.clone();
                m.token = token.clone();
                Some(Effect::LoadSession { id, token })
            }
            Later::Reload => {
                let m = self.managing.as_mut().filter(|m| m.session.is_none() && !m.id.is_empty())?;
                m.refusal = None;
                Some(Effect::LoadSession { id: m.id.clone(), token: m.token.clone() })
            }
            Later::ManagedLoaded(answer) => {
                let m = self.managing.as_mut()?;
                match *answer {
                    Ok((session, t)) => {
                        m.session = Some(session);
                        m.refusal = None;
                        self.session_type = t;
                    }
                    Err(refusal) => m.refusal = Some(refusal),
                }
                None
            }
            Later::StartMove => {
                self.session_type.as_ref()?;
                let m = self.managing.as_mut()?;
                m.refusal = None;
                m.done = None;
                m.confirming_cancel = false;
                self.slot = None;
                self.notice = None;
                self.step = Step::DateTime;
                None
            }
            Later::StartCancel => {
                let m = self.managing.as_mut()?;
                m.confirming_cancel = true;
                m.refusal = None;
                None
            }
            Later::KeepSession => {
                self.managing.as_mut()?.confirming_cancel = false;
                None
            }
            Later::EditReason(reason) => {
                self.managing.as_mut()?.reason = reason;
                None
            }
            Later::Moved(session) => self.managed_done(Done::Moved, session),
            Later::Cancelled(session) => self.managed_done(Done::Cancelled, session),
            Later::ManageRefused(refusal) => {
                self.sending = false;
                let m = self.managing.as_mut()?;
                if refusal == ManageRefusal::SlotTaken {
                    self.attempt_key = None;
                    self.slot = None;
                    self.step = Step::DateTime;
                    self.notice = Some(Notice::SlotTaken);
                    return Some(Effect::RefreshDay);
                }
                m.confirming_cancel = false;
                m.refusal = Some(refusal);
                self.step = Step::Manage;
                None
            }
        }
    }

    /// The studio moved or cancelled the managed session: it is shown as it is now.
    fn managed_done(&mut self, done: Done, session: crate::models::BookedSession) -> Option<Effect> {
        let m = self.managing.as_mut()?;
        m.done = Some(done);
        m.session = Some(session);
        m.confirming_cancel = false;
        m.refusal = None;
        self.sending = false;
        self.attempt_key = None;
        self.attempt_body = None;
        self.slot = None;
        self.step = Step::Manage;
        None
    }

    /// "Continue" on a later step's own screen.
    fn continue_later(&mut self, env: &Env) -> Option<Effect> {
        match self.step {
            Step::Payment => {
                // A code typed but not applied is applied first: the visitor meant it.
                let typed = self.coupon_typed.trim();
                let unapplied = !typed.is_empty() && !self.coupon.as_ref().is_some_and(|c| c.code.eq_ignore_ascii_case(typed));
                if unapplied && self.session_type.as_ref().is_some_and(|t| t.accepts_coupons) {
                    let effect = self.apply_coupon();
                    self.continue_after_coupon = effect.is_some();
                    return effect;
                }
                self.continue_from_step(env)
            }
            Step::Contract => {
                if self.check_signature() {
                    self.step = Step::Review;
                    self.notice = None;
                }
                None
            }
            Step::Review if self.managing.is_some() => {
                let (Some(m), Some(slot)) = (&self.managing, &self.slot) else {
                    return None;
                };
                let body = crate::object! { request::START => &slot.start, request::TIMEZONE => &self.zone };
                let (id, token) = (m.id.clone(), m.token.clone());
                let key = self.attempt(&body, env);
                Some(Effect::SendMove { key, id, token, body })
            }
            Step::Manage => {
                // "Cancel booking" confirmed.
                let m = self.managing.as_ref().filter(|m| m.confirming_cancel)?;
                let effect = Effect::SendCancel { id: m.id.clone(), token: m.token.clone(), body: m.cancel_body() };
                self.sending = true;
                Some(effect)
            }
            _ => self.continue_from_step(env),
        }
    }
}
