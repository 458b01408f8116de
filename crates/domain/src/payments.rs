//! Payments: what a payment is for, where it stands, and the one rule for how it moves.
//!
//! A payment starts `pending`; the provider then says it `succeeded` or `failed`; a succeeded
//! payment can be refunded in one go (`refunded`) or in parts (`partially_refunded` until the
//! parts add up to the amount). Every change is [`transition`]: the database applies it as a
//! compare-and-set on the statuses [`allowed_from`] lists, so two webhooks racing each other
//! cannot both move a payment.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "payment_status", rename_all = "snake_case")
)]
pub enum PaymentStatus {
    Pending,
    Succeeded,
    Failed,
    Refunded,
    PartiallyRefunded,
}

impl PaymentStatus {
    pub const ALL: [Self; 5] = [
        Self::Pending,
        Self::Succeeded,
        Self::Failed,
        Self::Refunded,
        Self::PartiallyRefunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Refunded => "refunded",
            Self::PartiallyRefunded => "partially_refunded",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The money was taken (and not all of it given back yet): a refund may be asked for.
    pub fn refundable(self) -> bool {
        matches!(self, Self::Succeeded | Self::PartiallyRefunded)
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a payment pays for. Each purpose has its arm in the application's settlement point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "payment_purpose", rename_all = "snake_case")
)]
pub enum PaymentPurpose {
    /// A consultation's fee; the reference is the booking.
    ConsultFee,
}

impl PaymentPurpose {
    pub const ALL: [Self; 1] = [Self::ConsultFee];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConsultFee => "consult_fee",
        }
    }
}

/// What the provider says happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentChange {
    /// The buyer paid.
    Succeed,
    /// The payment was declined or abandoned for good.
    Fail,
    /// Money was given back: `amount_minor` of it, on top of `already_refunded_minor`, of a
    /// payment of `total_minor`.
    Refund {
        amount_minor: i64,
        already_refunded_minor: i64,
        total_minor: i64,
    },
}

