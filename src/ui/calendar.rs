use chrono::{Datelike, NaiveDate, Weekday};
use leptos::html::Table;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::calendar::{month_grid, move_focus, weekdays_from, GridKey, YearMonth};
use crate::core::flow::Action;
use crate::intl;
use crate::intl::words::Msg;
use crate::ui::context::use_booking;

/// A month as a WAI-ARIA date grid. Each day is a button named by its full date,
/// `aria-disabled` when it has no openings; one day at a time is in the tab order, and the
/// arrow keys, Home/End and PageUp/PageDown (Shift: a year) move between days and months.
#[component]
pub fn MonthCalendar(
    // Memos rather than `Signal`s: the date step has these as memos already, and Leptos'
    // `Signal<T>` is compiled once more per `T` (about 1 KB of wasm each).
    month: Memo<YearMonth>,
    /// The dates with openings; None while they load.
    available: Memo<Option<Vec<NaiveDate>>>,
    selected: Memo<Option<NaiveDate>>,
    #[prop(into)] can_go_previous: Signal<bool>,
    #[prop(into)] can_go_next: Signal<bool>,
    today: NaiveDate,
    week_start: Weekday,
    locale: String,
    /// The action a click on an open day sends (`Action::ChooseDay`).
    on_choose: fn(NaiveDate) -> Action,
    /// The action moving to another month sends (`Action::ShowMonth`).
    on_month: fn(YearMonth) -> Action,
) -> impl IntoView {
    // Actions go straight to the booking: a plain function names which one, instead of a
    // `Callback` (an arena-stored closure, compiled once per argument type).
    let booking = use_booking();
    let w = booking.words;
    let grid_ref = NodeRef::<Table>::new();
    // The day in the tab order: the chosen day, else the first available, else the 1st.
    let focus_date = RwSignal::new(None::<NaiveDate>);
    let tab_stop = Memo::new(move |_| {
        let m = month.get();
        let in_month = |d: &NaiveDate| YearMonth::of(*d) == m;
        focus_date
            .get()
            .filter(in_month)
            .or_else(|| selected.get().filter(in_month))
            .or_else(|| available.get().and_then(|a| a.into_iter().find(in_month)))
            .unwrap_or_else(|| m.first_day())
    });
    let wants_focus = RwSignal::new(false);
    // After a keyboard move re-renders the grid, put focus on the new day.
    crate::ui::effect(move || {
        let date = tab_stop.get();
        if !wants_focus.get_untracked() {
            return;
        }
        if let Some(grid) = grid_ref.get() {
            if let Ok(Some(button)) = grid.query_selector(&format!("button[data-date='{date}']")) {
                if let Ok(b) = button.dyn_into::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                    wants_focus.set(false);
                }
            }
        }
    });
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(key) = GridKey::from_key(&ev.key(), ev.shift_key(), w.rtl()) else {
            return;
        };
        ev.prevent_default();
        let next = move_focus(tab_stop.get_untracked(), key, week_start, false);
        if YearMonth::of(next) != month.get_untracked() {
            booking.send(on_month(YearMonth::of(next)));
        }
        wants_focus.set(true);
        focus_date.set(Some(next));
    };
    let weekdays = weekdays_from(week_start).map(|d| intl::weekday_names(d, &locale));
    let title_locale = locale.clone();
    let title = move || intl::format_month(month.get(), &title_locale);
    let is_available = move |d: NaiveDate| available.with(|a| a.as_ref().is_some_and(|a| a.contains(&d)));
    let loading = move || available.with(Option::is_none);

    view! {
        <div class="sb-calendar" part="calendar">
            <div class="sb-calendar-head">
                <button type="button" class="sb-icon-button" aria-label=w.text(Msg::PreviousMonth)
                    disabled=move || !can_go_previous.get()
                    on:click=move |_| booking.send(on_month(month.get_untracked().prev()))>"‹"</button>
                <h3 class="sb-month-title" id="sb-month-title" aria-live="polite">{title}</h3>
                <button type="button" class="sb-icon-button" aria-label=w.text(Msg::NextMonth)
                    disabled=move || !can_go_next.get()
                    on:click=move |_| booking.send(on_month(month.get_untracked().next()))>"›"</button>
            </div>
            <table role="grid" class="sb-grid" aria-labelledby="sb-month-title" node_ref=grid_ref
                aria-busy=move || loading().to_string() on:keydown=on_key>
                <thead>
                    <tr>
                        {weekdays.into_iter().map(|(short, long)| view! {
                            <th scope="col" abbr=long>{short}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let locale = locale.clone();
                        month_grid(month.get(), week_start).into_iter().map(|week| {
                            let locale = locale.clone();
                            view! {
                                <tr>
                                    {week.into_iter().map(|cell| match cell {
                                        None => view! { <td class="sb-day-empty"></td> }.into_any(),
                                        Some(d) => {
                                            let name = intl::format_long_date(d, &locale);
                                            view! {
                                                <td aria-selected=move || (selected.get() == Some(d)).to_string()>
                                                    <button type="button" class="sb-day" part="day" data-date=d.to_string()
                                                        class:sb-day-open=move || is_available(d)
                                                        class:sb-day-chosen=move || selected.get() == Some(d)
                                                        aria-label=name
                                                        aria-disabled=move || (!is_available(d)).to_string()
                                                        aria-current=(d == today).then_some("date")
                                                        tabindex=move || if tab_stop.get() == d { "0" } else { "-1" }
                                                        on:click=move |_| {
                                                            focus_date.set(Some(d));
                                                            if is_available(d) { booking.send(on_choose(d)) }
                                                        }>
                                                        {intl::format_number(f64::from(d.day()), &locale)}
                                                    </button>
                                                </td>
                                            }.into_any()
                                        }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
