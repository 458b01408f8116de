//! Booking through the API: slot search, holds, the race for one slot, cancellation and its
//! refund window, moves, outcomes, hold expiry, schedules and offers, and hostile callers.
use chrono::{DateTime, Duration, Utc};
use rxgate_api::seed::DEMO_PASSWORD;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app_with};

async fn seeded() -> TestApp {
    // Jobs run by hand here (hold expiry), not by a worker racing the assertions.
    let app = spawn_app_with(|s| s.jobs.run_in_process = false).await;
    app.seed().await;
    app
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

/// A second patient of the demo clinic, signed in.
async fn another_patient(app: &TestApp, email: &str) -> Value {
    let consents = json!([
        {"purpose": "terms", "policy_version": "2026-11", "granted": true},
        {"purpose": "privacy", "policy_version": "2026-11", "granted": true},
        {"purpose": "health_data_processing", "policy_version": "2026-11", "granted": true},
    ]);
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            &json!({"kind": "patient", "email": email, "password": "a long and unusual passphrase",
                    "display_name": "Second Patient", "consents": consents}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let token = app.emailed_token(email, "verify-email").await;
    let res = app
        .post_json("/api/v1/auth/verify-email", &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 204);
    app.login(email, "a long and unusual passphrase").await
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    session: &Value,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .client
        .request(method, app.url(path))
        .bearer_auth(session["access_token"].as_str().unwrap());
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// The demo doctor's free slots over the next `days` days.
async fn slots(app: &TestApp, session: &Value, days: i64) -> (String, Vec<DateTime<Utc>>) {
    let from = Utc::now();
    let to = from + Duration::days(days);
    let path = format!(
        "/api/v1/consults/slots?from={}&to={}",
        from.format("%Y-%m-%dT%H:%M:%SZ"),
        to.format("%Y-%m-%dT%H:%M:%SZ")
    );
    let res = app.get_auth(&path, session).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let doctor = &body["doctors"][0];
    let starts = doctor["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().parse().unwrap())
        .collect();
    (doctor["doctor_id"].as_str().unwrap().to_owned(), starts)
}

fn book_body(doctor: &str, at: DateTime<Utc>) -> Value {
    json!({"doctor_id": doctor, "starts_at": at, "mode": "video"})
}

#[tokio::test]
async fn a_patient_finds_a_slot_books_it_and_it_is_gone_from_the_search() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let offer: Value = app
        .get_auth("/api/v1/consults/offer", &patient)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(offer["modes"][0]["mode"], "video");
    assert_eq!(offer["modes"][0]["fee"]["amount_minor"], 45_000);
    let (doctor, free) = slots(&app, &patient, 8).await;
    assert!(free.len() > 20, "the demo doctor works most days");
    let at = free[3];
    let res = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor, at))
        .await;
    assert_eq!(res.status(), 201);
    let booked: Value = res.json().await.unwrap();
    assert_eq!(booked["booking"]["status"], "held");
    assert_eq!(booked["booking"]["fee"]["amount_minor"], 45_000);
    assert_eq!(booked["booking"]["doctor_name"], "Dr Sipho Doctor");
    assert!(booked["booking"]["hold_expires_at"].is_string());
    assert_eq!(booked["events"][0]["reason"], "booked");
    let (_, after) = slots(&app, &patient, 8).await;
    assert!(!after.contains(&at));
    assert_eq!(
        after.len(),
        free.len() - 1,
        "the buffer fits the grid: only that slot goes"
    );
    // The hold's expiry is queued as a durable job.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM jobs WHERE kind = 'booking.expire_hold'"
        )
        .await,
        1
    );
    // A time that is not one of the doctor's slots.
    let res = app
        .post_auth(
            "/api/v1/bookings",
            &patient,
            book_body(&doctor, at + Duration::minutes(3)),
        )
        .await;
    assert_problem(res, 422, "SLOT_UNAVAILABLE").await;
    // A written consult takes no time: not a mode a booking names.
    let res = app
        .post_auth(
            "/api/v1/bookings",
            &patient,
            json!({"doctor_id": doctor, "starts_at": free[5], "mode": "async_form"}),
        )
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn many_requests_race_for_one_slot_and_exactly_one_wins() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    let at = free[0];
    let attempts = (0..12).map(|_| {
        app.client
            .post(app.url("/api/v1/bookings"))
            .bearer_auth(patient["access_token"].as_str().unwrap())
            .json(&book_body(&doctor, at))
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        11,
        "{statuses:?}"
    );
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings WHERE starts_at = $1")
        .bind(at)
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(held, 1);
}

