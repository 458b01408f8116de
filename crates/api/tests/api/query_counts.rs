//! No N+1: a list endpoint's number of SQL statements does not grow with the page size.
//! Counted by PostgreSQL itself (pg_stat_statements, per test database).
use rxgate_api::seed::DEMO_PASSWORD;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app_with};

async fn statements(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(&app.owner)
    .await
    .expect("pg_stat_statements must be loaded (the local cluster of scripts/db.sh loads it)")
}

/// How many times pg_stat_statements has evicted entries (cluster-wide, since its reset).
async fn evictions(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT dealloc FROM pg_stat_statements_info")
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

/// Statements run by one GET of `path` as `session`. Many test databases share the cluster's
/// statement table: when it evicted entries during the measurement (other tests' statements
/// pushed ours out, so the sums can even go down), the measurement is repeated.
async fn cost(app: &TestApp, session: &Value, path: &str) -> (i64, usize) {
    for _ in 0..20 {
        let evicted = evictions(app).await;
        let before = statements(app).await;
        let page: Value = app.get_auth(path, session).await.json().await.unwrap();
        let after = statements(app).await;
        if evictions(app).await == evicted {
            // The counting queries themselves are in the delta once each.
            return (after - before, page["items"].as_array().map_or(0, Vec::len));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("pg_stat_statements kept evicting entries; raise pg_stat_statements.max");
}

#[tokio::test]
async fn list_endpoints_cost_the_same_for_one_row_and_fifty() {
    let app = spawn_app_with(|s| s.jobs.run_in_process = false).await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&app.owner)
        .await
        .unwrap();
    app.seed().await;
    let admin = app.login("admin@rxgate.test", DEMO_PASSWORD).await;
    // Enough rows for big pages: doctors, organisations and invitations.
    sqlx::query(
        "WITH u AS (INSERT INTO users (id, email, display_name)
                    SELECT gen_random_uuid(), 'doc' || n || '@example.org', 'Doc ' || n FROM generate_series(1, 60) n
                    RETURNING id, email)
         INSERT INTO doctor_profiles (user_id, licence_number, licence_body, licence_region, licence_expires_on, time_zone, referral_code)
         SELECT id, 'MP' || substr(md5(email), 1, 8), 'HPCSA', 'ZA', '2030-01-01', 'Africa/Johannesburg', upper(substr(md5(email), 1, 10)) FROM u",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query("INSERT INTO organisations (id, kind, name, slug) SELECT gen_random_uuid(), 'clinic', 'Clinic ' || n, 'clinic-' || n FROM generate_series(1, 60) n")
        .execute(&app.owner)
        .await
        .unwrap();
    let officer = app.login("officer@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    // Patients for the doctor's list.
    sqlx::query(
        "WITH u AS (INSERT INTO users (id, email, display_name)
                    SELECT gen_random_uuid(), 'pat' || n || '@example.org', 'Patient ' || n FROM generate_series(1, 60) n
                    RETURNING id)
         INSERT INTO doctor_patient_links (doctor_id, patient_id, source)
         SELECT (SELECT id FROM users WHERE email = 'doctor@rxgate.test'), id, 'referral' FROM u",
    )
    .execute(&app.owner)
    .await
    .unwrap();

    for (session, path) in [
        (&admin, "/api/v1/admin/doctors?limit="),
        (&admin, "/api/v1/admin/organisations?limit="),
        (&admin, "/api/v1/admin/users?limit="),
        (&officer, "/api/v1/audit-events?limit="),
        // Each product with its eligibility for the patient: still one statement per page.
        (&patient, "/api/v1/catalogue/products?limit="),
        (&patient, "/api/v1/catalogue/products?sort=price&limit="),
        (&admin, "/api/v1/catalogue/products?limit="),
        (&admin, "/api/v1/admin/rules?limit="),
        (&doctor, "/api/v1/doctor/patients?limit="),
    ] {
        let (small, small_rows) = cost(&app, session, &format!("{path}1")).await;
        let (large, large_rows) = cost(&app, session, &format!("{path}50")).await;
        assert_eq!(small_rows, 1, "{path}");
        assert!(large_rows >= 5, "{path}: only {large_rows} rows");
        assert_eq!(
            small, large,
            "{path}: {small} statements for 1 row, {large} for {large_rows}"
        );
    }
}

/// Statements run by one GET of `path` as `session`, and the body (see [`cost`]).
async fn cost_of(app: &TestApp, session: &Value, path: &str) -> (i64, Value) {
    for _ in 0..20 {
        let evicted = evictions(app).await;
        let before = statements(app).await;
        let body: Value = app.get_auth(path, session).await.json().await.unwrap();
        let after = statements(app).await;
        if evictions(app).await == evicted {
            return (after - before, body);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("pg_stat_statements kept evicting entries; raise pg_stat_statements.max");
}

#[tokio::test]
async fn booking_lists_and_slot_search_cost_the_same_for_one_and_many() {
    let app = spawn_app_with(|s| s.jobs.run_in_process = false).await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&app.owner)
        .await
        .unwrap();
    app.seed().await;
    // Ten more approved doctors of the demo clinic, each with the demo doctor's schedule, and
    // sixty bookings of the demo patient with the demo doctor.
    sqlx::query(
        "WITH u AS (INSERT INTO users (id, email, display_name)
                    SELECT gen_random_uuid(), 'doc' || n || '@example.org', 'Doc ' || n FROM generate_series(1, 10) n
                    RETURNING id, email),
              p AS (INSERT INTO doctor_profiles (user_id, licence_number, licence_body, licence_region, licence_expires_on, time_zone, referral_code, status)
                    SELECT id, 'MP' || substr(md5(email), 1, 8), 'HPCSA', 'ZA', '2030-01-01', 'Europe/London', upper(substr(md5(email), 1, 10)), 'approved' FROM u),
              m AS (INSERT INTO memberships (id, user_id, organisation_id, role)
                    SELECT gen_random_uuid(), id, (SELECT id FROM organisations WHERE slug = 'demo-clinic'), 'doctor' FROM u),
              s AS (INSERT INTO doctor_schedules (doctor_id, clinic_id, slot_minutes, buffer_minutes, min_notice_minutes, horizon_days)
                    SELECT id, (SELECT id FROM organisations WHERE slug = 'demo-clinic'), 20, 5, 0, 60 FROM u)
         INSERT INTO doctor_schedule_intervals (doctor_id, clinic_id, weekday, starts, ends)
         SELECT u.id, (SELECT id FROM organisations WHERE slug = 'demo-clinic'), d, '08:00', '17:00'
           FROM u CROSS JOIN generate_series(1, 7) d",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO bookings (id, clinic_id, doctor_id, patient_id, mode, starts_at, ends_at, blocked_until, status, fee_minor, currency)
         SELECT gen_random_uuid(), b.clinic_id, b.doctor_id, b.patient_id, 'video',
                now() + make_interval(days => 70 + n), now() + make_interval(days => 70 + n, mins => 20),
                now() + make_interval(days => 70 + n, mins => 25), 'confirmed', 45000, 'ZAR'
           FROM (SELECT * FROM bookings LIMIT 1) b CROSS JOIN generate_series(1, 60) n",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    // A pool connection looks up the booking enums' type ids the first time it meets them: the
    // cheapest of a few runs is what a request costs.
    let least = async |session: &Value, path: &str| {
        let mut best = (i64::MAX, 0);
        for _ in 0..4 {
            let run = cost(&app, session, path).await;
            if run.0 < best.0 {
                best = run;
            }
        }
        best
    };
    for (session, path) in [
        (&patient, "/api/v1/bookings?view=patient&limit="),
        (&doctor, "/api/v1/bookings?view=doctor&limit="),
    ] {
        let (small, small_rows) = least(session, &format!("{path}1")).await;
        let (large, large_rows) = least(session, &format!("{path}50")).await;
        assert_eq!(small_rows, 1, "{path}");
        assert_eq!(large_rows, 50, "{path}");
        assert_eq!(
            small, large,
            "{path}: {small} statements for 1 row, {large} for 50"
        );
    }
    // One doctor or all eleven, over a week: the same statements.
    let from = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    let to = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%dT%H:%M:%SZ");
    let doctor_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'doctor@rxgate.test'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let one_path = format!("/api/v1/consults/slots?from={from}&to={to}&doctor_id={doctor_id}");
    cost_of(&app, &patient, &one_path).await;
    let (one, body) = cost_of(&app, &patient, &one_path).await;
    assert_eq!(body["doctors"].as_array().unwrap().len(), 1);
    let (all, body) = cost_of(
        &app,
        &patient,
        &format!("/api/v1/consults/slots?from={from}&to={to}"),
    )
    .await;
    assert_eq!(body["doctors"].as_array().unwrap().len(), 11);
    assert_eq!(
        one, all,
        "{one} statements for one doctor, {all} for eleven"
    );
}
