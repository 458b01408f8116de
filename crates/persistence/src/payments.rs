//! Payments, their refunds and the provider webhooks about them. Status changes are
//! compare-and-set: [`apply`] writes only when the row is still in one of the statuses the
//! domain's transition allows, so two racing webhooks cannot both move a payment.

use chrono::{DateTime, Utc};
use rxgate_domain::payments::{PaymentPurpose, PaymentStatus};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: Uuid,
    pub payer_id: Uuid,
    pub clinic_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    pub purpose: PaymentPurpose,
    pub reference: Uuid,
    pub provider: String,
    pub provider_reference: Option<String>,
    pub status: PaymentStatus,
    pub refunded_minor: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub succeeded_at: Option<DateTime<Utc>>,
}

/// A payment to record, `pending`.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    pub id: Uuid,
    pub payer_id: Uuid,
    pub clinic_id: Uuid,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub purpose: PaymentPurpose,
    pub reference: Uuid,
    pub provider: &'a str,
}

pub async fn insert(conn: &mut PgConnection, new: &NewPayment<'_>) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO payments (id, payer_id, clinic_id, amount_minor, currency, purpose,
                                 reference, provider)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        new.id,
        new.payer_id,
        new.clinic_id,
        new.amount_minor,
        new.currency,
        new.purpose as PaymentPurpose,
        new.reference,
        new.provider,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the provider's id of a payment it has just created.
pub async fn set_provider_reference(
    conn: &mut PgConnection,
    id: Uuid,
    provider_reference: &str,
) -> Result<(), RepoError> {
    let done = sqlx::query!(
        "UPDATE payments SET provider_reference = $2 WHERE id = $1 AND status = 'pending'",
        id,
        provider_reference,
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(RepoError::NotFound)
    }
}

