//! Screens, one folder per portal.

pub mod account;
pub mod admin;
pub mod auth;
pub mod dev;
pub mod officer;
pub mod portal;
pub mod public;
