//! Platform administration, apart from the master catalogue: doctors' registrations, people's
//! accounts and staff invitations ([`people`]), clinics and pharmacies ([`organisations`]),
//! flags and contraindication rules ([`rules`]), questionnaires ([`questionnaires`]). Every use case here is for platform admins,
//! except reading flags and rules, which every clinician may do.

pub mod organisations;
pub mod people;
pub mod questionnaires;
pub mod rules;

/// One page of an admin list and the cursor of the next one.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next_cursor: Option<String>,
}
