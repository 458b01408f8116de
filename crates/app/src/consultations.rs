//! Consultations (SPEC C5): a confirmed booking becomes a consultation (same id); its doctor
//! starts and ends it, writes structured notes (sealed with the data keys, a draft until
//! finalised), and both parties join its video room.
//!
//! Who may do what is checked here and again by row-level security: the booking's doctor moves
//! the consultation and writes the notes; the doctor and the patient see the consultation; the
//! patient reads the final notes' plan only (the doctor's working — complaint, history,
//! examination, assessment — stays with the doctor). Anyone else gets 404. Every read of notes
//! is audited.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rxgate_api_types::FieldError;
use rxgate_domain::booking::{BookingReason, BookingStatus};
use rxgate_domain::consultation::{
    ConsultationAction, ConsultationError, ConsultationNotes, ConsultationStatus, check_room_open,
};
use rxgate_domain::identity::Role;
use rxgate_persistence::consultations::{self, ConsultationEventRow, ConsultationRow};
use rxgate_persistence::{Db, RepoError};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};
use crate::configuration::{IceServer, VideoProviderKind, VideoSettings};
use crate::crypto::DataKeys;
use rxgate_domain::consultation::room_window;
use rxgate_integrations::video::{
    BuiltInVideo, JitsiVideo, Join, JoinRequest, LiveKitVideo, VideoKind, VideoProvider,
};

/// Opens the consultation of a booking that was just confirmed (inside the confirming
/// transaction, as the system). Safe to call again: a booking has one consultation.
pub async fn open_for_booking(
    conn: &mut PgConnection,
    booking_id: Uuid,
) -> Result<bool, RepoError> {
    consultations::open(conn, booking_id).await
}

/// Which party the caller is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Doctor,
    Patient,
}

/// The caller's part in `c`, if any (a clinic's admin sees the booking, not the consultation).
pub fn party(actor: &Actor, c: &ConsultationRow) -> Option<Party> {
    if c.doctor_id == actor.user_id && actor.is_at(Role::Doctor, c.clinic_id) {
        Some(Party::Doctor)
    } else if c.patient_id == actor.user_id && actor.is_at(Role::Patient, c.clinic_id) {
        Some(Party::Patient)
    } else {
        None
    }
}

/// A consultation with its history and whether both parties consented to recording.
#[derive(Debug, Clone)]
pub struct ConsultationView {
    pub consultation: ConsultationRow,
    pub events: Vec<ConsultationEventRow>,
    pub recording_consents: Vec<Uuid>,
}

impl ConsultationView {
    /// Recording is allowed only when the doctor and the patient both consented.
    pub fn recording_allowed(&self) -> bool {
        let c = &self.consultation;
        self.recording_consents.contains(&c.doctor_id)
            && self.recording_consents.contains(&c.patient_id)
    }
}

fn rule(err: ConsultationError) -> AppError {
    AppError::Rule {
        code: err.code(),
        detail: err.to_string(),
    }
}

