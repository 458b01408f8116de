//! Rules of the durable job queue: when a failed job runs again and when it gives up.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How a failing job is retried: exponential backoff from `base` doubling per attempt,
/// never longer than `cap`, giving up after `max_attempts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: TimeDelta,
    pub cap: TimeDelta,
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: TimeDelta::seconds(10),
            cap: TimeDelta::hours(6),
            max_attempts: 8,
        }
    }
}

/// What happens to a job after an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureOutcome {
    /// Run again, not before this instant.
    RetryAt(DateTime<Utc>),
    /// No attempts left: the job moves to the dead-letter state for a human to look at.
    Dead,
}

impl RetryPolicy {
    /// The delay before the next attempt after `attempts` failed attempts (1-based).
    /// `jitter` in `[0, 1)` spreads retries of jobs that failed together (a provider outage)
    /// over the upper half of the interval so they don't all return at the same second.
    pub fn delay(&self, attempts: u32, jitter: f64) -> TimeDelta {
        let exponent = attempts.saturating_sub(1).min(30);
        let base_ms = self.base.num_milliseconds().max(0);
        let cap_ms = self.cap.num_milliseconds().max(base_ms);
        let raw = base_ms.saturating_mul(1_i64 << exponent).min(cap_ms);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 0.999_999)
        } else {
            0.0
        };
        // Upper-half jitter: between raw/2 and raw. Truncation is intended (milliseconds).
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        let spread = ((raw / 2) as f64 * jitter) as i64;
        TimeDelta::milliseconds(raw - raw / 2 + spread)
    }

    /// Decides the fate of a job whose attempt number `attempts` just failed at `now`.
    pub fn on_failure(&self, attempts: u32, now: DateTime<Utc>, jitter: f64) -> FailureOutcome {
        if attempts >= self.max_attempts {
            FailureOutcome::Dead
        } else {
            FailureOutcome::RetryAt(now + self.delay(attempts, jitter))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            base: TimeDelta::seconds(10),
            cap: TimeDelta::minutes(10),
            max_attempts: 5,
        }
    }

    #[test]
    fn delay_doubles_per_attempt_without_jitter_at_half_and_full() {
        let p = policy();
        // jitter 0 gives the lower edge (half), jitter ~1 the upper edge (full).
        let cases = [(1, 5_000, 10_000), (2, 10_000, 20_000), (3, 20_000, 40_000)];
        for (attempt, low, high) in cases {
            assert_eq!(
                p.delay(attempt, 0.0).num_milliseconds(),
                low,
                "attempt {attempt}"
            );
            let upper = p.delay(attempt, 0.999_999).num_milliseconds();
            assert!(
                upper <= high && upper > high - 10,
                "attempt {attempt}: {upper}"
            );
        }
    }

    #[test]
    fn delay_never_exceeds_cap() {
        assert_eq!(policy().delay(40, 0.999_999).num_minutes(), 9);
        assert!(policy().delay(u32::MAX, 0.999_999) <= TimeDelta::minutes(10));
    }

    #[test]
    fn gives_up_after_max_attempts() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let p = policy();
        assert_eq!(
            p.on_failure(4, now, 0.0),
            FailureOutcome::RetryAt(now + TimeDelta::seconds(40))
        );
        assert_eq!(p.on_failure(5, now, 0.0), FailureOutcome::Dead);
        assert_eq!(p.on_failure(6, now, 0.0), FailureOutcome::Dead);
    }

    #[test]
    fn nonsense_jitter_is_ignored() {
        let p = policy();
        assert_eq!(p.delay(1, f64::NAN), p.delay(1, 0.0));
        assert_eq!(p.delay(1, -3.0), p.delay(1, 0.0));
    }

    proptest! {
        #[test]
        fn delay_is_monotonic_and_bounded(attempt in 1u32..64, jitter in 0.0f64..1.0) {
            let p = policy();
            let d = p.delay(attempt, jitter);
            prop_assert!(d >= TimeDelta::seconds(5));
            prop_assert!(d <= p.cap);
            // The lower edge never shrinks as attempts grow.
            prop_assert!(p.delay(attempt + 1, 0.0) >= p.delay(attempt, 0.0));
        }
    }
}

/// Where a durable job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "job_status", rename_all = "snake_case")
)]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Dead,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Dead => "dead",
        }
    }
}
