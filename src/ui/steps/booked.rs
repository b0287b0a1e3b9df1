use leptos::prelude::*;

use crate::core::calendar_file::{google_calendar_link, ics_event};
use crate::core::flow::Action;
use crate::intl;
use crate::ui::context::use_booking;
use crate::ui::text;

/// The confirmation: the session, its time in the visitor's zone and the studio's, what is
/// due and how, an .ics file and an "add to Google Calendar" link.
#[component]
pub fn BookedStep() -> impl IntoView {
    let booking = use_booking();
    let locale = booking.locale.get_value();
    let f = booking.flow.get_untracked();
    let (Some(session), Some(t)) = (f.booked.clone(), f.session_type.clone()) else {
        return ().into_any();
    };
    let when = |zone: &str| text::when(&session.start, Some(&session.end), zone, &locale, true);
    let visitor_time = when(&f.zone);
    let studio_time = t.studio_zone().filter(|z| *z != f.zone).map(when);
    let inquiry = session.awaits_confirmation();
    let details = t.location.clone().unwrap_or_default();
    let ics = ics_event(&session.id, &t.name, &session.start, &session.end, &details);
    let ics_href = format!("data:text/calendar;charset=utf-8,{}", js_sys::encode_uri_component(&ics));
    let google = google_calendar_link(&t.name, &session.start, &session.end, &details);
    let payment = session.payment.clone();
    let due = payment.as_ref().map(|p| intl::format_money(p.amount_due, &p.currency, &locale));
    view! {
        <div class="sb-booked" role="status" part="confirmation">
            <p class="sb-booked-lead">{if inquiry { text::REQUEST_SENT } else { text::YOU_ARE_BOOKED }}</p>
            <dl class="sb-review-list">
                <div><dt>{text::STEP_SESSION}</dt><dd>{t.name.clone()}</dd></div>
                <div><dt>{text::WHEN}</dt><dd>{visitor_time}</dd></div>
                {studio_time.map(|s| view! { <div><dt>{text::STUDIO_TIME}</dt><dd>{s}</dd></div> })}
                {t.location.clone().map(|l| view! { <div><dt>{text::WHERE}</dt><dd>{l}</dd></div> })}
                {due.map(|d| view! { <div><dt>{text::DUE_NOW}</dt><dd>{d}</dd></div> })}
                <div><dt>{text::REFERENCE}</dt><dd>{session.id.clone()}</dd></div>
            </dl>
            {payment.as_ref().and_then(|p| p.instructions.clone()).map(|i| view! { <p class="sb-instructions">{i}</p> })}
            {payment.as_ref().and_then(|p| p.checkout_url.clone()).filter(|u| crate::core::links::is_safe_href(u)).map(|u| view! {
                <p><a class="sb-button" href=u target="_blank" rel="noopener">{text::PAY_NOW}</a></p>
            })}
            <p class="sb-calendar-links">
                <a class="sb-link" href=ics_href download="session.ics">{text::ADD_ICS}</a>
                <a class="sb-link" href=google target="_blank" rel="noopener">{text::ADD_GOOGLE}</a>
            </p>
            <button type="button" class="sb-button sb-button-secondary" on:click=move |_| booking.send(Action::StartOver)>{text::BOOK_ANOTHER}</button>
        </div>
    }.into_any()
}