#[tokio::test]
async fn another_patients_booking_is_not_found_and_stays_as_it_was() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    let booked: Value = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor, free[1]))
        .await
        .json()
        .await
        .unwrap();
    let id = booked["booking"]["id"].as_str().unwrap().to_owned();
    let mallory = another_patient(&app, "mallory@example.org").await;
    let before = count(&app, "SELECT count(*) FROM booking_events").await;
    for (method, path, body) in [
        (reqwest::Method::GET, format!("/api/v1/bookings/{id}"), None),
        (
            reqwest::Method::POST,
            format!("/api/v1/bookings/{id}/cancel"),
            None,
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/bookings/{id}/reschedule"),
            Some(json!({"starts_at": free[2]})),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/bookings/{id}/outcome"),
            Some(json!({"outcome": "no_show"})),
        ),
    ] {
        let res = send(&app, method, &path, &mallory, body).await;
        assert_problem(res, 404, "NOT_FOUND").await;
    }
    let list: Value = app
        .get_auth("/api/v1/bookings?view=patient", &mallory)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]));
    assert_eq!(
        count(&app, "SELECT count(*) FROM booking_events").await,
        before
    );
    let status: String =
        sqlx::query_scalar("SELECT status::text FROM bookings WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(status, "held");
    // A patient cannot list a doctor's calendar or a clinic's bookings.
    let res = app.get_auth("/api/v1/bookings?view=doctor", &mallory).await;
    assert_problem(res, 403, "FORBIDDEN").await;
    let res = app.get_auth("/api/v1/bookings?view=clinic", &mallory).await;
    assert_problem(res, 403, "FORBIDDEN").await;
}

#[tokio::test]
async fn cancelling_refunds_inside_the_window_and_moving_keeps_the_old_time_until_the_new_one_is_secured()
 {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    // Far enough ahead to be inside the free window (24 h).
    let later: Vec<_> = free
        .iter()
        .copied()
        .filter(|t| *t > Utc::now() + Duration::hours(30))
        .collect();
    let booked: Value = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor, later[0]))
        .await
        .json()
        .await
        .unwrap();
    let id = booked["booking"]["id"].as_str().unwrap().to_owned();
    // Paid: the hold is confirmed (what the payment's webhook does).
    sqlx::query(
        "UPDATE bookings SET status = 'confirmed', hold_expires_at = NULL WHERE id = $1::uuid",
    )
    .bind(&id)
    .execute(&app.owner)
    .await
    .unwrap();

    // Someone else holds the slot the patient would move to: the move fails and the old time stays.
    let other = another_patient(&app, "other@example.org").await;
    let res = app
        .post_auth("/api/v1/bookings", &other, book_body(&doctor, later[1]))
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/reschedule"),
            &patient,
            json!({"starts_at": later[1]}),
        )
        .await;
    assert_problem(res, 409, "SLOT_TAKEN").await;
    let starts: DateTime<Utc> =
        sqlx::query_scalar("SELECT starts_at FROM bookings WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(starts, later[0]);

    // A free one: moved, and recorded.
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/reschedule"),
            &patient,
            json!({"starts_at": later[2]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let moved: Value = res.json().await.unwrap();
    assert_eq!(moved["booking"]["starts_at"], json!(later[2]));
    assert_eq!(moved["booking"]["status"], "confirmed");
    assert_eq!(
        moved["events"].as_array().unwrap().last().unwrap()["reason"],
        "rescheduled"
    );
    let (_, now_free) = slots(&app, &patient, 8).await;
    assert!(now_free.contains(&later[0]), "the old time is free again");

    // Cancelled more than 24 h ahead: the whole fee back.
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/cancel"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let cancelled: Value = res.json().await.unwrap();
    assert_eq!(cancelled["refund"]["amount_minor"], 45_000);
    assert_eq!(cancelled["booking"]["booking"]["status"], "cancelled");
    // Twice: refused, nothing written.
    let before = count(&app, "SELECT count(*) FROM booking_events").await;
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/cancel"),
            &patient,
            json!({}),
        )
        .await;
    assert_problem(res, 422, "INVALID_BOOKING_TRANSITION").await;
    assert_eq!(
        count(&app, "SELECT count(*) FROM booking_events").await,
        before
    );
}

#[tokio::test]
async fn a_late_cancellation_by_the_patient_keeps_the_fee_and_a_doctors_refunds_it() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    // The seeded upcoming consult is 2+ days ahead; bring it inside the 24 h window.
    let id: String = sqlx::query_scalar(
        "UPDATE bookings SET starts_at = now() + interval '3 hours',
                ends_at = now() + interval '3 hours 20 minutes',
                blocked_until = now() + interval '3 hours 25 minutes'
          WHERE status = 'confirmed' RETURNING id::text",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/reschedule"),
            &patient,
            json!({"starts_at": Utc::now() + Duration::days(3)}),
        )
        .await;
    assert_problem(res, 422, "RESCHEDULE_WINDOW_CLOSED").await;
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/cancel"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["refund"]["amount_minor"], 0);
    assert_eq!(
        body["booking"]["events"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["reason"],
        "patient_cancelled"
    );
}

