//! A booked session opened through its manage link: what was booked, when (in the visitor's
//! zone and the studio's), what was paid, and within the studio's windows a "Reschedule" and
//! a "Cancel booking" button; outside them until when it was possible. Moving goes through
//! the date and time step and [`MoveReview`].

use leptos::html::Textarea;
use leptos::prelude::*;

use crate::core::flow::manage::{Done, ManageRefusal, Window, REASON_MAX};
use crate::core::flow::{Action, Later};
use crate::core::models::BookedSession;
use crate::intl::words::Msg;
use crate::ui::amounts::{amount_rows, Amounts};
use crate::ui::context::{use_booking, Booking};
use crate::ui::nav_buttons::NavButtons;
use crate::ui::notice::step_notice;
use crate::ui::text;

/// The facts of a session as its client sees them.
fn facts(booking: Booking, s: &BookedSession) -> impl IntoView {
    let w = booking.words;
    let (zone, t) = booking.flow.with_untracked(|f| (f.zone.clone(), f.session_type.clone()));
    let when = |zone: &str| text::when(w, &s.start, Some(&s.end), zone, true);
    let studio_time = t.as_ref().and_then(|t| t.studio_zone()).filter(|z| *z != zone).map(when);
    let payment = s.payment.clone();
    // What was paid, in the payment step's rows; nothing is due on a cancelled booking.
    let due = (!s.is_cancelled()).then_some(Msg::AmountDue);
    let paid = payment.as_ref().map(|p| amount_rows(w, Amounts::booked(t.as_ref(), p, due), None));
    let signed = s.contract_signature.clone().map(|sig| {
        let at = if sig.signed_at.is_empty() { String::new() } else { text::instant(w, &sig.signed_at, &zone) };
        text::signed_by(w, &sig.name, &at)
    });
    let name = text::full_name(w, &s.client_first_name, &s.client_last_name);
    view! {
        <dl class="sb-review-list">
            {t.as_ref().map(|t| view! { <div><dt>{w.text(Msg::Session)}</dt><dd>{text::session_line(w, &t.name, t.duration)}</dd></div> })}
            {s.is_cancelled().then(|| view! { <div><dt>{w.text(Msg::Status)}</dt><dd>{w.text(Msg::StatusCancelled)}</dd></div> })}
            <div><dt>{w.text(Msg::When)}</dt><dd>{when(&zone)}</dd></div>
            {studio_time.map(|s| view! { <div><dt>{w.text(Msg::StudioTime)}</dt><dd>{s}</dd></div> })}
            {t.as_ref().and_then(|t| t.location.clone()).map(|l| view! { <div><dt>{w.text(Msg::Where)}</dt><dd>{l}</dd></div> })}
            {(!name.trim().is_empty()).then(|| view! { <div><dt>{w.text(Msg::Name)}</dt><dd>{name}</dd></div> })}
            {paid}
            {signed.map(|s| view! { <div><dt>{w.text(Msg::StepContract)}</dt><dd>{s}</dd></div> })}
            <div><dt>{w.text(Msg::Reference)}</dt><dd>{s.id.clone()}</dd></div>
        </dl>
    }
}

/// What the client may still do, and until when (or until when they could have).
fn windows(booking: Booking) -> impl IntoView {
    let w = booking.words;
    let (m, zone, movable) = booking.flow.with_untracked(|f| (f.managing.clone(), f.zone.clone(), f.session_type.is_some()));
    let Some(m) = m.filter(|m| m.session.as_ref().is_some_and(|s| !s.is_cancelled())) else {
        return ().into_any();
    };
    let now = crate::intl::now_ms() as i64;
    let (cancel, mut moving) = (m.cancel_window(now), m.move_window(now));
    if !movable {
        moving = Window::Never;
    }
    let date = |until: &str| text::instant(w, until, &zone);
    let line = |window: &Window, open: Msg, closed: Msg| match window {
        Window::Open { until } => Some(w.fill(open, &[("date", &date(until))])),
        Window::Closed { until } => Some(w.fill(closed, &[("date", &date(until))])),
        Window::Never => None,
    };
    let mut lines: Vec<String> =
        [line(&moving, Msg::MoveUntil, Msg::MoveClosed), line(&cancel, Msg::CancelUntil, Msg::CancelClosed)].into_iter().flatten().collect();
    if let (true, Some(left)) = (moving.is_open(), m.session.as_ref().and_then(|s| s.reschedules_left)) {
        lines.push(w.count(Msg::MovesLeft, left));
    }
    if lines.is_empty() {
        lines.push(w.text(Msg::NoChangesOnline).into());
    }
    let confirming = move || booking.flow.with(|f| f.managing.as_ref().is_some_and(|m| m.confirming_cancel));
    view! {
        {lines.into_iter().map(|l| view! { <p class="sb-help sb-window">{l}</p> }).collect_view()}
        <div class="sb-nav sb-manage-actions" hidden=confirming>
            {moving.is_open().then(|| view! {
                <button type="button" class="sb-button" on:click=move |_| booking.send_later(Later::StartMove)>{w.text(Msg::Reschedule)}</button>
            })}
            {cancel.is_open().then(|| view! {
                <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send_later(Later::StartCancel)>{w.text(Msg::CancelBooking)}</button>
            })}
        </div>
        {move || confirming().then(|| cancel_confirmation(booking))}
    }
    .into_any()
}

