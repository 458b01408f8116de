//! One id type per entity, so a doctor's id cannot be passed where a patient's is expected
//! (Lemmy's `newtypes.rs`). Each wraps a UUID, is `transparent` in JSON and (with the `sqlx`
//! feature) in PostgreSQL. New ids are made where the IO is (`persistence`: UUID v7), never
//! here: this crate reads no clock.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }

            /// The UUID, e.g. to bind it in a query (`clinic.map(ClinicId::uuid)`).
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    /// A person's account, whatever their roles.
    UserId;
    /// A user acting as a patient.
    PatientId;
    /// A user acting as a doctor.
    DoctorId;
    /// A sign-in session (a refresh-token family).
    SessionId;
    /// A clinic (a tenant).
    ClinicId;
    /// A dispensing pharmacy.
    PharmacyId;
    /// Any organisation: the platform, a clinic or a pharmacy.
    OrganisationId;
    ProductId;
    VariantId;
    CategoryId;
    IngredientId;
    RuleId;
    QuestionnaireId;
    QuestionnaireVersionId;
    ResponseId;
    JobId;
    /// A patient's booking of a consult slot.
    BookingId;
}

impl From<PatientId> for UserId {
    fn from(id: PatientId) -> Self {
        Self(id.0)
    }
}

impl From<DoctorId> for UserId {
    fn from(id: DoctorId) -> Self {
        Self(id.0)
    }
}

impl From<ClinicId> for OrganisationId {
    fn from(id: ClinicId) -> Self {
        Self(id.0)
    }
}

impl From<PharmacyId> for OrganisationId {
    fn from(id: PharmacyId) -> Self {
        Self(id.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_uuids_on_the_wire_and_widen_only_one_way() {
        let raw = Uuid::from_u128(7);
        let patient = PatientId(raw);
        assert_eq!(
            serde_json::to_value(patient).unwrap(),
            serde_json::json!(raw.to_string())
        );
        let back: PatientId = serde_json::from_value(serde_json::json!(raw.to_string())).unwrap();
        assert_eq!(back, patient);
        assert_eq!(UserId::from(patient), UserId(raw));
        assert_eq!(patient.to_string(), raw.to_string());
    }
}
