use leptos::prelude::*;

use crate::core::flow::Action;
use crate::intl;
use crate::ui::context::use_booking;
use crate::ui::text;

/// "Times in Asia/Kathmandu · studio in Europe/London", and a searchable list of every zone
/// the browser knows to show the times in another.
#[component]
pub fn ZonePicker(
    zone: Memo<String>,
    studio_zone: Option<String>,
    /// The action choosing a zone sends (`Action::ChangeZone`).
    on_change: fn(String) -> Action,
) -> impl IntoView {
    let booking = use_booking();
    let open = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    // The name last refused ("" when none): the message is written from it.
    let refused = RwSignal::new(String::new());
    let zones = StoredValue::new(Vec::<String>::new());
    let commit = move || {
        let wanted = draft.get_untracked().trim().replace(' ', "_");
        if wanted.is_empty() {
            return;
        }
        if intl::is_valid_zone(&wanted) {
            refused.set(String::new());
            open.set(false);
            booking.send(on_change(wanted));
        } else {
            refused.set(wanted);
        }
    };
    view! {
        <div class="sb-zone" part="time-zone">
            <p class="sb-zone-line">
                {move || match &studio_zone {
                    Some(s) if *s != zone.get() => format!("{} {} · {} {s}", text::TIMES_IN, zone.get(), text::STUDIO_IN),
                    _ => format!("{} {}", text::TIMES_IN, zone.get()),
                }}
                " "
                <button type="button" class="sb-link" aria-expanded=move || open.get().to_string()
                    on:click=move |_| {
                        if zones.with_value(Vec::is_empty) { zones.set_value(intl::supported_zones()); }
                        draft.set(String::new());
                        open.update(|o| *o = !*o);
                    }>{text::CHANGE_ZONE}</button>
            </p>
            {move || open.get().then(|| view! {
                <div class="sb-zone-form">
                    <label for="sb-zone-input">{text::TIME_ZONE}</label>
                    <input id="sb-zone-input" type="text" list="sb-zone-list" autocomplete="off" spellcheck="false"
                        placeholder="Europe/London" prop:value=move || draft.get()
                        aria-invalid=move || refused.with(|r| !r.is_empty()).to_string()
                        aria-describedby="sb-zone-problem"
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:change=move |_| commit()
                        on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); commit() }/>
                    <datalist id="sb-zone-list">
                        {move || zones.with_value(|z| z.iter().map(|name| view! { <option value=name.clone()></option> }).collect_view())}
                    </datalist>
                    <p id="sb-zone-problem" class="sb-field-error" role="alert">
                        {move || refused.with(|r| if r.is_empty() { String::new() } else { format!("“{r}” {}", text::UNKNOWN_ZONE) })}
                    </p>
                </div>
            })}
        </div>
    }
}
