use leptos::prelude::*;

/// Fallback of an `ErrorBoundary`: says what failed and offers nothing it cannot do.
pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let list = move || {
        errors
            .read()
            .iter()
            .map(|(_, e)| view! { <li>{e.to_string()}</li> })
            .collect_view()
    };
    view! {
        <div class="notice notice-error" role="alert">
            <strong>"Something went wrong."</strong>
            <ul>{list}</ul>
        </div>
    }
}
