//! Payments: provider webhooks, the payer's own payments, refunds and the sandbox provider's
//! hosted page.

pub mod create_refund;
pub mod get_payment;
pub mod list_payments;
pub mod receive_webhook;
pub mod sandbox;

use rxgate_api_types::catalogue::MoneyView;
use rxgate_api_types::payments::{PaymentView, RefundView};
use rxgate_api_types::vocab::RefundStatus;
use rxgate_persistence::payments::{PaymentRow, RefundRow};

use crate::error::ApiError;

pub(crate) fn to_view(p: PaymentRow) -> PaymentView {
    PaymentView {
        id: p.id,
        clinic_id: p.clinic_id,
        purpose: p.purpose.into(),
        reference: p.reference,
        amount: MoneyView {
            amount_minor: p.amount_minor,
            currency: p.currency.clone(),
        },
        refunded: MoneyView {
            amount_minor: p.refunded_minor,
            currency: p.currency,
        },
        status: p.status.into(),
        provider: p.provider,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

pub(crate) fn refund_view(r: RefundRow, currency: &str) -> Result<RefundView, ApiError> {
    Ok(RefundView {
        id: r.id,
        payment_id: r.payment_id,
        amount: MoneyView {
            amount_minor: r.amount_minor,
            currency: currency.to_owned(),
        },
        status: RefundStatus::parse(&r.status)
            .ok_or_else(|| rxgate_app::AppError::unexpected("refund status", &r.status))?,
        created_at: r.created_at,
    })
}
