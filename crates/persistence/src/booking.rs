//! Booking: a clinic's consult offer, doctors' schedules, and bookings with their events.
//! Every status change is a compare-and-set (`WHERE status = ANY(sources)`) that writes its
//! `booking_events` row in the same statement; the exclusion constraint `bookings_no_overlap`
//! refuses a second booking of a doctor's time (surfaced as [`RepoError::Conflict`]).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rxgate_domain::booking::{BookingReason, BookingStatus, ConsultMode};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

// The clinic's offer ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeRow {
    pub mode: ConsultMode,
    pub fee_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyRow {
    pub free_cancel_hours: i32,
    pub hold_minutes: i32,
}

/// The consult modes `clinic` offers, with their fees.
pub async fn consult_modes(
    conn: &mut PgConnection,
    clinic: Uuid,
) -> Result<Vec<ModeRow>, RepoError> {
    Ok(sqlx::query_as!(
        ModeRow,
        r#"SELECT mode AS "mode: ConsultMode", fee_minor, currency
             FROM clinic_consult_modes WHERE clinic_id = $1 ORDER BY mode"#,
        clinic
    )
    .fetch_all(conn)
    .await?)
}

/// The clinic's cancellation and hold policy (the defaults until the clinic sets one).
pub async fn policy(conn: &mut PgConnection, clinic: Uuid) -> Result<PolicyRow, RepoError> {
    Ok(sqlx::query_as!(
        PolicyRow,
        r#"SELECT coalesce(p.free_cancel_hours, 24) AS "free_cancel_hours!",
                  coalesce(p.hold_minutes, 10) AS "hold_minutes!"
             FROM (SELECT 1) AS one
             LEFT JOIN clinic_booking_policies p ON p.clinic_id = $1"#,
        clinic
    )
    .fetch_one(conn)
    .await?)
}

/// Replaces the clinic's offer: its modes and fees, and its policy.
pub async fn replace_offer(
    conn: &mut PgConnection,
    clinic: Uuid,
    modes: &[ModeRow],
    policy: PolicyRow,
) -> Result<(), RepoError> {
    let (kinds, fees, currencies): (Vec<ConsultMode>, Vec<i64>, Vec<String>) = modes
        .iter()
        .map(|m| (m.mode, m.fee_minor, m.currency.clone()))
        .fold(
            (vec![], vec![], vec![]),
            |(mut a, mut b, mut c), (x, y, z)| {
                a.push(x);
                b.push(y);
                c.push(z);
                (a, b, c)
            },
        );
    sqlx::query!(
        // The delete and the upsert touch different modes, so one statement is safe.
        r#"WITH gone AS (DELETE FROM clinic_consult_modes WHERE clinic_id = $1
                          AND NOT (mode = ANY ($2::consult_mode[])))
           INSERT INTO clinic_consult_modes (clinic_id, mode, fee_minor, currency)
           SELECT $1, m, f, c FROM unnest($2::consult_mode[], $3::bigint[], $4::text[]) AS t (m, f, c)
           ON CONFLICT (clinic_id, mode) DO UPDATE
              SET fee_minor = excluded.fee_minor, currency = excluded.currency, updated_at = now()"#,
        clinic,
        &kinds as &[ConsultMode],
        &fees,
        &currencies,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO clinic_booking_policies (clinic_id, free_cancel_hours, hold_minutes)
         VALUES ($1, $2, $3)
         ON CONFLICT (clinic_id) DO UPDATE
            SET free_cancel_hours = excluded.free_cancel_hours, hold_minutes = excluded.hold_minutes",
        clinic,
        policy.free_cancel_hours,
        policy.hold_minutes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

// Doctors and schedules --------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct ClinicDoctorRow {
    pub doctor_id: Uuid,
    pub display_name: String,
    pub specialties: Vec<String>,
    pub time_zone: String,
    /// Whether the doctor has set their availability in this clinic.
    pub bookable: bool,
}

