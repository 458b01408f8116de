//! Booking a consult (SPEC C4): a clinic's offer, doctors' availability, slot search, and the
//! life of a booking from the hold to the consult.
//!
//! Who may do what is checked here and again by row-level security: a patient books and sees
//! their own bookings in clinics they are a patient of; a doctor keeps their own schedule and
//! sees and marks their own bookings; a clinic's admins set its offer and see its bookings.
//! Another patient's or clinic's booking is 404.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use rxgate_api_types::FieldError;
use rxgate_domain::booking::{
    BookingAction, BookingError, BookingReason, BookingStatus, CancellationPolicy, ConsultMode,
    check_reschedule,
};
use rxgate_domain::identity::Role;
use rxgate_domain::money::{Currency, Money};
use rxgate_domain::payments::PaymentPurpose;
use rxgate_domain::schedule::{
    self, Busy, Exception, MAX_SEARCH_DAYS, Schedule, ScheduleError, Slot, SlotRules,
    WeeklyInterval,
};
use rxgate_integrations::payments::PaymentGateway;
use rxgate_persistence::booking::{
    self, BookingRow, BookingsOf, ClinicDoctorRow, EventRow, ExceptionRow, IntervalRow, ModeRow,
    PolicyRow, RulesRow,
};
use rxgate_persistence::jobs::{self as job_queue, NewJob};
use rxgate_persistence::pagination::{TimeCursor, finish_page};
use rxgate_persistence::{Db, RepoError};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::AppError;
use crate::Work;
use crate::admin::Page;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// The job that expires one unpaid hold when its time is up.
pub const EXPIRE_HOLD_JOB: &str = "booking.expire_hold";
/// The job that offers a freed slot to the doctor's waitlist.
pub const OFFER_FREED_JOB: &str = "booking.offer_freed";
/// How long a waitlist offer holds its slot for the patient it is offered to.
pub const OFFER_HOLD_MINUTES: i64 = 30;
/// The job that reminds a patient of a confirmed consult.
pub const REMIND_JOB: &str = "booking.remind";
/// Reminders go this many hours before a confirmed consult (those already past are skipped).
pub const REMIND_HOURS_BEFORE: [i64; 3] = [48, 24, 2];

/// Queues the reminders of a confirmed booking starting at `starts` (replacing any queued
/// ones): each names its start, so a reminder of a time the booking has left sends nothing.
pub async fn schedule_reminders(
    conn: &mut PgConnection,
    id: Uuid,
    starts: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    booking::drop_reminders(&mut *conn, id).await?;
    for hours in REMIND_HOURS_BEFORE {
        let at = starts - Duration::hours(hours);
        if at <= now {
            continue;
        }
        job_queue::enqueue(
            &mut *conn,
            &NewJob::new(
                REMIND_JOB,
                serde_json::json!({ "booking_id": id, "starts_at": starts, "hours": hours }),
            )
            .run_at(at)
            .dedupe_key(format!("{REMIND_JOB}:{id}:{}:{hours}", starts.timestamp())),
        )
        .await?;
    }
    Ok(())
}

/// Sends the reminder of booking `id` for its start `starts`, if it is still confirmed at that
/// time (the reminder job, as the system). `false` when there was nothing to send.
pub async fn remind(
    conn: &mut PgConnection,
    id: Uuid,
    starts: DateTime<Utc>,
    app_url: &str,
) -> Result<bool, RepoError> {
    let Some(b) = booking::find(&mut *conn, id).await? else {
        return Ok(false);
    };
    if b.status != BookingStatus::Confirmed || b.starts_at != starts {
        return Ok(false);
    }
    let Some((email, _)) = booking::patient_contact(&mut *conn, id).await? else {
        return Ok(false);
    };
    let when = match schedule::zone(&b.doctor_time_zone) {
        Ok(zone) => format!(
            "{} ({})",
            starts.with_timezone(&zone).format("%A %-d %B %Y at %H:%M"),
            b.doctor_time_zone
        ),
        Err(_) => starts.format("%A %-d %B %Y at %H:%M UTC").to_string(),
    };
    let message = crate::emails::consult_reminder(
        &email,
        &b.doctor_name,
        &when,
        &format!("{}/consults", app_url.trim_end_matches('/')),
    );
    crate::jobs::email::enqueue(conn, &message).await?;
    Ok(true)
}

fn rule(code: &'static str, detail: impl Into<String>) -> AppError {
    AppError::Rule {
        code,
        detail: detail.into(),
    }
}

fn field(field: &str, code: &str, message: impl Into<String>) -> AppError {
    AppError::Validation(vec![FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }])
}

fn booking_error(err: BookingError) -> AppError {
    let code = err.code();
    rule(code, err.to_string())
}

fn schedule_error(prefix: &str, err: ScheduleError) -> AppError {
    let name = match &err {
        ScheduleError::OutOfRange { field, .. } => (*field).to_owned(),
        ScheduleError::UnknownZone(_) => "time_zone".to_owned(),
        ScheduleError::TooManyIntervals | ScheduleError::Overlapping(_) => "weekly".to_owned(),
        ScheduleError::EmptyInterval { .. } => "weekly".to_owned(),
    };
    let code = err.code().to_ascii_lowercase();
    field(&format!("{prefix}{name}"), &code, err.to_string())
}

// The clinic's offer ---------------------------------------------------------------------------

/// What a clinic offers: its consult modes with fees, and its cancellation and hold policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub clinic_id: Uuid,
    pub modes: Vec<ModeRow>,
    pub free_cancel_hours: i32,
    pub hold_minutes: i32,
}

