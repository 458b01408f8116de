//! Bookings in the database itself: the exclusion constraint under concurrent attempts from
//! separate connections, and row-level security between patients, doctors and clinics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use rxgate_domain::booking::{BookingReason, BookingStatus, ConsultMode};
use rxgate_persistence::booking::{self, NewBooking};
use rxgate_persistence::{Db, RepoError, RlsContext, organisations, users};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

async fn as_app(pool: &PgPool, ctx: &RlsContext) -> Transaction<'static, Postgres> {
    let mut tx = Db::from_pool(pool.clone()).begin(ctx).await.unwrap();
    sqlx::query("SET LOCAL ROLE rxgate_app")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx
}

fn user(id: Uuid, role: &str, clinic: Uuid) -> RlsContext {
    RlsContext {
        user_id: Some(id),
        roles: vec![role.to_owned()],
        clinic_roles: vec![(role.to_owned(), clinic)],
        clinic_ids: vec![clinic],
        ..RlsContext::default()
    }
}

struct World {
    clinic_a: Uuid,
    clinic_b: Uuid,
    alice: Uuid,
    bob: Uuid,
    doctor: Uuid,
    other_doctor: Uuid,
    admin_b: Uuid,
}

async fn world(pool: &PgPool) -> World {
    let mut tx = Db::from_pool(pool.clone())
        .begin(&RlsContext::system())
        .await
        .unwrap();
    let clinic_a = organisations::ensure(&mut tx, "clinic", "Clinic A", "clinic-a")
        .await
        .unwrap();
    let clinic_b = organisations::ensure(&mut tx, "clinic", "Clinic B", "clinic-b")
        .await
        .unwrap();
    let mut make = async |email: &str, org: Uuid, role: &str| {
        let id = users::insert(&mut tx, email, email, "x").await.unwrap();
        users::add_membership(&mut tx, id, org, role).await.unwrap();
        id
    };
    let alice = make("alice@example.org", clinic_a, "patient").await;
    let bob = make("bob@example.org", clinic_a, "patient").await;
    let doctor = make("doc@example.org", clinic_a, "doctor").await;
    let other_doctor = make("doc2@example.org", clinic_a, "doctor").await;
    let admin_b = make("admin-b@example.org", clinic_b, "clinic_admin").await;
    tx.commit().await.unwrap();
    World {
        clinic_a,
        clinic_b,
        alice,
        bob,
        doctor,
        other_doctor,
        admin_b,
    }
}

fn hold(w: &World, patient: Uuid, doctor: Uuid, starts: DateTime<Utc>) -> NewBooking {
    NewBooking {
        clinic_id: w.clinic_a,
        doctor_id: doctor,
        patient_id: patient,
        mode: ConsultMode::Video,
        starts_at: starts,
        ends_at: starts + Duration::minutes(20),
        blocked_until: starts + Duration::minutes(25),
        fee_minor: 45_000,
        currency: "ZAR".into(),
        hold_expires_at: Utc::now() + Duration::minutes(10),
    }
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn concurrent_attempts_at_one_slot_from_separate_connections_book_it_once(pool: PgPool) {
    let w = world(&pool).await;
    let starts = at("2027-01-11T08:00:00Z");
    let attempts = (0..16).map(|i| {
        let pool = pool.clone();
        let b = hold(
            &w,
            if i % 2 == 0 { w.alice } else { w.bob },
            w.doctor,
            starts,
        );
        let ctx = user(b.patient_id, "patient", w.clinic_a);
        tokio::spawn(async move {
            let mut tx = as_app(&pool, &ctx).await;
            let id = booking::hold(&mut tx, &b, b.patient_id).await?;
            tx.commit().await.map_err(RepoError::from)?;
            Ok::<Uuid, RepoError>(id)
        })
    });
    let results: Vec<_> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for r in results.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(r, Err(RepoError::Conflict { constraint }) if constraint == "bookings_no_overlap"),
            "{r:?}"
        );
    }
    // A time that overlaps only the buffer is taken too; one after the buffer is free; so is
    // the same time with another doctor.
    let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
    let err = booking::hold(
        &mut tx,
        &hold(&w, w.alice, w.doctor, starts + Duration::minutes(24)),
        w.alice,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, RepoError::Conflict { .. }));
    drop(tx);
    let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
    booking::hold(
        &mut tx,
        &hold(&w, w.alice, w.doctor, starts + Duration::minutes(25)),
        w.alice,
    )
    .await
    .unwrap();
    booking::hold(&mut tx, &hold(&w, w.alice, w.other_doctor, starts), w.alice)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // A cancelled booking frees its time.
    let winner = *results.iter().find_map(|r| r.as_ref().ok()).unwrap();
    let mut tx = as_app(&pool, &RlsContext::system()).await;
    booking::transition(
        &mut tx,
        winner,
        &[BookingStatus::Held, BookingStatus::Confirmed],
        BookingStatus::Cancelled,
        BookingReason::ClinicCancelled,
        None,
    )
    .await
    .unwrap()
    .unwrap();
    booking::hold(&mut tx, &hold(&w, w.bob, w.doctor, starts), w.bob)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[sqlx::test(migrations = "../../migrations")]
