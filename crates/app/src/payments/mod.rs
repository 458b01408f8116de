//! The payment core (SPEC C8): starting a payment at the configured gateway, the provider's
//! signed webhooks (each processed exactly once), refunds, the payer's own list, and the
//! sandbox provider's hosted page.
//!
//! A payment moves only on a verified webhook. Every webhook is kept in `payment_events` under
//! the provider's event id, so a redelivery changes nothing; one that cannot apply yet (a
//! refund before the success it follows) waits and is applied right after that change; one that
//! never applies (unknown type or payment, a step already taken) is kept and ignored. When a
//! payment succeeds, [`settled`] is the one place that tells its purpose.

pub mod sandbox;

use std::sync::Arc;

use chrono::Utc;
use rxgate_domain::identity::Role;
use rxgate_domain::money::Money;
use rxgate_domain::payments::{self as rule, PaymentChange, PaymentPurpose, PaymentStatus};
use rxgate_integrations::payments::{
    GatewayError, NewPayment, NextAction, PaymentGateway, RefundRequest, SandboxAction,
    SandboxGateway, WebhookChange, WebhookError, WebhookHeaders,
};
use rxgate_persistence::Db;
use rxgate_persistence::pagination::{TimeCursor, finish_page};
use rxgate_persistence::payments::{self, PaymentRow, RefundRow};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// Starts a sandbox consult-fee payment of `amount_minor` `currency` by the caller, in the
/// clinic they belong to (the developer tools' stand-in for booking, so the sandbox's page can
/// be tried before anything else starts payments). Only with the sandbox gateway (else 404).
pub async fn start_test_payment(
    db: &Db,
    gateways: &Gateways,
    actor: &Actor,
    facts: &RequestFacts,
    amount_minor: i64,
    currency: &str,
) -> Result<StartedPayment, AppError> {
    if gateways.sandbox.is_none() {
        return Err(AppError::NotFound);
    }
    let amount = rxgate_domain::money::Currency::parse(currency)
        .and_then(|c| Money::new(amount_minor, c))
        .map_err(|e| {
            AppError::Validation(vec![rxgate_api_types::FieldError {
                field: "currency".into(),
                code: "invalid".into(),
                message: e.to_string(),
            }])
        })?;
    let clinic = actor
        .acting_clinic_any_role(None)?
        .ok_or_else(|| AppError::Rule {
            code: "NO_CLINIC",
            detail: "A payment is made to a clinic, and you belong to none.".into(),
        })?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let started = start(
        &mut tx,
        gateways.gateway.as_ref(),
        actor.user_id,
        clinic,
        PaymentPurpose::ConsultFee,
        Uuid::now_v7(),
        &amount,
    )
    .await?;
    tx.commit().await?;
    Ok(started)
}

/// The configured gateway, and the sandbox's own controls when it is the sandbox.
#[derive(Clone)]
pub struct Gateways {
    pub gateway: Arc<dyn PaymentGateway>,
    pub sandbox: Option<Arc<SandboxGateway>>,
}

impl Gateways {
    pub fn sandbox(sandbox: Arc<SandboxGateway>) -> Self {
        Self {
            gateway: sandbox.clone(),
            sandbox: Some(sandbox),
        }
    }
}

/// A payment just started, and where its payer goes to pay.
#[derive(Debug, Clone)]
pub struct StartedPayment {
    pub payment: PaymentRow,
    pub next: NextAction,
}

