//! Consultations (SPEC C5): what a confirmed booking becomes, its states, its structured notes,
//! and when its video room is open.
//!
//! `scheduled → in_progress → completed | incomplete`, `scheduled | in_progress → no_show`,
//! `scheduled → cancelled`. Every change goes through [`ConsultationStatus::transition`];
//! persistence applies it as a compare-and-set with an event row.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A room opens this long before the consult starts…
pub const ROOM_OPENS_BEFORE_MINUTES: i64 = 10;
/// …and stays open this long after its end (a consult that overruns a little).
pub const ROOM_GRACE_MINUTES: i64 = 15;
/// The longest one section of the notes may be, in characters.
pub const MAX_NOTE_SECTION_CHARS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "consultation_status", rename_all = "snake_case")
)]
pub enum ConsultationStatus {
    /// Booked and paid; nobody has started it yet.
    Scheduled,
    /// The doctor started it.
    InProgress,
    /// It took place to its end.
    Completed,
    /// It started but could not be finished (a lost connection, a referral in person).
    Incomplete,
    /// The patient did not come.
    NoShow,
    /// The booking was called off.
    Cancelled,
}

/// Who asks for a change, and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsultationAction {
    /// The doctor starts the consult (inside the room's window).
    Start,
    /// The doctor ends it as done.
    Complete,
    /// The doctor ends it as not finished.
    MarkIncomplete,
    /// The doctor records that the patient did not come.
    MarkNoShow,
    /// The booking was cancelled.
    Cancel,
}

impl ConsultationAction {
    pub const ALL: [Self; 5] = [
        Self::Start,
        Self::Complete,
        Self::MarkIncomplete,
        Self::MarkNoShow,
        Self::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Complete => "complete",
            Self::MarkIncomplete => "incomplete",
            Self::MarkNoShow => "no_show",
            Self::Cancel => "cancel",
        }
    }
}

/// Why a consultation change is refused. [`ConsultationError::code`] is the stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsultationError {
    #[error("a {from} consultation cannot be moved by {action:?}")]
    InvalidTransition {
        from: ConsultationStatus,
        action: ConsultationAction,
    },
    #[error("the room is not open at this time")]
    RoomNotOpen,
    #[error("final notes cannot be changed")]
    NotesFinal,
}

impl ConsultationError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "INVALID_CONSULTATION_TRANSITION",
            Self::RoomNotOpen => "ROOM_NOT_OPEN",
            Self::NotesFinal => "NOTES_FINAL",
        }
    }
}

impl ConsultationStatus {
    pub const ALL: [Self; 6] = [
        Self::Scheduled,
        Self::InProgress,
        Self::Completed,
        Self::Incomplete,
        Self::NoShow,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Incomplete => "incomplete",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn is_final(self) -> bool {
        !matches!(self, Self::Scheduled | Self::InProgress)
    }

    /// The state `action` leads to from `self`, or why it cannot.
    pub fn transition(self, action: ConsultationAction) -> Result<Self, ConsultationError> {
        use ConsultationAction as A;
        use ConsultationStatus as S;
        match (self, action) {
            (S::Scheduled, A::Start) => Ok(S::InProgress),
            (S::InProgress, A::Complete) => Ok(S::Completed),
            (S::InProgress, A::MarkIncomplete) => Ok(S::Incomplete),
            (S::Scheduled | S::InProgress, A::MarkNoShow) => Ok(S::NoShow),
            (S::Scheduled, A::Cancel) => Ok(S::Cancelled),
            (from, action) => Err(ConsultationError::InvalidTransition { from, action }),
        }
    }

    /// The states from which `action` is allowed (the compare-and-set's `WHERE status = ANY`).
    pub fn sources(action: ConsultationAction) -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|s| s.transition(action).is_ok())
            .collect()
    }
}

impl fmt::Display for ConsultationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When the room of a consult from `starts` to `ends` is open: from
/// [`ROOM_OPENS_BEFORE_MINUTES`] before the start to [`ROOM_GRACE_MINUTES`] after the end.
pub fn room_window(starts: DateTime<Utc>, ends: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        starts - Duration::minutes(ROOM_OPENS_BEFORE_MINUTES),
        ends + Duration::minutes(ROOM_GRACE_MINUTES),
    )
}

