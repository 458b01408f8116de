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
