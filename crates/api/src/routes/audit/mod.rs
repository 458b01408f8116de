//! The audit log, for the information officer.

pub mod export_events;
pub mod list_checkpoints;
pub mod list_events;
pub mod verify_chain;
