//! Every client-side route in one place: links are built from this enum, never from strings.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    DevMailbox,
    SignIn,
    MfaVerify,
    SignUp,
    VerifyEmail,
    ForgotPassword,
    ResetPassword,
    Account,
    MfaSetup,
    PatientHome,
    DoctorHome,
    PharmacistHome,
    ClinicAdminHome,
    PlatformAdminHome,
    AdminDoctors,
    AdminOrganisations,
    AdminInvitations,
    AdminUsers,
    AcceptInvitation,
    AuditLog,
    PatientShop,
    /// One product: link with `item`.
    PatientProduct,
    PatientQuestionnaire,
    PatientHealthProfile,
    PatientConsults,
    DoctorPatients,
    /// One patient's chart: link with `item`.
    DoctorPatientChart,
    DoctorReviewQueue,
    DoctorPrices,
    /// One product with the doctor's own prices: link with `item` and `?clinic=`.
    DoctorProductPrices,
    AdminCatalogue,
    /// Editing a product's details: link with `item`.
    AdminEditProduct,
    AdminCategories,
    AdminNewProduct,
    AdminImportProducts,
    /// One product of the master catalogue: link with `item`.
    AdminProduct,
    AdminRules,
    AdminFlags,
    AdminQuestionnaires,
    /// One questionnaire version (and its editor while a draft): link with `item`.
    AdminQuestionnaireVersion,
    ClinicCatalogue,
    /// One product with the clinic's prices: link with `item`.
    ClinicProduct,
    /// The terms of service: the current version; one version with `item`.
    LegalTerms,
    /// The privacy notice: the current version; one version with `item`.
    LegalPrivacy,
    /// The sandbox payment provider's hosted page: link with `item` (the payment id).
    SandboxPay,
    // Booking consults (issue #11).
    PatientBookConsult,
    DoctorSchedule,
    DoctorCalendar,
    ClinicConsultOffer,
    ClinicBookings,
}

