//! The information officer's portal.

pub mod audit;
