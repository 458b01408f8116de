//! Authentication: token signing and verification, the `Principal` of a request, password
//! hashing, opaque tokens, and what every request contributes to the audit log.

pub mod meta;
pub mod principal;
pub mod session;

pub use meta::RequestMeta;
pub use principal::{PartialPrincipal, Principal};
pub use rxgate_app::auth::{AccessClaims, JwtKeys, TokenFacts};
pub use rxgate_app::auth::{keys, passkeys, passwords, tokens, totp};
