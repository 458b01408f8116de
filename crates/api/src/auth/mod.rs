//! Authentication: token signing and verification, the `Principal` of a request, password
//! hashing, opaque tokens, and what every request contributes to the audit log.

pub mod keys;
pub mod meta;
pub mod passkeys;
pub mod passwords;
pub mod principal;
pub mod session;
pub mod tokens;
pub mod totp;

pub use keys::{AccessClaims, JwtKeys, TokenFacts};
pub use meta::RequestMeta;
pub use principal::{PartialPrincipal, Principal};
