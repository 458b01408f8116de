//! The clinic portal (clinic admins): what the clinic sells from the master catalogue, and at
//! what price.

pub mod catalogue;
pub mod consults;
pub mod product;

use leptos::prelude::*;
use rxgate_api_types::auth::{Me, MembershipView};

use crate::contexts::auth::use_auth;

/// The clinic the signed-in clinic admin manages: their clinic membership.
pub fn managed_clinic(me: &Me) -> Option<MembershipView> {
    me.memberships
        .iter()
        .find(|m| m.organisation_kind == "clinic" && m.role == "clinic_admin")
        .cloned()
}

/// The signed-in person's clinic, changing only when they do.
pub fn use_managed_clinic() -> Memo<Option<MembershipView>> {
    let auth = use_auth();
    Memo::new(move |_| auth.user().as_ref().and_then(managed_clinic))
}