/// "Cancel this booking?" with an optional reason, "No, keep it" and "Yes, cancel".
fn cancel_confirmation(booking: Booking) -> impl IntoView {
    let w = booking.words;
    let reason = move || booking.flow.with(|f| f.managing.as_ref().map(|m| m.reason.clone()).unwrap_or_default());
    let sending = move || booking.flow.with(|f| f.sending);
    let field = NodeRef::<Textarea>::new();
    // The question takes the focus as it opens, so that it is read and answered first.
    crate::ui::effect(move || {
        if let Some(f) = field.get() {
            let _ = f.focus();
        }
    });
    view! {
        <section class="sb-cancel" role="group" aria-labelledby="sb-cancel-question">
            <p id="sb-cancel-question" class="sb-cancel-question">{w.text(Msg::CancelQuestion)}</p>
            <div class="sb-field">
                <label for="sb-f-cancel-reason">{w.text(Msg::CancelReason)}<span class="sb-optional">{w.text(Msg::Optional)}</span></label>
                <textarea id="sb-f-cancel-reason" maxlength=REASON_MAX.to_string() node_ref=field prop:value=reason
                    on:input=move |ev| booking.send_later(Later::EditReason(event_target_value(&ev)))></textarea>
            </div>
            <div class="sb-nav">
                <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send_later(Later::KeepSession)>{w.text(Msg::KeepBooking)}</button>
                <button type="button" class="sb-button sb-danger" aria-disabled=move || sending().to_string()
                    on:click=move |_| if !sending() { booking.send_later(Later::Continue) }>
                    {move || w.text(if sending() { Msg::Cancelling } else { Msg::ConfirmCancel })}
                </button>
            </div>
        </section>
    }
}

/// The session of a manage link, and what may be done with it.
#[component]
pub fn ManageStep() -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    // Drawn again when the session, the refusal or the outcome changes (not on each letter
    // of the reason).
    let state = Memo::new(move |_| {
        booking
            .flow
            .with(|f| f.managing.as_ref().map(|m| (m.session.clone(), m.refusal.clone(), m.done, f.session_type.as_ref().map(|t| t.id.clone()))))
    });
    let zone = booking.zone();
    move || {
        let Some((session, refusal, done, _)) = state.get() else {
            return ().into_any();
        };
        let lead = done.map(|d| {
            let message = match d {
                Done::Moved => Msg::MovedLead,
                Done::Cancelled => Msg::CancelledLead,
            };
            view! { <p class="sb-booked-lead" role="status">{w.text(message)}</p> }
        });
        let refusal = refusal.map(|r| view! { <p class="sb-notice" role="alert" part="notice">{text::manage_refusal(w, &r, &zone)}</p> });
        let cancelled = session.as_ref().is_some_and(BookedSession::is_cancelled);
        let body = match session {
            Some(s) => view! {
                {facts(booking, &s)}
                {windows(booking)}
                {cancelled.then(|| view! {
                    <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send(Action::StartOver)>{w.text(Msg::BookAnother)}</button>
                })}
            }
            .into_any(),
            None if refusal.is_none() => view! { <p class="sb-waiting" role="status">{w.text(Msg::ManageLoading)}</p> }.into_any(),
            // Not loaded for a reason that may pass (offline, busy): it can be asked again.
            None if matches!(state.get_untracked(), Some((_, Some(ManageRefusal::Failed(_)), _, _))) => view! {
                <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send_later(Later::Reload)>{w.text(Msg::Retry)}</button>
            }
            .into_any(),
            None => ().into_any(),
        };
        view! { <div class="sb-manage" part="manage">{step_notice(booking)}{lead}{refusal}{body}</div> }.into_any()
    }
}

/// The review of a move: the session's present time and the new one, and "Move my session".
#[component]
pub fn MoveReview() -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    let f = booking.flow.get_untracked();
    let (Some(m), Some(slot)) = (f.managing.as_ref(), f.slot.as_ref()) else {
        return ().into_any();
    };
    let current = m.session.as_ref().map(|s| text::when(w, &s.start, Some(&s.end), &f.zone, true));
    let new = text::when(w, &slot.start, None, &f.zone, true);
    view! {
        <div class="sb-review" part="review">
            {step_notice(booking)}
            <dl class="sb-review-list">
                {f.session_type.as_ref().map(|t| view! { <div><dt>{w.text(Msg::Session)}</dt><dd>{text::session_line(w, &t.name, t.duration)}</dd></div> })}
                <div><dt>{w.text(Msg::CurrentTime)}</dt><dd>{current}</dd></div>
                <div><dt>{w.text(Msg::NewTime)}</dt><dd>{new}</dd></div>
            </dl>
            <NavButtons next_label=Msg::ConfirmMove sending_label=Msg::Moving on_next=Callback::new(move |()| booking.send_later(Later::Continue))/>
        </div>
    }
    .into_any()
}
