//! Consultations (SPEC C5): a confirmed booking's consult (same id), its doctor's notes, its
//! video room and recording consent.

pub mod consultation;
pub mod notes;
pub mod room;
pub mod signal;
pub mod views;
