//! The steps whose code a release build puts in wasm files of their own, loaded when needed:
//! the date and time step (`split_date_time_step.wasm`), and the steps after it, the visitor's
//! details, payment, review and the confirmation (`split_later_steps.wasm`). `wasm-split-cli`
//! makes them in `tools/build/split.mjs`. The first screen, the list of session types, waits for
//! neither: the date and time step is fetched once the list is shown, while the visitor reads
//! it (and by the loader at once, beside the main file, when the page preselects a session
//! type); the later steps once a day's times are shown. A draft that reopens on a step loads
//! it on demand. Other builds (`trunk serve`, the tests) call the same functions directly.

use std::cell::Cell;

use leptos::prelude::*;

use crate::core::flow::Step;
use crate::intl::words::Msg;
use crate::ui::load_error::LoadError;
use crate::ui::steps::booked::BookedStep;
use crate::ui::steps::contract::ContractStep;
use crate::ui::steps::date_time::DateTimeStep;
use crate::ui::steps::details::DetailsStep;
use crate::ui::steps::manage::ManageStep;
use crate::ui::steps::payment::PaymentStep;
use crate::ui::steps::review::ReviewStep;
use crate::ui::summary::SelectionSummary;

/// Draws a step's screen (a function in one of the release build's other wasm files).
type DrawStep = fn(Step) -> AnyView;

/// Which file a step's code is in: 0 the date and time step, 1 the later steps.
fn part_of(step: Step) -> usize {
    usize::from(step != Step::DateTime)
}

thread_local! {
    /// Each part's drawing function, once loaded; the same for every widget on the page.
    static LOADED: [Cell<Option<DrawStep>>; 2] = const { [Cell::new(None), Cell::new(None)] };
}

fn loaded(part: usize) -> Option<DrawStep> {
    LOADED.with(|l| l[part].get())
}

// Each step after the first draws the summary of the visitor's choice above itself, so its
// code (and the date and time formatting it shares with those steps) is in their files, not
// in the main one (−5.2 KB gzip there, +6.5 KB in the code the two split files share).
fn draw_date_time(_: Step) -> AnyView {
    view! { <SelectionSummary/><DateTimeStep on_times_shown=|| preload_step(Step::Details)/> }.into_any()
}

fn draw_later(step: Step) -> AnyView {
    crate::ui::context::register_later_effects(crate::ui::later_effects::carry_out);
    match step {
        Step::Details => view! { <SelectionSummary/><DetailsStep/> }.into_any(),
        Step::Payment => view! { <SelectionSummary/><PaymentStep/> }.into_any(),
        Step::Contract => view! { <SelectionSummary/><ContractStep/> }.into_any(),
        Step::Review => view! { <SelectionSummary/><ReviewStep/> }.into_any(),
        Step::Manage => view! { <ManageStep/> }.into_any(),
        // The confirmation says it all itself.
        _ => view! { <BookedStep/> }.into_any(),
    }
}

// The split points: each loads its file (once; concurrent calls share one fetch, a failed
// fetch is tried afresh by the next call) and hands back the drawing function in it.
#[cfg(studio_split)]
#[allow(improper_ctypes_definitions)]
#[leptos::wasm_split::wasm_split(date_time_step, wasm_split_path = ::leptos::wasm_split, fallible)]
fn load_date_time() -> Result<DrawStep, leptos::wasm_split::SplitLoaderError> {
    Ok(draw_date_time)
}

#[cfg(studio_split)]
#[allow(improper_ctypes_definitions)]
#[leptos::wasm_split::wasm_split(later_steps, wasm_split_path = ::leptos::wasm_split, fallible)]
fn load_later() -> Result<DrawStep, leptos::wasm_split::SplitLoaderError> {
    Ok(draw_later)
}

/// Without the split build, every step is in the one wasm file.
#[cfg(not(studio_split))]
async fn load_date_time() -> Result<DrawStep, ()> {
    Ok(draw_date_time)
}

#[cfg(not(studio_split))]
async fn load_later() -> Result<DrawStep, ()> {
    Ok(draw_later)
}

/// Loads a part's code; true once it is there.
async fn load(part: usize) -> bool {
    if loaded(part).is_some() {
        return true;
    }
    let draw = if part == 0 { load_date_time().await.ok() } else { load_later().await.ok() };
    if let Some(draw) = draw {
        LOADED.with(|l| l[part].set(Some(draw)));
    }
    draw.is_some()
}

/// Starts fetching the code of `step` in the background once the screen being drawn is
/// painted, if it is not there yet (a failure is left to the step itself, which says so and
/// offers to try again).
pub fn preload_step(step: Step) {
    let part = part_of(step);
    if loaded(part).is_none() {
        leptos::task::spawn_local(async move {
            crate::browser::after_next_paint().await;
            load(part).await;
        });
    }
}

/// The screen of the date and time step or of a later one, drawn as soon as its code is
/// loaded: until then a short waiting line, and if it cannot be fetched, a message and a
/// button to try again (the visitor's choices and answers are kept in the booking flow).
#[component]
pub fn StepOnDemand(
    /// Which step to draw (the date and time, details, payment, review or the confirmation).
    step: Step,
) -> impl IntoView {
    let part = part_of(step);
    let ready = RwSignal::new(loaded(part).is_some());
    let failed = RwSignal::new(false);
    let retrying = RwSignal::new(false);
    let fetch = move || {
        leptos::task::spawn_local(async move {
            let ok = load(part).await;
            retrying.set(false);
            failed.set(!ok);
            ready.set(ok);
        });
    };
    if !ready.get_untracked() {
        fetch();
    }
    let on_retry = Callback::new(move |()| {
        retrying.set(true);
        fetch();
    });
    let w = crate::ui::context::use_booking().words;
    let waiting = w.text(if part == 0 { Msg::LoadingDays } else { Msg::LoadingStep });
    move || match loaded(part).filter(|_| ready.get()) {
        Some(draw) => draw(step),
        None if failed.get() => view! {
            <LoadError message=w.text(Msg::StepNotLoaded).to_string() retrying=retrying on_retry=on_retry/>
        }
        .into_any(),
        None => view! { <p class="sb-waiting" role="status">{waiting}</p> }.into_any(),
    }
}
