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
use crate::pages::admin::catalogue::AdminCatalogue;
use crate::pages::admin::catalogue_import::ImportProducts;
use crate::pages::admin::catalogue_new::NewProduct;
use crate::pages::admin::categories::Categories;
use crate::pages::admin::doctors::DoctorApprovals;
use crate::pages::admin::flags::Flags;
use crate::pages::admin::invitations::Invitations;
use crate::pages::admin::organisations::Organisations;
use crate::pages::admin::people::People;
use crate::pages::admin::product_admin::AdminProduct;
use crate::pages::admin::product_edit::EditProduct;
use crate::pages::admin::questionnaires::{QuestionnaireVersion, Questionnaires};
use crate::pages::admin::rules::Rules;
use crate::pages::auth::accept_invitation::AcceptInvitation;
use crate::pages::auth::forgot_password::ForgotPassword;
use crate::pages::auth::mfa_setup::MfaSetup;
use crate::pages::auth::mfa_verify::MfaVerify;
use crate::pages::auth::reset_password::ResetPassword;
use crate::pages::auth::signin::SignIn;
use crate::pages::auth::signup::SignUp;
use crate::pages::auth::verify_email::VerifyEmail;
use crate::pages::clinic::catalogue::ClinicCatalogue;
use crate::pages::clinic::consults::{ClinicBookings, ClinicConsultOffer};
use crate::pages::clinic::product::ClinicProduct;
use crate::pages::dev::mailbox::DevMailbox;
use crate::pages::doctor::calendar::DoctorCalendar;
use crate::pages::doctor::chart::PatientChart;
use crate::pages::doctor::patients::MyPatients;
use crate::pages::doctor::prices::{DoctorPrices, DoctorProductPrices};
use crate::pages::doctor::review_queue::ReviewQueue;
use crate::pages::doctor::schedule::DoctorSchedule;
use crate::pages::officer::audit::AuditLog;
use crate::pages::patient::book::BookConsult;
use crate::pages::patient::consults::Consults;
use crate::pages::patient::product::ProductPage;
use crate::pages::patient::profile::HealthProfilePage;
use crate::pages::patient::questionnaire::Questionnaire;
use crate::pages::patient::shop::Shop;
use crate::pages::portal::PortalHome;
use crate::pages::public::home::Home;
use crate::pages::public::legal::{CurrentLegal, Document, Legal};
use crate::pages::public::not_found::NotFound;
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
                    <Route path=path!("/dev/mailbox") view=DevMailbox />
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
                    <ProtectedRoute
                        path=path!("/account")
                        view=Account
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    />
                    <ProtectedRoute
                        path=path!("/account/mfa/setup")
                        view=MfaSetup
                        condition=signed_in
                        redirect_path=to_sign_in
                        fallback=loading
                    />
                    <ProtectedParentRoute
                        path=path!("/patient")
                        view=|| view! { <RoleGate role=Role::Patient /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::Patient /> } />
                        <Route path=path!("/shop") view=Shop />
                        <Route path=path!("/products/:id") view=ProductPage />
                        <Route path=path!("/health") view=Questionnaire />
                        <Route path=path!("/health/profile") view=HealthProfilePage />
                        <Route path=path!("/consults") view=Consults />
                        <Route path=path!("/consults/book") view=BookConsult />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/doctor")
                        view=|| view! { <RoleGate role=Role::Doctor /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::Doctor /> } />
                        <Route path=path!("/patients") view=MyPatients />
                        <Route path=path!("/patients/:id") view=PatientChart />
                        <Route path=path!("/review-queue") view=ReviewQueue />
                        <Route path=path!("/prices") view=DoctorPrices />
                        <Route path=path!("/prices/:id") view=DoctorProductPrices />
                        <Route path=path!("/calendar") view=DoctorCalendar />
                        <Route path=path!("/schedule") view=DoctorSchedule />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/pharmacist")
                        view=|| view! { <RoleGate role=Role::Pharmacist /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::Pharmacist /> } />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/clinic")
                        view=|| view! { <RoleGate role=Role::ClinicAdmin /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::ClinicAdmin /> } />
                        <Route path=path!("/catalogue") view=ClinicCatalogue />
                        <Route path=path!("/products/:id") view=ClinicProduct />
                        <Route path=path!("/consult-offer") view=ClinicConsultOffer />
                        <Route path=path!("/bookings") view=ClinicBookings />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/admin")
                        view=|| view! { <RoleGate role=Role::PlatformAdmin /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("") view=|| view! { <PortalHome role=Role::PlatformAdmin /> } />
                        <Route path=path!("/doctors") view=DoctorApprovals />
                        <Route path=path!("/organisations") view=Organisations />
                        <Route path=path!("/invitations") view=Invitations />
                        <Route path=path!("/users") view=People />
                        <Route path=path!("/catalogue") view=AdminCatalogue />
                        <Route path=path!("/catalogue/new") view=NewProduct />
                        <Route path=path!("/catalogue/import") view=ImportProducts />
                        <Route path=path!("/products/:id") view=AdminProduct />
                        <Route path=path!("/products/edit/:id") view=EditProduct />
                        <Route path=path!("/categories") view=Categories />
                        <Route path=path!("/rules") view=Rules />
                        <Route path=path!("/flags") view=Flags />
                        <Route path=path!("/questionnaires") view=Questionnaires />
                        <Route path=path!("/questionnaires/:id") view=QuestionnaireVersion />
                    </ProtectedParentRoute>
                    <ProtectedParentRoute
                        path=path!("/officer")
                        view=|| view! { <RoleGate role=Role::InformationOfficer /> }
                        condition=access
                        redirect_path=redirect
                        fallback=loading
                    >
                        <Route path=path!("/audit") view=AuditLog />
                    </ProtectedParentRoute>
                </Routes>
            </Layout>
        </Router>
    }
}
