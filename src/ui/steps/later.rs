//! The steps after the date and time: the visitor's details, payment, review and the
//! confirmation. A release build puts their code in a second wasm file
//! (`split_later_steps.wasm`, made by `wasm-split-cli` in `tools/minify.mjs`), so that the
//! first screen (the session types, or a month's open days) does not wait for it: it is
//! fetched once a day's times are shown (`SlotList`), while the visitor reads them, and on
//! demand if a draft reopens on a later step. Other builds (`trunk serve`, the tests) call the same
//! functions directly.

use std::cell::Cell;

use leptos::prelude::*;

use crate::core::flow::Step;
use crate::text;
use crate::ui::load_error::LoadError;
use crate::ui::steps::booked::BookedStep;
use crate::ui::steps::details::DetailsStep;
use crate::ui::steps::payment::PaymentStep;
use crate::ui::steps::review::ReviewStep;

/// Draws one of the later steps (a function in the second wasm file of a release build).
type DrawStep = fn(Step) -> AnyView;

thread_local! {
    /// Set once the later steps' code is loaded; the same for every widget on the page.
    static LOADED: Cell<Option<DrawStep>> = const { Cell::new(None) };
}

fn draw_step(step: Step) -> AnyView {
    match step {
        Step::Details => view! { <DetailsStep/> }.into_any(),
        Step::Payment => view! { <PaymentStep/> }.into_any(),
        Step::Review => view! { <ReviewStep/> }.into_any(),
        _ => view! { <BookedStep/> }.into_any(),
    }
}

/// The split point: loads the second wasm file (once; concurrent calls share one fetch, a
/// failed fetch is tried afresh by the next call) and hands back the function in it.
#[cfg(studio_split)]
#[allow(improper_ctypes_definitions)]
#[leptos::wasm_split::wasm_split(later_steps, wasm_split_path = ::leptos::wasm_split, fallible)]
fn load_draw_step() -> Result<DrawStep, leptos::wasm_split::SplitLoaderError> {
    Ok(draw_step)
}

/// Without the split build, the later steps are in the one wasm file.
#[cfg(not(studio_split))]
async fn load_draw_step() -> Result<DrawStep, ()> {
    Ok(draw_step)
}

/// Loads the later steps' code; true once it is there.
async fn load() -> bool {
    if LOADED.with(Cell::get).is_some() {
        return true;
    }
    match load_draw_step().await {
        Ok(draw) => {
            LOADED.with(|l| l.set(Some(draw)));
            true
        }
        Err(_) => false,
    }
}

/// Starts fetching the later steps' code in the background, if it is not there yet (a
/// failure is left to the step that needs it, which says so and offers to try again).
pub fn preload_later_steps() {
    if LOADED.with(Cell::get).is_none() {
        leptos::task::spawn_local(async {
            load().await;
        });
    }
}

/// One of the steps after the date and time, drawn as soon as its code is loaded: until then
/// a short waiting line, and if it cannot be fetched, a message and a button to try again
/// (the visitor's choices and answers are kept in the booking flow meanwhile).
#[component]
pub fn LaterStep(
    /// Which step to draw (details, payment, review or the confirmation).
    step: Step,
) -> impl IntoView {
    let loaded = RwSignal::new(LOADED.with(Cell::get).is_some());
    let failed = RwSignal::new(false);
    let retrying = RwSignal::new(false);
    let fetch = move || {
        leptos::task::spawn_local(async move {
            let ok = load().await;
            retrying.set(false);
            failed.set(!ok);
            loaded.set(ok);
        });
    };
    if !loaded.get_untracked() {
        fetch();
    }
    let on_retry = Callback::new(move |()| {
        retrying.set(true);
        fetch();
    });
    move || match LOADED.with(Cell::get).filter(|_| loaded.get()) {
        Some(draw) => draw(step),
        None if failed.get() => view! {
            <LoadError message=text::STEP_NOT_LOADED.to_string() retrying=retrying on_retry=on_retry/>
        }
        .into_any(),
        None => view! { <p class="sb-waiting" role="status">{text::LOADING_STEP}</p> }.into_any(),
    }
}
