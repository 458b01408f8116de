//! Application-wide state, provided once at the root.

pub mod auth;
