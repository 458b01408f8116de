//! Waitlists: patients waiting for a doctor's time in a date range, offered freed slots in the
//! order they joined.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub doctor_id: Uuid,
    pub doctor_name: String,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub status: String,
    pub offered_booking_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// Puts `patient` on `doctor`'s waitlist in `clinic`; a second open place with the same doctor
/// is `Conflict { constraint: "booking_waitlist_one_open" }`.
pub async fn join(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctor: Uuid,
    patient: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO booking_waitlist (id, clinic_id, doctor_id, patient_id, from_date, to_date)
         VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        clinic,
        doctor,
        patient,
        from,
        to,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// The caller's places (newest first, at most 50: a patient waits for few doctors).
pub async fn mine(conn: &mut PgConnection, patient: Uuid) -> Result<Vec<EntryRow>, RepoError> {
    Ok(sqlx::query_as!(
        EntryRow,
        r#"SELECT w.id, w.clinic_id, w.doctor_id, coalesce(cd.display_name, '') AS "doctor_name!",
                  w.from_date, w.to_date, w.status::text AS "status!", w.offered_booking_id, w.created_at
             FROM booking_waitlist w
             LEFT JOIN clinic_doctors cd ON cd.doctor_id = w.doctor_id AND cd.clinic_id = w.clinic_id
            WHERE w.patient_id = $1
            ORDER BY w.created_at DESC, w.id DESC
            LIMIT 50"#,
        patient
    )
    .fetch_all(conn)
    .await?)
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<EntryRow>, RepoError> {
    Ok(sqlx::query_as!(
        EntryRow,
        r#"SELECT w.id, w.clinic_id, w.doctor_id, coalesce(cd.display_name, '') AS "doctor_name!",
                  w.from_date, w.to_date, w.status::text AS "status!", w.offered_booking_id, w.created_at
             FROM booking_waitlist w
             LEFT JOIN clinic_doctors cd ON cd.doctor_id = w.doctor_id AND cd.clinic_id = w.clinic_id
            WHERE w.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?)
}

/// Leaves a place that is still open. `false` when it was not open (or not visible).
pub async fn leave(conn: &mut PgConnection, id: Uuid) -> Result<bool, RepoError> {
    Ok(sqlx::query!(
        "UPDATE booking_waitlist SET status = 'left' WHERE id = $1 AND status IN ('waiting', 'offered')",
        id
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The first patient waiting for `doctor` in `clinic` on `day`, locked for the offer.
pub async fn next_waiting(
    conn: &mut PgConnection,
    clinic: Uuid,
    doctor: Uuid,
    day: NaiveDate,
) -> Result<Option<(Uuid, Uuid)>, RepoError> {
    Ok(sqlx::query!(
        "SELECT id, patient_id FROM booking_waitlist
          WHERE doctor_id = $1 AND clinic_id = $2 AND status = 'waiting'
            AND $3 BETWEEN from_date AND to_date
          ORDER BY created_at, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED",
        doctor,
        clinic,
        day,
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.id, r.patient_id)))
}

pub async fn mark_offered(
    conn: &mut PgConnection,
    id: Uuid,
    booking: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE booking_waitlist SET status = 'offered', offered_booking_id = $2
          WHERE id = $1 AND status = 'waiting'",
        id,
        booking,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The offer of hold `booking` ended unbooked (it lapsed or was declined). `true` when the hold
/// was a waitlist offer.
pub async fn lapse_offer(conn: &mut PgConnection, booking: Uuid) -> Result<bool, RepoError> {
    Ok(sqlx::query!(
        "UPDATE booking_waitlist SET status = 'lapsed' WHERE offered_booking_id = $1 AND status = 'offered'",
        booking
    )
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}

/// The offer of hold `booking` was paid: the patient's wait is over.
pub async fn mark_booked(conn: &mut PgConnection, booking: Uuid) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE booking_waitlist SET status = 'booked' WHERE offered_booking_id = $1 AND status = 'offered'",
        booking
    )
    .execute(conn)
    .await?;
    Ok(())
}
