//! Payments in the database itself: row-level security (a patient sees only their own, a
//! clinic admin their clinic's; status changes are not the payer's to make), the CHECKs that
//! keep amounts and statuses consistent, and each provider event kept once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rxgate_domain::payments::{PaymentPurpose, PaymentStatus};
use rxgate_persistence::payments::{self, NewPayment};
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
    admin_a: Uuid,
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
    let bob = make("bob@example.org", clinic_b, "patient").await;
    let admin_a = make("admin.a@example.org", clinic_a, "clinic_admin").await;
    let admin_b = make("admin.b@example.org", clinic_b, "clinic_admin").await;
    tx.commit().await.unwrap();
    World {
        clinic_a,
        clinic_b,
        alice,
        bob,
        admin_a,
        admin_b,
    }
}

/// A pending payment of `amount` by `payer`, started in the payer's own transaction.
async fn start(pool: &PgPool, payer: Uuid, clinic: Uuid, amount: i64) -> Uuid {
    let mut tx = as_app(pool, &user(payer, "patient", clinic)).await;
    let id = Uuid::now_v7();
    payments::insert(
        &mut tx,
        &NewPayment {
            id,
            payer_id: payer,
            clinic_id: clinic,
            amount_minor: amount,
            currency: "ZAR",
            purpose: PaymentPurpose::ConsultFee,
            reference: Uuid::now_v7(),
            provider: "sandbox",
        },
    )
    .await
    .unwrap();
    payments::set_provider_reference(&mut tx, id, &format!("sbx_pay_{}", id.simple()))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn visible(tx: &mut Transaction<'static, Postgres>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM payments")
        .fetch_all(&mut **tx)
        .await
        .unwrap();
    ids.sort();
    ids
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_payer_sees_only_their_own_payments_and_a_clinic_admin_their_clinics(pool: PgPool) {
    let w = world(&pool).await;
    let alices = start(&pool, w.alice, w.clinic_a, 1000).await;
    let bobs = start(&pool, w.bob, w.clinic_b, 2000).await;

    let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
    assert_eq!(visible(&mut tx).await, vec![alices]);
    assert_eq!(payments::find(&mut tx, bobs).await.unwrap(), None);
    tx.rollback().await.unwrap();

    let mut tx = as_app(&pool, &user(w.admin_a, "clinic_admin", w.clinic_a)).await;
    assert_eq!(visible(&mut tx).await, vec![alices]);
    // Locking is allowed (a refund takes its turn); changing is not.
    assert!(payments::lock(&mut tx, alices).await.unwrap().is_some());
    assert!(payments::lock(&mut tx, bobs).await.unwrap().is_none());
    let changed = payments::apply(
        &mut tx,
        alices,
        &[PaymentStatus::Pending],
        PaymentStatus::Succeeded,
        0,
    )
    .await;
    assert!(matches!(changed, Err(RepoError::Forbidden)), "{changed:?}");
    tx.rollback().await.unwrap();

    let mut tx = as_app(&pool, &user(w.admin_b, "clinic_admin", w.clinic_b)).await;
    assert_eq!(visible(&mut tx).await, vec![bobs]);
    tx.rollback().await.unwrap();

    let mut tx = as_app(
        &pool,
        &RlsContext {
            roles: vec!["platform_admin".into()],
            ..user(Uuid::now_v7(), "platform_admin", w.clinic_a)
        },
    )
    .await;
    let mut both = vec![alices, bobs];
    both.sort();
    assert_eq!(visible(&mut tx).await, both);
    tx.rollback().await.unwrap();

    // Webhooks' events and idempotency records are the system's alone.
    let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_events")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 0);
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_payer_cannot_mark_their_own_payment_paid_or_pay_for_someone_else(pool: PgPool) {
    let w = world(&pool).await;
    let id = start(&pool, w.alice, w.clinic_a, 1000).await;
    let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
    let paid = payments::apply(
        &mut tx,
        id,
        &[PaymentStatus::Pending],
        PaymentStatus::Succeeded,
        0,
    )
    .await;
    assert!(matches!(paid, Err(RepoError::Forbidden)), "{paid:?}");
    tx.rollback().await.unwrap();

    let mut tx = as_app(&pool, &user(w.alice, "patient", w.clinic_a)).await;
    let for_bob = payments::insert(
        &mut tx,
        &NewPayment {
            id: Uuid::now_v7(),
            payer_id: w.bob,
            clinic_id: w.clinic_b,
            amount_minor: 1,
            currency: "ZAR",
            purpose: PaymentPurpose::ConsultFee,
            reference: Uuid::now_v7(),
            provider: "sandbox",
        },
    )
    .await;
    assert!(matches!(for_bob, Err(RepoError::Forbidden)), "{for_bob:?}");
}

/// `sql` fails on `constraint` (a name, or several separated by `|` when more than one
/// refuses it and PostgreSQL may report either).
async fn check_refused(pool: &PgPool, sql: &str, constraint: &str) {
    let err = sqlx::query(sql).execute(pool).await.unwrap_err();
    let refused = RepoError::from(err);
    assert!(
        matches!(&refused, RepoError::Conflict { constraint: c } if constraint.split('|').any(|n| n == c)),
        "{sql}: {refused:?}"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn checks_keep_amounts_and_statuses_consistent(pool: PgPool) {
    let w = world(&pool).await;
    let id = start(&pool, w.alice, w.clinic_a, 1000).await;
    let insert = |amount: &str| {
        format!(
            "INSERT INTO payments (id, payer_id, clinic_id, amount_minor, currency, purpose, reference, provider)
             VALUES ('{}', '{}', '{}', {amount}, 'ZAR', 'consult_fee', '{}', 'sandbox')",
            Uuid::now_v7(),
            w.alice,
            w.clinic_a,
            Uuid::now_v7()
        )
    };
    check_refused(&pool, &insert("-1"), "payments_amount_minor_check").await;
    check_refused(
        &pool,
        &insert("100").replace("'ZAR'", "'zar'"),
        "payments_currency_check",
    )
    .await;
    // Refunded more than paid; a refunded amount that the status does not say; a success
    // without its time.
    check_refused(
        &pool,
        &format!("UPDATE payments SET status = 'refunded', refunded_minor = 1001, succeeded_at = now() WHERE id = '{id}'"),
        "payments_refund_within_amount|payments_refund_status",
    )
    .await;
    check_refused(
        &pool,
        &format!("UPDATE payments SET status = 'succeeded', refunded_minor = 10, succeeded_at = now() WHERE id = '{id}'"),
        "payments_refund_status",
    )
    .await;
    check_refused(
        &pool,
        &format!("UPDATE payments SET status = 'partially_refunded', refunded_minor = 1000, succeeded_at = now() WHERE id = '{id}'"),
        "payments_refund_status",
    )
    .await;
    check_refused(
        &pool,
        &format!("UPDATE payments SET status = 'succeeded' WHERE id = '{id}'"),
        "payments_succeeded_at",
    )
    .await;
    check_refused(
        &pool,
        &format!("INSERT INTO payment_refunds (id, payment_id, amount_minor, reason) VALUES ('{}', '{id}', 0, 'r')", Uuid::now_v7()),
        "payment_refunds_amount_minor_check",
    )
    .await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_provider_event_is_kept_once_and_moves_a_payment_only_from_where_the_rule_allows(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let id = start(&pool, w.alice, w.clinic_a, 1000).await;
    let mut tx = Db::from_pool(pool.clone())
        .begin(&RlsContext::system())
        .await
        .unwrap();
    let payload = serde_json::json!({"id": "evt_1"});
    let first = payments::insert_event(
        &mut tx,
        "sandbox",
        "evt_1",
        "payment.succeeded",
        Some(id),
        &payload,
    )
    .await
    .unwrap();
    assert!(first.is_some());
    let again = payments::insert_event(
        &mut tx,
        "sandbox",
        "evt_1",
        "payment.succeeded",
        Some(id),
        &payload,
    )
    .await
    .unwrap();
    assert_eq!(again, None);
    // An event naming a payment that does not exist is kept without the link.
    let stray = payments::insert_event(
        &mut tx,
        "sandbox",
        "evt_2",
        "payment.succeeded",
        Some(Uuid::now_v7()),
        &payload,
    )
    .await
    .unwrap();
    assert!(stray.is_some());

    let paid = payments::apply(
        &mut tx,
        id,
        &[PaymentStatus::Pending],
        PaymentStatus::Succeeded,
        0,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(paid.status, PaymentStatus::Succeeded);
    assert!(paid.succeeded_at.is_some());
    // The compare-and-set: a second "pending → failed" finds nothing to change.
    let late = payments::apply(
        &mut tx,
        id,
        &[PaymentStatus::Pending],
        PaymentStatus::Failed,
        0,
    )
    .await
    .unwrap();
    assert_eq!(late, None);
    tx.commit().await.unwrap();
}
