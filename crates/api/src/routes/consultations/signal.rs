use actix_web::{HttpRequest, HttpResponse, get, web};
use futures_util::StreamExt;
use rxgate_api_types::Problem;
use rxgate_app::consultations;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::RequestMeta;
use crate::error::ApiError;
use crate::signal::{SignalHub, validate};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SignalQuery {
    /// The single-use ticket from `POST /consultations/{id}/room`.
    pub ticket: String,
}

/// The built-in video provider's signalling socket (a WebSocket). Opened once per ticket; each
/// text message is `{"type": "offer"|"answer", "sdp": …}`, `{"type": "ice", "candidate": …}`
/// or `{"type": "bye"}`, at most 7000 bytes, relayed to the consultation's other party; anything
/// else comes back as `{"type": "error", "code": "INVALID_SIGNAL" | "SIGNAL_TOO_LARGE"}`.
#[utoipa::path(
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation (booking) id"), SignalQuery),
    responses(
        (status = SWITCHING_PROTOCOLS, description = "The WebSocket is open"),
        (status = BAD_REQUEST, description = "Not a WebSocket handshake", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "An unknown, used or expired ticket, or another consultation's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/consultations/{id}/signal")]
pub async fn signal(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    query: web::Query<SignalQuery>,
) -> Result<HttpResponse, ApiError> {
    let room = id.into_inner();
    let user = consultations::redeem_ticket(&state.db, &meta, room, &query.ticket).await?;
    let (response, session, stream) = actix_ws::handle(&req, body).map_err(|_| {
        ApiError::from(rxgate_app::AppError::BadRequest {
            code: "NOT_A_WEBSOCKET",
            detail: "Open this path as a WebSocket.".into(),
        })
    })?;
    let hub = state.signal.clone();
    actix_web::rt::spawn(relay(hub, room, user, session, stream));
    Ok(response)
}

async fn relay(
    hub: std::sync::Arc<SignalHub>,
    room: Uuid,
    user: Uuid,
    mut session: actix_ws::Session,
    stream: actix_ws::MessageStream,
) {
    let (conn, mut deliveries) = hub.join(room, user);
    let mut stream = stream.max_frame_size(crate::signal::MAX_SIGNAL_BYTES * 2);
    loop {
        tokio::select! {
            incoming = stream.next() => {
                match incoming {
                    Some(Ok(actix_ws::Message::Text(text))) => match validate(&text) {
                        Ok(message) => {
                            if hub.publish(room, user, message).await.is_err() {
                                break;
                            }
                        }
                        Err(code) => {
                            let reply = serde_json::json!({"type": "error", "code": code});
                            if session.text(reply.to_string()).await.is_err() {
                                break;
                            }
                        }
                    },
                    Some(Ok(actix_ws::Message::Ping(bytes))) => {
                        if session.pong(&bytes).await.is_err() {
                            break;
                        }
                    }
                    Some(Ok(actix_ws::Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {}
                }
            }
            delivery = deliveries.recv() => {
                match delivery {
                    Some(text) => {
                        if session.text(text).await.is_err() {
                            break;
                        }
                    }
                    None => break,
                }
            }
        }
    }
    hub.leave(room, conn);
    let _ = session.close(None).await;
}