/// The offer of the clinic the caller acts in (any role there).
pub async fn offer(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    clinic: Option<Uuid>,
) -> Result<Offer, AppError> {
    let clinic = actor
        .acting_clinic_any_role(clinic)?
        .ok_or(AppError::NotFound)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let offer = read_offer(&mut work, clinic).await?;
    work.commit().await?;
    Ok(offer)
}

async fn read_offer(conn: &mut PgConnection, clinic: Uuid) -> Result<Offer, AppError> {
    let modes = booking::consult_modes(conn, clinic).await?;
    let policy = booking::policy(conn, clinic).await?;
    Ok(Offer {
        clinic_id: clinic,
        modes,
        free_cancel_hours: policy.free_cancel_hours,
        hold_minutes: policy.hold_minutes,
    })
}

/// Replaces the offer of a clinic the caller administers.
pub async fn set_offer(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    clinic: Option<Uuid>,
    modes: Vec<(ConsultMode, i64, String)>,
    policy: PolicyRow,
) -> Result<Offer, AppError> {
    actor.require(Role::ClinicAdmin)?;
    let clinic = actor
        .acting_clinic(Role::ClinicAdmin, clinic)?
        .ok_or(AppError::NotFound)?;
    let mut rows: Vec<ModeRow> = Vec::new();
    for (i, (mode, fee_minor, currency)) in modes.into_iter().enumerate() {
        if rows.iter().any(|r| r.mode == mode) {
            return Err(field(
                &format!("modes[{i}].mode"),
                "duplicate",
                "Each mode once.",
            ));
        }
        if !(0..=100_000_000).contains(&fee_minor) {
            return Err(field(
                &format!("modes[{i}].fee.amount_minor"),
                "range",
                "A fee from 0 to 100 000 000 minor units.",
            ));
        }
        let currency = Currency::parse(&currency)
            .map_err(|e| field(&format!("modes[{i}].currency"), "currency", e.to_string()))?;
        rows.push(ModeRow {
            mode,
            fee_minor,
            currency: currency.as_str().to_owned(),
        });
    }
    let mut work = Work::begin(db, actor, facts).await?;
    booking::replace_offer(&mut work, clinic, &rows, policy).await?;
    work.record(Event::new("update", "clinic_offer", clinic).in_clinic(Some(clinic)))
        .await?;
    let offer = read_offer(&mut work, clinic).await?;
    work.commit().await?;
    Ok(offer)
}

/// The approved doctors of the clinic the caller acts in (any role there).
pub async fn clinic_doctors(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    clinic: Option<Uuid>,
) -> Result<(Uuid, Vec<ClinicDoctorRow>), AppError> {
    let clinic = actor
        .acting_clinic_any_role(clinic)?
        .ok_or(AppError::NotFound)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let rows = booking::clinic_doctors(&mut work, clinic, None).await?;
    work.commit().await?;
    Ok((clinic, rows))
}

// Schedules --------------------------------------------------------------------------------------

/// A doctor's availability in one clinic, in their own zone.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleView {
    pub doctor_id: Uuid,
    pub clinic_id: Uuid,
    pub time_zone: String,
    /// `None` until the doctor sets one (then nobody can book them there).
    pub rules: Option<SlotRules>,
    pub weekly: Vec<WeeklyInterval>,
    /// From today (in the doctor's zone) on.
    pub exceptions: Vec<Exception>,
}

fn weekday_of(iso: i16) -> Option<Weekday> {
    u8::try_from(iso - 1)
        .ok()
        .and_then(|n| Weekday::try_from(n).ok())
}

fn iso_of(day: Weekday) -> i16 {
    i16::from(day.number_from_monday() as u8)
}

fn rules_of(row: &RulesRow) -> SlotRules {
    SlotRules {
        slot_minutes: i64::from(row.slot_minutes),
        buffer_minutes: i64::from(row.buffer_minutes),
        min_notice_minutes: i64::from(row.min_notice_minutes),
        horizon_days: i64::from(row.horizon_days),
    }
}

/// The doctors the caller (a doctor) acts as in `clinic`.
fn doctor_clinic(actor: &Actor, clinic: Option<Uuid>) -> Result<Uuid, AppError> {
    actor.require(Role::Doctor)?;
    actor
        .acting_clinic(Role::Doctor, clinic)?
        .ok_or(AppError::NotFound)
}

/// The caller's own schedule in a clinic they work for.
pub async fn my_schedule(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    clinic: Option<Uuid>,
    today: NaiveDate,
) -> Result<ScheduleView, AppError> {
    let clinic = doctor_clinic(actor, clinic)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let view = read_schedule(&mut work, actor.user_id, clinic, today).await?;
    work.commit().await?;
    Ok(view)
}

async fn read_schedule(
    conn: &mut PgConnection,
    doctor: Uuid,
    clinic: Uuid,
    today: NaiveDate,
) -> Result<ScheduleView, AppError> {
    let zone = booking::clinic_doctors(conn, clinic, Some(doctor))
        .await?
        .into_iter()
        .next()
        .map(|d| d.time_zone);
    let time_zone = match zone {
        Some(z) => z,
        None => own_time_zone(conn, doctor).await?,
    };
    let (rules, intervals, exceptions) =
        booking::schedules(conn, clinic, &[doctor], today - Duration::days(1)).await?;
    Ok(ScheduleView {
        doctor_id: doctor,
        clinic_id: clinic,
        time_zone,
        rules: rules.first().map(rules_of),
        weekly: intervals
            .iter()
            .filter_map(|i| {
                Some(WeeklyInterval {
                    weekday: weekday_of(i.weekday)?,
                    starts: i.starts,
                    ends: i.ends,
                })
            })
            .collect(),
        exceptions: exceptions
            .iter()
            .map(|e| Exception {
                on: e.on_date,
                starts: e.starts,
                ends: e.ends,
                available: e.available,
            })
            .collect(),
    })
}

