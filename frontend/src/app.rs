//! The root component: auth context, router, layout and the route table.

use leptos::prelude::*;
use leptos_router::components::{
    Outlet, ProtectedParentRoute, ProtectedRoute, Route, Router, Routes,
};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, path};

use crate::components::guard::RoleGate;
use crate::components::layout::Layout;
use crate::components::skeleton::Skeleton;
use crate::contexts::auth::{Role, provide_auth};
use crate::pages::auth::accept_invitation::AcceptInvitation;
use crate::pages::auth::forgot_password::ForgotPassword;
use crate::pages::auth::mfa_verify::MfaVerify;
use crate::pages::auth::reset_password::ResetPassword;
use crate::pages::auth::signin::SignIn;
use crate::pages::auth::signup::SignUp;
use crate::pages::auth::verify_email::VerifyEmail;
use crate::pages::public::home::Home;
use crate::pages::public::legal::{CurrentLegal, Document, Legal};
use crate::pages::public::not_found::NotFound;
use crate::pages::public::sandbox_pay::SandboxPay;
use crate::portals::*;
use crate::routes::Page;

/// Where a guard sends someone it does not let in, computed by `target` from the path they
/// tried. A sign-out that takes the person to the sign-in page itself (the idle watch) can leave
/// the guard of the page being left to fire after the address changed: it then stays put rather
/// than replacing the sign-in page's `next` with the sign-in page.
fn guard_target(target: impl Fn(&str) -> String) -> String {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if path == Page::SignIn.path() {
        let search = location.search.get_untracked();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    } else {
        target(&path)
    }
}

