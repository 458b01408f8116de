//! Consultations through the API: a confirmed booking's consultation, its state machine (start
//! inside the room's window, complete), the doctor's sealed notes and their audited reads,
//! recording consent, and hostile callers (another patient or doctor: 404, nothing changed).
use rxgate_api::seed::DEMO_PASSWORD;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app_with};

async fn seeded() -> TestApp {
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

async fn put_auth(app: &TestApp, path: &str, session: &Value, body: Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The seeded upcoming (confirmed) consult of the demo doctor and patient.
async fn upcoming(app: &TestApp, doctor: &Value) -> String {
    let calendar: Value = app
        .get_auth("/api/v1/bookings?view=doctor", doctor)
        .await
        .json()
        .await
        .unwrap();
    calendar["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["status"] == "confirmed")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Moves the consult to start in `minutes` (negative: started that long ago), 20 minutes long.
async fn starts_in(app: &TestApp, id: &str, minutes: i64) {
    sqlx::query(
        "UPDATE bookings SET starts_at = now() + make_interval(mins => $2::int),
                             ends_at = now() + make_interval(mins => $2::int + 20),
                             blocked_until = now() + make_interval(mins => $2::int + 25)
          WHERE id = $1::uuid",
    )
    .bind(id)
    .bind(minutes as i32)
    .execute(&app.owner)
    .await
    .unwrap();
}

async fn status(app: &TestApp, id: &str) -> (String, String) {
    sqlx::query_as(
        "SELECT c.status::text, b.status::text FROM consultations c JOIN bookings b ON b.id = c.id
          WHERE c.id = $1::uuid",
    )
    .bind(id)
    .fetch_one(&app.owner)
    .await
    .unwrap()
}

#[tokio::test]
async fn seeded_bookings_have_consultations_and_the_doctor_starts_and_completes_one_in_its_window()
{
    let app = seeded().await;
    assert_eq!(
        count(&app, "SELECT count(*) FROM consultations").await,
        2,
        "the seeded past (completed) and upcoming consults"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM consultations WHERE status = 'completed'"
        )
        .await,
        1
    );
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let id = upcoming(&app, &doctor).await;
    let path = format!("/api/v1/consultations/{id}");
    let res = app.get_auth(&path, &patient).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "scheduled");
    assert_eq!(body["recording_allowed"], false);
    assert_eq!(body["events"].as_array().unwrap().len(), 1);

    // Days ahead: the room is not open yet.
    let actions = format!("{path}/actions");
    let res = app
        .post_auth(&actions, &doctor, json!({"action": "start"}))
        .await;
    assert_problem(res, 422, "ROOM_NOT_OPEN").await;
    // Nor can a missed consult be recorded before its time.
    let res = app
        .post_auth(&actions, &doctor, json!({"action": "no_show"}))
        .await;
    assert_problem(res, 422, "CONSULT_NOT_STARTED").await;

    starts_in(&app, &id, 5).await;
    // The patient cannot start it; nothing changed.
    let res = app
        .post_auth(&actions, &patient, json!({"action": "start"}))
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    assert_eq!(status(&app, &id).await.0, "scheduled");
    // Completing a consult that has not started is not a transition.
    let res = app
        .post_auth(&actions, &doctor, json!({"action": "complete"}))
        .await;
    assert_problem(res, 422, "INVALID_CONSULTATION_TRANSITION").await;

    let res = app
        .post_auth(&actions, &doctor, json!({"action": "start"}))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "in_progress");
    assert!(body["started_at"].is_string());
    let res = app
        .post_auth(&actions, &doctor, json!({"action": "start"}))
        .await;
    assert_problem(res, 422, "INVALID_CONSULTATION_TRANSITION").await;

    let res = app
        .post_auth(&actions, &doctor, json!({"action": "complete"}))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "completed");
    let to: Vec<&str> = body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(to, ["scheduled", "in_progress", "completed"]);
    assert_eq!(
        status(&app, &id).await,
        ("completed".into(), "completed".into()),
        "the booking records the outcome too"
    );
}