/// The approved doctors of `clinic` (or only `doctor`), by name.
pub async fn clinic_doctors(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctor: Option<Uuid>,
) -> Result<Vec<ClinicDoctorRow>, RepoError> {
    Ok(sqlx::query_as!(
        ClinicDoctorRow,
        r#"SELECT cd.doctor_id AS "doctor_id!", cd.display_name AS "display_name!",
                  cd.specialties AS "specialties!", cd.time_zone AS "time_zone!",
                  EXISTS (SELECT 1 FROM doctor_schedules s
                           WHERE s.doctor_id = cd.doctor_id AND s.clinic_id = cd.clinic_id) AS "bookable!"
             FROM clinic_doctors cd
            WHERE cd.clinic_id = $1 AND ($2::uuid IS NULL OR cd.doctor_id = $2)
            ORDER BY cd.display_name, cd.doctor_id
            LIMIT 200"#,
        clinic,
        doctor,
    )
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulesRow {
    pub doctor_id: Uuid,
    pub slot_minutes: i32,
    pub buffer_minutes: i32,
    pub min_notice_minutes: i32,
    pub horizon_days: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntervalRow {
    pub doctor_id: Uuid,
    pub weekday: i16,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceptionRow {
    pub doctor_id: Uuid,
    pub on_date: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub available: bool,
}

/// The schedules of `doctors` in `clinic`: rules, weekly intervals and the exceptions from
/// `from_date` on (three statements whatever the number of doctors).
pub async fn schedules(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctors: &[Uuid],
    from_date: NaiveDate,
) -> Result<(Vec<RulesRow>, Vec<IntervalRow>, Vec<ExceptionRow>), RepoError> {
    let rules = sqlx::query_as!(
        RulesRow,
        "SELECT doctor_id, slot_minutes, buffer_minutes, min_notice_minutes, horizon_days
           FROM doctor_schedules WHERE clinic_id = $1 AND doctor_id = ANY ($2)",
        clinic,
        doctors,
    )
    .fetch_all(&mut *conn)
    .await?;
    let intervals = sqlx::query_as!(
        IntervalRow,
        "SELECT doctor_id, weekday, starts, ends FROM doctor_schedule_intervals
          WHERE clinic_id = $1 AND doctor_id = ANY ($2) ORDER BY doctor_id, weekday, starts",
        clinic,
        doctors,
    )
    .fetch_all(&mut *conn)
    .await?;
    let exceptions = sqlx::query_as!(
        ExceptionRow,
        "SELECT doctor_id, on_date, starts, ends, available FROM doctor_schedule_exceptions
          WHERE clinic_id = $1 AND doctor_id = ANY ($2) AND on_date >= $3
          ORDER BY doctor_id, on_date, starts",
        clinic,
        doctors,
        from_date,
    )
    .fetch_all(conn)
    .await?;
    Ok((rules, intervals, exceptions))
}

/// Replaces `doctor`'s schedule in `clinic`: rules, every weekly interval, and the exceptions.
pub async fn replace_schedule(
    conn: &mut PgConnection,
    rules: RulesRow,
    clinic: Uuid,
    intervals: &[IntervalRow],
    exceptions: &[ExceptionRow],
) -> Result<(), RepoError> {
    let doctor = rules.doctor_id;
    sqlx::query!(
        "INSERT INTO doctor_schedules
                (doctor_id, clinic_id, slot_minutes, buffer_minutes, min_notice_minutes, horizon_days)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (doctor_id, clinic_id) DO UPDATE
            SET slot_minutes = excluded.slot_minutes, buffer_minutes = excluded.buffer_minutes,
                min_notice_minutes = excluded.min_notice_minutes, horizon_days = excluded.horizon_days",
        doctor,
        clinic,
        rules.slot_minutes,
        rules.buffer_minutes,
        rules.min_notice_minutes,
        rules.horizon_days,
    )
    .execute(&mut *conn)
    .await?;
    let weekdays: Vec<i16> = intervals.iter().map(|i| i.weekday).collect();
    let starts: Vec<NaiveTime> = intervals.iter().map(|i| i.starts).collect();
    let ends: Vec<NaiveTime> = intervals.iter().map(|i| i.ends).collect();
    // Two statements each: sub-statements of one WITH run in no set order, so an insert could
    // meet the row its delete was removing.
    sqlx::query!(
        "DELETE FROM doctor_schedule_intervals WHERE doctor_id = $1 AND clinic_id = $2",
        doctor,
        clinic
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO doctor_schedule_intervals (doctor_id, clinic_id, weekday, starts, ends)
         SELECT $1, $2, w, s, e FROM unnest($3::smallint[], $4::time[], $5::time[]) AS t (w, s, e)",
        doctor,
        clinic,
        &weekdays,
        &starts,
        &ends,
    )
    .execute(&mut *conn)
    .await?;
    let dates: Vec<NaiveDate> = exceptions.iter().map(|e| e.on_date).collect();
    let starts: Vec<NaiveTime> = exceptions.iter().map(|e| e.starts).collect();
    let ends: Vec<NaiveTime> = exceptions.iter().map(|e| e.ends).collect();
    let available: Vec<bool> = exceptions.iter().map(|e| e.available).collect();
    sqlx::query!(
        "DELETE FROM doctor_schedule_exceptions WHERE doctor_id = $1 AND clinic_id = $2",
        doctor,
        clinic
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO doctor_schedule_exceptions (doctor_id, clinic_id, on_date, starts, ends, available)
         SELECT $1, $2, d, s, e, a
           FROM unnest($3::date[], $4::time[], $5::time[], $6::boolean[]) AS t (d, s, e, a)",
        doctor,
        clinic,
        &dates,
        &starts,
        &ends,
        &available,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusyRow {
    pub doctor_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub blocked_until: DateTime<Utc>,
}

/// When each of `doctors` is taken in `[from, to)`, in any clinic (times only).
pub async fn busy(
    conn: &mut PgConnection,
    doctors: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<BusyRow>, RepoError> {
    Ok(sqlx::query_as!(
        BusyRow,
        r#"SELECT doctor_id AS "doctor_id!", starts_at AS "starts_at!", blocked_until AS "blocked_until!"
             FROM doctor_busy($1, $2, $3)"#,
        doctors,
        from,
        to,
    )
    .fetch_all(conn)
    .await?)
}

// Bookings -----------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct BookingRow {
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
    pub fee_minor: i64,
    pub currency: String,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub payment_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A new hold on a slot.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub clinic_id: Uuid,
    pub doctor_id: Uuid,
    pub patient_id: Uuid,
    pub mode: ConsultMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub blocked_until: DateTime<Utc>,
    pub fee_minor: i64,
    pub currency: String,
    pub hold_expires_at: DateTime<Utc>,
}

/// Holds a slot: the booking and its first event (two statements: the event's policy must see
/// the booking). A taken time is `Conflict { constraint: "bookings_no_overlap" }`.
pub async fn hold(conn: &mut PgConnection, b: &NewBooking, actor: Uuid) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    lock_doctor(&mut *conn, b.doctor_id).await?;
    sqlx::query!(
        "INSERT INTO bookings (id, clinic_id, doctor_id, patient_id, mode, starts_at, ends_at,
                               blocked_until, fee_minor, currency, hold_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        id,
        b.clinic_id,
        b.doctor_id,
        b.patient_id,
        b.mode as ConsultMode,
        b.starts_at,
        b.ends_at,
        b.blocked_until,
        b.fee_minor,
        b.currency,
        b.hold_expires_at,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO booking_events (booking_id, from_status, to_status, reason, starts_at, actor_id)
         VALUES ($1, NULL, 'held', 'booked', $2, $3)",
        id,
        b.starts_at,
        actor,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Serialises the bookings of one doctor until the transaction ends. Concurrent inserts that
/// the exclusion constraint refuses can deadlock each other (each waits for the others'
/// uncommitted rows); taken first, this lock makes them queue instead, and each then meets the
/// winner's committed row: `409 SLOT_TAKEN`, never a deadlock.
async fn lock_doctor(conn: &mut PgConnection, doctor: Uuid) -> Result<(), RepoError> {
    sqlx::query!(
        "SELECT pg_advisory_xact_lock(hashtextextended('booking:' || $1::uuid::text, 0))",
        doctor
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The booking `id`, if the caller may see it.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<BookingRow>, RepoError> {
    Ok(sqlx::query_as!(
        BookingRow,
        r#"SELECT b.id, b.clinic_id, o.name AS clinic_name, b.doctor_id,
                  coalesce(cd.display_name, '') AS "doctor_name!",
                  coalesce(cd.time_zone, 'UTC') AS "doctor_time_zone!",
                  b.patient_id, b.mode AS "mode: ConsultMode", b.starts_at, b.ends_at,
                  b.status AS "status: BookingStatus", b.fee_minor, b.currency, b.hold_expires_at,
                  b.payment_id, b.created_at
             FROM bookings b
             JOIN organisations o ON o.id = b.clinic_id
             LEFT JOIN clinic_doctors cd ON cd.doctor_id = b.doctor_id AND cd.clinic_id = b.clinic_id
            WHERE b.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?)
}

/// Whose bookings a list shows.
#[derive(Debug, Clone, Copy)]
pub enum BookingsOf {
    Patient(Uuid),
    Doctor(Uuid),
    Clinic(Uuid),
}

/// A page of bookings (`limit + 1` rows) starting in `[from, to)`, in time order (`upcoming`)
/// or newest first, after the keyset `after` (`(starts_at, id)` of the previous page's last).
pub async fn list(
    conn: &mut PgConnection,
    of: BookingsOf,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    ascending: bool,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<BookingRow>, RepoError> {
    let (patient, doctor, clinic) = match of {
        BookingsOf::Patient(p) => (Some(p), None, None),
        BookingsOf::Doctor(d) => (None, Some(d), None),
        BookingsOf::Clinic(c) => (None, None, Some(c)),
    };
    let (after_at, after_id) = after.unzip();
    Ok(sqlx::query_as!(
        BookingRow,
        r#"SELECT b.id, b.clinic_id, o.name AS clinic_name, b.doctor_id,
                  coalesce(cd.display_name, '') AS "doctor_name!",
                  coalesce(cd.time_zone, 'UTC') AS "doctor_time_zone!",
                  b.patient_id, b.mode AS "mode: ConsultMode", b.starts_at, b.ends_at,
                  b.status AS "status: BookingStatus", b.fee_minor, b.currency, b.hold_expires_at,
                  b.payment_id, b.created_at
             FROM bookings b
             JOIN organisations o ON o.id = b.clinic_id
             LEFT JOIN clinic_doctors cd ON cd.doctor_id = b.doctor_id AND cd.clinic_id = b.clinic_id
            WHERE ($1::uuid IS NULL OR b.patient_id = $1)
              AND ($2::uuid IS NULL OR b.doctor_id = $2)
              AND ($3::uuid IS NULL OR b.clinic_id = $3)
              AND ($4::timestamptz IS NULL OR b.starts_at >= $4)
              AND ($5::timestamptz IS NULL OR b.starts_at < $5)
              AND ($7::timestamptz IS NULL
                   OR ($6 AND (b.starts_at, b.id) > ($7, $8::uuid))
                   OR (NOT $6 AND (b.starts_at, b.id) < ($7, $8::uuid)))
            ORDER BY CASE WHEN $6 THEN b.starts_at END, CASE WHEN $6 THEN b.id END,
                     b.starts_at DESC, b.id DESC
            LIMIT $9"#,
        patient,
        doctor,
        clinic,
        from,
        to,
        ascending,
        after_at,
        after_id,
        limit + 1,
    )
    .fetch_all(conn)
    .await?)
}

/// Moves booking `id` from one of `sources` to `to` (compare-and-set), recording the event.
/// `None` when the booking is not in one of `sources` (or not visible).
pub async fn transition(
    conn: &mut PgConnection,
    id: Uuid,
    sources: &[BookingStatus],
    to: BookingStatus,
    reason: BookingReason,
    actor: Option<Uuid>,
) -> Result<Option<BookingStatus>, RepoError> {
    let moved = sqlx::query_scalar!(
        r#"WITH moved AS (
               UPDATE bookings b
                  SET status = $3,
                      hold_expires_at = CASE WHEN $3 = 'held'::booking_status THEN b.hold_expires_at END
                 FROM (SELECT id, status FROM bookings WHERE id = $1 FOR UPDATE) AS old
                WHERE b.id = old.id AND old.status = ANY ($2)
            RETURNING b.id, b.starts_at, old.status AS before),
           event AS (
               INSERT INTO booking_events (booking_id, from_status, to_status, reason, starts_at, actor_id)
               SELECT id, before, $3, $4, starts_at, $5 FROM moved)
           SELECT before AS "before!: BookingStatus" FROM moved"#,
        id,
        sources as &[BookingStatus],
        to as BookingStatus,
        reason as BookingReason,
        actor,
    )
    .fetch_optional(conn)
    .await?;
    Ok(moved.map(|_| to))
}

/// Moves a held or confirmed booking to another time (the exclusion constraint checks the new
/// time; the old one is free only if the move succeeds).
pub async fn reschedule(
    conn: &mut PgConnection,
    id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    blocked_until: DateTime<Utc>,
    actor: Uuid,
) -> Result<bool, RepoError> {
    let doctor = sqlx::query_scalar!("SELECT doctor_id FROM bookings WHERE id = $1", id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(doctor) = doctor {
        lock_doctor(&mut *conn, doctor).await?;
    }
    let moved = sqlx::query_scalar!(
        r#"WITH moved AS (
               UPDATE bookings SET starts_at = $2, ends_at = $3, blocked_until = $4
                WHERE id = $1 AND status IN ('held', 'confirmed')
            RETURNING id, status, starts_at),
           event AS (
               INSERT INTO booking_events (booking_id, from_status, to_status, reason, starts_at, actor_id)
               SELECT id, status, status, 'rescheduled', starts_at, $5 FROM moved)
           SELECT id AS "id!" FROM moved"#,
        id,
        starts_at,
        ends_at,
        blocked_until,
        actor,
    )
    .fetch_optional(conn)
    .await?;
    Ok(moved.is_some())
}

/// Expires every hold whose time ran out by `now` (the system's job), with their events.
pub async fn expire_holds(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, RepoError> {
    Ok(sqlx::query_scalar!(
        r#"WITH moved AS (
               UPDATE bookings SET status = 'expired', hold_expires_at = NULL
                WHERE status = 'held' AND hold_expires_at <= $1
            RETURNING id, starts_at),
           event AS (
               INSERT INTO booking_events (booking_id, from_status, to_status, reason, starts_at)
               SELECT id, 'held', 'expired', 'hold_expired', starts_at FROM moved)
           SELECT id AS "id!" FROM moved"#,
        now
    )
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone)]
pub struct EventRow {
    pub from_status: Option<BookingStatus>,
    pub to_status: BookingStatus,
    pub reason: BookingReason,
    pub starts_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// The history of booking `id`, oldest first.
pub async fn events(conn: &mut PgConnection, id: Uuid) -> Result<Vec<EventRow>, RepoError> {
    Ok(sqlx::query_as!(
        EventRow,
        r#"SELECT from_status AS "from_status: BookingStatus", to_status AS "to_status: BookingStatus",
                  reason AS "reason: BookingReason", starts_at, actor_id, created_at
             FROM booking_events WHERE booking_id = $1 ORDER BY id"#,
        id
    )
    .fetch_all(conn)
    .await?)
}

/// `doctor`'s own zone (their profile; readable by themselves and admins).
pub async fn doctor_time_zone(
    conn: &mut PgConnection,
    doctor: Uuid,
) -> Result<Option<String>, RepoError> {
    Ok(sqlx::query_scalar!(
        "SELECT time_zone FROM doctor_profiles WHERE user_id = $1",
        doctor
    )
    .fetch_optional(conn)
    .await?)
}

/// Whether booking `id` is a hold whose time is up at `now`.
pub async fn hold_due(
    conn: &mut PgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM bookings
                           WHERE id = $1 AND status = 'held' AND hold_expires_at <= $2) AS "due!""#,
        id,
        now
    )
    .fetch_one(conn)
    .await?)
}

/// Drops the queued reminder jobs of booking `id` (it moved or ended).
pub async fn drop_reminders(conn: &mut PgConnection, id: Uuid) -> Result<u64, RepoError> {
    let dropped = sqlx::query_scalar!(r#"SELECT booking_drop_reminders($1) AS "dropped!""#, id)
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(dropped).unwrap_or(0))
}

/// The patient's address and name for booking `id` (the system's reminder job).
pub async fn patient_contact(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(String, String)>, RepoError> {
    Ok(sqlx::query!(
        r#"SELECT u.email::text AS "email!", u.display_name
             FROM bookings b JOIN users u ON u.id = b.patient_id WHERE b.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.email, r.display_name)))
}

/// Names the payment of booking `id`'s fee.
pub async fn set_payment(
    conn: &mut PgConnection,
    id: Uuid,
    payment: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE bookings SET payment_id = $2 WHERE id = $1",
        id,
        payment
    )
    .execute(conn)
    .await?;
    Ok(())
}
