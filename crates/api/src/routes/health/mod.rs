//! The medical questionnaire, patients' health profiles (answers and flags), doctors' flag
//! overrides and review queue: HTTP endpoints over the use cases of `rxgate_app::health`.

pub mod add_flag_override;
pub mod get_questionnaire;
pub mod list_patients;
pub mod my_health_profile;
pub mod patient_health_profile;
pub mod review_queue;
pub mod save_answers;
pub mod submit_answers;

use crate::error::ApiError;

/// Converts between the wire and domain forms, which share one JSON shape.
pub(crate) fn convert<A: serde::Serialize, B: serde::de::DeserializeOwned>(
    value: &A,
) -> Result<B, ApiError> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| ApiError::InvalidBody(e.to_string()))
}
