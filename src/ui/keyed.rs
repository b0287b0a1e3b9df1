//! Loading by key: a view asks for "this month, this zone"; when the key changes, an answer
//! that arrives for an old key is ignored, so a slow answer can never overwrite a newer one
//! (click day A, then day B: only B's slots show).

use std::future::Future;

use leptos::prelude::*;

use crate::core::outcome::ApiError;

/// An answer as kept: the key it was asked for, the attempt (a retry's number), the outcome.
type Answer<T> = Option<(String, u32, Result<T, ApiError>)>;

/// What a keyed load gives a view: the answer for the current key (None while it loads),
/// whether it is being asked again, and a way to ask again. Read through its methods (which
/// track the signals they read), not through a `Signal` per answer type: Leptos' `Signal<T>`
/// is compiled once per `T`.
pub struct Keyed<T: Send + Sync + 'static> {
    key: Memo<String>,
    store: RwSignal<Answer<T>>,
    retries: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Keyed<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Keyed<T> {}

impl<T: Clone + Send + Sync + 'static> Keyed<T> {
    /// The latest answer for the current key; while it is asked again, the previous one (an
    /// error stays in view, with its button saying it is trying again).
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        let k = self.key.get();
        self.store.with(|s| s.as_ref().filter(|(sk, _, _)| *sk == k).map(|(_, _, r)| r.clone()))
    }

    /// Whether `retry` asked again and the new answer has not come yet.
    pub fn retrying(&self) -> bool {
        let (k, attempt) = (self.key.get(), self.retries.get());
        self.store.with(|s| s.as_ref().is_some_and(|(sk, sa, _)| *sk == k && *sa != attempt))
    }

    /// Asks again for the current key.
    pub fn retry(&self) {
        self.retries.update(|n| *n += 1);
    }
}

/// Loads with `load` whenever `key` changes (an empty key loads nothing), giving it the
/// signal that aborts the request. `load` must read the signals it needs untracked: only
/// the key decides when to load.
pub fn load_keyed<T, Fut>(key: Memo<String>, load: impl Fn(web_sys::AbortSignal) -> Fut + 'static) -> Keyed<T>
where
    T: Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let store = RwSignal::new(Answer::<T>::None);
    let retries = RwSignal::new(0u32);
    let in_flight = StoredValue::new_local(None::<web_sys::AbortController>);
    let abort_in_flight = move || {
        if let Some(c) = in_flight.try_update_value(Option::take).flatten() {
            c.abort();
        }
    };
    on_cleanup(abort_in_flight);
    crate::ui::effect(move || {
        let k = key.get();
        let attempt = retries.get();
        abort_in_flight();
        if k.is_empty() {
            return;
        }
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        let fut = load(controller.signal());
        in_flight.set_value(Some(controller));
        leptos::task::spawn_local(async move {
            let result = fut.await;
            // The view may be gone, or the key moved on, or it was asked again (this request
            // was aborted): then the answer is not wanted.
            if key.try_get_untracked().as_deref() == Some(k.as_str()) && retries.try_get_untracked() == Some(attempt) {
                let _ = store.try_set(Some((k, attempt, result)));
            }
        });
    });
    Keyed { key, store, retries }
}