impl Page {
    pub fn path(self) -> &'static str {
        match self {
            Self::Home => "/",
            Self::DevMailbox => "/dev/mailbox",
            Self::SignIn => "/signin",
            Self::MfaVerify => "/signin/verify",
            Self::SignUp => "/signup",
            Self::VerifyEmail => "/verify-email",
            Self::ForgotPassword => "/forgot-password",
            Self::ResetPassword => "/reset-password",
            Self::Account => "/account",
            Self::MfaSetup => "/account/mfa/setup",
            Self::PatientHome => "/patient",
            Self::DoctorHome => "/doctor",
            Self::PharmacistHome => "/pharmacist",
            Self::ClinicAdminHome => "/clinic",
            Self::PlatformAdminHome => "/admin",
            Self::AdminDoctors => "/admin/doctors",
            Self::AdminOrganisations => "/admin/organisations",
            Self::AdminInvitations => "/admin/invitations",
            Self::AdminUsers => "/admin/users",
            Self::AcceptInvitation => "/accept-invitation",
            Self::AuditLog => "/officer/audit",
            Self::PatientShop => "/patient/shop",
            Self::PatientProduct => "/patient/products",
            Self::PatientQuestionnaire => "/patient/health",
            Self::PatientHealthProfile => "/patient/health/profile",
            Self::PatientConsults => "/patient/consults",
            Self::DoctorPatients | Self::DoctorPatientChart => "/doctor/patients",
            Self::DoctorReviewQueue => "/doctor/review-queue",
            Self::DoctorPrices | Self::DoctorProductPrices => "/doctor/prices",
            Self::AdminEditProduct => "/admin/products/edit",
            Self::AdminCategories => "/admin/categories",
            Self::AdminCatalogue => "/admin/catalogue",
            Self::AdminNewProduct => "/admin/catalogue/new",
            Self::AdminImportProducts => "/admin/catalogue/import",
            Self::AdminProduct => "/admin/products",
            Self::AdminRules => "/admin/rules",
            Self::AdminFlags => "/admin/flags",
            Self::AdminQuestionnaires | Self::AdminQuestionnaireVersion => "/admin/questionnaires",
            Self::ClinicCatalogue => "/clinic/catalogue",
            Self::ClinicProduct => "/clinic/products",
            Self::LegalTerms => "/legal/terms",
            Self::LegalPrivacy => "/legal/privacy",
            Self::SandboxPay => "/pay/sandbox",
            Self::PatientBookConsult => "/patient/consults/book",
            Self::DoctorSchedule => "/doctor/schedule",
            Self::DoctorCalendar => "/doctor/calendar",
            Self::ClinicConsultOffer => "/clinic/consult-offer",
            Self::ClinicBookings => "/clinic/bookings",
        }
    }

    /// The name of the page in navigation.
    pub fn label(self) -> &'static str {
        match self {
            Self::Home => "Home",
            Self::DevMailbox => "Developer mailbox",
            Self::SignIn => "Sign in",
            Self::MfaVerify => "Two-step verification",
            Self::SignUp => "Create account",
            Self::VerifyEmail => "Verify email",
            Self::ForgotPassword => "Forgot password",
            Self::ResetPassword => "Reset password",
            Self::Account => "Account",
            Self::MfaSetup => "Set up two-step verification",
            Self::PatientHome => "Patient",
            Self::DoctorHome => "Doctor",
            Self::PharmacistHome => "Pharmacy",
            Self::ClinicAdminHome => "Clinic",
            Self::PlatformAdminHome => "Administration",
            Self::AdminDoctors => "Doctor approvals",
            Self::AdminOrganisations => "Organisations",
            Self::AdminInvitations => "Invitations",
            Self::AdminUsers => "People",
            Self::AcceptInvitation => "Accept invitation",
            Self::AuditLog => "Audit log",
            Self::PatientShop => "Shop",
            Self::PatientProduct => "Product",
            Self::PatientQuestionnaire => "My health",
            Self::PatientHealthProfile => "My health profile",
            Self::PatientConsults => "Consults",
            Self::DoctorPatients => "My patients",
            Self::DoctorPatientChart => "Patient chart",
            Self::DoctorReviewQueue => "Review queue",
            Self::DoctorPrices => "My prices",
            Self::DoctorProductPrices => "Product prices",
            Self::AdminEditProduct => "Edit product",
            Self::AdminCategories => "Categories",
            Self::AdminCatalogue | Self::ClinicCatalogue => "Catalogue",
            Self::AdminNewProduct => "New product",
            Self::AdminImportProducts => "Import products",
            Self::AdminProduct | Self::ClinicProduct => "Product",
            Self::AdminRules => "Rules",
            Self::AdminFlags => "Flags",
            Self::AdminQuestionnaires => "Questionnaires",
            Self::AdminQuestionnaireVersion => "Questionnaire version",
            Self::LegalTerms => "Terms of service",
            Self::LegalPrivacy => "Privacy notice",
            Self::SandboxPay => "Sandbox payment",
            Self::PatientBookConsult => "Book a consult",
            Self::DoctorSchedule => "Availability",
            Self::DoctorCalendar => "Calendar",
            Self::ClinicConsultOffer => "Consult offer",
            Self::ClinicBookings => "Bookings",
        }
    }

    /// A decorative glyph next to the label in navigation.
    pub fn icon(self) -> &'static str {
        match self {
            Self::Home => "⌂",
            Self::DevMailbox => "✉",
            Self::SignIn => "→",
            Self::SignUp => "+",
            Self::VerifyEmail | Self::ForgotPassword | Self::ResetPassword => "✓",
            Self::MfaVerify | Self::MfaSetup => "◆",
            Self::Account => "◉",
            Self::PatientHome => "♡",
            Self::DoctorHome => "⚕",
            Self::PharmacistHome => "⚗",
            Self::ClinicAdminHome => "▦",
            Self::PlatformAdminHome => "⚙",
            Self::AdminDoctors => "✚",
            Self::AdminOrganisations => "▤",
            Self::AdminInvitations => "✉",
            Self::AdminUsers => "☺",
            Self::AcceptInvitation => "✓",
            Self::AuditLog => "☰",
            Self::PatientShop | Self::PatientProduct => "⊞",
            Self::PatientQuestionnaire => "✎",
            Self::PatientHealthProfile => "♥",
            Self::PatientConsults => "☏",
            Self::DoctorPatients | Self::DoctorPatientChart => "☷",
            Self::DoctorReviewQueue => "⚑",
            Self::DoctorPrices | Self::DoctorProductPrices => "¤",
            Self::AdminCatalogue
            | Self::AdminNewProduct
            | Self::AdminImportProducts
            | Self::AdminProduct
            | Self::AdminEditProduct
            | Self::AdminCategories
            | Self::ClinicCatalogue
            | Self::ClinicProduct => "▥",
            Self::AdminRules => "⊘",
            Self::AdminFlags => "⚐",
            Self::AdminQuestionnaires | Self::AdminQuestionnaireVersion => "☑",
            Self::LegalTerms | Self::LegalPrivacy => "§",
            Self::SandboxPay => "¤",
            Self::PatientBookConsult | Self::ClinicConsultOffer => "☏",
            Self::DoctorSchedule => "◷",
            Self::DoctorCalendar | Self::ClinicBookings => "▦",
        }
    }

    /// The link to the page about one thing (a product, a patient), e.g.
    /// `/doctor/patients/<id>`.
    pub fn item(self, id: &str) -> String {
        format!(
            "{}/{}",
            self.path(),
            String::from(js_sys::encode_uri_component(id))
        )
    }

    /// The link to this page with a query string, e.g. `/signin?next=%2Fdoctor`.
    pub fn with_query(self, name: &str, value: &str) -> String {
        format!(
            "{}?{name}={}",
            self.path(),
            String::from(js_sys::encode_uri_component(value))
        )
    }
}

/// A path the app may go to after signing in: only paths inside the app (`/…`, never `//host`
/// or a backslash trick that some browsers read as another origin), and never back to the
/// sign-in page itself.
pub fn safe_next(next: &str) -> Option<&str> {
    let inside = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    (inside && !next.starts_with(Page::SignIn.path())).then_some(next)
}
