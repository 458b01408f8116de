//! Rxgate's pure business rules. Nothing in this crate performs IO or reads the clock:
//! the current time is always a parameter so every rule is testable.

pub mod booking;
pub mod catalogue;
pub mod consultation;
pub mod eligibility;
pub mod identity;
pub mod ids;
pub mod jobs;
pub mod money;
pub mod payments;
pub mod questionnaire;
pub mod schedule;