/// A doctor not (yet) approved is not in `clinic_doctors`; their own profile has the zone.
async fn own_time_zone(conn: &mut PgConnection, doctor: Uuid) -> Result<String, AppError> {
    Ok(booking::doctor_time_zone(conn, doctor)
        .await?
        .unwrap_or_else(|| "UTC".to_owned()))
}

/// What a doctor sends to replace their schedule in a clinic.
#[derive(Debug, Clone)]
pub struct SetSchedule {
    pub clinic_id: Option<Uuid>,
    pub rules: SlotRules,
    pub weekly: Vec<WeeklyInterval>,
    pub exceptions: Vec<Exception>,
}

/// Replaces the caller's schedule in a clinic they work for. Existing bookings stay: a doctor
/// who takes time off over a booking cancels or moves it.
pub async fn set_my_schedule(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    command: SetSchedule,
    today: NaiveDate,
) -> Result<ScheduleView, AppError> {
    let clinic = doctor_clinic(actor, command.clinic_id)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let zone_name = own_time_zone(&mut work, actor.user_id).await?;
    let zone = schedule::zone(&zone_name).map_err(|e| schedule_error("", e))?;
    let candidate = Schedule {
        zone,
        weekly: command.weekly.clone(),
        exceptions: command.exceptions.clone(),
        rules: command.rules,
    };
    candidate
        .validate()
        .map_err(|e| schedule_error("rules.", e))?;
    let doctor = actor.user_id;
    let narrow = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    let rules = RulesRow {
        doctor_id: doctor,
        slot_minutes: narrow(command.rules.slot_minutes),
        buffer_minutes: narrow(command.rules.buffer_minutes),
        min_notice_minutes: narrow(command.rules.min_notice_minutes),
        horizon_days: narrow(command.rules.horizon_days),
    };
    let intervals: Vec<IntervalRow> = command
        .weekly
        .iter()
        .map(|w| IntervalRow {
            doctor_id: doctor,
            weekday: iso_of(w.weekday),
            starts: w.starts,
            ends: w.ends,
        })
        .collect();
    let exceptions: Vec<ExceptionRow> = command
        .exceptions
        .iter()
        .map(|e| ExceptionRow {
            doctor_id: doctor,
            on_date: e.on,
            starts: e.starts,
            ends: e.ends,
            available: e.available,
        })
        .collect();
    booking::replace_schedule(&mut work, rules, clinic, &intervals, &exceptions).await?;
    work.record(Event::new("update", "doctor_schedule", doctor).in_clinic(Some(clinic)))
        .await?;
    let view = read_schedule(&mut work, doctor, clinic, today).await?;
    work.commit().await?;
    Ok(view)
}

// Slot search ------------------------------------------------------------------------------------

