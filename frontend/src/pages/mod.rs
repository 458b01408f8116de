//! Screens, one folder per portal.

pub mod dev;
pub mod public;
