//! Rxgate's PostgreSQL layer: the connection pool, the transaction that carries each request's
//! row-level-security context, and one repository module per aggregate. No HTTP types here;
//! repository functions take `&mut PgConnection` and the caller owns the transaction.

pub mod audit;
pub mod booking;
pub mod catalogue;
pub mod consents;
pub mod consultations;
pub mod db;
pub mod email_tokens;
pub mod error;
pub mod idempotency;
pub mod invitations;
pub mod jobs;
pub mod literal;
pub mod mailbox;
pub mod mfa;
pub mod organisations;
pub mod pagination;
pub mod passkeys;
pub mod payments;
pub mod questionnaires;
pub mod rules;
pub mod sealed;
pub mod sessions;
pub mod users;
pub mod waitlist;

pub use db::{Db, RlsContext};
pub use error::RepoError;

/// The migrations compiled into the binary; `rxgate migrate` applies them as the owner role.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");