/// The payment, if the caller may see it.
pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<PaymentRow>, RepoError> {
    let row = sqlx::query_as!(
        PaymentRow,
        r#"SELECT id, payer_id, clinic_id, amount_minor, currency,
                  purpose AS "purpose: PaymentPurpose", reference, provider, provider_reference,
                  status AS "status: PaymentStatus", refunded_minor, created_at, updated_at,
                  succeeded_at
             FROM payments WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// The payment, locked until the transaction ends (webhooks and refunds of one payment take
/// turns).
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<Option<PaymentRow>, RepoError> {
    let row = sqlx::query_as!(
        PaymentRow,
        r#"SELECT id, payer_id, clinic_id, amount_minor, currency,
                  purpose AS "purpose: PaymentPurpose", reference, provider, provider_reference,
                  status AS "status: PaymentStatus", refunded_minor, created_at, updated_at,
                  succeeded_at
             FROM payments WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Moves the payment to `to` with `refunded_minor` refunded, only if it is still in one of
/// `allowed` (compare-and-set). `None`: it had moved on, nothing was written.
pub async fn apply(
    conn: &mut PgConnection,
    id: Uuid,
    allowed: &[PaymentStatus],
    to: PaymentStatus,
    refunded_minor: i64,
) -> Result<Option<PaymentRow>, RepoError> {
    let allowed: Vec<String> = allowed.iter().map(|s| s.as_str().to_owned()).collect();
    let row = sqlx::query_as!(
        PaymentRow,
        r#"UPDATE payments
              SET status = $2, refunded_minor = $3,
                  succeeded_at = CASE WHEN $2 = 'succeeded'::payment_status THEN now()
                                      ELSE succeeded_at END
            WHERE id = $1 AND status::text = ANY ($4::text[])
        RETURNING id, payer_id, clinic_id, amount_minor, currency,
                  purpose AS "purpose: PaymentPurpose", reference, provider, provider_reference,
                  status AS "status: PaymentStatus", refunded_minor, created_at, updated_at,
                  succeeded_at"#,
        id,
        to as PaymentStatus,
        refunded_minor,
        &allowed,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// A payer's payments, newest first, after the `(created_at, id)` of the previous page.
pub async fn list_for_payer(
    conn: &mut PgConnection,
    payer_id: Uuid,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<PaymentRow>, RepoError> {
    let (at, id) = before.unzip();
    let rows = sqlx::query_as!(
        PaymentRow,
        r#"SELECT id, payer_id, clinic_id, amount_minor, currency,
                  purpose AS "purpose: PaymentPurpose", reference, provider, provider_reference,
                  status AS "status: PaymentStatus", refunded_minor, created_at, updated_at,
                  succeeded_at
             FROM payments
            WHERE payer_id = $1
              AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
            ORDER BY created_at DESC, id DESC
            LIMIT $4"#,
        payer_id,
        at,
        id,
        limit,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

// Refunds ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRow {
    pub id: Uuid,
    pub payment_id: Uuid,
    pub amount_minor: i64,
    pub status: String,
    pub provider_reference: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_refund(
    conn: &mut PgConnection,
    id: Uuid,
    payment_id: Uuid,
    amount_minor: i64,
    reason: &str,
    requested_by: Option<Uuid>,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO payment_refunds (id, payment_id, amount_minor, reason, requested_by)
           VALUES ($1, $2, $3, $4, $5)"#,
        id,
        payment_id,
        amount_minor,
        reason,
        requested_by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_refund_reference(
    conn: &mut PgConnection,
    id: Uuid,
    provider_reference: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE payment_refunds SET provider_reference = $2 WHERE id = $1",
        id,
        provider_reference,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What has been asked back but not yet confirmed or refused, on one payment.
pub async fn requested_refund_total(
    conn: &mut PgConnection,
    payment_id: Uuid,
) -> Result<i64, RepoError> {
    let total = sqlx::query_scalar!(
        r#"SELECT coalesce(sum(amount_minor), 0)::bigint AS "total!"
             FROM payment_refunds WHERE payment_id = $1 AND status = 'requested'"#,
        payment_id
    )
    .fetch_one(conn)
    .await?;
    Ok(total)
}

pub async fn find_refund(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<RefundRow>, RepoError> {
    let row = sqlx::query_as!(
        RefundRow,
        r#"SELECT id, payment_id, amount_minor, status::text AS "status!", provider_reference,
                  created_at
             FROM payment_refunds WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Settles a requested refund as `succeeded` or `failed`; false when it was settled already.
pub async fn settle_refund(
    conn: &mut PgConnection,
    id: Uuid,
    succeeded: bool,
) -> Result<bool, RepoError> {
    let done = sqlx::query!(
        r#"UPDATE payment_refunds
              SET status = CASE WHEN $2 THEN 'succeeded' ELSE 'failed' END::payment_refund_status,
                  settled_at = now()
            WHERE id = $1 AND status = 'requested'"#,
        id,
        succeeded,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// Webhook events --------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: Uuid,
    pub provider_event_id: String,
    pub event_type: String,
    pub payload: Value,
}

/// Keeps a verified webhook once. `None`: this provider event was received before (a
/// redelivery), nothing was written. `payment_id` is linked only if such a payment exists.
pub async fn insert_event(
    conn: &mut PgConnection,
    provider: &str,
    provider_event_id: &str,
    event_type: &str,
    payment_id: Option<Uuid>,
    payload: &Value,
) -> Result<Option<Uuid>, RepoError> {
    let id = Uuid::now_v7();
    let inserted = sqlx::query_scalar!(
        r#"INSERT INTO payment_events (id, provider, provider_event_id, type, payment_id, payload)
           VALUES ($1, $2, $3, $4, (SELECT p.id FROM payments p WHERE p.id = $5), $6)
           ON CONFLICT (provider, provider_event_id) DO NOTHING
           RETURNING id"#,
        id,
        provider,
        provider_event_id,
        event_type,
        payment_id,
        payload,
    )
    .fetch_optional(conn)
    .await?;
    Ok(inserted)
}

/// Marks an event processed: `applied` (it changed something) or `ignored`.
pub async fn mark_event(conn: &mut PgConnection, id: Uuid, applied: bool) -> Result<(), RepoError> {
    sqlx::query!(
        r#"UPDATE payment_events
              SET processed_at = now(), outcome = CASE WHEN $2 THEN 'applied' ELSE 'ignored' END
            WHERE id = $1 AND processed_at IS NULL"#,
        id,
        applied,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A payment's events that could not apply yet, oldest first.
pub async fn waiting_events(
    conn: &mut PgConnection,
    payment_id: Uuid,
) -> Result<Vec<EventRow>, RepoError> {
    let rows = sqlx::query_as!(
        EventRow,
        r#"SELECT id, provider_event_id, type AS event_type, payload
             FROM payment_events
            WHERE payment_id = $1 AND processed_at IS NULL
            ORDER BY received_at, id"#,
        payment_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}
