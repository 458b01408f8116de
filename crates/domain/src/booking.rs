//! Bookings of consult slots (SPEC C4): their states, who may move them, and the clinic's
//! cancellation policy.
//!
//! `held → confirmed → completed | cancelled | no_show`, and `held → expired | cancelled`.
//! A hold keeps the slot while the patient pays the consult fee; the payment's success confirms
//! it, and a durable job expires a hold that was not paid in time. Every change goes through
//! [`BookingStatus::transition`]; persistence applies it as a compare-and-set with an event row.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::money::Money;

/// How a consult is held. `async_form` (a questionnaire and a request, no meeting) only where
/// the clinic allows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "consult_mode", rename_all = "snake_case")
)]
pub enum ConsultMode {
    Video,
    Audio,
    AsyncForm,
}

impl ConsultMode {
    pub const ALL: [Self; 3] = [Self::Video, Self::Audio, Self::AsyncForm];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Video => "video",
            Self::Audio => "audio",
            Self::AsyncForm => "async_form",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    /// Whether the mode takes a time in the doctor's calendar.
    pub fn is_live(self) -> bool {
        !matches!(self, Self::AsyncForm)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "booking_status", rename_all = "snake_case")
)]
pub enum BookingStatus {
    /// The slot is kept while the fee is paid.
    Held,
    Confirmed,
    Completed,
    Cancelled,
    NoShow,
    /// The hold lapsed unpaid.
    Expired,
}

/// Who asks for a change, and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingAction {
    /// The fee was paid (the payment's webhook).
    Confirm,
    /// The hold's time ran out (a durable job).
    Expire,
    /// The patient, the doctor or the clinic calls it off.
    Cancel,
    /// The doctor records that the consult took place.
    Complete,
    /// The doctor records that the patient did not come.
    MarkNoShow,
}

impl BookingAction {
    pub const ALL: [Self; 5] = [
        Self::Confirm,
        Self::Expire,
        Self::Cancel,
        Self::Complete,
        Self::MarkNoShow,
    ];
}

/// Why a booking changed: a fixed vocabulary, never free text, so nothing clinical is stored
/// beside a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "booking_reason", rename_all = "snake_case")
)]
pub enum BookingReason {
    Booked,
    Paid,
    HoldExpired,
    PaymentFailed,
    PatientCancelled,
    DoctorCancelled,
    ClinicCancelled,
    Rescheduled,
    Completed,
    NoShow,
}

/// Why a booking change is refused. [`BookingError::code`] is the stable code clients see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    #[error("a {from} booking cannot be moved by {action:?}")]
    InvalidTransition {
        from: BookingStatus,
        action: BookingAction,
    },
    #[error("the consult has not started yet")]
    NotStarted,
    #[error("only a held or confirmed booking that has not started can be moved")]
    NotReschedulable,
}

impl BookingError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "INVALID_BOOKING_TRANSITION",
            Self::NotStarted => "CONSULT_NOT_STARTED",
            Self::NotReschedulable => "NOT_RESCHEDULABLE",
        }
    }
}