#[tokio::test]
async fn another_patient_or_doctor_finds_nothing_and_changes_nothing() {
    let app = seeded().await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let id = upcoming(&app, &doctor).await;
    starts_in(&app, &id, 0).await;
    let stranger = another_patient(&app, "stranger@example.test").await;
    let path = format!("/api/v1/consultations/{id}");
    assert_problem(app.get_auth(&path, &stranger).await, 404, "NOT_FOUND").await;
    let res = app
        .post_auth(
            &format!("{path}/actions"),
            &stranger,
            json!({"action": "start"}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    let res = put_auth(
        &app,
        &format!("{path}/notes"),
        &stranger,
        json!({"notes": {"plan": "x"}, "finalise": true}),
    )
    .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    assert_problem(
        app.get_auth(&format!("{path}/notes"), &stranger).await,
        404,
        "NOT_FOUND",
    )
    .await;
    let res = app
        .post_auth(&format!("{path}/recording-consent"), &stranger, json!({}))
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    // A clinic's admin sees the booking but not the consult's room, notes or controls.
    let admin = app.login("clinic.admin@rxgate.test", DEMO_PASSWORD).await;
    let res = app
        .post_auth(
            &format!("{path}/actions"),
            &admin,
            json!({"action": "start"}),
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
    assert_eq!(status(&app, &id).await.0, "scheduled");
    assert_eq!(
        count(&app, "SELECT count(*) FROM consultation_notes").await,
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM consultation_recording_consents").await,
        0
    );
    // An unknown id is the same 404.
    let res = app
        .get_auth(
            "/api/v1/consultations/00000000-0000-4000-8000-000000000000",
            &doctor,
        )
        .await;
    assert_problem(res, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn notes_are_sealed_at_rest_final_notes_never_change_and_every_read_is_audited() {
    let app = seeded().await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let id = upcoming(&app, &doctor).await;
    let path = format!("/api/v1/consultations/{id}/notes");
    assert_problem(app.get_auth(&path, &doctor).await, 404, "NOT_FOUND").await;

    let draft = json!({"presenting_complaint": "Persistent cough for three weeks",
                       "history": "Smoker", "examination": "Wheeze", "assessment": "Bronchitis",
                       "plan": "Rest and fluids; review in a week"});
    let res = put_auth(
        &app,
        &path,
        &doctor,
        json!({"notes": draft, "finalise": false}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert!(body["finalised_at"].is_null());

    // The column holds ciphertext: none of the text, and it opens only with the data key.
    let (sealed, key_id): (Vec<u8>, String) = sqlx::query_as(
        "SELECT notes_enc, key_id FROM consultation_notes WHERE consultation_id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert!(!key_id.is_empty());
    for needle in ["cough", "Smoker", "Bronchitis", "fluids", "plan"] {
        assert!(
            !sealed.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "`{needle}` is in the sealed column"
        );
    }

    // A draft is the doctor's alone.
    assert_problem(app.get_auth(&path, &patient).await, 404, "NOT_FOUND").await;
    // Only the booking's doctor writes notes.
    let res = put_auth(&app, &path, &patient, json!({"notes": {"plan": "mine"}})).await;
    assert_problem(res, 404, "NOT_FOUND").await;

    let res = app.get_auth(&path, &doctor).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["notes"]["history"], "Smoker");
    assert_eq!(body["plan_only"], false);

    let res = put_auth(
        &app,
        &path,
        &doctor,
        json!({"notes": draft, "finalise": true}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert!(body["finalised_at"].is_string());
    let res = put_auth(&app, &path, &doctor, json!({"notes": {"plan": "changed"}})).await;
    assert_problem(res, 422, "NOTES_FINAL").await;

    // The patient reads the final plan only.
    let res = app.get_auth(&path, &patient).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["plan_only"], true);
    assert_eq!(body["notes"]["plan"], "Rest and fluids; review in a week");
    assert_eq!(body["notes"]["history"], "");
    assert_eq!(body["notes"]["assessment"], "");

    // Two reads by the doctor and one by the patient, each audited (failed reads are not reads).
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_events WHERE action = 'read' AND entity_type = 'consultation_notes'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_events WHERE action = 'finalise_notes' AND entity_type = 'consultation_notes'"
        )
        .await,
        1
    );
    // A section over the limit is refused with its field named.
    let res = put_auth(
        &app,
        &format!("/api/v1/consultations/{id}/notes"),
        &doctor,
        json!({"notes": {"history": "x".repeat(20_001)}}),
    )
    .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn recording_is_allowed_only_after_both_parties_consent_and_a_cancelled_booking_cancels_its_consultation()
 {
    let app = seeded().await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let id = upcoming(&app, &doctor).await;
    let consent = format!("/api/v1/consultations/{id}/recording-consent");
    let res = app.post_auth(&consent, &doctor, json!({})).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["recording_consented"], true);
    assert_eq!(body["recording_allowed"], false);
    let res = app.post_auth(&consent, &patient, json!({})).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["recording_allowed"], true);

    let res = app
        .post_auth(
            &format!("/api/v1/bookings/{id}/cancel"),
            &patient,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        status(&app, &id).await,
        ("cancelled".into(), "cancelled".into())
    );
    let events = count(
        &app,
        &format!("SELECT count(*) FROM consultation_events WHERE consultation_id = '{id}'"),
    )
    .await;
    assert_eq!(events, 2);
    let res = app.post_auth(&consent, &patient, json!({})).await;
    assert_problem(res, 422, "INVALID_CONSULTATION_TRANSITION").await;
}

#[tokio::test]
async fn a_party_gets_a_single_use_short_lived_room_ticket_and_the_ice_servers_while_the_room_is_open()
 {
    let app = spawn_app_with(|s| {
        s.jobs.run_in_process = false;
        s.video.ice_servers = vec![rxgate_api::configuration::IceServer {
            urls: vec!["stun:stun.example.org:3478".into()],
            username: None,
            credential: None,
        }];
    })
    .await;
    app.seed().await;
    let doctor = app.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let stranger = another_patient(&app, "stranger@example.test").await;
    let id = upcoming(&app, &doctor).await;
    let room = format!("/api/v1/consultations/{id}/room");
    let res = app.post_auth(&room, &patient, json!({})).await;
    assert_problem(res, 422, "ROOM_NOT_OPEN").await;
    starts_in(&app, &id, 9).await;
    let res = app.post_auth(&room, &stranger, json!({})).await;
    assert_problem(res, 404, "NOT_FOUND").await;
    let res = app.post_auth(&room, &patient, json!({})).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["provider"], "built_in");
    assert_eq!(body["room"], id.as_str());
    assert_eq!(
        body["signal_path"],
        format!("/api/v1/consultations/{id}/signal")
    );
    assert_eq!(
        body["ice_servers"][0]["urls"][0],
        "stun:stun.example.org:3478"
    );
    assert_eq!(body["recording_allowed"], false);
    let ticket = body["ticket"].as_str().unwrap().to_owned();
    assert!(ticket.len() >= 40);
    let expires: chrono::DateTime<chrono::Utc> =
        body["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires <= chrono::Utc::now() + chrono::Duration::seconds(61));
    // Only its hash is stored, for the caller.
    let stored = count(
        &app,
        &format!(
            "SELECT count(*) FROM consultation_room_tickets WHERE consultation_id = '{id}'
               AND user_id = (SELECT id FROM users WHERE email = 'patient@rxgate.test')
               AND token_hash = sha256(convert_to('{ticket}', 'UTF8'))"
        ),
    )
    .await;
    assert_eq!(stored, 1);

    // A ticket opens once, for its consultation only, and not after it expired.
    let hash: Vec<u8> = sqlx::query_scalar("SELECT sha256(convert_to($1, 'UTF8'))")
        .bind(&ticket)
        .fetch_one(&app.owner)
        .await
        .unwrap();
    let mut conn = app.owner.acquire().await.unwrap();
    let other = uuid::Uuid::nil();
    assert!(
        rxgate_persistence::consultations::redeem_ticket(&mut conn, other, &hash)
            .await
            .unwrap()
            .is_none()
    );
    let consultation: uuid::Uuid = id.parse().unwrap();
    assert!(
        rxgate_persistence::consultations::redeem_ticket(&mut conn, consultation, &hash)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        rxgate_persistence::consultations::redeem_ticket(&mut conn, consultation, &hash)
            .await
            .unwrap()
            .is_none(),
        "single use"
    );
    let res = app.post_auth(&room, &doctor, json!({})).await;
    let doctors: Value = res.json().await.unwrap();
    let hash2: Vec<u8> = sqlx::query_scalar("SELECT sha256(convert_to($1, 'UTF8'))")
        .bind(doctors["ticket"].as_str().unwrap())
        .fetch_one(&app.owner)
        .await
        .unwrap();
    sqlx::query("UPDATE consultation_room_tickets SET expires_at = now() - interval '1 second' WHERE token_hash = $1")
        .bind(&hash2)
        .execute(&app.owner)
        .await
        .unwrap();
    assert!(
        rxgate_persistence::consultations::redeem_ticket(&mut conn, consultation, &hash2)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
}

/// Opens the signalling socket of `room` (from `POST …/room`) on `app`.
async fn open_signal(
    app: &TestApp,
    room: &Value,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = format!(
        "{}{}?ticket={}",
        app.address.replacen("http://", "ws://", 1),
        room["signal_path"].as_str().unwrap(),
        room["ticket"].as_str().unwrap()
    );
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

async fn next_text(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Value {
    use futures_util::StreamExt;
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s")
            .unwrap()
            .unwrap();
        if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
            return serde_json::from_str(t.as_str()).unwrap();
        }
    }
}

#[tokio::test]
async fn an_offer_and_its_answer_are_relayed_between_two_server_processes_on_one_database() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let one = seeded().await;
    let two = crate::helpers::spawn_app_on(one.owner.clone(), one.db_url.clone(), |s| {
        s.jobs.run_in_process = false;
    })
    .await;
    let doctor = one.login("doctor@rxgate.test", DEMO_PASSWORD).await;
    let patient = two.login("patient@rxgate.test", DEMO_PASSWORD).await;
    let id = upcoming(&one, &doctor).await;
    starts_in(&one, &id, 2).await;
    let path = format!("/api/v1/consultations/{id}/room");
    let doctors_room: Value = one
        .post_auth(&path, &doctor, json!({}))
        .await
        .json()
        .await
        .unwrap();
    let patients_room: Value = two
        .post_auth(&path, &patient, json!({}))
        .await
        .json()
        .await
        .unwrap();

    // Without a ticket, or with a made-up one, there is no socket.
    let res = one
        .get(&format!("/api/v1/consultations/{id}/signal?ticket=made-up"))
        .await;
    assert_eq!(res.status(), 404);

    let mut doctor_ws = open_signal(&one, &doctors_room).await;
    let mut patient_ws = open_signal(&two, &patients_room).await;
    // The ticket was single-use: opening it again fails.
    let again = format!(
        "{}{}?ticket={}",
        one.address.replacen("http://", "ws://", 1),
        doctors_room["signal_path"].as_str().unwrap(),
        doctors_room["ticket"].as_str().unwrap()
    );
    assert!(tokio_tungstenite::connect_async(again).await.is_err());

    // Something that is not SDP or ICE is refused, to its sender only.
    doctor_ws
        .send(Message::text(r#"{"type":"chat","text":"hello"}"#))
        .await
        .unwrap();
    assert_eq!(next_text(&mut doctor_ws).await["code"], "INVALID_SIGNAL");

    doctor_ws
        .send(Message::text(r#"{"type":"offer","sdp":"v=0 offer"}"#))
        .await
        .unwrap();
    let got = next_text(&mut patient_ws).await;
    assert_eq!(got, json!({"type": "offer", "sdp": "v=0 offer"}));
    patient_ws
        .send(Message::text(r#"{"type":"answer","sdp":"v=0 answer"}"#))
        .await
        .unwrap();
    let got = next_text(&mut doctor_ws).await;
    assert_eq!(got, json!({"type": "answer", "sdp": "v=0 answer"}));
    patient_ws
        .send(Message::text(
            r#"{"type":"ice","candidate":{"candidate":"candidate:1 1 UDP 1 10.0.0.1 5000 typ host","sdpMid":"0"}}"#,
        ))
        .await
        .unwrap();
    assert_eq!(next_text(&mut doctor_ws).await["type"], "ice");
}
