//! The effects of the later steps: a coupon code checked, a managed session loaded, moved or
//! cancelled. Registered with [`crate::ui::context::register_later_effects`] by the later
//! steps' file when it loads, so that the first screen's wasm carries none of this code (nor
//! the date writing its refusals need).

use leptos::prelude::*;

use crate::api::cache;
use crate::api::client::{check_coupon, manage, published_session_types};
use crate::browser::is_offline;
use crate::core::flow::manage::ManageRefusal;
use crate::core::flow::manage::{is_manage_link, SESSION_PARAM, TOKEN_PARAM};
use crate::core::flow::{coupon_answer, Effect, Later};
use crate::core::json::Value;
use crate::core::models::BookedSession;
use crate::ui::context::Booking;
use crate::ui::events::WidgetEvent;
use crate::ui::text;

/// What the host page hears of a moved or cancelled session: never the token.
fn session_detail(s: &BookedSession) -> Value {
    crate::object! { "id" => &s.id, "status" => &s.status, "start" => &s.start, "end" => &s.end }
}

/// A manage request refused: the flow shows why (and the page hears of it).
fn refused(booking: Booking, e: crate::core::outcome::ApiError) {
    let refusal = ManageRefusal::of(e, is_offline());
    booking.emit(WidgetEvent::Error, crate::object! { "message" => text::manage_refusal(booking.words, &refusal, &booking.zone()) });
    booking.send_later(Later::ManageRefused(refusal));
}

/// The session and token of a manage link's parameters (`query`, as the loader took them from
/// the page's address, which no longer holds them). None for a link of the wrong shape.
fn read_link(query: &str) -> Option<(String, String)> {
    let params = web_sys::UrlSearchParams::new_with_str(query).ok()?;
    let (id, token) = (params.get(SESSION_PARAM).unwrap_or_default(), params.get(TOKEN_PARAM).unwrap_or_default());
    is_manage_link(&id, &token).then_some((id, token))
}

/// Carries out one of the later steps' effects.
pub fn carry_out(booking: Booking, effect: Effect) {
    let base = booking.api_base.get_value();
    match effect {
        Effect::CheckCoupon { code } => {
            let Some(type_id) = booking.flow.with_untracked(|f| f.session_type.as_ref().map(|t| t.id.clone())) else {
                return;
            };
            leptos::task::spawn_local(async move {
                let answer = coupon_answer(check_coupon(&base, &type_id, &code).await);
                booking.send_later(Later::CouponChecked(code, answer));
            });
        }
        Effect::LoadManaged { query } => match read_link(&query) {
            Some((id, token)) => booking.send_later(Later::LinkRead { id, token }),
            None => booking.send_later(Later::ManagedLoaded(Box::new(Err(ManageRefusal::WrongLink)))),
        },
        Effect::LoadSession { id, token } => {
            leptos::task::spawn_local(async move {
                let url = crate::core::paths::session(&base, &id);
                let answer = match manage(&url, &token, None).await {
                    Ok(session) => {
                        // The session is shown even when its type cannot be had (then it
                        // cannot be moved).
                        let types = published_session_types(&base, None).await.unwrap_or_default();
                        let t = types.into_iter().find(|t| t.id == session.session_type_id);
                        Ok((session, t))
                    }
                    Err(e) => Err(ManageRefusal::of(e, is_offline())),
                };
                booking.send_later(Later::ManagedLoaded(Box::new(answer)));
            });
        }
        Effect::SendMove { key, id, token, body } => {
            let url = crate::core::paths::reschedule_session(&base, &id);
            leptos::task::spawn_local(async move {
                match manage(&url, &token, Some((Some(&key), &body.to_string()))).await {
                    Ok(session) => {
                        cache::forget_availability();
                        booking.refresh.update(|n| *n += 1);
                        booking.emit(WidgetEvent::Rescheduled, session_detail(&session));
                        booking.send_later(Later::Moved(session));
                    }
                    Err(e) => refused(booking, e),
                }
            });
        }
        Effect::SendCancel { id, token, body } => {
            let url = crate::core::paths::cancel_session(&base, &id);
            leptos::task::spawn_local(async move {
                match manage(&url, &token, Some((None, &body.to_string()))).await {
                    Ok(session) => {
                        cache::forget_availability();
                        booking.emit(WidgetEvent::Cancelled, session_detail(&session));
                        booking.send_later(Later::Cancelled(session));
                    }
                    Err(e) => refused(booking, e),
                }
            });
        }
        // A booking and fresh slots are the first steps' own.
        Effect::SendBooking { .. } | Effect::RefreshDay => {}
    }
}