/// Whether the room is open at `now` (422 `ROOM_NOT_OPEN` otherwise).
pub fn check_room_open(
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ConsultationError> {
    let (opens, closes) = room_window(starts, ends);
    if opens <= now && now < closes {
        Ok(())
    } else {
        Err(ConsultationError::RoomNotOpen)
    }
}

/// The doctor's structured notes of a consult (sealed at rest as one JSON value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationNotes {
    #[serde(default)]
    pub presenting_complaint: String,
    #[serde(default)]
    pub history: String,
    #[serde(default)]
    pub examination: String,
    #[serde(default)]
    pub assessment: String,
    #[serde(default)]
    pub plan: String,
}

impl ConsultationNotes {
    /// The sections with their names, in order (for validation).
    pub fn sections(&self) -> [(&'static str, &str); 5] {
        [
            ("presenting_complaint", &self.presenting_complaint),
            ("history", &self.history),
            ("examination", &self.examination),
            ("assessment", &self.assessment),
            ("plan", &self.plan),
        ]
    }

    /// The sections longer than [`MAX_NOTE_SECTION_CHARS`].
    pub fn too_long(&self) -> Vec<&'static str> {
        self.sections()
            .into_iter()
            .filter(|(_, text)| text.chars().count() > MAX_NOTE_SECTION_CHARS)
            .map(|(name, _)| name)
            .collect()
    }

    /// What the patient reads of final notes: the plan only (the doctor's working —
    /// history, examination, assessment — stays with the doctor).
    pub fn for_patient(&self) -> Self {
        Self {
            plan: self.plan.clone(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsultationAction as A;
    use ConsultationStatus as S;

    #[test]
    fn every_state_and_action_is_in_the_table() {
        let table = [
            (S::Scheduled, A::Start, Some(S::InProgress)),
            (S::Scheduled, A::Complete, None),
            (S::Scheduled, A::MarkIncomplete, None),
            (S::Scheduled, A::MarkNoShow, Some(S::NoShow)),
            (S::Scheduled, A::Cancel, Some(S::Cancelled)),
            (S::InProgress, A::Start, None),
            (S::InProgress, A::Complete, Some(S::Completed)),
            (S::InProgress, A::MarkIncomplete, Some(S::Incomplete)),
            (S::InProgress, A::MarkNoShow, Some(S::NoShow)),
            (S::InProgress, A::Cancel, None),
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
                        "INVALID_CONSULTATION_TRANSITION"
                    );
                }
            }
        }
        assert_eq!(S::sources(A::MarkNoShow), [S::Scheduled, S::InProgress]);
        assert_eq!(S::sources(A::Complete), [S::InProgress]);
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn the_room_opens_ten_minutes_early_and_closes_after_the_grace() {
        let starts: DateTime<Utc> = "2026-06-10T09:00:00Z".parse().unwrap();
        let ends = starts + Duration::minutes(20);
        let at = |m: i64| starts + Duration::minutes(m);
        assert_eq!(
            check_room_open(starts, ends, at(-11)),
            Err(ConsultationError::RoomNotOpen)
        );
        assert!(check_room_open(starts, ends, at(-10)).is_ok());
        assert!(check_room_open(starts, ends, at(20 + ROOM_GRACE_MINUTES - 1)).is_ok());
        assert_eq!(
            check_room_open(starts, ends, at(20 + ROOM_GRACE_MINUTES))
                .unwrap_err()
                .code(),
            "ROOM_NOT_OPEN"
        );
    }

    #[test]
    fn a_patient_reads_the_plan_only_and_long_sections_are_named() {
        let notes = ConsultationNotes {
            presenting_complaint: "c".into(),
            history: "h".into(),
            examination: "e".into(),
            assessment: "a".into(),
            plan: "p".into(),
        };
        assert_eq!(
            notes.for_patient(),
            ConsultationNotes {
                plan: "p".into(),
                ..Default::default()
            }
        );
        assert!(notes.too_long().is_empty());
        let long = ConsultationNotes {
            history: "x".repeat(MAX_NOTE_SECTION_CHARS + 1),
            ..Default::default()
        };
        assert_eq!(long.too_long(), ["history"]);
    }
}