/// What a slot search asks for.
#[derive(Debug, Clone)]
pub struct SlotSearch {
    pub clinic_id: Option<Uuid>,
    /// One doctor, or every bookable doctor of the clinic.
    pub doctor_id: Option<Uuid>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// One doctor's free slots.
#[derive(Debug, Clone)]
pub struct DoctorSlots {
    pub doctor: ClinicDoctorRow,
    pub rules: SlotRules,
    pub slots: Vec<Slot>,
}

/// The free slots in `[from, to)` of one doctor or of every bookable doctor of the clinic the
/// caller acts in. Five statements whatever the number of doctors.
pub async fn search_slots(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    search: SlotSearch,
    now: DateTime<Utc>,
) -> Result<(Uuid, Vec<DoctorSlots>), AppError> {
    if search.to <= search.from {
        return Err(field("to", "after_from", "`to` must be after `from`."));
    }
    if search.to - search.from > Duration::days(MAX_SEARCH_DAYS) {
        return Err(field(
            "to",
            "range",
            format!("Search at most {MAX_SEARCH_DAYS} days at a time."),
        ));
    }
    let clinic = actor
        .acting_clinic_any_role(search.clinic_id)?
        .ok_or(AppError::NotFound)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let doctors = booking::clinic_doctors(&mut work, clinic, search.doctor_id).await?;
    if search.doctor_id.is_some() && doctors.is_empty() {
        return Err(AppError::NotFound);
    }
    let found = free_slots(&mut work, clinic, doctors, (search.from, search.to), now).await?;
    work.commit().await?;
    Ok((clinic, found))
}

/// Which existing bookings count as taking the doctor's time in a search.
#[derive(Debug, Clone, Copy)]
enum Taken {
    All,
    /// All but the booking starting then (it is being moved).
    AllBut(DateTime<Utc>),
    /// None: the doctor's schedule alone.
    None,
}

/// One doctor's schedule in a clinic and the times they are taken (in every clinic) around
/// a window: what slot maths needs, read once.
struct Loaded {
    doctor: ClinicDoctorRow,
    schedule: Schedule,
    busy: Vec<Busy>,
}

impl Loaded {
    /// The doctor's slots starting in `window` that `taken`'s bookings leave free.
    fn slots(
        &self,
        (from, to): (DateTime<Utc>, DateTime<Utc>),
        now: DateTime<Utc>,
        taken: Taken,
    ) -> Vec<Slot> {
        let blocked: Vec<Busy> = self
            .busy
            .iter()
            .filter(|b| match taken {
                Taken::All => true,
                Taken::AllBut(start) => b.starts != start,
                Taken::None => false,
            })
            .copied()
            .collect();
        schedule::slots(&self.schedule, &blocked, now, from, to)
    }
}

/// The schedules and busy times of `doctors` in `clinic` around `window`: four statements
/// whatever the number of doctors. Doctors without a schedule there (or with a zone the
/// database does not know) are left out.
async fn load(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctors: Vec<ClinicDoctorRow>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<Loaded>, AppError> {
    let ids: Vec<Uuid> = doctors.iter().map(|d| d.doctor_id).collect();
    let (rules, intervals, exceptions) =
        booking::schedules(conn, clinic, &ids, (from - Duration::days(2)).date_naive()).await?;
    let busy = booking::busy(conn, &ids, from - Duration::days(1), to + Duration::days(1)).await?;
    let mut out = Vec::with_capacity(doctors.len());
    for doctor in doctors {
        let id = doctor.doctor_id;
        let Some(r) = rules.iter().find(|r| r.doctor_id == id) else {
            continue;
        };
        let Ok(zone) = schedule::zone(&doctor.time_zone) else {
            continue;
        };
        let schedule = Schedule {
            zone,
            weekly: intervals
                .iter()
                .filter(|i| i.doctor_id == id)
                .filter_map(|i| {
                    Some(WeeklyInterval {
                        weekday: weekday_of(i.weekday)?,
                        starts: i.starts,
                        ends: i.ends,
                    })
                })
                .collect(),
            exceptions: exceptions
                .iter()
                .filter(|e| e.doctor_id == id)
                .map(|e| Exception {
                    on: e.on_date,
                    starts: e.starts,
                    ends: e.ends,
                    available: e.available,
                })
                .collect(),
            rules: rules_of(r),
        };
        let busy = busy
            .iter()
            .filter(|b| b.doctor_id == id)
            .map(|b| Busy {
                starts: b.starts_at,
                blocked_until: b.blocked_until,
            })
            .collect();
        out.push(Loaded {
            doctor,
            schedule,
            busy,
        });
    }
    Ok(out)
}

/// The free slots of `doctors` in `window`.
async fn free_slots(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctors: Vec<ClinicDoctorRow>,
    window: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<Vec<DoctorSlots>, AppError> {
    Ok(load(conn, clinic, doctors, window)
        .await?
        .into_iter()
        .map(|l| {
            let slots = l.slots(window, now, Taken::All);
            DoctorSlots {
                rules: l.schedule.rules,
                doctor: l.doctor,
                slots,
            }
        })
        .collect())
}

// Bookings ---------------------------------------------------------------------------------------

/// A booking with its history.
#[derive(Debug, Clone)]
pub struct BookingView {
    pub booking: BookingRow,
    pub events: Vec<EventRow>,
}

/// What a patient asks to book.
#[derive(Debug, Clone)]
pub struct Book {
    pub clinic_id: Option<Uuid>,
    pub doctor_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub mode: ConsultMode,
}

/// Holds a free slot for the caller (a patient) at the clinic's fee for the mode; the hold
/// lapses after the clinic's hold time unless the fee is paid. A time someone else took is
/// `409 SLOT_TAKEN` (checked here, and by the exclusion constraint when two race).
/// A booking just made, and the payment of its fee (none for a free consult, which is
/// confirmed at once).
#[derive(Debug, Clone)]
pub struct Booked {
    pub view: BookingView,
    pub payment: Option<crate::payments::StartedPayment>,
}

pub async fn book(
    db: &Db,
    gateway: &dyn PaymentGateway,
    actor: &Actor,
    facts: &RequestFacts,
    command: Book,
    now: DateTime<Utc>,
) -> Result<Booked, AppError> {
    actor.require(Role::Patient)?;
    let clinic = actor
        .acting_clinic(Role::Patient, command.clinic_id)?
        .ok_or(AppError::NotFound)?;
    if !command.mode.is_live() {
        return Err(field(
            "mode",
            "live_mode",
            "Book a video or audio consult; a written consult needs no time.",
        ));
    }
    let mut work = Work::begin(db, actor, facts).await?;
    let offer = read_offer(&mut work, clinic).await?;
    let Some(fee) = offer.modes.iter().find(|m| m.mode == command.mode) else {
        return Err(field(
            "mode",
            "not_offered",
            "The clinic does not offer consults of that kind.",
        ));
    };
    let doctor = booking::clinic_doctors(&mut work, clinic, Some(command.doctor_id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let starts = command.starts_at;
    let rules = slot_at(&mut work, clinic, doctor, starts, now, None).await?;
    let blocked_until = starts + rules.slot() + rules.buffer();
    let hold = booking::NewBooking {
        clinic_id: clinic,
        doctor_id: command.doctor_id,
        patient_id: actor.user_id,
        mode: command.mode,
        starts_at: starts,
        ends_at: starts + rules.slot(),
        blocked_until,
        fee_minor: fee.fee_minor,
        currency: fee.currency.clone(),
        hold_expires_at: now + Duration::minutes(i64::from(offer.hold_minutes)),
    };
    let id = booking::hold(&mut work, &hold, actor.user_id)
        .await
        .map_err(slot_taken)?;
    job_queue::enqueue(
        &mut work,
        &NewJob::new(EXPIRE_HOLD_JOB, serde_json::json!({ "booking_id": id }))
            .run_at(hold.hold_expires_at)
            .dedupe_key(format!("{EXPIRE_HOLD_JOB}:{id}")),
    )
    .await?;
    work.record(Event::new("create", "booking", id).in_clinic(Some(clinic)))
        .await?;
    let payment = start_fee_payment(&mut work, gateway, id).await?;
    let view = read_booking(&mut work, id).await?;
    work.commit().await?;
    Ok(Booked { view, payment })
}

/// Starts the payment of held booking `id`'s fee as its patient (inside `work`); a free consult
/// is confirmed at once instead.
async fn start_fee_payment(
    work: &mut Work<'_>,
    gateway: &dyn PaymentGateway,
    id: Uuid,
) -> Result<Option<crate::payments::StartedPayment>, AppError> {
    let b = booking::find(&mut *work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if b.fee_minor == 0 {
        // Nothing to pay: the system confirms (the patient may not confirm their own hold).
        sqlx::query("SELECT set_config('app.system', 'on', true)")
            .execute(&mut **work)
            .await?;
        confirm_paid(&mut *work, id).await?;
        sqlx::query("SELECT set_config('app.system', '', true)")
            .execute(&mut **work)
            .await?;
        return Ok(None);
    }
    let fee = Money::new(
        b.fee_minor,
        Currency::parse(&b.currency).map_err(AppError::internal)?,
    )
    .map_err(AppError::internal)?;
    let started = crate::payments::start(
        work,
        gateway,
        b.patient_id,
        b.clinic_id,
        PaymentPurpose::ConsultFee,
        id,
        &fee,
    )
    .await?;
    booking::set_payment(&mut *work, id, started.payment.id).await?;
    Ok(Some(started))
}

/// Starts (again) the payment of a held booking's fee: after a declined or abandoned payment,
/// or for a time offered from the waitlist. Its patient only.
pub async fn pay(
    db: &Db,
    gateway: &dyn PaymentGateway,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<Booked, AppError> {
    actor.require(Role::Patient)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let current = booking::find(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.patient_id != actor.user_id {
        return Err(AppError::NotFound);
    }
    if current.status != BookingStatus::Held {
        return Err(rule(
            "NOT_PAYABLE",
            format!("A {} booking has nothing to pay.", current.status),
        ));
    }
    let payment = start_fee_payment(&mut work, gateway, id).await?;
    work.record(Event::new("pay", "booking", id).in_clinic(Some(current.clinic_id)))
        .await?;
    let view = read_booking(&mut work, id).await?;
    work.commit().await?;
    Ok(Booked { view, payment })
}

/// A compare-and-set that found the booking in another state than it was just read in.
fn booking_changed() -> AppError {
    AppError::Conflict {
        code: "BOOKING_CHANGED",
        detail: "The booking changed meanwhile: reload it.".into(),
    }
}

fn slot_unavailable() -> AppError {
    rule(
        "SLOT_UNAVAILABLE",
        "That time is not one of the doctor's free times: search again.",
    )
}

fn slot_taken(err: RepoError) -> AppError {
    match err {
        RepoError::Conflict { constraint } if constraint == "bookings_no_overlap" => {
            AppError::Conflict {
                code: "SLOT_TAKEN",
                detail: "Someone has just booked that time: choose another.".into(),
            }
        }
        other => other.into(),
    }
}

/// The doctor's slot rules in `clinic` and the slot starting at `starts`: `409 SLOT_TAKEN` when
/// it is one of the doctor's times but booked, `422 SLOT_UNAVAILABLE` when it is none of them
/// (`moving`: the start of the booking being moved, whose own time is free for it).
async fn slot_at(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctor: ClinicDoctorRow,
    starts: DateTime<Utc>,
    now: DateTime<Utc>,
    moving: Option<DateTime<Utc>>,
) -> Result<SlotRules, AppError> {
    let window = (starts, starts + Duration::minutes(1));
    let Some(loaded) = load(conn, clinic, vec![doctor], window)
        .await?
        .into_iter()
        .next()
    else {
        return Err(slot_unavailable());
    };
    let is_start = |slots: Vec<Slot>| slots.iter().any(|s| s.starts == starts);
    if !is_start(loaded.slots(window, now, Taken::None)) {
        return Err(slot_unavailable());
    }
    let taken = moving.map_or(Taken::All, Taken::AllBut);
    if is_start(loaded.slots(window, now, taken)) {
        Ok(loaded.schedule.rules)
    } else {
        Err(slot_taken(RepoError::Conflict {
            constraint: "bookings_no_overlap".into(),
        }))
    }
}

async fn read_booking(conn: &mut PgConnection, id: Uuid) -> Result<BookingView, AppError> {
    let booking = booking::find(conn, id).await?.ok_or(AppError::NotFound)?;
    let events = booking::events(conn, id).await?;
    Ok(BookingView { booking, events })
}

/// One booking the caller may see (its patient, its doctor, the clinic's admins), with its
/// history.
pub async fn get(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<BookingView, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let view = read_booking(&mut work, id).await?;
    let clinic = view.booking.clinic_id;
    work.record(
        Event::new("read", "booking", id)
            .in_clinic(Some(clinic))
            .shown([view.booking.patient_id]),
    )
    .await?;
    work.commit().await?;
    Ok(view)
}

/// Which bookings a list shows.
#[derive(Debug, Clone)]
pub struct BookingSearch {
    /// `patient`: the caller's own (newest first); `doctor`: the caller's calendar (in time
    /// order); `clinic`: the clinic's, for its admins (in time order).
    pub view: BookingsView,
    pub clinic_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub cursor: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingsView {
    Patient,
    Doctor,
    Clinic,
}

/// A page of bookings.
pub async fn list(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    search: BookingSearch,
) -> Result<Page<BookingRow>, AppError> {
    let (of, ascending) = match search.view {
        BookingsView::Patient => {
            actor.require(Role::Patient)?;
            (BookingsOf::Patient(actor.user_id), false)
        }
        BookingsView::Doctor => {
            actor.require(Role::Doctor)?;
            (BookingsOf::Doctor(actor.user_id), true)
        }
        BookingsView::Clinic => {
            actor.require(Role::ClinicAdmin)?;
            let clinic = actor
                .acting_clinic(Role::ClinicAdmin, search.clinic_id)?
                .ok_or(AppError::NotFound)?;
            (BookingsOf::Clinic(clinic), true)
        }
    };
    let after = search
        .cursor
        .as_deref()
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let mut work = Work::begin(db, actor, facts).await?;
    let rows = booking::list(
        &mut work,
        of,
        search.from,
        search.to,
        ascending,
        after,
        search.limit,
    )
    .await?;
    let (rows, next_cursor) = finish_page(rows, search.limit, |r| {
        TimeCursor {
            at: r.starts_at,
            id: r.id,
        }
        .encode()
    });
    let patients: Vec<Uuid> = rows.iter().map(|r| r.patient_id).collect();
    work.record(Event::new("list", "booking", "").shown(patients))
        .await?;
    work.commit().await?;
    Ok(Page { rows, next_cursor })
}

/// Who the caller is to a booking.
fn party(actor: &Actor, b: &BookingRow) -> Option<BookingReason> {
    if b.patient_id == actor.user_id && actor.is_at(Role::Patient, b.clinic_id) {
        Some(BookingReason::PatientCancelled)
    } else if b.doctor_id == actor.user_id && actor.is_at(Role::Doctor, b.clinic_id) {
        Some(BookingReason::DoctorCancelled)
    } else if actor.is_at(Role::ClinicAdmin, b.clinic_id) {
        Some(BookingReason::ClinicCancelled)
    } else {
        None
    }
}

/// What a cancellation gives back.
#[derive(Debug, Clone)]
pub struct Cancelled {
    pub view: BookingView,
    /// The part of the fee that goes back to the patient (minor units).
    pub refund_minor: i64,
}

/// Cancels a held or confirmed booking: the patient (free until the clinic's window, later the
/// fee is kept), the doctor or the clinic's admins (always refunded in full).
pub async fn cancel(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Cancelled, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let current = booking::find(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = party(actor, &current).ok_or(AppError::NotFound)?;
    current
        .status
        .transition(BookingAction::Cancel)
        .map_err(booking_error)?;
    let policy = booking::policy(&mut work, current.clinic_id).await?;
    let fee = rxgate_domain::money::Money::new(
        current.fee_minor,
        Currency::parse(&current.currency).map_err(AppError::internal)?,
    )
    .map_err(AppError::internal)?;
    let by_patient = reason == BookingReason::PatientCancelled;
    let refund = if current.status == BookingStatus::Confirmed {
        CancellationPolicy {
            free_until_hours: i64::from(policy.free_cancel_hours),
        }
        .refund(&fee, current.starts_at, now, by_patient)
        .amount_minor()
    } else {
        0
    };
    let moved = booking::transition(
        &mut work,
        id,
        &BookingStatus::sources(BookingAction::Cancel),
        BookingStatus::Cancelled,
        reason,
        Some(actor.user_id),
    )
    .await?;
    if moved.is_none() {
        return Err(booking_changed());
    }
    booking::drop_reminders(&mut work, id).await?;
    if refund > 0
        && let Some(payment) = current.payment_id
    {
        crate::payments::queue_refund(&mut work, payment, Some(refund), "Consult cancelled")
            .await?;
    }
    rxgate_persistence::waitlist::lapse_offer(&mut work, id).await?;
    queue_offer(
        &mut work,
        current.clinic_id,
        current.doctor_id,
        current.starts_at,
    )
    .await?;
    work.record(
        Event::new("cancel", "booking", id)
            .in_clinic(Some(current.clinic_id))
            .shown([current.patient_id]),
    )
    .await?;
    let view = read_booking(&mut work, id).await?;
    work.commit().await?;
    Ok(Cancelled {
        view,
        refund_minor: refund,
    })
}

/// Moves a booking to another free slot of the same doctor, in one transaction: the patient
/// keeps the old time unless the new one is theirs. Patients move for free until the clinic's
/// cancellation window; the doctor and the clinic's admins any time before the start.
pub async fn reschedule(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<BookingView, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let current = booking::find(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = party(actor, &current).ok_or(AppError::NotFound)?;
    check_reschedule(current.status, current.starts_at, now).map_err(booking_error)?;
    if reason == BookingReason::PatientCancelled {
        let policy = booking::policy(&mut work, current.clinic_id).await?;
        let window = CancellationPolicy {
            free_until_hours: i64::from(policy.free_cancel_hours),
        };
        if !window.may_reschedule(current.starts_at, now) {
            return Err(rule(
                "RESCHEDULE_WINDOW_CLOSED",
                format!(
                    "Consults can be moved up to {} hours before they start.",
                    policy.free_cancel_hours
                ),
            ));
        }
    }
    let doctor = booking::clinic_doctors(&mut work, current.clinic_id, Some(current.doctor_id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let moving = Some(current.starts_at);
    let rules = slot_at(&mut work, current.clinic_id, doctor, starts_at, now, moving).await?;
    let moved = booking::reschedule(
        &mut work,
        id,
        starts_at,
        starts_at + rules.slot(),
        starts_at + rules.slot() + rules.buffer(),
        actor.user_id,
    )
    .await
    .map_err(slot_taken)?;
    if !moved {
        return Err(booking_changed());
    }
    if current.status == BookingStatus::Confirmed {
        schedule_reminders(&mut work, id, starts_at, now).await?;
    }
    queue_offer(
        &mut work,
        current.clinic_id,
        current.doctor_id,
        current.starts_at,
    )
    .await?;
    work.record(
        Event::new("reschedule", "booking", id)
            .in_clinic(Some(current.clinic_id))
            .shown([current.patient_id]),
    )
    .await?;
    let view = read_booking(&mut work, id).await?;
    work.commit().await?;
    Ok(view)
}

/// The doctor records how a confirmed consult ended: it took place, or the patient did not come
/// (both only once it has started).
pub async fn record_outcome(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    action: BookingAction,
    now: DateTime<Utc>,
) -> Result<BookingView, AppError> {
    let (to_reason, verb) = match action {
        BookingAction::Complete => (BookingReason::Completed, "complete"),
        BookingAction::MarkNoShow => (BookingReason::NoShow, "no_show"),
        _ => return Err(AppError::internal(UnsupportedOutcome)),
    };
    let mut work = Work::begin(db, actor, facts).await?;
    let current = booking::find(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !(current.doctor_id == actor.user_id && actor.is_at(Role::Doctor, current.clinic_id)) {
        return Err(AppError::NotFound);
    }
    let to = current
        .status
        .transition_at(action, current.starts_at, now)
        .map_err(booking_error)?;
    let moved = booking::transition(
        &mut work,
        id,
        &BookingStatus::sources(action),
        to,
        to_reason,
        Some(actor.user_id),
    )
    .await?;
    if moved.is_none() {
        return Err(booking_changed());
    }
    work.record(
        Event::new(verb, "booking", id)
            .in_clinic(Some(current.clinic_id))
            .shown([current.patient_id]),
    )
    .await?;
    let view = read_booking(&mut work, id).await?;
    work.commit().await?;
    Ok(view)
}

#[derive(Debug, thiserror::Error)]
#[error("only completion and no-show are outcomes")]
struct UnsupportedOutcome;

/// The fee of booking `id` was paid: its hold becomes a confirmed booking (inside the payment's
/// transaction, as the system). `false` when the hold had already lapsed or was cancelled: the
/// payment is then refunded by the caller.
pub async fn confirm_paid(conn: &mut PgConnection, id: Uuid) -> Result<bool, RepoError> {
    let moved = booking::transition(
        &mut *conn,
        id,
        &BookingStatus::sources(BookingAction::Confirm),
        BookingStatus::Confirmed,
        BookingReason::Paid,
        None,
    )
    .await?;
    if moved.is_none() {
        return Ok(false);
    }
    rxgate_persistence::waitlist::mark_booked(&mut *conn, id).await?;
    crate::consultations::open_for_booking(&mut *conn, id).await?;
    if let Some(b) = booking::find(&mut *conn, id).await? {
        // A consult links the doctor to the patient: they may read the chart from now on.
        rxgate_persistence::users::link_doctor_patient(
            &mut *conn,
            b.doctor_id,
            b.patient_id,
            "consult",
        )
        .await?;
        schedule_reminders(conn, id, b.starts_at, Utc::now()).await?;
    }
    Ok(true)
}

/// Expires booking `id` if it is still an unpaid hold whose time is up (the durable job of each
/// hold; also safe to run twice).
pub async fn expire_hold(
    conn: &mut PgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    if !booking::hold_due(&mut *conn, id, now).await? {
        return Ok(false);
    }
    let moved = booking::transition(
        &mut *conn,
        id,
        &BookingStatus::sources(BookingAction::Expire),
        BookingStatus::Expired,
        BookingReason::HoldExpired,
        None,
    )
    .await?;
    if moved.is_none() {
        return Ok(false);
    }
    rxgate_persistence::waitlist::lapse_offer(&mut *conn, id).await?;
    if let Some(b) = booking::find(&mut *conn, id).await? {
        queue_offer(conn, b.clinic_id, b.doctor_id, b.starts_at).await?;
    }
    Ok(true)
}

/// A doctor's time of day, as the API writes it (`09:30`).
pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw, "%H:%M").ok()
}

// Waitlists ---------------------------------------------------------------------------------------

/// Queues the offer of a freed time of `doctor` to their waitlist (run by the system: the hold
/// is made for another patient than the caller).
pub async fn queue_offer(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctor: Uuid,
    starts: DateTime<Utc>,
) -> Result<(), RepoError> {
    job_queue::enqueue(
        conn,
        &NewJob::new(
            OFFER_FREED_JOB,
            serde_json::json!({ "clinic_id": clinic, "doctor_id": doctor, "starts_at": starts }),
        ),
    )
    .await?;
    Ok(())
}

/// Offers the freed time `starts` of `doctor` to the first patient waiting for that day: a hold
/// for them of [`OFFER_HOLD_MINUTES`] and an email (doctor and time only). When the time is no
/// longer free, or nobody waits, nothing happens. The system runs it.
pub async fn offer_freed_slot(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctor: Uuid,
    starts: DateTime<Utc>,
    now: DateTime<Utc>,
    app_url: &str,
) -> Result<Option<Uuid>, AppError> {
    let Some(doctor_row) = booking::clinic_doctors(conn, clinic, Some(doctor))
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let Ok(zone) = schedule::zone(&doctor_row.time_zone) else {
        return Ok(None);
    };
    let rules = match slot_at(conn, clinic, doctor_row.clone(), starts, now, None).await {
        Ok(rules) => rules,
        Err(AppError::Rule { .. } | AppError::Conflict { .. }) => return Ok(None),
        Err(other) => return Err(other),
    };
    let day = starts.with_timezone(&zone).date_naive();
    let Some((entry, patient)) =
        rxgate_persistence::waitlist::next_waiting(conn, clinic, doctor, day).await?
    else {
        return Ok(None);
    };
    let offer = read_offer(conn, clinic).await?;
    let Some(fee) = offer.modes.iter().find(|m| m.mode.is_live()) else {
        return Ok(None);
    };
    let hold = booking::NewBooking {
        clinic_id: clinic,
        doctor_id: doctor,
        patient_id: patient,
        mode: fee.mode,
        starts_at: starts,
        ends_at: starts + rules.slot(),
        blocked_until: starts + rules.slot() + rules.buffer(),
        fee_minor: fee.fee_minor,
        currency: fee.currency.clone(),
        hold_expires_at: now + Duration::minutes(OFFER_HOLD_MINUTES),
    };
    let id = match booking::hold(&mut *conn, &hold, patient).await {
        Ok(id) => id,
        Err(RepoError::Conflict { .. }) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    rxgate_persistence::waitlist::mark_offered(&mut *conn, entry, id).await?;
    job_queue::enqueue(
        &mut *conn,
        &NewJob::new(EXPIRE_HOLD_JOB, serde_json::json!({ "booking_id": id }))
            .run_at(hold.hold_expires_at)
            .dedupe_key(format!("{EXPIRE_HOLD_JOB}:{id}")),
    )
    .await?;
    if let Some((email, _)) = booking::patient_contact(&mut *conn, id).await? {
        let when = format!(
            "{} ({})",
            starts.with_timezone(&zone).format("%A %-d %B %Y at %H:%M"),
            doctor_row.time_zone
        );
        let message = crate::emails::waitlist_offer(
            &email,
            &doctor_row.display_name,
            &when,
            OFFER_HOLD_MINUTES,
            &format!("{}/consults", app_url.trim_end_matches('/')),
        );
        crate::jobs::email::enqueue(conn, &message).await?;
    }
    Ok(Some(id))
}

/// A place on a doctor's waitlist.
#[derive(Debug, Clone)]
pub struct JoinWaitlist {
    pub clinic_id: Option<Uuid>,
    pub doctor_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Puts the caller (a patient) on a doctor's waitlist for a range of days (at most 62).
pub async fn join_waitlist(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    command: JoinWaitlist,
    today: NaiveDate,
) -> Result<rxgate_persistence::waitlist::EntryRow, AppError> {
    actor.require(Role::Patient)?;
    let clinic = actor
        .acting_clinic(Role::Patient, command.clinic_id)?
        .ok_or(AppError::NotFound)?;
    if command.to < command.from {
        return Err(field("to", "after_from", "`to` must not be before `from`."));
    }
    if command.to - command.from > Duration::days(MAX_SEARCH_DAYS) {
        return Err(field(
            "to",
            "range",
            format!("Wait for at most {MAX_SEARCH_DAYS} days."),
        ));
    }
    if command.to < today {
        return Err(field("to", "past", "Choose days from today on."));
    }
    let mut work = Work::begin(db, actor, facts).await?;
    booking::clinic_doctors(&mut work, clinic, Some(command.doctor_id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let id = rxgate_persistence::waitlist::join(
        &mut work,
        clinic,
        command.doctor_id,
        actor.user_id,
        command.from,
        command.to,
    )
    .await
    .map_err(|e| match e {
        RepoError::Conflict { constraint } if constraint == "booking_waitlist_one_open" => {
            AppError::Conflict {
                code: "ALREADY_WAITING",
                detail: "You are already on this doctor's waitlist.".into(),
            }
        }
        other => other.into(),
    })?;
    work.record(Event::new("create", "waitlist_entry", id).in_clinic(Some(clinic)))
        .await?;
    let row = rxgate_persistence::waitlist::find(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    work.commit().await?;
    Ok(row)
}

/// The caller's waitlist places.
pub async fn my_waitlist(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<Vec<rxgate_persistence::waitlist::EntryRow>, AppError> {
    actor.require(Role::Patient)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let rows = rxgate_persistence::waitlist::mine(&mut work, actor.user_id).await?;
    work.commit().await?;
    Ok(rows)
}

/// Leaves a waitlist place (an open offer's hold is cancelled with it and goes to the next).
pub async fn leave_waitlist(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<rxgate_persistence::waitlist::EntryRow, AppError> {
    actor.require(Role::Patient)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let entry = rxgate_persistence::waitlist::find(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !rxgate_persistence::waitlist::leave(&mut work, id).await? {
        return Err(rule("WAITLIST_CLOSED", "That place is no longer open."));
    }
    if let Some(offered) = entry.offered_booking_id {
        let moved = booking::transition(
            &mut work,
            offered,
            &[BookingStatus::Held],
            BookingStatus::Cancelled,
            BookingReason::PatientCancelled,
            Some(actor.user_id),
        )
        .await?;
        if moved.is_some()
            && let Some(b) = booking::find(&mut work, offered).await?
        {
            queue_offer(&mut work, b.clinic_id, b.doctor_id, b.starts_at).await?;
        }
    }
    work.record(Event::new("leave", "waitlist_entry", id).in_clinic(Some(entry.clinic_id)))
        .await?;
    let row = rxgate_persistence::waitlist::find(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    work.commit().await?;
    Ok(row)
}
