//! Authentication services with no HTTP in them: the signing keyring and access tokens, opaque
//! tokens, password hashing, TOTP and passkey helpers, and the acting user of a use case.

pub mod actor;
pub mod identity;
pub mod jwt_crypto;
pub mod keys;
pub mod passkeys;
pub mod passwords;
pub mod tokens;
pub mod totp;

pub use actor::{Actor, CLINIC_HEADER, RequestFacts};
pub use identity::{Identity, load_identity};
pub use keys::{AccessClaims, JwtKeys, TokenError, TokenFacts};
