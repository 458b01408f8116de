//! Building blocks shared by every portal.

pub mod booking;
pub mod dashboard;
pub mod error_view;
pub mod form;
pub mod guard;
pub mod health_profile;
pub mod idle;
pub mod layout;
pub mod load_more;
pub mod money;
pub mod paged;
pub mod passkey;
pub mod product;
pub mod skeleton;
pub mod theme;
pub mod variant_price;