impl PaymentChange {
    /// Every kind of change once (for tables of the rule).
    fn kind(self) -> &'static str {
        match self {
            Self::Succeed => "succeed",
            Self::Fail => "fail",
            Self::Refund { .. } => "refund",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentTransitionError {
    /// The change does not apply to a payment in this status (yet, or any more).
    #[error("a {from} payment cannot {change}")]
    NotFrom {
        from: PaymentStatus,
        change: &'static str,
    },
    /// A refund of nothing, or of more than is left to refund.
    #[error("a refund of {amount_minor} is more than the {left_minor} left to refund")]
    RefundTooLarge { amount_minor: i64, left_minor: i64 },
}

impl PaymentTransitionError {
    /// Whether the same change may apply later, once the payment has moved on (a refund that
    /// arrived before the success it follows).
    pub fn may_apply_later(&self) -> bool {
        matches!(
            self,
            Self::NotFrom {
                from: PaymentStatus::Pending,
                change: "refund"
            }
        )
    }
}

/// The statuses `change` may start from: the `WHERE status = ANY(…)` of its compare-and-set.
pub fn allowed_from(change: PaymentChange) -> &'static [PaymentStatus] {
    use PaymentStatus as S;
    match change {
        PaymentChange::Succeed | PaymentChange::Fail => &[S::Pending],
        PaymentChange::Refund { .. } => &[S::Succeeded, S::PartiallyRefunded],
    }
}

/// The status a payment in `from` moves to on `change`, and its refunded total after it.
pub fn transition(
    from: PaymentStatus,
    change: PaymentChange,
) -> Result<(PaymentStatus, i64), PaymentTransitionError> {
    use PaymentStatus as S;
    let not_from = PaymentTransitionError::NotFrom {
        from,
        change: change.kind(),
    };
    if !allowed_from(change).contains(&from) {
        return Err(not_from);
    }
    match change {
        PaymentChange::Succeed => Ok((S::Succeeded, 0)),
        PaymentChange::Fail => Ok((S::Failed, 0)),
        PaymentChange::Refund {
            amount_minor,
            already_refunded_minor,
            total_minor,
        } => {
            let left = total_minor.saturating_sub(already_refunded_minor).max(0);
            if amount_minor <= 0 || amount_minor > left {
                return Err(PaymentTransitionError::RefundTooLarge {
                    amount_minor,
                    left_minor: left,
                });
            }
            let refunded = already_refunded_minor + amount_minor;
            let status = if refunded == total_minor {
                S::Refunded
            } else {
                S::PartiallyRefunded
            };
            Ok((status, refunded))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentStatus as S;

    fn refund(amount: i64, already: i64) -> PaymentChange {
        PaymentChange::Refund {
            amount_minor: amount,
            already_refunded_minor: already,
            total_minor: 1000,
        }
    }

    /// Every status against every kind of change: exactly these succeed.
    #[test]
    fn the_transition_table_is_exactly_this() {
        let changes = [PaymentChange::Succeed, PaymentChange::Fail, refund(400, 0)];
        let expected: &[(S, &str, Option<S>)] = &[
            (S::Pending, "succeed", Some(S::Succeeded)),
            (S::Pending, "fail", Some(S::Failed)),
            (S::Pending, "refund", None),
            (S::Succeeded, "succeed", None),
            (S::Succeeded, "fail", None),
            (S::Succeeded, "refund", Some(S::PartiallyRefunded)),
            (S::Failed, "succeed", None),
            (S::Failed, "fail", None),
            (S::Failed, "refund", None),
            (S::Refunded, "succeed", None),
            (S::Refunded, "fail", None),
            (S::Refunded, "refund", None),
            (S::PartiallyRefunded, "succeed", None),
            (S::PartiallyRefunded, "fail", None),
            (S::PartiallyRefunded, "refund", Some(S::PartiallyRefunded)),
        ];
        let mut seen = 0;
        for from in S::ALL {
            for change in changes {
                let want = expected
                    .iter()
                    .find(|(f, c, _)| *f == from && *c == change.kind())
                    .map(|(_, _, to)| *to)
                    .unwrap_or_else(|| panic!("{from} {} missing from the table", change.kind()));
                assert_eq!(
                    transition(from, change).ok().map(|(s, _)| s),
                    want,
                    "{from} on {}",
                    change.kind()
                );
                // The compare-and-set allows exactly the statuses the rule accepts.
                assert_eq!(allowed_from(change).contains(&from), want.is_some());
                seen += 1;
            }
        }
        assert_eq!(seen, expected.len());
    }

    #[test]
    fn refunds_add_up_to_refunded_and_never_past_the_amount() {
        assert_eq!(
            transition(S::Succeeded, refund(1000, 0)),
            Ok((S::Refunded, 1000))
        );
        assert_eq!(
            transition(S::Succeeded, refund(300, 0)),
            Ok((S::PartiallyRefunded, 300))
        );
        assert_eq!(
            transition(S::PartiallyRefunded, refund(700, 300)),
            Ok((S::Refunded, 1000))
        );
        assert_eq!(
            transition(S::PartiallyRefunded, refund(701, 300)),
            Err(PaymentTransitionError::RefundTooLarge {
                amount_minor: 701,
                left_minor: 700
            })
        );
        for nothing in [0, -5] {
            assert!(matches!(
                transition(S::Succeeded, refund(nothing, 0)),
                Err(PaymentTransitionError::RefundTooLarge { .. })
            ));
        }
    }

    #[test]
    fn only_a_refund_of_a_pending_payment_waits_for_later() {
        let early = transition(S::Pending, refund(100, 0)).unwrap_err();
        assert!(early.may_apply_later());
        for from in [S::Failed, S::Refunded] {
            assert!(
                !transition(from, refund(100, 0))
                    .unwrap_err()
                    .may_apply_later()
            );
        }
        assert!(
            !transition(S::Succeeded, PaymentChange::Succeed)
                .unwrap_err()
                .may_apply_later()
        );
    }

    #[test]
    fn statuses_round_trip_through_their_words() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(S::parse("paid"), None);
    }
}
