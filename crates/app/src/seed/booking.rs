//! Demo booking data: the demo clinic's consult offer, the demo doctor's weekly schedule, and
//! for the demo patient one past completed consult and one upcoming confirmed booking. Each
//! part is written only when it is missing.

use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use rxgate_domain::booking::{BookingReason, BookingStatus, ConsultMode};
use rxgate_domain::consultation::ConsultationStatus;
use rxgate_domain::schedule;
use rxgate_persistence::booking::{
    self, BookingsOf, IntervalRow, ModeRow, NewBooking, PolicyRow, RulesRow,
};
use rxgate_persistence::users;
use sqlx::PgConnection;
use uuid::Uuid;

use super::SeedError;

const ZONE: &str = "Africa/Johannesburg";
const SLOT_MINUTES: i32 = 20;
const BUFFER_MINUTES: i32 = 5;

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

pub async fn seed(conn: &mut PgConnection, clinic: Uuid) -> Result<(), SeedError> {
    if booking::consult_modes(conn, clinic).await?.is_empty() {
        let zar = |minor| ModeRow {
            mode: ConsultMode::Video,
            fee_minor: minor,
            currency: "ZAR".into(),
        };
        let modes = [
            zar(45_000),
            ModeRow {
                mode: ConsultMode::Audio,
                ..zar(35_000)
            },
        ];
        let policy = PolicyRow {
            free_cancel_hours: 24,
            hold_minutes: 10,
        };
        booking::replace_offer(conn, clinic, &modes, policy).await?;
    }
    let (Some(doctor), Some(patient)) = (
        users::find_by_email(conn, "doctor@rxgate.test").await?,
        users::find_by_email(conn, "patient@rxgate.test").await?,
    ) else {
        return Ok(());
    };
    let (doctor, patient) = (doctor.id, patient.id);
    let (rules, _, _) =
        booking::schedules(conn, clinic, &[doctor], Utc::now().date_naive()).await?;
    if rules.is_empty() {
        // Weekdays 08:00–12:00 and 13:00–17:00, Saturday mornings.
        let mut intervals = Vec::new();
        for day in 1..=5 {
            for (starts, ends) in [(time(8, 0), time(12, 0)), (time(13, 0), time(17, 0))] {
                intervals.push(IntervalRow {
                    doctor_id: doctor,
                    weekday: day,
                    starts,
                    ends,
                });
            }
        }
        intervals.push(IntervalRow {
            doctor_id: doctor,
            weekday: 6,
            starts: time(9, 0),
            ends: time(12, 0),
        });
        let rules = RulesRow {
            doctor_id: doctor,
            slot_minutes: SLOT_MINUTES,
            buffer_minutes: BUFFER_MINUTES,
            min_notice_minutes: 60,
            horizon_days: 60,
        };
        booking::replace_schedule(conn, rules, clinic, &intervals, &[]).await?;
    }
    let existing = booking::list(
        conn,
        BookingsOf::Patient(patient),
        None,
        None,
        false,
        None,
        1,
    )
    .await?;
    if existing.is_empty() {
        let zone = schedule::zone(ZONE).map_err(|e| SeedError::Api(e.to_string()))?;
        let today = Utc::now().with_timezone(&zone).date_naive();
        // A weekday 7 days ago, and the first weekday at least 2 days ahead, at 09:15 (a slot
        // of the grid 08:00, 08:25, 08:50, 09:15, …).
        let weekday = |mut d: chrono::NaiveDate, step: i64| {
            while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                d += Duration::days(step);
            }
            d
        };
        let at = |d: chrono::NaiveDate| {
            zone.from_local_datetime(&d.and_time(time(9, 15)))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        let (Some(past), Some(upcoming)) = (
            at(weekday(today - Duration::days(7), -1)),
            at(weekday(today + Duration::days(2), 1)),
        ) else {
            return Ok(());
        };
        for (starts, done) in [(past, true), (upcoming, false)] {
            let b = NewBooking {
                clinic_id: clinic,
                doctor_id: doctor,
                patient_id: patient,
                mode: ConsultMode::Video,
                starts_at: starts,
                ends_at: starts + Duration::minutes(i64::from(SLOT_MINUTES)),
                blocked_until: starts + Duration::minutes(i64::from(SLOT_MINUTES + BUFFER_MINUTES)),
                fee_minor: 45_000,
                currency: "ZAR".into(),
                hold_expires_at: Utc::now() + Duration::minutes(10),
            };
            let id = booking::hold(conn, &b, patient).await?;
            booking::transition(
                conn,
                id,
                &[BookingStatus::Held],
                BookingStatus::Confirmed,
                BookingReason::Paid,
                None,
            )
            .await?;
            crate::consultations::open_for_booking(conn, id).await?;
            if !done {
                crate::booking::schedule_reminders(conn, id, starts, Utc::now()).await?;
            }
            if done {
                booking::transition(
                    conn,
                    id,
                    &[BookingStatus::Confirmed],
                    BookingStatus::Completed,
                    BookingReason::Completed,
                    Some(doctor),
                )
                .await?;
                // The past consult took place.
                for (from, to) in [
                    (
                        ConsultationStatus::Scheduled,
                        ConsultationStatus::InProgress,
                    ),
                    (
                        ConsultationStatus::InProgress,
                        ConsultationStatus::Completed,
                    ),
                ] {
                    rxgate_persistence::consultations::transition(
                        conn,
                        id,
                        &[from],
                        to,
                        Some(doctor),
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}
