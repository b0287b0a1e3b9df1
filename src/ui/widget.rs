use leptos::prelude::*;

use crate::api::client::{published_session_types, sleep_ms};
use crate::core::flow::{Action, Env, Flow, Step};
use crate::intl::usable_locale;
use crate::text;
use crate::ui::load_error::LoadError;
use crate::ui::step_indicator::StepIndicator;
use crate::ui::steps::session_type_skeleton::SessionTypeSkeleton;
use crate::ui::steps::session_types::SessionTypeList;

/// The booking widget for one studio: the step indicator and the screen of the current step.
#[component]
pub fn BookingWidget(
    /// The studio's API base URL, e.g. "https://studio.example.com/api/v1".
    api_base: String,
) -> impl IntoView {
    let flow = RwSignal::new(Flow::new("UTC"));
    let locale = usable_locale(None);
    let base = StoredValue::new(api_base);
    let session_types = LocalResource::new(move || {
        let base = base.get_value();
        async move { published_session_types(&base).await }
    });
    // Loading longer than a second says what it waits for.
    let waiting_message = RwSignal::new(text::LOADING_SESSIONS);
    leptos::task::spawn_local(async move {
        sleep_ms(1_000).await;
        waiting_message.set(text::STILL_LOADING);
    });
    let (retrying, set_retrying) = signal(false);
    let step = Signal::derive(move || flow.with(|f| f.step));
    let chosen = Signal::derive(move || flow.with(|f| f.session_type.as_ref().map(|t| t.id.clone())));
    let on_choose = Callback::new(move |id: String| {
        let Some(Ok(list)) = session_types.get() else { return };
        let Some(t) = list.into_iter().find(|t| t.id == id) else { return };
        let env = Env { today: chrono::NaiveDate::MIN, matcher: &|_, _| None, new_key: &String::new };
        flow.update(|f| {
            f.apply(Action::ChooseSessionType(t), &env);
        });
    });
    let on_retry = Callback::new(move |()| session_types.refetch());

    view! {
        <section class="sb-widget" aria-labelledby="sb-heading" part="widget">
            <StepIndicator current=step/>
            <h2 id="sb-heading" class="sb-heading" tabindex="-1">
                {move || match step.get() {
                    Step::SessionType => text::CHOOSE_SESSION,
                    other => other.label(),
                }}
            </h2>
            <Transition
                fallback=move || view! { <SessionTypeSkeleton message=waiting_message.into()/> }
                set_pending=set_retrying
            >
                {move || Suspend::new({
                    let locale = locale.clone();
                    async move {
                        match session_types.await {
                            Ok(list) => view! {
                                <SessionTypeList session_types=list chosen=chosen on_choose=on_choose locale=locale/>
                            }.into_any(),
                            Err(e) => view! {
                                <LoadError message=e.to_string() retrying=retrying on_retry=on_retry/>
                            }.into_any(),
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
