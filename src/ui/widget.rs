use leptos::html::H2;
use leptos::prelude::*;

use crate::api::client::published_session_types;
use crate::browser::sleep_ms;
use crate::core::flow::{Action, Step};
use crate::intl::words::Msg;
use crate::ui::context::Booking;
pub use crate::ui::context::WidgetSettings;
use crate::ui::keyed::load_keyed;
use crate::ui::load_error::LoadError;
use crate::ui::step_indicator::StepIndicator;
use crate::ui::steps::on_demand::StepOnDemand;
use crate::ui::steps::session_type_skeleton::SessionTypeSkeleton;
use crate::ui::steps::session_types::SessionTypeList;
use crate::ui::text;

/// The booking widget for one studio: the step indicator, the current step's screen, and
/// the visitor's choices so far.
#[component]
pub fn BookingWidget(
    /// The booking this widget shows (made by its mount: [`Booking::for_page`]).
    booking: Booking,
    /// What the page set on the widget.
    #[prop(optional)]
    settings: WidgetSettings,
) -> impl IntoView {
    let w = booking.words;
    provide_context(booking);
    // A manage link opens its session instead of a new booking.
    let managing = settings.manage_query.is_some();
    if let Some(query) = settings.manage_query.clone() {
        booking.send(Action::OpenManaged { query });
    }
    let session_type = settings.session_type.clone();
    let (prefill_name, prefill_email) = (settings.prefill_name.clone(), settings.prefill_email.clone());
    let ready_sent = settings.ready_sent;

    // Loaded the way every answer of the widget is (`load_keyed`): one key, asked again on
    // "Try again"; the request is aborted if the widget goes away first.
    let list_key = Memo::new(|_| String::from("session-types"));
    let session_types = load_keyed(list_key, move |cancel| {
        let base = booking.api_base.get_value();
        async move { published_session_types(&base, Some(&cancel)).await }
    });
    // The waiting cards are drawn from the next task on: an answer the loader already has
    // arrives before that (in this task's microtasks), and then they are never built, laid
    // out and thrown away. Loading longer than a second says what it waits for.
    let show_skeleton = RwSignal::new(false);
    let waiting_message = RwSignal::new(w.text(Msg::LoadingSessions));
    leptos::task::spawn_local(async move {
        sleep_ms(0).await;
        show_skeleton.set(true);
        sleep_ms(1_000).await;
        waiting_message.set(w.text(Msg::StillLoading));
    });
    let step = Memo::new(move |_| booking.flow.with(|f| f.step));
    // A memo: the list of steps changes only with the session type (whether it takes
    // payment), not with every letter typed.
    let steps = Memo::new(move |_| booking.flow.with(|f| f.steps()));
    let heading_text = Memo::new(move |_| {
        booking.flow.with(|f| {
            let case = text::HeadingCase {
                request: f.booked.as_ref().is_some_and(|b| b.awaits_confirmation()),
                moving: f.managing.is_some(),
                cancelled: f.managing.as_ref().and_then(|m| m.session.as_ref()).is_some_and(|s| s.is_cancelled()),
            };
            text::step_heading(w, f.step, case)
        })
    });
    let chosen = Memo::new(move |_| booking.flow.with(|f| f.session_type.as_ref().map(|t| t.id.clone())));
    let on_retry = Callback::new(move |()| session_types.retry());

    // A reload in the middle of a booking comes back to it: the draft is taken back once
    // the session types are known, and kept on every change after that.
    let restored = RwSignal::new(false);
    // The step the widget opens on by itself (a preselected session type, a restored draft):
    // reaching it must not take focus from the host page (nor scroll it to the widget).
    // (Plain cells: only the widget's own effects read them, and a StoredValue of another type
    // would be compiled for them.)
    let opened_on = std::rc::Rc::new(std::cell::Cell::new(None::<Step>));
    let opened_on_read = opened_on.clone();
    crate::ui::effect(move || {
        if restored.get_untracked() || managing {
            return;
        }
        if let Some(Ok(list)) = session_types.get() {
            booking.restore_draft(&list);
            booking.flow.update(|f| f.prefill(prefill_name.as_deref(), prefill_email.as_deref()));
            if let Some(t) = session_type.as_ref().and_then(|id| list.iter().find(|t| &t.id == id)) {
                booking.flow.update(|f| f.session_type_fixed = true);
                if booking.flow.with_untracked(|f| f.session_type.as_ref().map(|c| c.id.clone())) != Some(t.id.clone()) {
                    booking.send(Action::ChooseSessionType(t.clone()));
                }
            }
            opened_on.set(Some(booking.flow.with_untracked(|f| f.step)));
            restored.set(true);
            if !ready_sent {
                booking.emit(crate::ui::events::WidgetEvent::Ready, crate::object! { "session_types" => list.len() });
            }
        }
    });
    crate::ui::effect(move || {
        let draft = booking.flow.with(|f| f.draft());
        // (A managed session keeps no draft, and leaves a booking's draft alone.)
        if restored.get() && !managing {
            booking.keep_draft(draft);
        }
    });

    // Each new step's heading takes focus, so keyboard and screen reader users start there.
    let heading = NodeRef::<H2>::new();
    let shown = std::cell::Cell::new(None::<Step>);
    crate::ui::effect(move || {
        let now = step.get();
        let previous = shown.replace(Some(now));
        let by_itself = opened_on_read.take() == Some(now);
        if previous.is_some_and(|p| p != now) && !by_itself {
            if let Some(h) = heading.get_untracked() {
                let _ = h.focus();
            }
        }
    });

    view! {
        <section class="sb-widget" aria-labelledby="sb-heading" part="widget">
            {move || steps.with(|s| !s.is_empty()).then(|| view! { <StepIndicator current=step steps=steps/> })}
            <h2 id="sb-heading" class="sb-heading" part="heading" tabindex="-1" node_ref=heading>{move || heading_text.get()}</h2>
            {move || match step.get() {
                Step::SessionType => {
                    // Rendered from the answer itself, not through <Transition>: a Transition
                    // around a LocalResource that failed once stayed pending after a successful
                    // refetch (the list never replaced the error; caught by the fault e2e
                    // tests), so the retry's outcome is read directly.
                    view! {
                        {move || match session_types.get() {
                            // Read only while waiting: once the list is shown, the timer re-renders nothing.
                            None if !show_skeleton.get() => ().into_any(),
                            None => view! { <SessionTypeSkeleton message=waiting_message/> }.into_any(),
                            // Not before the draft and a preselected session type are taken
                            // (the effect above, which runs after this view on the same
                            // answer): the widget may be opening on a later step, and building
                            // every card only to throw it away cost the preselected month's
                            // first screen a whole list's work.
                            Some(Ok(_)) if !restored.get() || step.get_untracked() != Step::SessionType => ().into_any(),
                            Some(Ok(list)) => view! {
                                <SessionTypeList session_types=list chosen=chosen/>
                            }.into_any(),
                            Some(Err(e)) => view! {
                                <LoadError message=text::api_error(w, &e) retrying=Signal::derive(move || session_types.retrying()) on_retry=on_retry/>
                            }.into_any(),
                        }}
                    }.into_any()
                }
                other => view! { <StepOnDemand step=other/> }.into_any(),
            }}
        </section>
    }
}
