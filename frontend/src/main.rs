//! Rxgate's single-page app. Every screen talks to `/api/v1` only, through `api.rs`.

mod api;
mod app;
mod components;
mod contexts;
mod format;
mod messages;
mod pages;
mod portals;
mod questionnaire;
mod routes;
mod webauthn;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // The static "Loading…" placeholder of index.html has served its purpose.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
}