async fn bookings_are_seen_only_by_their_patient_doctor_and_clinic(pool: PgPool) {
    let w = world(&pool).await;
    let mut tx = as_app(&pool, &RlsContext::system()).await;
    let mine = booking::hold(
        &mut tx,
        &hold(&w, w.alice, w.doctor, at("2027-01-11T08:00:00Z")),
        w.alice,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let visible = async |ctx: RlsContext| {
        let mut tx = as_app(&pool, &ctx).await;
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let events: i64 = sqlx::query_scalar("SELECT count(*) FROM booking_events")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        (n, events)
    };
    assert_eq!(visible(user(w.alice, "patient", w.clinic_a)).await, (1, 1));
    assert_eq!(visible(user(w.doctor, "doctor", w.clinic_a)).await, (1, 1));
    assert_eq!(visible(user(w.bob, "patient", w.clinic_a)).await, (0, 0));
    assert_eq!(
        visible(user(w.other_doctor, "doctor", w.clinic_a)).await,
        (0, 0)
    );
    assert_eq!(
        visible(user(w.admin_b, "clinic_admin", w.clinic_b)).await,
        (0, 0)
    );
    // Alice as a patient of another clinic sees nothing of clinic A.
    assert_eq!(visible(user(w.alice, "patient", w.clinic_b)).await, (0, 0));

    // Nobody else can change it or write its history; the busy times show no names.
    for ctx in [
        user(w.bob, "patient", w.clinic_a),
        user(w.other_doctor, "doctor", w.clinic_a),
    ] {
        let mut tx = as_app(&pool, &ctx).await;
        let changed = sqlx::query("UPDATE bookings SET status = 'cancelled'")
            .execute(&mut *tx)
            .await
            .unwrap()
            .rows_affected();
        assert_eq!(changed, 0);
        let err = sqlx::query(
            "INSERT INTO booking_events (booking_id, to_status, reason, starts_at) VALUES ($1, 'cancelled', 'patient_cancelled', now())",
        )
        .bind(mine)
        .execute(&mut *tx)
        .await
        .unwrap_err();
        assert!(matches!(RepoError::from(err), RepoError::Forbidden));
    }
    let mut tx = as_app(&pool, &user(w.bob, "patient", w.clinic_a)).await;
    let busy = booking::busy(
        &mut tx,
        &[w.doctor],
        at("2027-01-11T00:00:00Z"),
        at("2027-01-12T00:00:00Z"),
    )
    .await
    .unwrap();
    assert_eq!(busy.len(), 1);
    assert_eq!(busy[0].blocked_until, at("2027-01-11T08:25:00Z"));
    // A patient cannot hold a slot for someone else.
    let err = booking::hold(
        &mut tx,
        &hold(&w, w.alice, w.doctor, at("2027-01-12T08:00:00Z")),
        w.bob,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, RepoError::Forbidden));

    drop(tx);
    // The patient may cancel their own hold but never confirm it (only a paid fee, i.e. the
    // system, does) nor mark it completed.
    for to in [BookingStatus::Confirmed, BookingStatus::Completed] {
        let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
        let err = booking::transition(
            &mut tx,
            mine,
            &[BookingStatus::Held],
            to,
            BookingReason::Paid,
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, RepoError::Forbidden), "{to}: {err:?}");
    }
    let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
    booking::transition(
        &mut tx,
        mine,
        &[BookingStatus::Held],
        BookingStatus::Cancelled,
        BookingReason::PatientCancelled,
        Some(w.alice),
    )
    .await
    .unwrap()
    .unwrap();
}
