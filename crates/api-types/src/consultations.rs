//! Consultations and their video rooms (SPEC C5). A consultation's id is its booking's id.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "server")]
use validator::Validate;

use crate::vocab::{ConsultMode, ConsultationAction, ConsultationStatus, VideoProviderKind};

/// One change of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConsultationEventView {
    /// Absent for the first event (the consultation was opened).
    pub from_status: Option<ConsultationStatus>,
    pub to_status: ConsultationStatus,
    /// Absent when the platform made the change.
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// A consultation, with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConsultationView {
    /// The booking's id.
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub doctor_id: Uuid,
    pub doctor_name: String,
    pub patient_id: Uuid,
    pub mode: ConsultMode,
    pub status: ConsultationStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The room opens 10 minutes before the start…
    pub room_opens_at: DateTime<Utc>,
    /// …and closes a grace period after the end.
    pub room_closes_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Only when both the doctor and the patient consented to recording in the room.
    pub recording_allowed: bool,
    /// Whether the caller has consented to recording.
    pub recording_consented: bool,
    pub events: Vec<ConsultationEventView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ConsultationActionInput {
    pub action: ConsultationAction,
}

/// The doctor's structured notes. Each section is plain text, at most 20 000 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ConsultationNotesBody {
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20000)))]
    pub presenting_complaint: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20000)))]
    pub history: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20000)))]
    pub examination: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20000)))]
    pub assessment: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20000)))]
    pub plan: String,
}

/// Saves the notes: a draft (`finalise` false, may be saved again) or final (never changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ConsultationNotesInput {
    #[cfg_attr(feature = "server", validate(nested))]
    pub notes: ConsultationNotesBody,
    #[serde(default)]
    pub finalise: bool,
}

/// The notes as the caller may read them: the doctor all of them, the patient the final plan
/// only (the other sections are then empty and `plan_only` is true).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConsultationNotesView {
    pub notes: ConsultationNotesBody,
    /// Absent while a draft.
    pub finalised_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub plan_only: bool,
}

/// A STUN or TURN server for the browser's `RTCPeerConnection`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IceServerView {
    pub urls: Vec<String>,
    pub username: Option<String>,
    pub credential: Option<String>,
}

/// How the caller joins the room. `built_in`: open the signalling socket
/// `signal_path?ticket=…` once, before `expires_at` (the ticket is single-use), and use
/// `ice_servers`. `livekit` / `jitsi`: join `url` with `token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoomView {
    pub provider: VideoProviderKind,
    /// The room's name at the provider (the consultation's id).
    pub room: String,
    /// `built_in`: the single-use ticket for the signalling socket.
    pub ticket: Option<String>,
    /// `built_in`: the socket's path (relative to the API's origin).
    pub signal_path: Option<String>,
    /// `livekit` / `jitsi`: the service's address.
    pub url: Option<String>,
    /// `livekit` / `jitsi`: the signed access token.
    pub token: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub ice_servers: Vec<IceServerView>,
    /// Only when both parties consented to recording.
    pub recording_allowed: bool,
}