/// Starts a payment of `amount` by `payer` to `clinic` for `purpose` (`reference` names what
/// it pays for: the booking of a consult fee), inside the caller's transaction `tx` (acting as
/// the payer): the payment is recorded `pending` and created at the gateway, and commits or
/// rolls back with the caller's own writes. Send the payer to `next` to pay.
pub async fn start(
    tx: &mut Work<'_>,
    gateway: &dyn PaymentGateway,
    payer: Uuid,
    clinic: Uuid,
    purpose: PaymentPurpose,
    reference: Uuid,
    amount: &Money,
) -> Result<StartedPayment, AppError> {
    let id = Uuid::now_v7();
    payments::insert(
        tx,
        &payments::NewPayment {
            id,
            payer_id: payer,
            clinic_id: clinic,
            amount_minor: amount.amount_minor(),
            currency: amount.currency().as_str(),
            purpose,
            reference,
            provider: gateway.provider(),
        },
    )
    .await?;
    let created = gateway
        .create_payment(&NewPayment {
            payment_id: id,
            amount_minor: amount.amount_minor(),
            currency: amount.currency().as_str().to_owned(),
            description: description(purpose).to_owned(),
        })
        .await
        .map_err(gateway_error)?;
    payments::set_provider_reference(tx, id, &created.provider_reference).await?;
    tx.record(
        Event::new("start", "payment", id)
            .in_clinic(Some(clinic))
            .details(serde_json::json!({
                "purpose": purpose.as_str(),
                "reference": reference,
                "amount_minor": amount.amount_minor(),
                "currency": amount.currency().as_str(),
                "provider": gateway.provider(),
            })),
    )
    .await?;
    let payment = payments::find(tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(StartedPayment {
        payment,
        next: created.next,
    })
}

/// What the buyer sees on the provider's page for each purpose (never clinical).
fn description(purpose: PaymentPurpose) -> &'static str {
    match purpose {
        PaymentPurpose::ConsultFee => "Consultation fee",
    }
}

/// The one dispatch point of a payment that has just succeeded, in the webhook's transaction:
/// each purpose does what its payment unlocks.
pub async fn settled(tx: &mut PgConnection, payment: &PaymentRow) -> Result<(), AppError> {
    match payment.purpose {
        PaymentPurpose::ConsultFee => {
            // The held booking becomes confirmed. A hold that ended before the money arrived
            // (it lapsed, or was cancelled) is not revived: the fee goes back.
            // (A payment whose reference is no booking, such as the developer tools' test
            // payment, unlocks nothing.)
            let booking = rxgate_persistence::booking::find(&mut *tx, payment.reference).await?;
            if booking.is_some()
                && !crate::booking::confirm_paid(&mut *tx, payment.reference).await?
            {
                queue_refund(
                    tx,
                    payment.id,
                    None,
                    "The consult's hold had ended before the fee arrived",
                )
                .await?;
            }
            Ok(())
        }
    }
}

/// The job that refunds a payment for the platform (a cancelled consult, a fee that arrived
/// after its hold ended): queued in the transaction that decides it, so it happens exactly
/// when that commits.
pub const REFUND_JOB: &str = "payments.refund";

/// Queues a refund of `amount_minor` (all that is left when `None`) of `payment` for `reason`.
pub async fn queue_refund(
    conn: &mut PgConnection,
    payment: Uuid,
    amount_minor: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    rxgate_persistence::jobs::enqueue(
        conn,
        &rxgate_persistence::jobs::NewJob::new(
            REFUND_JOB,
            serde_json::json!({ "payment_id": payment, "amount_minor": amount_minor, "reason": reason }),
        ),
    )
    .await?;
    Ok(())
}

/// Asks the provider to refund `amount_minor` (all that is left when `None`) of `payment_id`
/// for the platform (the refund job, as the system). `None` when nothing is left to refund.
pub async fn refund_for_platform(
    db: &Db,
    gateways: &Gateways,
    facts: &RequestFacts,
    payment_id: Uuid,
    amount_minor: Option<i64>,
    reason: &str,
) -> Result<Option<RefundRow>, AppError> {
    let mut tx = Work::system(db, facts).await?;
    let Some(payment) = payments::lock(&mut tx, payment_id).await? else {
        return Ok(None);
    };
    if !payment.status.refundable() {
        return Ok(None);
    }
    let requested = payments::requested_refund_total(&mut tx, payment.id).await?;
    let left = payment.amount_minor - payment.refunded_minor - requested;
    let amount = amount_minor.unwrap_or(left).min(left);
    if amount <= 0 {
        return Ok(None);
    }
    let refund = request_refund(
        &mut tx,
        gateways.gateway.as_ref(),
        &payment,
        amount,
        reason,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(refund))
}

