//! Signing out people who walked away. Any key press, touch, click or scroll counts as
//! activity (and lets the auth context renew the token it held back while there was none).
//! After the idle time-out (15 minutes for staff, 60 for patients) the person is signed out;
//! a minute before, a dialog says so and offers to stay signed in.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

use crate::contexts::auth::use_auth;

/// The warning shows this long before the sign-out.
const WARN_MS: f64 = 60_000.0;

/// Watches for activity, warns and signs out. Rendered once, by the layout.
#[component]
pub fn IdleWatch() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();
    // Seconds left while the warning shows.
    let warning = RwSignal::new(None::<u32>);

    let listeners = [
        window_event_listener(ev::keydown, move |_| auth.note_activity()),
        window_event_listener(ev::pointerdown, move |_| auth.note_activity()),
        window_event_listener(ev::scroll, move |_| auth.note_activity()),
    ];
    on_cleanup(move || {
        for listener in listeners {
            listener.remove();
        }
    });

    let tick = move || {
        let left = auth.idle_left_untracked().map(|(ms, _)| ms);
        let next = match left {
            Some(ms) if ms <= 0.0 => {
                // To the sign-in page first (coming back here afterwards), then sign out, so
                // the page being left does not flash its guard's redirect.
                let here = location.pathname.get_untracked();
                let to = auth.sign_in_path(&here);
                navigate(&to, NavigateOptions::default());
                auth.sign_out_idle();
                None
            }
            // Rounded up: the warning opens saying 60 seconds.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(ms) if ms <= WARN_MS => Some((ms / 1000.0).ceil() as u32),
            Some(_) | None => None,
        };
        if warning.get_untracked() != next {
            warning.set(next);
        }
    };
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }

    let stay = move || {
        auth.note_activity();
        warning.set(None);
    };
    view! {
        <Show when=move || warning.get().is_some()>
            <IdleDialog warning stay />
        </Show>
    }
}

#[component]
fn IdleDialog(warning: RwSignal<Option<u32>>, stay: impl Fn() + Copy + 'static) -> impl IntoView {
    let button = NodeRef::<leptos::html::Button>::new();
    // Focus goes to the button, and back where it was when the person stays.
    let previous = StoredValue::new_local(document().active_element());
    let on_stay = move |_| {
        previous.with_value(|el| {
            if let Some(el) = el
                .as_ref()
                .and_then(|el| el.dyn_ref::<web_sys::HtmlElement>())
            {
                let _ = el.focus();
            }
        });
        stay();
    };
    Effect::new(move || {
        if let Some(b) = button.get() {
            let _ = b.focus();
        }
    });
    let seconds = move || warning.get().unwrap_or(0);
    view! {
        <div class="dialog-backdrop">
            <div
                class="dialog card"
                role="alertdialog"
                aria-modal="true"
                aria-labelledby="idle-title"
                aria-describedby="idle-text"
            >
                <h2 id="idle-title">
                    "You will be signed out in " {seconds} " seconds"
                </h2>
                <p id="idle-text">
                    "You have not done anything for a while. To keep health information safe, "
                    "Rxgate signs you out when you are away."
                </p>
                <div class="form-actions">
                    <button class="button" type="button" node_ref=button on:click=on_stay>
                        "Stay signed in"
                    </button>
                </div>
            </div>
        </div>
    }
}
