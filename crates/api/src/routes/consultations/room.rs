use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use rxgate_api_types::Problem;
use rxgate_api_types::consultations::{IceServerView, RoomView};
use rxgate_api_types::vocab::VideoProviderKind;
use rxgate_app::consultations;
use rxgate_integrations::video::VideoKind;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The doctor or the patient joins the consultation's room, from 10 minutes before its start
/// until a grace period after its end. With the built-in provider: a single-use ticket (valid
/// one minute) for the signalling socket and the ICE servers (the access token never goes in a
/// URL); with LiveKit or Jitsi: the service's address and a token for the room's window.
#[utoipa::path(
    tag = "consultations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Consultation (booking) id")),
    responses(
        (status = OK, body = RoomView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "Not a party of the consultation, or no such consultation", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`ROOM_NOT_OPEN`, `INVALID_CONSULTATION_TRANSITION` (it ended)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/consultations/{id}/room")]
pub async fn join_room(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let room = consultations::room(
        &state.db,
        state.video.as_ref(),
        &state.settings.video,
        &principal,
        &meta,
        id,
        Utc::now(),
    )
    .await?;
    let provider = match room.provider {
        VideoKind::BuiltIn => VideoProviderKind::BuiltIn,
        VideoKind::LiveKit => VideoProviderKind::Livekit,
        VideoKind::Jitsi => VideoProviderKind::Jitsi,
    };
    let built_in = room.ticket.is_some();
    Ok(HttpResponse::Ok().json(RoomView {
        provider,
        room: room.room,
        signal_path: built_in.then(|| format!("/api/v1/consultations/{id}/signal")),
        ticket: room.ticket.map(|t| t.ticket),
        url: room.url,
        token: room.token,
        expires_at: room.expires_at,
        ice_servers: room
            .ice_servers
            .into_iter()
            .map(|s| IceServerView {
                urls: s.urls,
                username: s.username,
                credential: s.credential,
            })
            .collect(),
        recording_allowed: room.recording_allowed,
    }))
}
