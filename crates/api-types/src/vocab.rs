//! The closed sets of words the API sends and accepts (statuses, roles, verdicts, sort orders).
//! Each is an enum so the OpenAPI document lists its values (`enum`) and a generated client
//! gets a type instead of a string whose values only the prose knew. Where the domain has the
//! same set, the `From` impls at the end map it, matched exhaustively both ways so a value
//! added on either side stops this file compiling until it is mapped; the wire spelling is
//! written here once, per value.

use std::fmt;

use rxgate_domain::{booking, catalogue, consultation, eligibility, identity, payments};
use serde::{Deserialize, Serialize};

/// An enum of wire words: serde and the schema use `$text` for each variant; `as_str` and
/// `Display` give it back, `parse` reads it (as stored and as sent in query strings).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:tt),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

wire_enum! {
    /// A role held through a membership of an organisation.
    Role {
        Patient = "patient",
        Doctor = "doctor",
        Pharmacist = "pharmacist",
        ClinicAdmin = "clinic_admin",
        PlatformAdmin = "platform_admin",
        InformationOfficer = "information_officer",
    }
}

wire_enum! {
    /// The roles an invitation can grant: `clinic_admin` (clinic), `pharmacist` (pharmacy),
    /// `information_officer` or `platform_admin` (the platform organisation).
    InvitableRole {
        ClinicAdmin = "clinic_admin",
        Pharmacist = "pharmacist",
        InformationOfficer = "information_officer",
        PlatformAdmin = "platform_admin",
    }
}

wire_enum! {
    OrganisationKind {
        Platform = "platform",
        Clinic = "clinic",
        Pharmacy = "pharmacy",
    }
}

wire_enum! {
    /// The kinds of organisation an admin can create (there is one platform organisation).
    NewOrganisationKind {
        Clinic = "clinic",
        Pharmacy = "pharmacy",
    }
}

wire_enum! {
    /// Whether an account may be used.
    UserStatus {
        Active = "active",
        Suspended = "suspended",
    }
}

wire_enum! {
    /// Where a doctor's registration stands.
    DoctorStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Suspended = "suspended",
    }
}

wire_enum! {
    /// Where a session stands with its second factor: `satisfied`, `not_required`, `required`
    /// (enter a code: `POST /auth/mfa/verify`, or use a passkey:
    /// `POST /auth/mfa/passkey/options`) or `enrolment_required` (staff without a second
    /// factor: `POST /me/mfa/totp` or `POST /me/passkeys/options`). Until it is `satisfied` or
    /// `not_required`, only the MFA, profile and sign-out endpoints answer.
    MfaState {
        Satisfied = "satisfied",
        NotRequired = "not_required",
        Required = "required",
        EnrolmentRequired = "enrolment_required",
    }
}

wire_enum! {
    /// A kind of second factor.
    MfaMethod {
        Totp = "totp",
        Passkey = "passkey",
    }
}

wire_enum! {
    TokenType {
        Bearer = "Bearer",
    }
}

wire_enum! {
    InvitationStatus {
        Open = "open",
        Accepted = "accepted",
        Expired = "expired",
        Revoked = "revoked",
    }
}

