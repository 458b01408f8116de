//! Booking a consult: a clinic's offer, doctors' schedules, free slots and bookings (SPEC C4).
//!
//! Times of day (`starts`, `ends` of schedules) are the doctor's wall-clock times, `HH:MM`, in
//! the doctor's IANA zone (`time_zone`); instants (`starts_at`, slots) are UTC. A screen shows
//! slots in the viewer's own zone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "server")]
use validator::Validate;

use crate::catalogue::MoneyView;
use crate::vocab::{
    BookingListView, BookingOutcome, BookingReason, BookingStatus, ConsultMode, LiveConsultMode,
    WaitlistStatus, Weekday,
};

/// `HH:MM`, 00:00–23:59.
pub const TIME_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$";

/// A consult mode the clinic offers, with its fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ConsultFee {
    pub mode: ConsultMode,
    /// `amount_minor` 0–100 000 000; `currency` an ISO 4217 code the platform supports.
    pub fee: MoneyView,
}

/// What a clinic offers patients: consult modes and fees, how long a slot is held while the fee
/// is paid, and until when a patient cancels or moves for free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClinicOfferView {
    pub clinic_id: Uuid,
    pub modes: Vec<ConsultFee>,
    /// A patient cancels or moves for free until this many hours before the start; later the
    /// clinic keeps the fee.
    pub free_cancel_hours: i32,
    pub hold_minutes: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ClinicOfferInput {
    /// Each mode at most once.
    #[cfg_attr(feature = "server", validate(length(max = 3)))]
    #[cfg_attr(feature = "server", schema(max_items = 3))]
    pub modes: Vec<ConsultFee>,
    #[cfg_attr(feature = "server", validate(range(min = 0, max = 720)))]
    #[cfg_attr(feature = "server", schema(minimum = 0, maximum = 720))]
    pub free_cancel_hours: i32,
    #[cfg_attr(feature = "server", validate(range(min = 2, max = 60)))]
    #[cfg_attr(feature = "server", schema(minimum = 2, maximum = 60))]
    pub hold_minutes: i32,
}

/// Which clinic a request is about, for callers who belong to several (else the
/// `X-Rxgate-Clinic` header, else their only clinic).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct ClinicQuery {
    pub clinic_id: Option<Uuid>,
}

/// A doctor patients can book in a clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClinicDoctorView {
    pub doctor_id: Uuid,
    pub display_name: String,
    pub specialties: Vec<String>,
    /// The doctor's IANA zone.
    pub time_zone: String,
    /// Whether the doctor has set their availability in this clinic.
    pub bookable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClinicDoctorsView {
    pub clinic_id: Uuid,
    pub doctors: Vec<ClinicDoctorView>,
}

/// How a doctor's time is cut into slots in a clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct SlotRulesInput {
    #[cfg_attr(feature = "server", validate(range(min = 5, max = 240)))]
    #[cfg_attr(feature = "server", schema(minimum = 5, maximum = 240))]
    pub slot_minutes: i32,
    /// Kept free after each consult.
    #[cfg_attr(feature = "server", validate(range(min = 0, max = 120)))]
    #[cfg_attr(feature = "server", schema(minimum = 0, maximum = 120))]
    pub buffer_minutes: i32,
    /// The earliest a patient may book, from now.
    #[cfg_attr(feature = "server", validate(range(min = 0, max = 20160)))]
    #[cfg_attr(feature = "server", schema(minimum = 0, maximum = 20160))]
    pub min_notice_minutes: i32,
    /// How far ahead a patient may book.
    #[cfg_attr(feature = "server", validate(range(min = 1, max = 365)))]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 365))]
    pub horizon_days: i32,
}

/// A recurring working interval (no crossing of midnight: a night shift is two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct WeeklyIntervalView {
    pub weekday: Weekday,
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub starts: String,
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub ends: String,
}

/// A dated change: time off (`available: false`) or extra hours (`available: true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ScheduleExceptionView {
    pub on: NaiveDate,
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub starts: String,
    #[cfg_attr(
        feature = "server",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub ends: String,
    pub available: bool,
}

/// A doctor's availability in one clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DoctorScheduleView {
    pub doctor_id: Uuid,
    pub clinic_id: Uuid,
    /// The doctor's IANA zone: every time of day here is in it.
    pub time_zone: String,
    /// Absent until the doctor sets a schedule (nobody can book them there before).
    pub rules: Option<SlotRulesInput>,
    pub weekly: Vec<WeeklyIntervalView>,
    /// From yesterday on.
    pub exceptions: Vec<ScheduleExceptionView>,
}