#[component]
pub fn App() -> impl IntoView {
    crate::components::theme::init_theme();
    let auth = provide_auth();
    // Guards: `None` (session still being restored) shows a skeleton, `Some(false)` sends the
    // visitor to the sign-in page, and back here once signed in. Pages that use the API need
    // the second factor done too (`access`): until then they send the person to the pending
    // step (`guard_redirect`). The second-factor pages themselves only need a session.
    let signed_in = move || auth.signed_in();
    let access = move || auth.access();
    let to_sign_in = move || guard_target(|from| auth.sign_in_path(from));
    let redirect = move || guard_target(|from| auth.guard_redirect(from));
    let loading = || view! { <Skeleton lines=4 /> };

    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route
                        path=path!("/legal/terms")
                        view=|| view! { <CurrentLegal document=Document::Terms /> }
                    />
                    <Route
                        path=path!("/legal/terms/:version")
                        view=|| view! { <Legal document=Document::Terms /> }
                    />
                    <Route
                        path=path!("/legal/privacy")
                        view=|| view! { <CurrentLegal document=Document::Privacy /> }
                    />
                    <Route
                        path=path!("/legal/privacy/:version")
                        view=|| view! { <Legal document=Document::Privacy /> }
                    />
                    <Route path=path!("/dev/mailbox") view={Lazy::<DevMailboxPage>::new()} />
                    // The sandbox payment provider's hosted page (its payer only).
                    <ProtectedRoute
                        path=path!("/pay/sandbox/:id")
                        view=SandboxPay
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    />
                    <Route path=path!("/signin") view=SignIn />
                    <ProtectedRoute
                        path=path!("/signin/verify")
                        view=MfaVerify
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    />
                    <Route path=path!("/signup") view=SignUp />
                    <Route path=path!("/verify-email") view=VerifyEmail />
                    <Route path=path!("/forgot-password") view=ForgotPassword />
                    <Route path=path!("/reset-password") view=ResetPassword />
                    <Route path=path!("/accept-invitation") view=AcceptInvitation />
                    // Parent routes only to guard a lazy page: `ProtectedRoute` takes a plain view.
                    <ProtectedParentRoute
                        path=path!("/account/mfa/setup")
                        view=Outlet
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    >
                        <Route path=path!("") view={Lazy::<MfaSetupPage>::new()} />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/account")
                        view=Outlet
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view={Lazy::<AccountPage>::new()} />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/patient")
                        view=|| view! { <RoleGate role=Role::Patient /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view={Lazy::<PatientHomePage>::new()} />
                        <Route path=path!("/shop") view={Lazy::<PatientShopPage>::new()} />
                        <Route path=path!("/products/:id") view={Lazy::<PatientProductPage>::new()} />
                        <Route path=path!("/health") view={Lazy::<PatientQuestionnairePage>::new()} />
                        <Route path=path!("/health/profile") view={Lazy::<PatientProfilePage>::new()} />
                        <Route path=path!("/consults") view={Lazy::<PatientConsultsPage>::new()} />
                        <Route path=path!("/consults/book") view={Lazy::<PatientBookPage>::new()} />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/doctor")
                        view=|| view! { <RoleGate role=Role::Doctor /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view={Lazy::<DoctorHomePage>::new()} />
                        <Route path=path!("/patients") view={Lazy::<DoctorPatientsPage>::new()} />
                        <Route path=path!("/patients/:id") view={Lazy::<DoctorChartPage>::new()} />
                        <Route path=path!("/review-queue") view={Lazy::<DoctorQueuePage>::new()} />
                        <Route path=path!("/prices") view={Lazy::<DoctorPricesPage>::new()} />
                        <Route path=path!("/prices/:id") view={Lazy::<DoctorProductPricesPage>::new()} />
                        <Route path=path!("/calendar") view={Lazy::<DoctorCalendarPage>::new()} />
                        <Route path=path!("/schedule") view={Lazy::<DoctorSchedulePage>::new()} />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/pharmacist")
                        view=|| view! { <RoleGate role=Role::Pharmacist /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view={Lazy::<PharmacistHomePage>::new()} />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/clinic")
                        view=|| view! { <RoleGate role=Role::ClinicAdmin /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view={Lazy::<ClinicHomePage>::new()} />
                        <Route path=path!("/catalogue") view={Lazy::<ClinicCataloguePage>::new()} />
                        <Route path=path!("/products/:id") view={Lazy::<ClinicProductPage>::new()} />
                        <Route path=path!("/consult-offer") view={Lazy::<ClinicOfferPage>::new()} />
                        <Route path=path!("/bookings") view={Lazy::<ClinicBookingsPage>::new()} />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/admin")
                        view=|| view! { <RoleGate role=Role::PlatformAdmin /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view={Lazy::<AdminHomePage>::new()} />
                        <Route path=path!("/doctors") view={Lazy::<AdminDoctorsPage>::new()} />
                        <Route path=path!("/organisations") view={Lazy::<AdminOrganisationsPage>::new()} />
                        <Route path=path!("/invitations") view={Lazy::<AdminInvitationsPage>::new()} />
                        <Route path=path!("/users") view={Lazy::<AdminPeoplePage>::new()} />
                        <Route path=path!("/catalogue") view={Lazy::<AdminCataloguePage>::new()} />
                        <Route path=path!("/catalogue/new") view={Lazy::<AdminNewProductPage>::new()} />
                        <Route path=path!("/catalogue/import") view={Lazy::<AdminImportPage>::new()} />
                        <Route path=path!("/products/:id") view={Lazy::<AdminProductPage>::new()} />
                        <Route path=path!("/products/edit/:id") view={Lazy::<AdminEditProductPage>::new()} />
                        <Route path=path!("/categories") view={Lazy::<AdminCategoriesPage>::new()} />
                        <Route path=path!("/rules") view={Lazy::<AdminRulesPage>::new()} />
                        <Route path=path!("/flags") view={Lazy::<AdminFlagsPage>::new()} />
                        <Route path=path!("/questionnaires") view={Lazy::<AdminQuestionnairesPage>::new()} />
                        <Route path=path!("/questionnaires/:id") view={Lazy::<AdminQuestionnaireVersionPage>::new()} />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/officer")
                        view=|| view! { <RoleGate role=Role::InformationOfficer /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("/audit") view={Lazy::<OfficerAuditPage>::new()} />
                    </ProtectedParentRoute>
                </Routes>
            </Layout>
        </Router>
    }
}
