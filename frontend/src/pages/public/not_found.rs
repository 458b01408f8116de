use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::Page;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>"Page not found"</h1>
            <p>"The page you asked for does not exist or has moved."</p>
            <A href=Page::Home.path() attr:class="button">"Go to the home page"</A>
        </section>
    }
}