/// Replaces the caller's schedule in a clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct DoctorScheduleInput {
    #[cfg_attr(feature = "server", validate(nested))]
    pub rules: SlotRulesInput,
    /// Intervals of a weekday must not overlap.
    #[cfg_attr(feature = "server", validate(length(max = 70)))]
    #[cfg_attr(feature = "server", schema(max_items = 70))]
    pub weekly: Vec<WeeklyIntervalView>,
    #[cfg_attr(feature = "server", validate(length(max = 70)))]
    #[cfg_attr(feature = "server", schema(max_items = 70))]
    pub exceptions: Vec<ScheduleExceptionView>,
}

/// A slot search: one doctor, or every bookable doctor of the clinic, over at most 62 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct SlotQuery {
    pub clinic_id: Option<Uuid>,
    pub doctor_id: Option<Uuid>,
    /// The first start to consider (UTC, RFC 3339).
    pub from: DateTime<Utc>,
    /// Slots starting before this instant; at most 62 days after `from`.
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SlotView {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// One doctor's free slots, in time order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DoctorSlotsView {
    pub doctor_id: Uuid,
    pub display_name: String,
    pub specialties: Vec<String>,
    pub time_zone: String,
    pub slot_minutes: i32,
    pub slots: Vec<SlotView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SlotSearchView {
    pub clinic_id: Uuid,
    pub doctors: Vec<DoctorSlotsView>,
}

/// Holds a free slot for the caller at the clinic's fee for the mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct BookInput {
    pub clinic_id: Option<Uuid>,
    pub doctor_id: Uuid,
    /// One of the doctor's free slots (`GET /consults/slots`).
    pub starts_at: DateTime<Utc>,
    pub mode: LiveConsultMode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BookingView {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub clinic_name: String,
    pub doctor_id: Uuid,
    pub doctor_name: String,
    pub doctor_time_zone: String,
    pub patient_id: Uuid,
    pub mode: ConsultMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: BookingStatus,
    pub fee: MoneyView,
    /// While `held`: when the hold lapses unless the fee is paid.
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub payment_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// One change of a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BookingEventView {
    /// Absent for the first event (the booking was made).
    pub from_status: Option<BookingStatus>,
    pub to_status: BookingStatus,
    pub reason: BookingReason,
    /// The consult's time after the change.
    pub starts_at: DateTime<Utc>,
    /// Absent when the platform made the change (a lapsed hold, a payment).
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// A booking with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BookingDetailView {
    pub booking: BookingView,
    pub events: Vec<BookingEventView>,
}

/// What a cancellation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CancellationView {
    pub booking: BookingDetailView,
    /// What goes back to the patient: the whole fee inside the clinic's free window or when the
    /// doctor or clinic cancels; nothing for a late cancellation by the patient or an unpaid hold.
    pub refund: MoneyView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct BookingQuery {
    pub view: BookingListView,
    /// For `view=clinic`, with callers of several clinics.
    pub clinic_id: Option<Uuid>,
    /// Bookings starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Bookings starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::pagination::limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

/// Moves a booking to another free slot of its doctor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct RescheduleInput {
    pub starts_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct OutcomeInput {
    pub outcome: BookingOutcome,
}

/// Waits for a doctor's time on a range of days (the doctor's dates, both included, at most 62
/// days apart): a freed slot is offered by email and held for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct WaitlistInput {
    pub clinic_id: Option<Uuid>,
    pub doctor_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WaitlistEntryView {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub doctor_id: Uuid,
    pub doctor_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub status: WaitlistStatus,
    /// While `offered`: the hold of the freed time (pay it to confirm).
    pub offered_booking_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WaitlistView {
    pub items: Vec<WaitlistEntryView>,
}

/// Where the patient goes to pay a held booking's fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeePaymentView {
    pub payment_id: Uuid,
    /// The provider's hosted page (the sandbox's: `/pay/sandbox/{id}`); absent when the
    /// provider's script runs on our own page with `client_secret`.
    pub redirect_url: Option<String>,
    pub client_secret: Option<String>,
}

/// A booking just made (or a held one to pay), and the payment of its fee: absent for a free
/// consult, which is confirmed at once. The booking is confirmed when the provider reports the
/// payment succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BookedView {
    pub booking: BookingView,
    pub events: Vec<BookingEventView>,
    pub payment: Option<FeePaymentView>,
}