#[tokio::test]
async fn the_doctor_records_outcomes_only_once_a_consult_started() {
    let app = seeded().await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let calendar: Value = app
        .get_auth("/api/v1/bookings?view=doctor", &doctor)
        .await
        .json()
        .await
        .unwrap();
    let items = calendar["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "the seeded past and upcoming consults");
    let upcoming = items.iter().find(|b| b["status"] == "confirmed").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{upcoming}/outcome"),
            &doctor,
            json!({"outcome": "no_show"}),
        )
        .await;
    assert_problem(res, 422, "CONSULT_NOT_STARTED").await;
    sqlx::query("UPDATE bookings SET starts_at = now() - interval '30 minutes', ends_at = now() - interval '10 minutes', blocked_until = now() - interval '5 minutes' WHERE id = $1::uuid")
        .bind(&upcoming)
        .execute(&app.owner)
        .await
        .unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{upcoming}/outcome"),
            &doctor,
            json!({"outcome": "no_show"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["booking"]["status"], "no_show");
    // Only the booking's doctor: the patient may not.
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{upcoming}/outcome"),
            &patient,
            json!({"outcome": "completed"}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn an_unpaid_hold_expires_once_and_gives_its_slot_back() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    let booked: Value = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor, free[0]))
        .await
        .json()
        .await
        .unwrap();
    let id: uuid::Uuid = booked["booking"]["id"].as_str().unwrap().parse().unwrap();
    let db = rxgate_persistence::Db::from_pool(app.owner.clone());
    // Not yet due: nothing happens.
    let mut tx = db
        .begin(&rxgate_persistence::RlsContext::system())
        .await
        .unwrap();
    assert!(
        !rxgate_api::booking::expire_hold(&mut tx, id, Utc::now())
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    // Due (the job runs at the hold's expiry), and run twice (a retried job): one event.
    for expected in [true, false] {
        let mut tx = db
            .begin(&rxgate_persistence::RlsContext::system())
            .await
            .unwrap();
        let later = Utc::now() + Duration::minutes(11);
        assert_eq!(
            rxgate_api::booking::expire_hold(&mut tx, id, later)
                .await
                .unwrap(),
            expected
        );
        tx.commit().await.unwrap();
    }
    let booking: Value = app
        .get_auth(&format!("/api/v1/bookings/{id}"), &patient)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(booking["booking"]["status"], "expired");
    let reasons: Vec<&str> = booking["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["booked", "hold_expired"]);
    let (_, after) = slots(&app, &patient, 8).await;
    assert!(after.contains(&free[0]));
    // A confirmed booking never expires, however late the job runs.
    assert!(
        !rxgate_api::booking::confirm_paid(
            &mut db
                .begin(&rxgate_persistence::RlsContext::system())
                .await
                .unwrap(),
            id
        )
        .await
        .unwrap()
    );
}

#[tokio::test]
async fn a_doctor_keeps_a_schedule_and_a_clinic_admin_the_offer() {
    let app = seeded().await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let schedule: Value = app
        .get_auth("/api/v1/doctor/schedule", &doctor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(schedule["time_zone"], "Africa/Johannesburg");
    assert_eq!(schedule["weekly"].as_array().unwrap().len(), 11);
    let put = |body: Value| {
        app.client
            .put(app.url("/api/v1/doctor/schedule"))
            .bearer_auth(doctor["access_token"].as_str().unwrap())
            .json(&body)
            .send()
    };
    let rules = json!({"slot_minutes": 30, "buffer_minutes": 0, "min_notice_minutes": 0, "horizon_days": 14});
    // Overlapping intervals, a bad time, an empty interval: refused, nothing written.
    for (weekly, code) in [
        (
            json!([{"weekday": "monday", "starts": "09:00", "ends": "12:00"},
                   {"weekday": "monday", "starts": "11:00", "ends": "13:00"}]),
            "overlapping_intervals",
        ),
        (
            json!([{"weekday": "monday", "starts": "9am", "ends": "12:00"}]),
            "time",
        ),
        (
            json!([{"weekday": "monday", "starts": "12:00", "ends": "12:00"}]),
            "empty_interval",
        ),
    ] {
        let res = put(json!({"rules": rules, "weekly": weekly, "exceptions": []}))
            .await
            .unwrap();
        let body = assert_problem(res, 422, "VALIDATION_FAILED").await;
        assert_eq!(body["errors"][0]["code"], code, "{body}");
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM doctor_schedule_intervals").await,
        11
    );
    // Every day 09:00–10:00, leave tomorrow (in the doctor's zone).
    let tomorrow = (Utc::now() + Duration::days(1)).date_naive();
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let weekly: Vec<Value> = days
        .iter()
        .map(|d| json!({"weekday": d, "starts": "09:00", "ends": "10:00"}))
        .collect();
    let res = put(json!({"rules": rules, "weekly": weekly,
        "exceptions": [{"on": tomorrow, "starts": "00:00", "ends": "23:59", "available": false}]}))
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (_, free) = slots(&app, &patient, 5).await;
    let zone: chrono_tz::Tz = "Africa/Johannesburg".parse().unwrap();
    assert!(
        free.iter()
            .all(|t| t.with_timezone(&zone).date_naive() != tomorrow)
    );
    assert!(free.iter().all(|t| {
        let local = t.with_timezone(&zone).format("%H:%M").to_string();
        local == "09:00" || local == "09:30"
    }));
    // A patient may not keep a schedule.
    let res = app
        .client
        .put(app.url("/api/v1/doctor/schedule"))
        .bearer_auth(patient["access_token"].as_str().unwrap())
        .json(&json!({"rules": rules, "weekly": [], "exceptions": []}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "FORBIDDEN").await;

    // The clinic admin changes the fee; the next booking pays it.
    let admin = app.login("clinic.admin@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .client
        .put(app.url("/api/v1/consults/offer"))
        .bearer_auth(admin["access_token"].as_str().unwrap())
        .json(&json!({"modes": [{"mode": "video", "fee": {"amount_minor": 50_000, "currency": "ZAR"}}],
                      "free_cancel_hours": 12, "hold_minutes": 15}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (doctor_id, free) = slots(&app, &patient, 5).await;
    let booked: Value = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor_id, free[0]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(booked["booking"]["fee"]["amount_minor"], 50_000);
    let res = app
        .post_auth(
            "/api/v1/bookings",
            &patient,
            json!({"doctor_id": doctor_id, "starts_at": free[1], "mode": "audio"}),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;
    // Only its admins change a clinic's offer.
    let res = app
        .client
        .put(app.url("/api/v1/consults/offer"))
        .bearer_auth(doctor["access_token"].as_str().unwrap())
        .json(&json!({"modes": [], "free_cancel_hours": 12, "hold_minutes": 15}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "FORBIDDEN").await;
}

#[tokio::test]
async fn a_search_window_is_bounded() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    for (from, to) in [
        ("2026-12-10T00:00:00Z", "2026-12-09T00:00:00Z"),
        ("2026-12-01T00:00:00Z", "2027-03-01T00:00:00Z"),
    ] {
        let res = app
            .get_auth(
                &format!("/api/v1/consults/slots?from={from}&to={to}"),
                &patient,
            )
            .await;
        assert_problem(res, 422, "VALIDATION_FAILED").await;
    }
    let res = app
        .get_auth(
            &format!(
                "/api/v1/consults/slots?from=2026-12-01T00:00:00Z&to=2026-12-08T00:00:00Z&doctor_id={}",
                uuid::Uuid::now_v7()
            ),
            &patient,
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn a_confirmed_consult_is_reminded_by_email_without_clinical_content_and_moves_its_reminders()
{
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    let far: Vec<_> = free
        .iter()
        .copied()
        .filter(|t| *t > Utc::now() + Duration::hours(50))
        .collect();
    let booked: Value = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor, far[0]))
        .await
        .json()
        .await
        .unwrap();
    let id: uuid::Uuid = booked["booking"]["id"].as_str().unwrap().parse().unwrap();
    let reminders = async || -> Vec<(String, DateTime<Utc>)> {
        sqlx::query_as(
            "SELECT payload->>'hours', run_at FROM jobs
              WHERE kind = 'booking.remind' AND status = 'queued' AND payload->>'booking_id' = $1
              ORDER BY run_at",
        )
        .bind(id.to_string())
        .fetch_all(&app.owner)
        .await
        .unwrap()
    };
    assert!(reminders().await.is_empty(), "a hold is not reminded");
    // The fee is paid.
    let db = rxgate_persistence::Db::from_pool(app.owner.clone());
    let mut tx = db
        .begin(&rxgate_persistence::RlsContext::system())
        .await
        .unwrap();
    assert!(
        rxgate_api::booking::confirm_paid(&mut tx, id)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let queued = reminders().await;
    let hours: Vec<&str> = queued.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(hours, ["48", "24", "2"]);
    assert_eq!(queued[2].1, far[0] - Duration::hours(2));

    // Moved: the reminders follow, and a reminder of the old time sends nothing.
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/reschedule"),
            &patient,
            json!({"starts_at": far[1]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let queued = reminders().await;
    assert_eq!(queued.len(), 3);
    assert_eq!(queued[2].1, far[1] - Duration::hours(2));
    let outbox = async || count(&app, "SELECT count(*) FROM jobs WHERE kind = 'email.send'").await;
    let before = outbox().await;
    let mut tx = db
        .begin(&rxgate_persistence::RlsContext::system())
        .await
        .unwrap();
    assert!(
        !rxgate_api::booking::remind(&mut tx, id, far[0], "http://localhost")
            .await
            .unwrap()
    );
    assert!(
        rxgate_api::booking::remind(&mut tx, id, far[1], "http://localhost")
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    assert_eq!(outbox().await, before + 1);
    let (subject, body): (String, String) = sqlx::query_as(
        "SELECT payload->>'subject', payload->>'body_text' FROM jobs
          WHERE kind = 'email.send' ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(subject, "Your consult is coming up");
    assert!(body.contains("Dr Sipho Doctor"), "{body}");
    assert!(body.contains("(Africa/Johannesburg)"), "{body}");
    for clinical in ["video", "questionnaire", "prescription", "R450", "45000"] {
        assert!(!body.contains(clinical), "{clinical} in: {body}");
    }
    // Cancelled: no reminder is left.
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/cancel"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(reminders().await.is_empty());
}

#[tokio::test]
async fn a_freed_time_goes_to_the_first_patient_waiting_then_to_the_next_when_the_offer_lapses() {
    let app = seeded().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    let at = free[0];
    let booked: Value = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor, at))
        .await
        .json()
        .await
        .unwrap();
    let id = booked["booking"]["id"].as_str().unwrap().to_owned();
    let zone: chrono_tz::Tz = "Africa/Johannesburg".parse().unwrap();
    let day = at.with_timezone(&zone).date_naive();
    let first = another_patient(&app, "first@example.org").await;
    let second = another_patient(&app, "second@example.org").await;
    for session in [&first, &second] {
        let res = app
            .post_auth(
                "/api/v1/waitlist",
                session,
                json!({"doctor_id": doctor, "from": day, "to": day + Duration::days(3)}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = app
        .post_auth(
            "/api/v1/waitlist",
            &first,
            json!({"doctor_id": doctor, "from": day, "to": day}),
        )
        .await;
    assert_problem(res, 409, "ALREADY_WAITING").await;
    let res = app
        .post_auth(
            "/api/v1/waitlist",
            &first,
            json!({"doctor_id": doctor, "from": day, "to": day + Duration::days(90)}),
        )
        .await;
    assert_problem(res, 422, "VALIDATION_FAILED").await;

    // The holder cancels: the freed time is offered by a job (the system makes the hold).
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/cancel"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let queued = count(
        &app,
        "SELECT count(*) FROM jobs WHERE kind = 'booking.offer_freed'",
    )
    .await;
    assert_eq!(queued, 1);
    let db = rxgate_persistence::Db::from_pool(app.owner.clone());
    let offer = async || {
        let mut tx = db
            .begin(&rxgate_persistence::RlsContext::system())
            .await
            .unwrap();
        let made = rxgate_api::booking::offer_freed_slot(
            &mut tx,
            booked["booking"]["clinic_id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
            doctor.parse().unwrap(),
            at,
            Utc::now(),
            "http://localhost",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        made
    };
    let held_for_first = offer().await.expect("offered to the first patient");
    let mine: Value = app
        .get_auth("/api/v1/waitlist", &first)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["status"], "offered");
    assert_eq!(
        mine["items"][0]["offered_booking_id"],
        json!(held_for_first)
    );
    let hold: Value = app
        .get_auth(&format!("/api/v1/bookings/{held_for_first}"), &first)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hold["booking"]["status"], "held");
    assert_eq!(hold["booking"]["starts_at"], json!(at));
    let (subject, body): (String, String) = sqlx::query_as(
        "SELECT payload->>'subject', payload->>'body_text' FROM jobs
          WHERE kind = 'email.send' AND payload->>'to' = 'first@example.org' ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(subject, "A consult time opened up for you");
    assert!(
        body.contains("Dr Sipho Doctor") && body.contains("30 minutes"),
        "{body}"
    );
    // The time is taken now: offering it again gives nothing.
    assert!(offer().await.is_none());

    // The first patient lets the offer lapse: it goes to the second.
    let mut tx = db
        .begin(&rxgate_persistence::RlsContext::system())
        .await
        .unwrap();
    let lapsed = rxgate_api::booking::expire_hold(
        &mut tx,
        held_for_first,
        Utc::now() + Duration::minutes(31),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(lapsed);
    let mine: Value = app
        .get_auth("/api/v1/waitlist", &first)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["status"], "lapsed");
    let held_for_second = offer().await.expect("offered to the second patient");
    let theirs: Value = app
        .get_auth("/api/v1/waitlist", &second)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        theirs["items"][0]["offered_booking_id"],
        json!(held_for_second)
    );
    // The first patient cannot see the second's hold.
    let res = app
        .get_auth(&format!("/api/v1/bookings/{held_for_second}"), &first)
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    // Leaving the waitlist gives the held time back.
    let entry = theirs["items"][0]["id"].as_str().unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/waitlist/{entry}/leave"),
            &second,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let status: String = sqlx::query_scalar("SELECT status::text FROM bookings WHERE id = $1")
        .bind(held_for_second)
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
    let res = app
        .post_auth(
            &format!("/api/v1/waitlist/{entry}/leave"),
            &first,
            json!({}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
}

/// With the job worker running: the sandbox delivers its signed webhooks by itself.
async fn with_worker() -> TestApp {
    let app = crate::helpers::spawn_app().await;
    app.seed().await;
    app
}

async fn booking_status(app: &TestApp, id: &str, want: &str) -> String {
    for _ in 0..100 {
        let now: String =
            sqlx::query_scalar("SELECT status::text FROM bookings WHERE id = $1::uuid")
                .bind(id)
                .fetch_one(&app.owner)
                .await
                .unwrap();
        if now == want {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("booking {id} never became {want}");
}

#[tokio::test]
async fn paying_the_fee_on_the_sandbox_confirms_the_booking_and_cancelling_in_time_refunds_it() {
    let app = with_worker().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    let later: Vec<_> = free
        .iter()
        .copied()
        .filter(|t| *t > Utc::now() + Duration::hours(30))
        .collect();
    // Booking with an Idempotency-Key: a retry gets the first answer, not a second hold.
    let book = || {
        app.client
            .post(app.url("/api/v1/bookings"))
            .bearer_auth(patient["access_token"].as_str().unwrap())
            .header("Idempotency-Key", "book-once-7f3a")
            .json(&book_body(&doctor, later[0]))
            .send()
    };
    let first = book().await.unwrap();
    assert_eq!(first.status(), 201);
    let booked: Value = first.json().await.unwrap();
    let again = book().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), booked);
    assert_eq!(
        count(&app, "SELECT count(*) FROM bookings WHERE status = 'held'").await,
        1
    );

    let id = booked["booking"]["id"].as_str().unwrap().to_owned();
    let payment = booked["payment"]["payment_id"].as_str().unwrap().to_owned();
    assert!(
        booked["payment"]["redirect_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/pay/sandbox/{payment}"))
    );
    assert_eq!(booked["booking"]["payment_id"], json!(payment));
    let res = app
        .post_auth(
            &format!("/api/v1/sandbox/payments/{payment}/pay"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 202);
    booking_status(&app, &id, "confirmed").await;
    // The settled fee opened the consult's consultation.
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) FROM consultations WHERE id = '{id}' AND status = 'scheduled'"
            )
        )
        .await,
        1
    );
    let reminders: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE kind = 'booking.remind' AND payload->>'booking_id' = $1",
    )
    .bind(&id)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert!(reminders >= 1, "a confirmed consult is reminded");
    // The consult links the doctor to the patient (they may read the chart from now on).
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM doctor_patient_links WHERE source = 'consult'"
        )
        .await,
        1
    );

    // Cancelled more than a day ahead: the fee goes back through the provider.
    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/cancel"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    for _ in 0..100 {
        let status: String =
            sqlx::query_scalar("SELECT status::text FROM payments WHERE id = $1::uuid")
                .bind(&payment)
                .fetch_one(&app.owner)
                .await
                .unwrap();
        if status == "refunded" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the cancelled consult's fee was not refunded");
}

#[tokio::test]
async fn a_fee_that_arrives_after_its_hold_lapsed_is_refunded_and_the_slot_stays_free() {
    let app = with_worker().await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let (doctor, free) = slots(&app, &patient, 8).await;
    let booked: Value = app
        .post_auth("/api/v1/bookings", &patient, book_body(&doctor, free[0]))
        .await
        .json()
        .await
        .unwrap();
    let id = booked["booking"]["id"].as_str().unwrap().to_owned();
    let payment = booked["payment"]["payment_id"].as_str().unwrap().to_owned();
    // The hold lapses first.
    let db = rxgate_persistence::Db::from_pool(app.owner.clone());
    let mut tx = db
        .begin(&rxgate_persistence::RlsContext::system())
        .await
        .unwrap();
    assert!(
        rxgate_api::booking::expire_hold(
            &mut tx,
            id.parse().unwrap(),
            Utc::now() + Duration::minutes(11)
        )
        .await
        .unwrap()
    );
    tx.commit().await.unwrap();
    let res = app
        .post_auth(
            &format!("/api/v1/sandbox/payments/{payment}/pay"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 202);
    for _ in 0..100 {
        let status: String =
            sqlx::query_scalar("SELECT status::text FROM payments WHERE id = $1::uuid")
                .bind(&payment)
                .fetch_one(&app.owner)
                .await
                .unwrap();
        if status == "refunded" {
            assert_eq!(booking_status(&app, &id, "expired").await, "expired");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("a fee for a lapsed hold was kept");
}