impl BookingStatus {
    pub const ALL: [Self; 6] = [
        Self::Held,
        Self::Confirmed,
        Self::Completed,
        Self::Cancelled,
        Self::NoShow,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::Confirmed => "confirmed",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
            Self::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the booking still takes its slot (the exclusion constraint's predicate).
    pub fn takes_slot(self) -> bool {
        matches!(self, Self::Held | Self::Confirmed)
    }

    pub fn is_final(self) -> bool {
        !self.takes_slot()
    }

    /// The state `action` leads to from `self`, or why it cannot.
    pub fn transition(self, action: BookingAction) -> Result<Self, BookingError> {
        use BookingAction as A;
        use BookingStatus as S;
        match (self, action) {
            (S::Held, A::Confirm) => Ok(S::Confirmed),
            (S::Held, A::Expire) => Ok(S::Expired),
            (S::Held | S::Confirmed, A::Cancel) => Ok(S::Cancelled),
            (S::Confirmed, A::Complete) => Ok(S::Completed),
            (S::Confirmed, A::MarkNoShow) => Ok(S::NoShow),
            (from, action) => Err(BookingError::InvalidTransition { from, action }),
        }
    }

    /// [`Self::transition`] at time `now` for a booking starting at `starts`: a consult is
    /// completed or marked as missed only once it has started.
    pub fn transition_at(
        self,
        action: BookingAction,
        starts: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, BookingError> {
        let next = self.transition(action)?;
        if matches!(action, BookingAction::Complete | BookingAction::MarkNoShow) && now < starts {
            return Err(BookingError::NotStarted);
        }
        Ok(next)
    }

    /// The states from which `action` is allowed (the compare-and-set's `WHERE status = ANY`).
    pub fn sources(action: BookingAction) -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|s| s.transition(action).is_ok())
            .collect()
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A clinic's cancellation policy: free until `free_until_hours` before the start; later the
/// clinic keeps the fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancellationPolicy {
    pub free_until_hours: i64,
}

impl CancellationPolicy {
    /// What goes back to the patient when a booking with `fee` starting at `starts` is cancelled
    /// at `now`. A cancellation by the doctor or the clinic always refunds in full.
    pub fn refund(
        &self,
        fee: &Money,
        starts: DateTime<Utc>,
        now: DateTime<Utc>,
        by_patient: bool,
    ) -> Money {
        if !by_patient || now <= starts - Duration::hours(self.free_until_hours) {
            fee.clone()
        } else {
            Money::zero(fee.currency().clone())
        }
    }

    /// Whether a patient's move to another time is still free (the same window as cancelling).
    pub fn may_reschedule(&self, starts: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now <= starts - Duration::hours(self.free_until_hours)
    }
}

/// Whether a booking in `status` starting at `starts` can move to another time at `now`.
pub fn check_reschedule(
    status: BookingStatus,
    starts: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    if status.takes_slot() && now < starts {
        Ok(())
    } else {
        Err(BookingError::NotReschedulable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use BookingAction as A;
    use BookingStatus as S;

    #[test]
    fn every_state_and_action_is_in_the_table() {
        let table = [
            (S::Held, A::Confirm, Some(S::Confirmed)),
            (S::Held, A::Expire, Some(S::Expired)),
            (S::Held, A::Cancel, Some(S::Cancelled)),
            (S::Held, A::Complete, None),
            (S::Held, A::MarkNoShow, None),
            (S::Confirmed, A::Confirm, None),
            (S::Confirmed, A::Expire, None),
            (S::Confirmed, A::Cancel, Some(S::Cancelled)),
            (S::Confirmed, A::Complete, Some(S::Completed)),
            (S::Confirmed, A::MarkNoShow, Some(S::NoShow)),
        ];
        for from in S::ALL {
            for action in A::ALL {
                let expected = table
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .and_then(|(_, _, to)| *to);
                assert_eq!(from.transition(action).ok(), expected, "{from} {action:?}");
                if from.is_final() {
                    assert_eq!(
                        from.transition(action).unwrap_err().code(),
                        "INVALID_BOOKING_TRANSITION"
                    );
                }
            }
        }
        assert_eq!(BookingStatus::sources(A::Cancel), [S::Held, S::Confirmed]);
        assert_eq!(BookingStatus::sources(A::Complete), [S::Confirmed]);
        for s in S::ALL {
            assert_eq!(BookingStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_consult_is_completed_or_missed_only_once_it_started() {
        let starts: DateTime<Utc> = "2026-06-10T09:00:00Z".parse().unwrap();
        let before = starts - Duration::minutes(1);
        assert_eq!(
            S::Confirmed.transition_at(A::MarkNoShow, starts, before),
            Err(BookingError::NotStarted)
        );
        assert_eq!(
            S::Confirmed.transition_at(A::Complete, starts, starts),
            Ok(S::Completed)
        );
        assert_eq!(
            S::Confirmed.transition_at(A::Cancel, starts, before),
            Ok(S::Cancelled)
        );
    }

    #[test]
    fn late_cancellations_by_the_patient_keep_the_fee() {
        let policy = CancellationPolicy {
            free_until_hours: 24,
        };
        let fee = Money::new(45_000, Currency::parse("ZAR").unwrap()).unwrap();
        let starts: DateTime<Utc> = "2026-06-10T09:00:00Z".parse().unwrap();
        let day_before = starts - Duration::hours(24);
        assert_eq!(policy.refund(&fee, starts, day_before, true), fee);
        let late = day_before + Duration::seconds(1);
        assert_eq!(policy.refund(&fee, starts, late, true).amount_minor(), 0);
        assert_eq!(
            policy.refund(&fee, starts, late, false),
            fee,
            "the clinic cancelling refunds"
        );
        assert!(policy.may_reschedule(starts, day_before));
        assert!(!policy.may_reschedule(starts, late));
        assert_eq!(check_reschedule(S::Confirmed, starts, late), Ok(()));
        assert_eq!(
            check_reschedule(S::Completed, starts, late),
            Err(BookingError::NotReschedulable)
        );
        assert_eq!(
            check_reschedule(S::Held, starts, starts),
            Err(BookingError::NotReschedulable)
        );
    }
}
