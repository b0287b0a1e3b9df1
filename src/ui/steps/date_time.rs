use chrono::Duration;
use leptos::prelude::*;

use crate::api::cache;
use crate::core::calendar::YearMonth;
use crate::core::flow::Action;
use crate::intl;
use crate::intl::words::Msg;
use crate::ui::calendar::MonthCalendar;
use crate::ui::context::use_booking;
use crate::ui::keyed::load_keyed;
use crate::ui::load_error::LoadError;
use crate::ui::nav_buttons::NavButtons;
use crate::ui::notice::step_notice;
use crate::ui::slot_list::SlotList;
use crate::ui::text;
use crate::ui::zone_picker::ZonePicker;

/// Choosing the day and the time: the month's open days, the chosen day's times in the
/// visitor's zone, and the zone switcher.
#[component]
pub fn DateTimeStep(
    /// Called once a day's times are shown (the step's loader then fetches the next steps'
    /// code while the visitor reads them).
    on_times_shown: fn(),
) -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    let locale = w.locale().to_string();
    let zone = Memo::new(move |_| booking.flow.with(|f| f.zone.clone()));
    let type_id = Memo::new(move |_| booking.flow.with(|f| f.session_type.as_ref().map(|t| t.id.clone()).unwrap_or_default()));
    let (max_notice, studio_zone) = booking.flow.with_untracked(|f| {
        let t = f.session_type.as_ref();
        (t.map(|t| t.maximum_notice_duration).unwrap_or(365), t.and_then(|t| t.studio_zone().map(str::to_string)))
    });
    let today = Memo::new(move |_| intl::today_in(&zone.get()));
    let month = Memo::new(move |_| booking.flow.with(|f| f.month).unwrap_or_else(|| YearMonth::of(today.get())));
    let day = Memo::new(move |_| booking.flow.with(|f| f.day));
    let last_bookable = Memo::new(move |_| today.get() + Duration::days(max_notice.clamp(1, 3 * 366) as i64));

    let month_key = Memo::new(move |_| {
        let m = month.get();
        format!("{}|{}-{}|{}|{}", type_id.get(), m.year, m.month, zone.get(), booking.refresh.get())
    });
    let month_data = load_keyed(month_key, move |cancel| {
        let (base, id, m, z) = (booking.api_base.get_value(), type_id.get_untracked(), month.get_untracked(), zone.get_untracked());
        async move { cache::month(&base, &id, m, &z, Some(&cancel)).await }
    });
    let day_key = Memo::new(move |_| match day.get() {
        Some(d) => format!("{}|{d}|{}|{}", type_id.get(), zone.get(), booking.refresh.get()),
        None => String::new(),
    });
    let day_data = load_keyed(day_key, move |cancel| {
        let (base, id, d, z) = (booking.api_base.get_value(), type_id.get_untracked(), day.get_untracked(), zone.get_untracked());
        async move { cache::day(&base, &id, d.unwrap_or_default(), &z, Some(&cancel)).await }
    });

    let available = Memo::new(move |_| {
        month_data
            .get()
            .map(|r| r.map(|m| m.available_dates.iter().filter_map(|d| crate::core::iso::parse_date(d)).collect::<Vec<_>>()).unwrap_or_default())
    });
    // What the visitor will most likely ask next: the next month, and the first open day.
    crate::ui::effect(move || {
        let Some(Ok(m)) = month_data.get() else {
            return;
        };
        let (base, id, z, next) = (booking.api_base.get_value(), type_id.get_untracked(), zone.get_untracked(), month.get_untracked().next());
        let first_day = m.available_dates.first().and_then(|d| crate::core::iso::parse_date(d));
        leptos::task::spawn_local(async move {
            if let Some(d) = first_day {
                let _ = cache::day(&base, &id, d, &z, None).await;
            }
            let _ = cache::month(&base, &id, next, &z, None).await;
        });
    });

    let selected_slot = Memo::new(move |_| booking.flow.with(|f| f.slot.clone()));
    let calendar_locale = locale.clone();
    let week_start = intl::week_start(&locale);
    let empty_locale = locale.clone();
    let slot_locale = locale.clone();

    view! {
        <div class="sb-datetime">
            {step_notice(booking)}
            <ZonePicker zone=zone studio_zone=studio_zone
                on_change=Action::ChangeZone/>
            <div class="sb-datetime-panes">
                <div class="sb-pane">
                    <MonthCalendar
                        month=month
                        available=available
                        selected=day
                        can_go_previous=Signal::derive(move || month.get() > YearMonth::of(today.get()))
                        can_go_next=Signal::derive(move || month.get().next().first_day() <= last_bookable.get())
                        today=today.get_untracked()
                        week_start=week_start
                        locale=calendar_locale
                        on_choose=Action::ChooseDay
                        on_month=Action::ShowMonth/>
                    {move || match month_data.get() {
                        None => view! { <p class="sb-waiting" role="status">{w.text(Msg::LoadingDays)}</p> }.into_any(),
                        Some(Err(e)) => view! {
                            <LoadError message=text::api_error(w, &e) retrying=Signal::derive(move || month_data.retrying())
                                on_retry=Callback::new(move |()| month_data.retry())/>
                        }.into_any(),
                        Some(Ok(m)) if m.available_dates.is_empty() => {
                            let next = m.next_available_date.as_deref().and_then(crate::core::iso::parse_date);
                            let title = intl::format_month(month.get_untracked(), &empty_locale);
                            let next_text = next.map(|d| intl::format_long_date(d, &empty_locale));
                            view! {
                                <div class="sb-empty-month" role="status">
                                    <p>{w.fill(Msg::NoOpeningsIn, &[("month", &title)])}</p>
                                    {match (next, next_text) {
                                        (Some(d), Some(t)) => view! {
                                            <p>{w.fill(Msg::NextOpening, &[("date", &t)])}</p>
                                            <button type="button" class="sb-button sb-button-secondary"
                                                on:click=move |_| booking.send(Action::ChooseDay(d))>{w.text(Msg::ShowNextOpening)}</button>
                                        }.into_any(),
                                        _ => view! { <p>{w.text(Msg::NoLaterOpenings)}</p> }.into_any(),
                                    }}
                                </div>
                            }.into_any()
                        }
                        Some(Ok(_)) => ().into_any(),
                    }}
                </div>
                <div class="sb-pane sb-times-pane">
                    {move || {
                        let locale = slot_locale.clone();
                        match (day.get(), day_data.get()) {
                            (None, _) => view! { <p class="sb-hint">{w.text(Msg::PickADay)}</p> }.into_any(),
                            (Some(d), None) => view! {
                                <h3 class="sb-day-title">{intl::format_long_date(d, &locale)}</h3>
                                <p class="sb-waiting" role="status">{w.text(Msg::LoadingTimes)}</p>
                                <ul class="sb-slots sb-skeleton-slots" aria-hidden="true">
                                    {(0..6).map(|_| view! { <li><span class="sb-slot sb-skeleton-line"></span></li> }).collect_view()}
                                </ul>
                            }.into_any(),
                            (Some(_), Some(Err(e))) => view! {
                                <LoadError message=text::api_error(w, &e) retrying=Signal::derive(move || day_data.retrying())
                                    on_retry=Callback::new(move |()| day_data.retry())/>
                            }.into_any(),
                            (Some(d), Some(Ok(data))) => view! {
                                <h3 class="sb-day-title">{intl::format_long_date(d, &locale)}</h3>
                                <SlotList slots=data.slots zone=zone.get_untracked() locale=locale selected=selected_slot
                                    on_choose=Action::ChooseSlot on_shown=on_times_shown/>
                            }.into_any(),
                        }
                    }}
                </div>
            </div>
            <NavButtons/>
        </div>
    }
}
