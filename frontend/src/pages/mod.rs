//! Screens, one folder per portal.

pub mod account;
pub mod admin;
pub mod auth;
pub mod clinic;
pub mod dev;
pub mod doctor;
pub mod officer;
pub mod patient;
pub mod portal;
pub mod public;
