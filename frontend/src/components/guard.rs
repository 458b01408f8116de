//! Role guards. Portal routes are nested under a parent route that only signed-in people reach
//! (`ProtectedParentRoute`, which sends everyone else to the sign-in page); `RoleGate`, the
//! parent's view, then shows the child route only to people with the portal's role.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::contexts::auth::{Role, use_auth};
use crate::pages::public::not_found::NotFound;

/// Shows the child route to people who may open the portal of `role` (see `Role::portals`),
/// and the not-found page to everyone else: a portal's pages are not advertised to people who
/// may not use them.
#[component]
pub fn RoleGate(role: Role) -> impl IntoView {
    if use_auth().has_portal_untracked(role) {
        Either::Left(view! { <Outlet /> })
    } else {
        Either::Right(view! { <NotFound /> })
    }
}
