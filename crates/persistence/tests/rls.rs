//! Row-level security proven in the database itself: with user A's context, queries without
//! any WHERE clause see none of user B's rows, and writes to B's rows fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rxgate_persistence::{Db, RlsContext, consents, organisations, sessions, users};
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

/// A user holding every one of `roles` in every one of `clinics`.
fn user(id: Uuid, roles: &[&str], clinics: Vec<Uuid>) -> RlsContext {
    RlsContext {
        user_id: Some(id),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        clinic_roles: roles
            .iter()
            .flat_map(|r| clinics.iter().map(move |c| ((*r).to_owned(), *c)))
            .collect(),
        clinic_ids: clinics,
        ..RlsContext::default()
    }
}

struct World {
    clinic_a: Uuid,
    clinic_b: Uuid,
    alice: Uuid,
    bob: Uuid,
    doctor: Uuid,
    admin_a: Uuid,
}

/// Two clinics; Alice (clinic A, linked to the doctor), Bob (clinic B), a clinic admin of A.
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
        consents::record(&mut tx, id, "terms", "1", true, None, None)
            .await
            .unwrap();
        sessions::create(&mut tx, id, Some("127.0.0.1"), None)
            .await
            .unwrap();
        id
    };
    let alice = make("alice@example.org", clinic_a, "patient").await;
    let bob = make("bob@example.org", clinic_b, "patient").await;
    let doctor = make("doc@example.org", clinic_a, "doctor").await;
    let admin_a = make("admin@example.org", clinic_a, "clinic_admin").await;
    users::link_doctor_patient(&mut tx, doctor, alice, "consult")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    World {
        clinic_a,
        clinic_b,
        alice,
        bob,
        doctor,
        admin_a,
    }
}

async fn ids(tx: &mut Transaction<'static, Postgres>, sql: &str) -> Vec<Uuid> {
    let mut v: Vec<Uuid> = sqlx::query_scalar(sql).fetch_all(&mut **tx).await.unwrap();
    v.sort();
    v
}

