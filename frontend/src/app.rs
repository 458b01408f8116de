//! The root component: router, layout and the route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::pages::dev::mailbox::DevMailbox;
use crate::pages::public::home::Home;
use crate::pages::public::not_found::NotFound;

#[component]
pub fn App() -> impl IntoView {
    crate::components::theme::init_theme();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/dev/mailbox") view=DevMailbox />
                </Routes>
            </Layout>
        </Router>
    }
}
