use leptos::prelude::*;

use crate::core::calendar_file::{google_calendar_link, ics_event};
use crate::core::flow::Action;
use crate::intl::words::Msg;
use crate::ui::amounts::{amount_rows, Amounts};
use crate::ui::context::use_booking;
use crate::ui::text;

/// The confirmation: the session, its time in the visitor's zone and the studio's, what is
/// due and how, an .ics file and an "add to Google Calendar" link.
#[component]
pub fn BookedStep() -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    let f = booking.flow.get_untracked();
    let (Some(session), Some(t)) = (f.booked.clone(), f.session_type.clone()) else {
        return ().into_any();
    };
    let when = |zone: &str| text::when(w, &session.start, Some(&session.end), zone, true);
    let visitor_time = when(&f.zone);
    let studio_time = t.studio_zone().filter(|z| *z != f.zone).map(when);
    let inquiry = session.awaits_confirmation();
    let details = t.location.clone().unwrap_or_default();
    let manage_link = booking.manage_link(&session);
    // The link offers to reschedule or cancel only where the session type lets the client do
    // one of them; otherwise it is named for what it does, showing the booking.
    let can_change = t.allow_client_cancel || t.allow_client_reschedule;
    let mut notes = w.fill(Msg::CalendarDetails, &[("reference", &session.id)]);
    if let Some(link) = &manage_link {
        notes = format!("{notes}\n{}", w.fill(if can_change { Msg::CalendarManage } else { Msg::CalendarSee }, &[("link", link)]));
    }
    let ics = ics_event(&session.id, &t.name, &session.start, &session.end, &details, &notes, crate::intl::now_ms() as i64);
    let ics_href = format!("data:text/calendar;charset=utf-8,{}", js_sys::encode_uri_component(&ics));
    let google = google_calendar_link(&t.name, &session.start, &session.end, &details, &notes);
    let payment = session.payment.clone();
    // The studio's own amounts, in the payment step's rows.
    let amounts = payment.as_ref().map(|p| amount_rows(w, Amounts::booked(Some(&t), p, Some(Msg::DueNow)), None));
    let signed = session.contract_signature.clone().map(|sig| {
        let at = if sig.signed_at.is_empty() { String::new() } else { text::instant(w, &sig.signed_at, &f.zone) };
        text::signed_by(w, &sig.name, &at)
    });
    view! {
        <div class="sb-booked" role="status" part="confirmation">
            <p class="sb-booked-lead">{w.text(if inquiry { Msg::RequestSent } else { Msg::YouAreBooked })}</p>
            <dl class="sb-review-list">
                <div><dt>{w.text(Msg::Session)}</dt><dd>{t.name.clone()}</dd></div>
                <div><dt>{w.text(Msg::When)}</dt><dd>{visitor_time}</dd></div>
                {studio_time.map(|s| view! { <div><dt>{w.text(Msg::StudioTime)}</dt><dd>{s}</dd></div> })}
                {t.location.clone().map(|l| view! { <div><dt>{w.text(Msg::Where)}</dt><dd>{l}</dd></div> })}
                {amounts}
                {signed.map(|s| view! { <div><dt>{w.text(Msg::StepContract)}</dt><dd>{s}</dd></div> })}
                <div><dt>{w.text(Msg::Reference)}</dt><dd>{session.id.clone()}</dd></div>
            </dl>
            {payment.as_ref().and_then(|p| p.instructions.clone()).map(|i| view! { <p class="sb-instructions">{i}</p> })}
            {payment.as_ref().and_then(|p| p.checkout_url.clone()).filter(|u| crate::core::links::is_safe_href(u)).map(|u| view! {
                <p><a class="sb-button" href=u target="_blank" rel="noopener">{w.text(Msg::PayNow)}</a></p>
            })}
            <p class="sb-calendar-links">
                <a class="sb-link" href=ics_href download="session.ics">{w.text(Msg::AddIcs)}</a>
                <a class="sb-link" href=google target="_blank" rel="noopener">{w.text(Msg::AddGoogle)}</a>
            </p>
            {manage_link.filter(|u| crate::core::links::is_safe_href(u)).map(|u| view! {
                <p><a class="sb-link sb-manage-link" href=u target="_blank" rel="noopener noreferrer">{w.text(if can_change { Msg::ManageLink } else { Msg::SeeBooking })}</a></p>
            })}
            <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send(Action::StartOver)>{w.text(Msg::BookAnother)}</button>
        </div>
    }.into_any()
}