fn sorted(mut v: Vec<Uuid>) -> Vec<Uuid> {
    v.sort();
    v
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_patient_sees_only_their_own_rows(pool: PgPool) {
    let w = world(&pool).await;
    let mut tx = as_app(&pool, &user(w.alice, &["patient"], vec![w.clinic_a])).await;
    assert_eq!(ids(&mut tx, "SELECT id FROM users").await, vec![w.alice]);
    assert_eq!(
        ids(&mut tx, "SELECT user_id FROM consents").await,
        vec![w.alice]
    );
    assert_eq!(
        ids(&mut tx, "SELECT user_id FROM sessions").await,
        vec![w.alice]
    );
    assert_eq!(
        ids(&mut tx, "SELECT user_id FROM memberships").await,
        vec![w.alice]
    );
    assert!(ids(&mut tx, "SELECT id FROM audit_events").await.is_empty());
    assert!(
        ids(&mut tx, "SELECT id FROM refresh_tokens")
            .await
            .is_empty()
    );
    assert!(ids(&mut tx, "SELECT id FROM email_tokens").await.is_empty());
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_patient_cannot_change_or_create_another_patients_rows(pool: PgPool) {
    let w = world(&pool).await;
    let mut tx = as_app(&pool, &user(w.alice, &["patient"], vec![w.clinic_a])).await;
    let updated = sqlx::query("UPDATE users SET display_name = 'hacked' WHERE id = $1")
        .bind(w.bob)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(updated, 0);
    let updated = sqlx::query("UPDATE sessions SET revoked_at = now()")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(updated, 1, "only her own session");
    let err = consents::record(&mut tx, w.bob, "terms", "1", false, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, rxgate_persistence::RepoError::Forbidden),
        "{err:?}"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_doctor_sees_linked_patients_only(pool: PgPool) {
    let w = world(&pool).await;
    let mut tx = as_app(&pool, &user(w.doctor, &["doctor"], vec![w.clinic_a])).await;
    assert_eq!(
        ids(&mut tx, "SELECT id FROM users").await,
        sorted(vec![w.alice, w.doctor])
    );
    assert!(
        ids(
            &mut tx,
            "SELECT user_id FROM consents WHERE user_id <> app_user_id()"
        )
        .await
        .is_empty()
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_doctor_role_claim_alone_does_not_open_patients(pool: PgPool) {
    let w = world(&pool).await;
    // Bob claims the doctor role in his context: he is linked to no one.
    let mut tx = as_app(&pool, &user(w.bob, &["doctor"], vec![w.clinic_b])).await;
    assert_eq!(ids(&mut tx, "SELECT id FROM users").await, vec![w.bob]);
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_clinic_admin_sees_their_clinics_people_but_not_another_clinics(pool: PgPool) {
    let w = world(&pool).await;
    let mut tx = as_app(&pool, &user(w.admin_a, &["clinic_admin"], vec![w.clinic_a])).await;
    let seen = ids(&mut tx, "SELECT id FROM users").await;
    assert_eq!(seen, sorted(vec![w.alice, w.doctor, w.admin_a]));
    assert!(!seen.contains(&w.bob));
    assert!(
        ids(
            &mut tx,
            "SELECT user_id FROM consents WHERE user_id <> app_user_id()"
        )
        .await
        .is_empty(),
        "no consents of others"
    );
    assert!(
        ids(
            &mut tx,
            "SELECT user_id FROM sessions WHERE user_id <> app_user_id()"
        )
        .await
        .is_empty()
    );
    let _ = w.clinic_b;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_anonymous_context_sees_no_people(pool: PgPool) {
    world(&pool).await;
    let mut tx = as_app(&pool, &RlsContext::anonymous(None)).await;
    assert!(ids(&mut tx, "SELECT id FROM users").await.is_empty());
    assert!(ids(&mut tx, "SELECT id FROM consents").await.is_empty());
    assert!(ids(&mut tx, "SELECT id FROM sessions").await.is_empty());
    // Organisation names are public.
    assert_eq!(ids(&mut tx, "SELECT id FROM organisations").await.len(), 3);
}

#[sqlx::test(migrations = "../../migrations")]
async fn memberships_must_match_the_organisation_kind(pool: PgPool) {
    let w = world(&pool).await;
    let mut tx = Db::from_pool(pool.clone())
        .begin(&RlsContext::system())
        .await
        .unwrap();
    let err = users::add_membership(&mut tx, w.alice, organisations::PLATFORM_ID, "patient")
        .await
        .unwrap_err();
    assert!(
        matches!(err, rxgate_persistence::RepoError::Conflict { ref constraint } if constraint == "memberships_role_kind"),
        "{err:?}"
    );
}

/// Health data (answers, flags, overrides) is the patient's and their doctors'; the catalogue's
/// clinic selection is changed only by that clinic's admin.
#[sqlx::test(migrations = "../../migrations")]
async fn health_data_and_clinic_selection_follow_their_owners(pool: PgPool) {
    use rxgate_persistence::{catalogue, questionnaires};
    let w = world(&pool).await;
    let mut tx = Db::from_pool(pool.clone())
        .begin(&RlsContext::system())
        .await
        .unwrap();
    questionnaires::insert_flag(&mut tx, "pregnant", "Pregnant", "")
        .await
        .unwrap();
    let q = questionnaires::create_questionnaire(&mut tx, None, "Q")
        .await
        .unwrap();
    let v = questionnaires::create_draft(
        &mut tx,
        q,
        &serde_json::json!({}),
        &serde_json::json!([]),
        None,
    )
    .await
    .unwrap();
    questionnaires::publish(&mut tx, v).await.unwrap();
    let category = catalogue::insert_category(&mut tx, "c", "C").await.unwrap();
    let product = catalogue::insert_product(
        &mut tx,
        &catalogue::NewProduct {
            slug: "p".into(),
            name: "P".into(),
            category_id: category,
            dosage_form: "tablet".into(),
            strength: String::new(),
            schedule: "S0".into(),
            requires_prescription: false,
            requires_consult: false,
            consult_fee_minor: None,
            consult_fee_currency: None,
            description: String::new(),
            ingredient_ids: vec![],
            variants: vec![],
        },
        None,
    )
    .await
    .unwrap();
    for patient in [w.alice, w.bob] {
        let r = questionnaires::save_progress(&mut tx, None, patient, v, b"x", "k", 0, 0)
            .await
            .unwrap();
        questionnaires::mark_submitted(&mut tx, r).await.unwrap();
        questionnaires::replace_flags(&mut tx, r, &["pregnant".to_owned()])
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let mut tx = as_app(&pool, &user(w.alice, &["patient"], vec![w.clinic_a])).await;
    assert_eq!(
        ids(&mut tx, "SELECT patient_id FROM questionnaire_responses").await,
        vec![w.alice]
    );
    assert_eq!(
        ids(&mut tx, "SELECT patient_id FROM patient_flags").await,
        vec![w.alice]
    );
    assert_eq!(
        ids(&mut tx, "SELECT patient_id FROM patient_effective_flags").await,
        vec![w.alice]
    );
    // Nobody but a linked doctor writes an override, and patients cannot.
    let err =
        questionnaires::insert_override(&mut tx, w.alice, "pregnant", false, b"r", "k", w.alice)
            .await
            .unwrap_err();
    assert!(
        matches!(err, rxgate_persistence::RepoError::Forbidden),
        "{err:?}"
    );
    tx.rollback().await.unwrap();

    let mut tx = as_app(&pool, &user(w.doctor, &["doctor"], vec![w.clinic_a])).await;
    assert_eq!(
        ids(&mut tx, "SELECT patient_id FROM questionnaire_responses").await,
        vec![w.alice]
    );
    assert_eq!(
        ids(&mut tx, "SELECT patient_id FROM patient_effective_flags").await,
        vec![w.alice]
    );
    questionnaires::insert_override(&mut tx, w.alice, "pregnant", false, b"r", "k", w.doctor)
        .await
        .unwrap();
    // Catalogue rules and products are read-only to clinicians.
    let changed = sqlx::query("UPDATE contraindication_rules SET active = false")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(changed, 0);
    tx.commit().await.unwrap();
    let mut tx = as_app(&pool, &user(w.doctor, &["doctor"], vec![w.clinic_a])).await;
    let err =
        questionnaires::insert_override(&mut tx, w.bob, "pregnant", false, b"r", "k", w.doctor)
            .await
            .unwrap_err();
    assert!(
        matches!(err, rxgate_persistence::RepoError::Forbidden),
        "{err:?}"
    );
    tx.rollback().await.unwrap();

    let mut tx = as_app(&pool, &user(w.admin_a, &["clinic_admin"], vec![w.clinic_a])).await;
    assert!(
        ids(&mut tx, "SELECT patient_id FROM patient_flags")
            .await
            .is_empty(),
        "no health data for admins"
    );
    assert!(
        catalogue::set_clinic_selection(&mut tx, w.clinic_a, product, true)
            .await
            .unwrap()
    );
    let err = catalogue::set_clinic_selection(&mut tx, w.clinic_b, product, true)
        .await
        .unwrap_err();
    assert!(
        matches!(err, rxgate_persistence::RepoError::Forbidden),
        "{err:?}"
    );
    tx.rollback().await.unwrap();

    // Clinic A's admin who is also a patient of clinic B: B's selection, people and
    // memberships stay out of reach (the role held there is what counts).
    let both = RlsContext {
        user_id: Some(w.admin_a),
        roles: vec!["clinic_admin".into(), "patient".into()],
        clinic_ids: vec![w.clinic_a, w.clinic_b],
        clinic_roles: vec![
            ("clinic_admin".into(), w.clinic_a),
            ("patient".into(), w.clinic_b),
        ],
        ..RlsContext::default()
    };
    let mut tx = as_app(&pool, &both).await;
    assert!(!ids(&mut tx, "SELECT id FROM users").await.contains(&w.bob));
    assert!(
        ids(
            &mut tx,
            "SELECT organisation_id FROM memberships WHERE user_id <> app_user_id()"
        )
        .await
        .iter()
        .all(|org| *org == w.clinic_a)
    );
    let err = catalogue::set_clinic_selection(&mut tx, w.clinic_b, product, true)
        .await
        .unwrap_err();
    assert!(
        matches!(err, rxgate_persistence::RepoError::Forbidden),
        "{err:?}"
    );
    tx.rollback().await.unwrap();
    let mut tx = as_app(&pool, &both).await;
    assert!(
        catalogue::set_clinic_selection(&mut tx, w.clinic_a, product, true)
            .await
            .unwrap(),
        "their own clinic's selection is theirs to change"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_application_cannot_choose_an_audit_events_number_time_or_transaction(pool: PgPool) {
    for (column, value) in [
        ("seq", "42"),
        ("occurred_at", "'2020-01-01T00:00:00Z'"),
        ("xid", "'1'::xid8"),
    ] {
        let mut tx = as_app(&pool, &RlsContext::system()).await;
        let err = sqlx::query(&format!(
            "INSERT INTO audit_events (id, action, entity_type, {column})
             VALUES (gen_random_uuid(), 'read', 'thing', {value})"
        ))
        .execute(&mut *tx)
        .await
        .unwrap_err();
        assert!(
            err.to_string().contains("permission denied"),
            "{column}: {err}"
        );
    }
    // Without them the insert works and the server stamps all three.
    let mut tx = as_app(&pool, &RlsContext::system()).await;
    sqlx::query("INSERT INTO audit_events (id, action, entity_type) VALUES (gen_random_uuid(), 'read', 'thing')")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let stamped: (i64, bool) = sqlx::query_as(
        "SELECT seq, xid = xid AND occurred_at > now() - interval '1 minute' FROM audit_events",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(stamped.0 >= 1 && stamped.1, "{stamped:?}");
}

/// A patient's own context may not delete or rewrite their derived flags, nor change a
/// submitted response (issue 9: `FOR ALL` policies were too wide).
#[sqlx::test(migrations = "../../migrations")]
async fn a_patient_cannot_delete_flags_or_edit_a_submitted_response(pool: PgPool) {
    use rxgate_persistence::questionnaires;
    let w = world(&pool).await;
    let mut tx = Db::from_pool(pool.clone())
        .begin(&RlsContext::system())
        .await
        .unwrap();
    questionnaires::insert_flag(&mut tx, "pregnant", "Pregnant", "")
        .await
        .unwrap();
    let q = questionnaires::create_questionnaire(&mut tx, None, "Q")
        .await
        .unwrap();
    let v = questionnaires::create_draft(
        &mut tx,
        q,
        &serde_json::json!({}),
        &serde_json::json!([]),
        None,
    )
    .await
    .unwrap();
    questionnaires::publish(&mut tx, v).await.unwrap();
    let r = questionnaires::save_progress(&mut tx, None, w.alice, v, b"x", "k", 0, 0)
        .await
        .unwrap();
    questionnaires::mark_submitted(&mut tx, r).await.unwrap();
    questionnaires::replace_flags(&mut tx, r, &["pregnant".to_owned()])
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let alice = user(w.alice, &["patient"], vec![w.clinic_a]);
    // Deleting her flags: no DELETE policy lets the patient's context touch them.
    let mut tx = as_app(&pool, &alice).await;
    let deleted = sqlx::query("DELETE FROM patient_flags")
        .execute(&mut *tx)
        .await
        .map(|d| d.rows_affected())
        .unwrap_or(0);
    assert_eq!(deleted, 0);
    tx.rollback().await.unwrap();
    // Rewriting the submitted response: its policy covers in-progress responses only.
    let mut tx = as_app(&pool, &alice).await;
    let updated = sqlx::query("UPDATE questionnaire_responses SET answered = 99")
        .execute(&mut *tx)
        .await
        .map(|u| u.rows_affected())
        .unwrap_or(0);
    assert_eq!(updated, 0);
    tx.rollback().await.unwrap();
    // Replacing flags from an old response (not submitted in this transaction) is refused.
    let mut tx = as_app(&pool, &alice).await;
    assert!(
        questionnaires::replace_flags(&mut tx, r, &[])
            .await
            .is_err()
    );
    tx.rollback().await.unwrap();
    // Nothing changed.
    let flags: i64 = sqlx::query_scalar("SELECT count(*) FROM patient_flags")
        .fetch_one(&pool)
        .await
        .unwrap();
    let answered: i32 = sqlx::query_scalar("SELECT answered FROM questionnaire_responses")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((flags, answered), (1, 0));
}

#[sqlx::test(migrations = "../../migrations")]
async fn only_an_information_officer_is_lent_actor_names(pool: PgPool) {
    let w = world(&pool).await;
    let every = format!(
        "SELECT id FROM audit_actor_names(ARRAY['{}', '{}', '{}', '{}']::uuid[])",
        w.alice, w.bob, w.doctor, w.admin_a
    );
    // Everyone else, even an administrator of a clinic or of the platform, is lent nothing.
    for ctx in [
        user(w.alice, &["patient"], vec![w.clinic_a]),
        user(w.doctor, &["doctor"], vec![w.clinic_a]),
        user(w.admin_a, &["clinic_admin"], vec![w.clinic_a]),
        user(w.admin_a, &["platform_admin"], vec![]),
        RlsContext::anonymous(None),
    ] {
        let mut tx = as_app(&pool, &ctx).await;
        assert!(ids(&mut tx, &every).await.is_empty(), "{:?}", ctx.roles);
    }
    let mut tx = as_app(&pool, &user(w.doctor, &["information_officer"], vec![])).await;
    assert_eq!(
        ids(&mut tx, &every).await,
        sorted(vec![w.alice, w.bob, w.doctor, w.admin_a])
    );
    // It lends names and addresses only: the users table itself stays closed to the officer.
    let seen = ids(&mut tx, "SELECT id FROM users WHERE id <> app_user_id()").await;
    assert!(seen.is_empty());
}
