//! The pages of each role's portal, as lazy routes: their code is split out of the first WASM
//! module into one module per portal (`split_<portal>.wasm`, plus `chunk_<n>.wasm` for code that
//! several portals share), which the browser fetches the first time someone opens a page of that
//! portal. The public pages, sign-in and the layout stay in the first module.
//!
//! Every page of a portal names the same split module (`wasm_split(<portal>, …)`), so a portal
//! is one download rather than one per page: Leptos's own `#[lazy]` / `#[lazy_route]` give every
//! function a module of its own, named after its place in the source. `scripts/build-spa.sh`
//! does the splitting (`wasm-split-cli`) and checks each module's size.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::contexts::auth::Role;
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
use crate::pages::auth::mfa_setup::MfaSetup;
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

/// `lazy_page!(Route, split_module, loader, view)`: `Route` is a `LazyRoute` whose view is
/// `view`, compiled into the split module `split_module`. `loader` names the split function;
/// it must be unique (the split tool links by name).
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident, $split:ident, $loader:ident, $view:expr) => {
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                #[::leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split)]
                fn $loader() -> AnyView {
                    $view.into_any()
                }
                $loader().await
            }
        }
    };
}

// Every signed-in person's own pages: their account, passkeys and second factor.
lazy_page!(AccountPage, account, account_page, view! { <Account /> });
lazy_page!(
    MfaSetupPage,
    account,
    mfa_setup_page,
    view! { <MfaSetup /> }
);

lazy_page!(
    PatientHomePage,
    patient,
    patient_home,
    view! { <PortalHome role=Role::Patient /> }
);
lazy_page!(PatientShopPage, patient, patient_shop, view! { <Shop /> });
lazy_page!(
    PatientProductPage,
    patient,
    patient_product,
    view! { <ProductPage /> }
);
lazy_page!(
    PatientQuestionnairePage,
    patient,
    patient_questionnaire,
    view! { <Questionnaire /> }
);
lazy_page!(
    PatientProfilePage,
    patient,
    patient_profile,
    view! { <HealthProfilePage /> }
);
lazy_page!(
    PatientConsultsPage,
    patient,
    patient_consults,
    view! { <Consults /> }
);

lazy_page!(
    DoctorHomePage,
    doctor,
    doctor_home,
    view! { <PortalHome role=Role::Doctor /> }
);
lazy_page!(
    DoctorPatientsPage,
    doctor,
    doctor_patients,
    view! { <MyPatients /> }
);
lazy_page!(
    DoctorChartPage,
    doctor,
    doctor_chart,
    view! { <PatientChart /> }
);
lazy_page!(
    DoctorQueuePage,
    doctor,
    doctor_queue,
    view! { <ReviewQueue /> }
);
lazy_page!(
    DoctorPricesPage,
    doctor,
    doctor_prices,
    view! { <DoctorPrices /> }
);
lazy_page!(
    DoctorProductPricesPage,
    doctor,
    doctor_product_prices,
    view! { <DoctorProductPrices /> }
);

lazy_page!(
    PharmacistHomePage,
    pharmacist,
    pharmacist_home,
    view! { <PortalHome role=Role::Pharmacist /> }
);

lazy_page!(
    ClinicHomePage,
    clinic,
    clinic_home,
    view! { <PortalHome role=Role::ClinicAdmin /> }
);
lazy_page!(
    ClinicCataloguePage,
    clinic,
    clinic_catalogue,
    view! { <ClinicCatalogue /> }
);
lazy_page!(
    ClinicProductPage,
    clinic,
    clinic_product,
    view! { <ClinicProduct /> }
);

lazy_page!(
    AdminHomePage,
    admin,
    admin_home,
    view! { <PortalHome role=Role::PlatformAdmin /> }
);
lazy_page!(
    AdminDoctorsPage,
    admin,
    admin_doctors,
    view! { <DoctorApprovals /> }
);
lazy_page!(
    AdminOrganisationsPage,
    admin,
    admin_organisations,
    view! { <Organisations /> }
);
lazy_page!(
    AdminInvitationsPage,
    admin,
    admin_invitations,
    view! { <Invitations /> }
);
lazy_page!(AdminPeoplePage, admin, admin_people, view! { <People /> });
lazy_page!(
    AdminCataloguePage,
    admin,
    admin_catalogue,
    view! { <AdminCatalogue /> }
);
lazy_page!(
    AdminNewProductPage,
    admin,
    admin_new_product,
    view! { <NewProduct /> }
);
lazy_page!(
    AdminImportPage,
    admin,
    admin_import,
    view! { <ImportProducts /> }
);
lazy_page!(
    AdminProductPage,
    admin,
    admin_product,
    view! { <AdminProduct /> }
);
lazy_page!(
    AdminEditProductPage,
    admin,
    admin_edit_product,
    view! { <EditProduct /> }
);
lazy_page!(
    AdminCategoriesPage,
    admin,
    admin_categories,
    view! { <Categories /> }
);
lazy_page!(AdminRulesPage, admin, admin_rules, view! { <Rules /> });
lazy_page!(AdminFlagsPage, admin, admin_flags, view! { <Flags /> });
lazy_page!(
    AdminQuestionnairesPage,
    admin,
    admin_questionnaires,
    view! { <Questionnaires /> }
);
lazy_page!(
    AdminQuestionnaireVersionPage,
    admin,
    admin_questionnaire_version,
    view! { <QuestionnaireVersion /> }
);

lazy_page!(
    OfficerAuditPage,
    officer,
    officer_audit,
    view! { <AuditLog /> }
);

lazy_page!(DevMailboxPage, dev, dev_mailbox, view! { <DevMailbox /> });

// Booking consults.
lazy_page!(
    PatientBookPage,
    patient,
    patient_book,
    view! { <BookConsult /> }
);
lazy_page!(
    DoctorCalendarPage,
    doctor,
    doctor_calendar,
    view! { <DoctorCalendar /> }
);
lazy_page!(
    DoctorSchedulePage,
    doctor,
    doctor_schedule,
    view! { <DoctorSchedule /> }
);
lazy_page!(
    ClinicOfferPage,
    clinic,
    clinic_offer,
    view! { <ClinicConsultOffer /> }
);
lazy_page!(
    ClinicBookingsPage,
    clinic,
    clinic_bookings,
    view! { <ClinicBookings /> }
);
