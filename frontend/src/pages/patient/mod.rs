//! The patient portal: the shop with each product's eligibility, the medical questionnaire and
//! the health profile it builds.

pub mod book;
pub mod consults;
pub mod eligibility;
pub mod product;
pub mod profile;
pub mod questionnaire;
pub mod shop;
