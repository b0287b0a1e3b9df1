use leptos::prelude::*;

use crate::core::flow::Action;
use crate::core::models::SessionType;
use crate::intl::words::Msg;
use crate::ui::context::use_booking;
use crate::ui::studio_text::StudioText;
use crate::ui::text;

/// The studio's published session types as cards. Each card's title is a button named by the
/// session type's name (pressed when chosen); the whole card is clickable, and choosing one
/// sends `Action::ChooseSessionType` to the booking flow itself.
#[component]
pub fn SessionTypeList(
    session_types: Vec<SessionType>,
    /// The id of the chosen session type.
    chosen: Memo<Option<String>>,
) -> impl IntoView {
    let booking = use_booking();
    let w = booking.words;
    if session_types.is_empty() {
        return view! { <p class="sb-empty" role="status">{w.text(Msg::NoSessions)}</p> }.into_any();
    }
    // The next step's code (a file of its own in a release build) comes while the visitor reads.
    crate::ui::steps::on_demand::preload_step(crate::core::flow::Step::DateTime);
    let cards = session_types
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let id = t.id.clone();
            let chosen_type = t.clone();
            let details_id = format!("sb-type-{i}-details");
            let is_chosen = {
                let id = id.clone();
                move || chosen.get().as_deref() == Some(id.as_str())
            };
            let is_chosen_class = is_chosen.clone();
            let facts = [Some(text::duration(w, t.duration)), Some(text::price_line(w, &t)), t.location.clone().filter(|l| !l.trim().is_empty())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <li class="sb-card sb-type" class:sb-chosen=is_chosen_class part="session-type">
                    {t.cover_image_url.clone().filter(|u| u.starts_with("https://") || u.starts_with("http://")).map(|src| view! {
                        <img class="sb-cover" src=src alt="" loading="lazy" decoding="async" width="640" height="360"/>
                    })}
                    <div class="sb-card-body">
                        <h3 class="sb-type-name">
                            <button type="button" class="sb-type-button" aria-pressed=move || is_chosen().to_string()
                                aria-describedby=details_id.clone()
                                on:click=move |_| booking.send(Action::ChooseSessionType(chosen_type.clone()))>
                                {t.name.clone()}
                            </button>
                        </h3>
                        <p class="sb-type-facts" id=details_id>{facts}</p>
                        {t.description.clone().filter(|d| !d.trim().is_empty()).map(|d| view! { <StudioText html=d class="sb-type-description"/> })}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="sb-type-list" role="list">{cards}</ul> }.into_any()
}