/// The consultation, if the caller is one of its two parties (else 404).
pub(crate) async fn find_as_party(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<(ConsultationRow, Party), AppError> {
    let c = consultations::find(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = party(actor, &c).ok_or(AppError::NotFound)?;
    Ok((c, p))
}

async fn read_view(conn: &mut PgConnection, id: Uuid) -> Result<ConsultationView, AppError> {
    let consultation = consultations::find(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = consultations::events(conn, id).await?;
    let recording_consents = consultations::recording_consents(conn, id).await?;
    Ok(ConsultationView {
        consultation,
        events,
        recording_consents,
    })
}

/// One consultation (its doctor or its patient).
pub async fn get(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<ConsultationView, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let (c, _) = find_as_party(&mut work, actor, id).await?;
    work.record(
        Event::new("read", "consultation", id)
            .in_clinic(Some(c.clinic_id))
            .shown([c.patient_id]),
    )
    .await?;
    let view = read_view(&mut work, id).await?;
    work.commit().await?;
    Ok(view)
}

/// The doctor starts the consultation (while its room is open), or ends it: `completed`,
/// `incomplete`, or `no_show` (only once its time has come). Ending it also records the
/// booking's outcome (`completed` for a consult that took place, finished or not).
pub async fn act(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    action: ConsultationAction,
    now: DateTime<Utc>,
) -> Result<ConsultationView, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let (c, p) = find_as_party(&mut work, actor, id).await?;
    if p != Party::Doctor || action == ConsultationAction::Cancel {
        return Err(AppError::NotFound);
    }
    let to = c.status.transition(action).map_err(rule)?;
    match action {
        ConsultationAction::Start => {
            check_room_open(c.starts_at, c.ends_at, now).map_err(rule)?;
        }
        ConsultationAction::MarkNoShow if now < c.starts_at => {
            return Err(AppError::Rule {
                code: "CONSULT_NOT_STARTED",
                detail: "The consult has not started yet.".into(),
            });
        }
        _ => {}
    }
    let moved = consultations::transition(
        &mut work,
        id,
        &ConsultationStatus::sources(action),
        to,
        Some(actor.user_id),
    )
    .await?;
    if moved.is_none() {
        return Err(AppError::Conflict {
            code: "CONSULTATION_CHANGED",
            detail: "The consultation changed meanwhile: reload it.".into(),
        });
    }
    let booking_outcome = match to {
        ConsultationStatus::Completed | ConsultationStatus::Incomplete => {
            Some((BookingStatus::Completed, BookingReason::Completed))
        }
        ConsultationStatus::NoShow => Some((BookingStatus::NoShow, BookingReason::NoShow)),
        _ => None,
    };
    if let Some((status, reason)) = booking_outcome {
        // The booking may already carry its outcome (recorded on the booking itself).
        rxgate_persistence::booking::transition(
            &mut work,
            id,
            &[BookingStatus::Confirmed],
            status,
            reason,
            Some(actor.user_id),
        )
        .await?;
    }
    work.record(
        Event::new(action.as_str(), "consultation", id)
            .in_clinic(Some(c.clinic_id))
            .shown([c.patient_id]),
    )
    .await?;
    let view = read_view(&mut work, id).await?;
    work.commit().await?;
    Ok(view)
}

// Notes --------------------------------------------------------------------------------------------

/// The notes as the caller may read them.
#[derive(Debug, Clone)]
pub struct NotesView {
    pub notes: ConsultationNotes,
    /// `None` while a draft.
    pub finalised_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// `true` when the caller is the patient and sees the plan only.
    pub plan_only: bool,
}

fn seal_context(id: Uuid) -> [u8; 16] {
    *id.as_bytes()
}

/// The booking's doctor saves the notes as a draft, or final (`finalise`); final notes never
/// change (422 `NOTES_FINAL`). A section over the limit is 422 with its field named.
pub async fn save_notes(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    notes: ConsultationNotes,
    finalise: bool,
) -> Result<NotesView, AppError> {
    let too_long = notes.too_long();
    if !too_long.is_empty() {
        return Err(AppError::Validation(
            too_long
                .into_iter()
                .map(|f| FieldError {
                    field: f.into(),
                    code: "too_long".into(),
                    message: format!(
                        "At most {} characters.",
                        rxgate_domain::consultation::MAX_NOTE_SECTION_CHARS
                    ),
                })
                .collect(),
        ));
    }
    let mut work = Work::begin(db, actor, facts).await?;
    let (c, p) = find_as_party(&mut work, actor, id).await?;
    if p != Party::Doctor {
        return Err(AppError::NotFound);
    }
    if matches!(
        c.status,
        ConsultationStatus::Cancelled | ConsultationStatus::NoShow
    ) {
        return Err(AppError::Rule {
            code: "CONSULTATION_NOT_HELD",
            detail: "A consultation that did not take place has no notes.".into(),
        });
    }
    let plain = serde_json::to_vec(&notes).map_err(AppError::internal)?;
    let sealed = keys
        .seal(&plain, &seal_context(id))
        .map_err(AppError::internal)?;
    let saved = consultations::save_notes(
        &mut work,
        id,
        actor.user_id,
        &sealed,
        keys.current_id(),
        finalise,
    )
    .await?
    .ok_or_else(|| rule(ConsultationError::NotesFinal))?;
    work.record(
        Event::new(
            if finalise {
                "finalise_notes"
            } else {
                "save_notes"
            },
            "consultation_notes",
            id,
        )
        .in_clinic(Some(c.clinic_id))
        .shown([c.patient_id]),
    )
    .await?;
    work.commit().await?;
    Ok(NotesView {
        notes,
        finalised_at: finalise.then_some(saved),
        updated_at: saved,
        plan_only: false,
    })
}

/// The notes: the doctor reads them (draft or final); the patient the final notes' plan only.
/// No notes yet (or a draft, for the patient) is 404 `NOT_FOUND`. Every read is audited.
pub async fn read_notes(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<NotesView, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let (c, p) = find_as_party(&mut work, actor, id).await?;
    let row = consultations::notes(&mut work, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if p == Party::Patient && row.finalised_at.is_none() {
        return Err(AppError::NotFound);
    }
    let plain = keys
        .open(&row.key_id, &row.notes_enc, &seal_context(id))
        .map_err(AppError::internal)?;
    let notes: ConsultationNotes = serde_json::from_slice(&plain).map_err(AppError::internal)?;
    let plan_only = p == Party::Patient;
    work.record(
        Event::new("read", "consultation_notes", id)
            .in_clinic(Some(c.clinic_id))
            .shown([c.patient_id])
            .details(serde_json::json!({"plan_only": plan_only})),
    )
    .await?;
    work.commit().await?;
    Ok(NotesView {
        notes: if plan_only {
            notes.for_patient()
        } else {
            notes
        },
        finalised_at: row.finalised_at,
        updated_at: row.updated_at,
        plan_only,
    })
}

// Recording consent ---------------------------------------------------------------------------------

/// The caller (a party) consents to recording; recording is allowed once both did.
pub async fn consent_to_recording(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<ConsultationView, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let (c, _) = find_as_party(&mut work, actor, id).await?;
    if c.status.is_final() {
        return Err(rule(ConsultationError::InvalidTransition {
            from: c.status,
            action: ConsultationAction::Start,
        }));
    }
    consultations::consent_to_recording(&mut work, id, actor.user_id).await?;
    work.record(
        Event::new("consent_to_recording", "consultation", id)
            .in_clinic(Some(c.clinic_id))
            .shown([c.patient_id]),
    )
    .await?;
    let view = read_view(&mut work, id).await?;
    work.commit().await?;
    Ok(view)
}

// The room -----------------------------------------------------------------------------------------

/// How long a room ticket may wait before the socket is opened with it.
pub const TICKET_TTL_SECS: i64 = 60;

/// A ticket for one party to open the signalling socket once.
#[derive(Debug, Clone)]
pub struct RoomTicket {
    pub ticket: String,
    pub expires_at: DateTime<Utc>,
}

pub(crate) fn ticket_hash(ticket: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(ticket.as_bytes()).to_vec()
}

/// Issues a single-use ticket to the room of consultation `c` for the caller (inside `work`).
pub(crate) async fn issue_ticket(
    conn: &mut PgConnection,
    actor: &Actor,
    c: &ConsultationRow,
    now: DateTime<Utc>,
) -> Result<RoomTicket, AppError> {
    use rand::RngCore;
    let mut raw = [0_u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let ticket = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, raw);
    let expires_at = now + Duration::seconds(TICKET_TTL_SECS);
    consultations::issue_ticket(conn, c.id, actor.user_id, &ticket_hash(&ticket), expires_at)
        .await?;
    Ok(RoomTicket { ticket, expires_at })
}

/// The video provider the configuration chooses.
pub fn video_provider(settings: &VideoSettings) -> Arc<dyn VideoProvider> {
    let secret = |s: &Option<secrecy::SecretString>| {
        s.clone()
            .unwrap_or_else(|| secrecy::SecretString::from(String::new()))
    };
    match settings.provider {
        VideoProviderKind::BuiltIn => Arc::new(BuiltInVideo),
        VideoProviderKind::Livekit => Arc::new(LiveKitVideo {
            url: settings.livekit_url.clone(),
            api_key: settings.livekit_api_key.clone(),
            api_secret: secret(&settings.livekit_api_secret),
        }),
        VideoProviderKind::Jitsi => Arc::new(JitsiVideo {
            url: settings.jitsi_url.clone(),
            app_id: settings.jitsi_app_id.clone(),
            app_secret: secret(&settings.jitsi_app_secret),
        }),
    }
}

/// How the caller joins the room.
#[derive(Debug, Clone)]
pub struct Room {
    pub provider: VideoKind,
    pub room: String,
    /// Built-in: the socket's ticket.
    pub ticket: Option<RoomTicket>,
    /// LiveKit / Jitsi: where and with what token.
    pub url: Option<String>,
    pub token: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub ice_servers: Vec<IceServer>,
    pub recording_allowed: bool,
}

/// A party of the consultation joins its room, while it is open (422 `ROOM_NOT_OPEN`; a
/// consultation that ended is `INVALID_CONSULTATION_TRANSITION`): the built-in provider gives
/// a single-use ticket for the signalling socket (valid [`TICKET_TTL_SECS`]) and the ICE
/// servers; LiveKit and Jitsi a signed token valid for the room's window.
pub async fn room(
    db: &Db,
    video: &dyn VideoProvider,
    settings: &VideoSettings,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Room, AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let (c, _) = find_as_party(&mut work, actor, id).await?;
    if c.status.is_final() {
        return Err(rule(ConsultationError::InvalidTransition {
            from: c.status,
            action: ConsultationAction::Start,
        }));
    }
    check_room_open(c.starts_at, c.ends_at, now).map_err(rule)?;
    let (opens_at, closes_at) = room_window(c.starts_at, c.ends_at);
    let display_name = if c.doctor_id == actor.user_id {
        c.doctor_name.clone()
    } else {
        "Patient".to_owned()
    };
    let join = video
        .join(&JoinRequest {
            room: id.to_string(),
            identity: actor.user_id.to_string(),
            display_name,
            opens_at,
            closes_at,
        })
        .map_err(AppError::internal)?;
    let recording_allowed = {
        let consents = consultations::recording_consents(&mut work, id).await?;
        consents.contains(&c.doctor_id) && consents.contains(&c.patient_id)
    };
    let room = match join {
        Join::Signalling => {
            let ticket = issue_ticket(&mut work, actor, &c, now).await?;
            Room {
                provider: video.kind(),
                room: id.to_string(),
                expires_at: ticket.expires_at,
                ticket: Some(ticket),
                url: None,
                token: None,
                ice_servers: settings.ice_servers.clone(),
                recording_allowed,
            }
        }
        Join::Token { url, token } => Room {
            provider: video.kind(),
            room: id.to_string(),
            ticket: None,
            url: Some(url),
            token: Some(token),
            expires_at: closes_at,
            ice_servers: Vec::new(),
            recording_allowed,
        },
    };
    work.record(
        Event::new("join_room", "consultation", id)
            .in_clinic(Some(c.clinic_id))
            .shown([c.patient_id]),
    )
    .await?;
    work.commit().await?;
    Ok(room)
}

/// Redeems a room ticket for the signalling socket of consultation `id` (as the system: the
/// socket carries no bearer token, the ticket is the credential). Returns the ticket's user;
/// an unknown, used, expired or other consultation's ticket is 404.
pub async fn redeem_ticket(
    db: &Db,
    facts: &RequestFacts,
    id: Uuid,
    ticket: &str,
) -> Result<Uuid, AppError> {
    let mut work = Work::system(db, facts).await?;
    let user = consultations::redeem_ticket(&mut work, id, &ticket_hash(ticket))
        .await?
        .ok_or(AppError::NotFound)?;
    work.record(
        Event::new("open_signal", "consultation", id).details(serde_json::json!({"user_id": user})),
    )
    .await?;
    work.commit().await?;
    Ok(user)
}
