use rxgate_api_types::consultations::{
    ConsultationEventView, ConsultationNotesBody, ConsultationNotesView, ConsultationView,
};
use rxgate_app::consultations::{self as app, NotesView};
use rxgate_domain::consultation::{ConsultationNotes, room_window};
use uuid::Uuid;

pub(crate) fn consultation_view(v: app::ConsultationView, caller: Uuid) -> ConsultationView {
    let recording_allowed = v.recording_allowed();
    let c = v.consultation;
    let (room_opens_at, room_closes_at) = room_window(c.starts_at, c.ends_at);
    ConsultationView {
        id: c.id,
        clinic_id: c.clinic_id,
        doctor_id: c.doctor_id,
        doctor_name: c.doctor_name,
        patient_id: c.patient_id,
        mode: c.mode.into(),
        status: c.status.into(),
        starts_at: c.starts_at,
        ends_at: c.ends_at,
        room_opens_at,
        room_closes_at,
        started_at: c.started_at,
        ended_at: c.ended_at,
        recording_allowed,
        recording_consented: v.recording_consents.contains(&caller),
        events: v
            .events
            .into_iter()
            .map(|e| ConsultationEventView {
                from_status: e.from_status.map(Into::into),
                to_status: e.to_status.into(),
                actor_id: e.actor_id,
                at: e.created_at,
            })
            .collect(),
    }
}

pub(crate) fn notes_body(n: ConsultationNotes) -> ConsultationNotesBody {
    ConsultationNotesBody {
        presenting_complaint: n.presenting_complaint,
        history: n.history,
        examination: n.examination,
        assessment: n.assessment,
        plan: n.plan,
    }
}

pub(crate) fn notes_of(n: ConsultationNotesBody) -> ConsultationNotes {
    ConsultationNotes {
        presenting_complaint: n.presenting_complaint,
        history: n.history,
        examination: n.examination,
        assessment: n.assessment,
        plan: n.plan,
    }
}

pub(crate) fn notes_view(v: NotesView) -> ConsultationNotesView {
    ConsultationNotesView {
        notes: notes_body(v.notes),
        finalised_at: v.finalised_at,
        updated_at: v.updated_at,
        plan_only: v.plan_only,
    }
}
