//! The "Load more" button of a cursor-paginated list that appends pages.

use leptos::prelude::*;

use crate::api::ApiError;

/// Loads the page after `cursor` with `action`, which appends it to the list.
#[component]
pub fn LoadMore(cursor: String, action: Action<String, Result<(), ApiError>>) -> impl IntoView {
    let pending = action.pending();
    view! {
        <button
            class="button secondary"
            type="button"
            disabled=move || pending.get()
            on:click=move |_| {
                action.dispatch(cursor.clone());
            }
        >
            {move || if pending.get() { "Loading…" } else { "Load more" }}
        </button>
    }
}
