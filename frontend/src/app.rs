//! The root component: auth context, router, layout and the route table.

use leptos::prelude::*;
use leptos_router::components::{ProtectedParentRoute, ProtectedRoute, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::guard::RoleGate;
use crate::components::layout::Layout;
use crate::components::skeleton::Skeleton;
use crate::contexts::auth::{Role, provide_auth};
use crate::pages::account::Account;
use crate::pages::auth::forgot_password::ForgotPassword;
use crate::pages::auth::reset_password::ResetPassword;
use crate::pages::auth::signin::SignIn;
use crate::pages::auth::signup::SignUp;
use crate::pages::auth::verify_email::VerifyEmail;
use crate::pages::dev::mailbox::DevMailbox;
use crate::pages::officer::audit::AuditLog;
use crate::pages::portal::PortalHome;
use crate::pages::public::home::Home;
use crate::pages::public::not_found::NotFound;

#[component]
pub fn App() -> impl IntoView {
    crate::components::theme::init_theme();
    let auth = provide_auth();
    // Guards: `None` (session still being restored) shows a skeleton, `Some(false)` sends the
    // visitor to the sign-in page, and back here once signed in.
    let signed_in = move || auth.signed_in();
    let to_sign_in = move || auth.sign_in_path(&use_location().pathname.get_untracked());
    let loading = || view! { <Skeleton lines=4 /> };

    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/dev/mailbox") view=DevMailbox />
                    <Route path=path!("/signin") view=SignIn />
                    <Route path=path!("/signup") view=SignUp />
                    <Route path=path!("/verify-email") view=VerifyEmail />
                    <Route path=path!("/forgot-password") view=ForgotPassword />
                    <Route path=path!("/reset-password") view=ResetPassword />
                    <ProtectedRoute
                        path=path!("/account")
                        view=Account
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    />
                    <ProtectedParentRoute
                        path=path!("/patient")
                        view=|| view! { <RoleGate role=Role::Patient /> }
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::Patient /> } />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/doctor")
                        view=|| view! { <RoleGate role=Role::Doctor /> }
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::Doctor /> } />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/pharmacist")
                        view=|| view! { <RoleGate role=Role::Pharmacist /> }
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::Pharmacist /> } />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/clinic")
                        view=|| view! { <RoleGate role=Role::ClinicAdmin /> }
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::ClinicAdmin /> } />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/admin")
                        view=|| view! { <RoleGate role=Role::PlatformAdmin /> }
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::PlatformAdmin /> } />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/officer")
                        view=|| view! { <RoleGate role=Role::InformationOfficer /> }
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    >
                        <Route path=path!("/audit") view=AuditLog />
                    </ProtectedParentRoute>
                </Routes>
            </Layout>
        </Router>
    }
}