/// Records a refund of `amount` of the locked `payment` and asks the provider for it.
async fn request_refund(
    tx: &mut Work<'_>,
    gateway: &dyn PaymentGateway,
    payment: &PaymentRow,
    amount: i64,
    reason: &str,
    actor: Option<Uuid>,
) -> Result<RefundRow, AppError> {
    let refund_id = Uuid::now_v7();
    payments::insert_refund(tx, refund_id, payment.id, amount, reason, actor).await?;
    let created = gateway
        .refund(&RefundRequest {
            refund_id,
            payment_id: payment.id,
            provider_reference: payment.provider_reference.clone().unwrap_or_default(),
            amount_minor: amount,
            currency: payment.currency.clone(),
        })
        .await
        .map_err(gateway_error)?;
    payments::set_refund_reference(tx, refund_id, &created.provider_reference).await?;
    tx.record(
        Event::new("refund_requested", "payment", payment.id)
            .risk("medium")
            .in_clinic(Some(payment.clinic_id))
            .details(serde_json::json!({
                "refund_id": refund_id,
                "amount_minor": amount,
                "reason": reason,
            })),
    )
    .await?;
    payments::find_refund(tx, refund_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What became of one webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// It changed a payment or refund.
    Applied,
    /// Kept; it applies once the payment has moved on.
    Waiting,
    /// Kept; it changes nothing (unknown type or payment, a step already taken).
    Ignored,
    /// This event was received before: nothing done.
    Duplicate,
}

/// Receives one webhook of `provider`: verifies its signature over the raw `body` (else
/// `400 INVALID_SIGNATURE`, nothing stored), keeps it once, and applies it.
pub async fn handle_webhook(
    db: &Db,
    gateways: &Gateways,
    facts: &RequestFacts,
    provider: &str,
    body: &[u8],
    headers: &WebhookHeaders,
) -> Result<WebhookOutcome, AppError> {
    let gateway = &gateways.gateway;
    if provider != gateway.provider() {
        return Err(AppError::NotFound);
    }
    let event = gateway
        .verify_webhook(body, headers, Utc::now())
        .map_err(|e| match e {
            WebhookError::Signature(why) => AppError::BadRequest {
                code: "INVALID_SIGNATURE",
                detail: format!("The webhook signature was refused: {why}."),
            },
            WebhookError::Malformed(why) => AppError::BadRequest {
                code: "INVALID_WEBHOOK",
                detail: format!("The webhook body is not one this provider sends: {why}."),
            },
        })?;
    let mut tx = Work::system(db, facts).await?;
    let Some(event_id) = payments::insert_event(
        &mut tx,
        provider,
        &event.provider_event_id,
        &event.event_type,
        event.change.payment_id(),
        &event.payload,
    )
    .await?
    else {
        tx.commit().await?;
        return Ok(WebhookOutcome::Duplicate);
    };
    let outcome = apply(&mut tx, &event.change).await?;
    if outcome != WebhookOutcome::Waiting {
        payments::mark_event(&mut tx, event_id, outcome == WebhookOutcome::Applied).await?;
    }
    tx.record(
        Event::new("webhook", "payment_event", event_id).details(serde_json::json!({
            "provider": provider,
            "type": event.event_type,
            "payment_id": event.change.payment_id(),
            "outcome": format!("{outcome:?}").to_lowercase(),
        })),
    )
    .await?;
    if outcome == WebhookOutcome::Applied
        && let Some(payment_id) = event.change.payment_id()
    {
        apply_waiting(&mut tx, gateway.as_ref(), payment_id).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Applies the events of `payment_id` that were waiting, oldest first, until none more apply.
async fn apply_waiting(
    tx: &mut Work<'_>,
    gateway: &dyn PaymentGateway,
    payment_id: Uuid,
) -> Result<(), AppError> {
    loop {
        let mut progressed = false;
        for waiting in payments::waiting_events(tx, payment_id).await? {
            let change = gateway
                .read_event(waiting.payload.clone())
                .map_or(WebhookChange::Unknown, |e| e.change);
            match apply(tx, &change).await? {
                WebhookOutcome::Waiting => {}
                outcome => {
                    let applied = outcome == WebhookOutcome::Applied;
                    payments::mark_event(tx, waiting.id, applied).await?;
                    progressed |= applied;
                }
            }
        }
        if !progressed {
            return Ok(());
        }
    }
}

/// Applies one verified change to its payment (locked for the rest of the transaction).
async fn apply(tx: &mut Work<'_>, change: &WebhookChange) -> Result<WebhookOutcome, AppError> {
    let Some(payment_id) = change.payment_id() else {
        return Ok(WebhookOutcome::Ignored);
    };
    let Some(payment) = payments::lock(tx, payment_id).await? else {
        return Ok(WebhookOutcome::Ignored);
    };
    let (step, refund) = match change {
        WebhookChange::PaymentSucceeded { .. } => (PaymentChange::Succeed, None),
        WebhookChange::PaymentFailed { .. } => (PaymentChange::Fail, None),
        WebhookChange::RefundSucceeded {
            refund_id,
            amount_minor,
            ..
        } => {
            let Some(refund) = payments::find_refund(tx, *refund_id).await? else {
                return Ok(WebhookOutcome::Ignored);
            };
            if refund.payment_id != payment.id
                || refund.status != "requested"
                || refund.amount_minor != *amount_minor
            {
                return Ok(WebhookOutcome::Ignored);
            }
            (
                PaymentChange::Refund {
                    amount_minor: refund.amount_minor,
                    already_refunded_minor: payment.refunded_minor,
                    total_minor: payment.amount_minor,
                },
                Some(refund),
            )
        }
        WebhookChange::RefundFailed { refund_id, .. } => {
            let settled = payments::settle_refund(tx, *refund_id, false).await?;
            return Ok(if settled {
                WebhookOutcome::Applied
            } else {
                WebhookOutcome::Ignored
            });
        }
        WebhookChange::Unknown => return Ok(WebhookOutcome::Ignored),
    };
    let (to, refunded) = match rule::transition(payment.status, step) {
        Ok(next) => next,
        Err(e) if e.may_apply_later() => return Ok(WebhookOutcome::Waiting),
        Err(_) => return Ok(WebhookOutcome::Ignored),
    };
    let Some(updated) =
        payments::apply(tx, payment.id, rule::allowed_from(step), to, refunded).await?
    else {
        // Locked above, so nothing can have moved it: treat it like a step already taken.
        return Ok(WebhookOutcome::Ignored);
    };
    if let Some(refund) = refund {
        payments::settle_refund(tx, refund.id, true).await?;
    }
    tx.record(
        Event::new("status_change", "payment", payment.id)
            .risk("medium")
            .in_clinic(Some(payment.clinic_id))
            .details(serde_json::json!({
                "from": payment.status.as_str(),
                "to": to.as_str(),
                "refunded_minor": refunded,
            })),
    )
    .await?;
    if to == PaymentStatus::Succeeded {
        settled(tx, &updated).await?;
    }
    Ok(WebhookOutcome::Applied)
}

/// A refund asked of the provider, and its payment.
#[derive(Debug, Clone)]
pub struct RequestedRefund {
    pub refund: RefundRow,
    pub payment: PaymentRow,
}

/// Asks the provider to give back `amount_minor` of `payment_id` (all that is left when
/// `None`), for `reason`. Platform admins, and the clinic admins of the payment's clinic; the
/// refund applies when the provider confirms it by webhook.
pub async fn refund(
    db: &Db,
    gateways: &Gateways,
    actor: &Actor,
    facts: &RequestFacts,
    payment_id: Uuid,
    amount_minor: Option<i64>,
    reason: &str,
) -> Result<RequestedRefund, AppError> {
    let may =
        actor.has(Role::PlatformAdmin) || actor.clinics_as(Role::ClinicAdmin).next().is_some();
    if !may {
        return Err(AppError::Forbidden {
            code: "FORBIDDEN",
            detail: "Refunds need the platform_admin or clinic_admin role.".into(),
        });
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::Validation(vec![rxgate_api_types::FieldError {
            field: "reason".into(),
            code: "length".into(),
            message: "Say why, in 1 to 500 characters.".into(),
        }]));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let payment = payments::lock(&mut tx, payment_id)
        .await?
        .filter(|p| actor.has(Role::PlatformAdmin) || actor.is_at(Role::ClinicAdmin, p.clinic_id))
        .ok_or(AppError::NotFound)?;
    if !payment.status.refundable() {
        return Err(AppError::Conflict {
            code: "PAYMENT_NOT_REFUNDABLE",
            detail: format!("A {} payment cannot be refunded.", payment.status),
        });
    }
    let requested = payments::requested_refund_total(&mut tx, payment.id).await?;
    let left = payment.amount_minor - payment.refunded_minor - requested;
    let amount = amount_minor.unwrap_or(left);
    if amount <= 0 || amount > left {
        return Err(AppError::Rule {
            code: "REFUND_TOO_LARGE",
            detail: format!(
                "{left} minor units of this payment can still be refunded; {amount} was asked."
            ),
        });
    }
    let refund = request_refund(
        &mut tx,
        gateways.gateway.as_ref(),
        &payment,
        amount,
        reason,
        Some(actor.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(RequestedRefund { refund, payment })
}

fn gateway_error(e: GatewayError) -> AppError {
    match e {
        GatewayError::Refused(why) => AppError::Rule {
            code: "PROVIDER_REFUSED",
            detail: format!("The payment provider refused: {why}"),
        },
        GatewayError::Unavailable(_) => AppError::internal(e),
    }
}

/// A page of the caller's own payments.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<PaymentRow>,
    pub next_cursor: Option<String>,
}

/// The caller's payments, newest first.
pub async fn list_mine(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page, AppError> {
    let before = cursor
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = payments::list_for_payer(&mut tx, actor.user_id, before, limit + 1).await?;
    tx.record(Event::new("read", "payments", actor.user_id))
        .await?;
    tx.commit().await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        TimeCursor {
            at: r.created_at,
            id: r.id,
        }
        .encode()
    });
    Ok(Page { rows, next_cursor })
}

/// One of the caller's own payments (another's is 404).
pub async fn get_mine(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<PaymentRow, AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    let payment = payments::find(&mut tx, id)
        .await?
        .filter(|p| p.payer_id == actor.user_id)
        .ok_or(AppError::NotFound)?;
    tx.record(Event::new("read", "payment", id)).await?;
    tx.commit().await?;
    Ok(payment)
}

/// The sandbox's hosted page: the payment its payer is about to act on. Only the payer, and
/// only when the configured gateway is the sandbox (else 404).
pub async fn sandbox_view(
    db: &Db,
    gateways: &Gateways,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<PaymentRow, AppError> {
    if gateways.sandbox.is_none() {
        return Err(AppError::NotFound);
    }
    get_mine(db, actor, facts, id).await
}

/// The payer pays or declines on the sandbox's page: the sandbox answers later with a signed
/// webhook, as a real provider would. Only a pending payment (else `409 PAYMENT_NOT_PENDING`).
pub async fn sandbox_act(
    db: &Db,
    gateways: &Gateways,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    action: SandboxAction,
) -> Result<PaymentRow, AppError> {
    let sandbox = gateways.sandbox.as_ref().ok_or(AppError::NotFound)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let payment = payments::find(&mut tx, id)
        .await?
        .filter(|p| p.payer_id == actor.user_id && p.provider == sandbox.provider())
        .ok_or(AppError::NotFound)?;
    if payment.status != PaymentStatus::Pending {
        return Err(AppError::Conflict {
            code: "PAYMENT_NOT_PENDING",
            detail: format!("This payment is {} already.", payment.status),
        });
    }
    tx.record(
        Event::new(
            match action {
                SandboxAction::Pay => "sandbox_pay",
                SandboxAction::Decline => "sandbox_decline",
            },
            "payment",
            id,
        )
        .in_clinic(Some(payment.clinic_id)),
    )
    .await?;
    sandbox
        .buyer_acted(
            action,
            payment.id,
            payment.amount_minor,
            &payment.currency,
            Utc::now(),
        )
        .await
        .map_err(gateway_error)?;
    tx.commit().await?;
    Ok(payment)
}

/// The gateway `settings` configure, delivering the sandbox's webhooks through jobs on `db`.
pub fn gateways(settings: &crate::Settings, db: &Db) -> Gateways {
    match settings.payments.gateway {
        crate::configuration::PaymentGatewayKind::Sandbox => {
            Gateways::sandbox(Arc::new(SandboxGateway::new(
                &settings.application.public_url,
                settings.payments.sandbox_webhook_secret.clone(),
                Arc::new(sandbox::JobOutbox::new(db.clone())),
            )))
        }
    }
}

/// Where the sandbox delivers its webhooks: `payments.sandbox_webhook_url`, or this
/// installation's public URL.
pub fn sandbox_webhook_url(settings: &crate::Settings) -> String {
    settings
        .payments
        .sandbox_webhook_url
        .clone()
        .unwrap_or_else(|| {
            format!(
                "{}/api/v1/payments/webhooks/sandbox",
                settings.application.public_url.trim_end_matches('/')
            )
        })
}
