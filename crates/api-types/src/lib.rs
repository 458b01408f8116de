//! The wire format of `/api/v1`. Every type here is what a client sends or receives; the server
//! converts them into domain types at the edge.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod booking;
pub mod catalogue;
pub mod consultations;
pub mod convert;
pub mod dev;
pub mod health;
pub mod pagination;
pub mod payments;
pub mod problem;
pub mod system;
pub mod vocab;

pub use pagination::{CursorPage, PageQuery};
pub use problem::{FieldError, Problem};