wire_enum! {
    /// How sensitive an audited action is.
    Risk {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

wire_enum! {
    /// What a matching contraindication rule does.
    RuleAction {
        Block = "block",
        Review = "review",
        Warn = "warn",
    }
}

wire_enum! {
    /// `eligible`, `consult_required` (book a consult: a doctor must prescribe it), `blocked`
    /// (a contraindication rule forbids it) or `needs_review` (a clinician must review first).
    Verdict {
        Eligible = "eligible",
        ConsultRequired = "consult_required",
        Blocked = "blocked",
        NeedsReview = "needs_review",
    }
}

wire_enum! {
    /// South African medicine schedule, `S0`–`S8`.
    Schedule {
        S0 = "S0",
        S1 = "S1",
        S2 = "S2",
        S3 = "S3",
        S4 = "S4",
        S5 = "S5",
        S6 = "S6",
        S7 = "S7",
        S8 = "S8",
    }
}

wire_enum! {
    /// `name` (default) or `price` (cheapest first).
    CatalogueSort {
        Name = "name",
        Price = "price",
    }
}

wire_enum! {
    /// `all` (default): nothing is imported when any row is invalid (422 lists every problem).
    /// `valid_rows`: products whose rows are all valid are imported; the others are reported.
    ImportMode {
        All = "all",
        ValidRows = "valid_rows",
    }
}

wire_enum! {
    /// Whether a patient's questionnaire answers are a saved draft (`in_progress`) or the last
    /// submission (`submitted`), or nothing was answered yet (`new`).
    AnswerState {
        New = "new",
        InProgress = "in_progress",
        Submitted = "submitted",
    }
}

wire_enum! {
    QuestionnaireStatus {
        Draft = "draft",
        Published = "published",
        Retired = "retired",
    }
}

wire_enum! {
    /// Always `ok` when the process answers.
    HealthStatus {
        Ok = "ok",
    }
}

wire_enum! {
    /// Always `ready`: a server that is not ready answers 503 with a problem saying why.
    ReadinessStatus {
        Ready = "ready",
    }
}

wire_enum! {
    /// The deployment's environment.
    Environment {
        Local = "local",
        Production = "production",
    }
}

wire_enum! {
    /// How a consult is held: `video`, `audio`, or `async_form` (a questionnaire and a request,
    /// no meeting; only where the clinic allows it).
    ConsultMode {
        Video = "video",
        Audio = "audio",
        AsyncForm = "async_form",
    }
}

wire_enum! {
    /// `waiting` → `offered` (a freed time is held for the patient) → `booked` | `lapsed`
    /// (back to nobody: a new place is needed); `left` when the patient leaves.
    WaitlistStatus {
        Waiting = "waiting",
        Offered = "offered",
        Booked = "booked",
        Lapsed = "lapsed",
        Left = "left",
    }
}

wire_enum! {
    /// The consult modes that take a time in the doctor's calendar (what a booking is for).
    LiveConsultMode {
        Video = "video",
        Audio = "audio",
    }
}

wire_enum! {
    /// `held` (the slot is kept while the fee is paid) → `confirmed` → `completed` |
    /// `cancelled` | `no_show`; `held` → `expired` (not paid in time) | `cancelled`.
    BookingStatus {
        Held = "held",
        Confirmed = "confirmed",
        Completed = "completed",
        Cancelled = "cancelled",
        NoShow = "no_show",
        Expired = "expired",
    }
}

wire_enum! {
    /// Why a booking changed.
    BookingReason {
        Booked = "booked",
        Paid = "paid",
        HoldExpired = "hold_expired",
        PaymentFailed = "payment_failed",
        PatientCancelled = "patient_cancelled",
        DoctorCancelled = "doctor_cancelled",
        ClinicCancelled = "clinic_cancelled",
        Rescheduled = "rescheduled",
        Completed = "completed",
        NoShow = "no_show",
    }
}

wire_enum! {
    /// Whose bookings a list shows: `patient` (the caller's own, newest first), `doctor` (the
    /// caller's calendar, in time order), `clinic` (a clinic's, for its admins, in time order).
    BookingListView {
        Patient = "patient",
        Doctor = "doctor",
        Clinic = "clinic",
    }
}

wire_enum! {
    /// Where a consultation is: `scheduled → in_progress → completed | incomplete`,
    /// `scheduled | in_progress → no_show`, `scheduled → cancelled` (its booking was cancelled).
    ConsultationStatus {
        Scheduled = "scheduled",
        InProgress = "in_progress",
        Completed = "completed",
        Incomplete = "incomplete",
        NoShow = "no_show",
        Cancelled = "cancelled",
    }
}

wire_enum! {
    /// What the booking's doctor does to a consultation: start it (while its room is open), or
    /// end it as done, as not finished, or as missed by the patient (once its time came).
    ConsultationAction {
        Start = "start",
        Complete = "complete",
        Incomplete = "incomplete",
        NoShow = "no_show",
    }
}

wire_enum! {
    /// Which video service a room uses (the server's configuration chooses).
    VideoProviderKind {
        BuiltIn = "built_in",
        Livekit = "livekit",
        Jitsi = "jitsi",
    }
}

wire_enum! {
    /// How a doctor records a consult's end: it took place, or the patient did not come.
    BookingOutcome {
        Completed = "completed",
        NoShow = "no_show",
    }
}

wire_enum! {
    Weekday {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

wire_enum! {
    /// Where a payment stands: `pending` until the provider says `succeeded` or `failed`; a
    /// succeeded payment given back in part is `partially_refunded`, in full `refunded`.
    PaymentStatus {
        Pending = "pending",
        Succeeded = "succeeded",
        Failed = "failed",
        Refunded = "refunded",
        PartiallyRefunded = "partially_refunded",
    }
}

wire_enum! {
    /// What a payment pays for.
    PaymentPurpose {
        ConsultFee = "consult_fee",
    }
}

wire_enum! {
    /// Where a refund stands: `requested` until the provider confirms (`succeeded`) or refuses
    /// (`failed`) it.
    RefundStatus {
        Requested = "requested",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

wire_enum! {
    /// What became of a webhook: `applied` (it changed a payment or refund), `waiting` (kept;
    /// it applies once the payment has moved on), `ignored` (kept; it changes nothing) or
    /// `duplicate` (received before).
    WebhookOutcome {
        Applied = "applied",
        Waiting = "waiting",
        Ignored = "ignored",
        Duplicate = "duplicate",
    }
}

wire_enum! {
    /// What the buyer does on the sandbox provider's page.
    SandboxAction {
        Pay = "pay",
        Decline = "decline",
    }
}

/// `From` both ways between a wire enum and the domain's enum of the same values.
macro_rules! same_set {
    ($wire:ident, $module:ident :: $domain:ident { $($variant:ident),+ $(,)? }) => {
        impl From<$module::$domain> for $wire {
            fn from(value: $module::$domain) -> Self {
                match value {
                    $($module::$domain::$variant => Self::$variant),+
                }
            }
        }

        impl From<$wire> for $module::$domain {
            fn from(value: $wire) -> Self {
                match value {
                    $($wire::$variant => Self::$variant),+
                }
            }
        }
    };
}

same_set!(
    Role,
    identity::Role {
        Patient,
        Doctor,
        Pharmacist,
        ClinicAdmin,
        PlatformAdmin,
        InformationOfficer,
    }
);
same_set!(
    OrganisationKind,
    identity::OrganisationKind {
        Platform,
        Clinic,
        Pharmacy
    }
);
same_set!(UserStatus, identity::UserStatus { Active, Suspended });
same_set!(
    PaymentStatus,
    payments::PaymentStatus {
        Pending,
        Succeeded,
        Failed,
        Refunded,
        PartiallyRefunded,
    }
);
same_set!(PaymentPurpose, payments::PaymentPurpose { ConsultFee });
same_set!(
    DoctorStatus,
    identity::DoctorStatus {
        Pending,
        Approved,
        Rejected,
        Suspended,
    }
);
same_set!(
    MfaState,
    identity::MfaStatus {
        Satisfied,
        NotRequired,
        Required,
        EnrolmentRequired,
    }
);
same_set!(
    RuleAction,
    eligibility::RuleAction {
        Block,
        Review,
        Warn
    }
);
same_set!(
    Schedule,
    catalogue::Schedule {
        S0,
        S1,
        S2,
        S3,
        S4,
        S5,
        S6,
        S7,
        S8
    }
);

impl From<InvitableRole> for identity::Role {
    fn from(value: InvitableRole) -> Self {
        match value {
            InvitableRole::ClinicAdmin => Self::ClinicAdmin,
            InvitableRole::Pharmacist => Self::Pharmacist,
            InvitableRole::InformationOfficer => Self::InformationOfficer,
            InvitableRole::PlatformAdmin => Self::PlatformAdmin,
        }
    }
}

impl From<NewOrganisationKind> for identity::OrganisationKind {
    fn from(value: NewOrganisationKind) -> Self {
        match value {
            NewOrganisationKind::Clinic => Self::Clinic,
            NewOrganisationKind::Pharmacy => Self::Pharmacy,
        }
    }
}

impl From<&eligibility::Verdict> for Verdict {
    fn from(value: &eligibility::Verdict) -> Self {
        use eligibility::Verdict as D;
        match value {
            D::Eligible => Self::Eligible,
            D::ConsultRequired { .. } => Self::ConsultRequired,
            D::Blocked { .. } => Self::Blocked,
            D::NeedsReview { .. } => Self::NeedsReview,
        }
    }
}
same_set!(
    ConsultMode,
    booking::ConsultMode {
        Video,
        Audio,
        AsyncForm
    }
);
same_set!(
    BookingStatus,
    booking::BookingStatus {
        Held,
        Confirmed,
        Completed,
        Cancelled,
        NoShow,
        Expired
    }
);
same_set!(
    ConsultationStatus,
    consultation::ConsultationStatus {
        Scheduled,
        InProgress,
        Completed,
        Incomplete,
        NoShow,
        Cancelled
    }
);
same_set!(
    BookingReason,
    booking::BookingReason {
        Booked,
        Paid,
        HoldExpired,
        PaymentFailed,
        PatientCancelled,
        DoctorCancelled,
        ClinicCancelled,
        Rescheduled,
        Completed,
        NoShow
    }
);

impl From<Weekday> for chrono::Weekday {
    fn from(value: Weekday) -> Self {
        match value {
            Weekday::Monday => Self::Mon,
            Weekday::Tuesday => Self::Tue,
            Weekday::Wednesday => Self::Wed,
            Weekday::Thursday => Self::Thu,
            Weekday::Friday => Self::Fri,
            Weekday::Saturday => Self::Sat,
            Weekday::Sunday => Self::Sun,
        }
    }
}

impl From<chrono::Weekday> for Weekday {
    fn from(value: chrono::Weekday) -> Self {
        match value {
            chrono::Weekday::Mon => Self::Monday,
            chrono::Weekday::Tue => Self::Tuesday,
            chrono::Weekday::Wed => Self::Wednesday,
            chrono::Weekday::Thu => Self::Thursday,
            chrono::Weekday::Fri => Self::Friday,
            chrono::Weekday::Sat => Self::Saturday,
            chrono::Weekday::Sun => Self::Sunday,
        }
    }
}

impl From<LiveConsultMode> for booking::ConsultMode {
    fn from(value: LiveConsultMode) -> Self {
        match value {
            LiveConsultMode::Video => Self::Video,
            LiveConsultMode::Audio => Self::Audio,
        }
    }
}
