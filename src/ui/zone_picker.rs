use leptos::prelude::*;

use crate::core::flow::Action;
use crate::intl;
use crate::intl::words::Msg;
use crate::ui::context::use_booking;
use crate::ui::text;

/// "Times are shown in Nepal Time (GMT+5:45). The studio is in Greenwich Mean Time (GMT).",
/// and a searchable list of every zone the browser knows, each by its name in the visitor's
/// language, to show the times in another.
#[component]
pub fn ZonePicker(
    zone: Memo<String>,
    studio_zone: Option<String>,
    /// The action choosing a zone sends (`Action::ChangeZone`).
    on_change: fn(String) -> Action,
) -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    let open = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    // The name last refused ("" when none): the message is written from it.
    let refused = RwSignal::new(String::new());
    // Every zone's id and name (made when the switcher first opens).
    let zones = StoredValue::new(Vec::<(String, String)>::new());
    let commit = move || {
        let typed = draft.get_untracked().trim().to_string();
        if typed.is_empty() {
            return;
        }
        // A zone's id ("Asia/Kathmandu"), its name as listed, its city as the id spells it
        // ("Kathmandu"), or a part of its name in the visitor's language ("Japon" finds
        // "heure normale du Japon"); in any case and with or without accents.
        let as_id = typed.replace(' ', "_");
        let wanted = if intl::is_valid_zone(&as_id) {
            Some(as_id.clone())
        } else {
            let wanted = intl::search_form(&typed);
            let city = format!("/{}", intl::search_form(&as_id));
            zones.with_value(|z| {
                let names: Vec<String> = z.iter().map(|(_, name)| intl::search_form(name)).collect();
                names
                    .iter()
                    .position(|n| *n == wanted)
                    .or_else(|| z.iter().position(|(id, _)| intl::search_form(id).ends_with(&city)))
                    // A whole word first ("India" is India Standard Time, not Indochina Time).
                    .or_else(|| names.iter().position(|n| n.split([' ', '(', ')', ',', '-', '\'', '’']).any(|word| word == wanted)))
                    .or_else(|| names.iter().position(|n| n.contains(&wanted)))
                    .map(|i| z[i].0.clone())
            })
        };
        match wanted {
            Some(id) => {
                refused.set(String::new());
                open.set(false);
                booking.send(on_change(id));
            }
            None => refused.set(typed),
        }
    };
    let label = move |z: &str| text::zone_label(w, z, intl::now_ms());
    view! {
        <div class="sb-zone" part="time-zone">
            <p class="sb-zone-line">
                {move || match &studio_zone {
                    Some(s) if *s != zone.get() => w.fill(Msg::TimesInWithStudio, &[("zone", &label(&zone.get())), ("studio_zone", &label(s))]),
                    _ => w.fill(Msg::TimesIn, &[("zone", &label(&zone.get()))]),
                }}
                " "
                <button type="button" class="sb-link" aria-expanded=move || open.get().to_string()
                    on:click=move |_| {
                        if zones.with_value(Vec::is_empty) {
                            let ids = intl::supported_zones();
                            let names = intl::zone_names_of(&ids, w.locale(), intl::now_ms());
                            let listed = ids.into_iter().zip(names).map(|(id, (name, offset))| {
                                let shown = if name == offset { name } else { w.fill(Msg::ZoneNameOffset, &[("name", &name), ("offset", &offset)]) };
                                (id, shown)
                            });
                            zones.set_value(listed.collect());
                        }
                        draft.set(String::new());
                        open.update(|o| *o = !*o);
                    }>{w.text(Msg::ChangeZone)}</button>
            </p>
            {move || open.get().then(|| view! {
                <div class="sb-zone-form">
                    <label for="sb-zone-input">{w.text(Msg::TimeZone)}</label>
                    <input id="sb-zone-input" type="text" list="sb-zone-list" autocomplete="off" spellcheck="false"
                        placeholder=w.text(Msg::ZonePlaceholder) prop:value=move || draft.get()
                        aria-invalid=move || refused.with(|r| !r.is_empty()).to_string()
                        aria-describedby="sb-zone-problem"
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:change=move |_| commit()
                        on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); commit() }/>
                    <datalist id="sb-zone-list">
                        {move || zones.with_value(|z| z.iter().map(|(id, name)| view! { <option value=id.clone() label=name.clone()></option> }).collect_view())}
                    </datalist>
                    <p id="sb-zone-problem" class="sb-field-error" role="alert">
                        {move || refused.with(|r| if r.is_empty() { String::new() } else { w.fill(Msg::UnknownZone, &[("zone", r)]) })}
                    </p>
                </div>
            })}
        </div>
    }
}
