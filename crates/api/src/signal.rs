//! The built-in video provider's signalling: each party of a consultation opens
//! `/consultations/{id}/signal?ticket=…` (a single-use ticket from `POST …/room`); the SDP
//! offers and answers and ICE candidates each sends are relayed to the other party. Messages
//! go through PostgreSQL `NOTIFY` on one channel, so the two parties may be connected to
//! different server processes: every process `LISTEN`s and delivers to its own sockets of the
//! room, never back to the sender.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rxgate_persistence::Db;
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use tokio::sync::mpsc;
use uuid::Uuid;

/// The `NOTIFY` channel.
pub const CHANNEL: &str = "consultation_signal";
/// The largest message a party may send (a `NOTIFY` payload holds under 8000 bytes).
pub const MAX_SIGNAL_BYTES: usize = 7000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignalKind {
    Offer,
    Answer,
    Ice,
    Bye,
}

/// One signalling message: SDP or an ICE candidate only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    #[serde(rename = "type")]
    pub kind: SignalKind,
    /// `offer` / `answer`: the session description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdp: Option<String>,
    /// `ice`: the candidate (`RTCIceCandidateInit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<serde_json::Value>,
}

/// Why a message is not relayed (sent back to its sender as `{"type":"error","code":…}`).
pub fn validate(text: &str) -> Result<Signal, &'static str> {
    if text.len() > MAX_SIGNAL_BYTES {
        return Err("SIGNAL_TOO_LARGE");
    }
    let signal: Signal = serde_json::from_str(text).map_err(|_| "INVALID_SIGNAL")?;
    let ok = match signal.kind {
        SignalKind::Offer | SignalKind::Answer => {
            signal.sdp.is_some() && signal.candidate.is_none()
        }
        SignalKind::Ice => signal.candidate.is_some() && signal.sdp.is_none(),
        SignalKind::Bye => signal.sdp.is_none() && signal.candidate.is_none(),
    };
    if ok {
        Ok(signal)
    } else {
        Err("INVALID_SIGNAL")
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    room: Uuid,
    from: Uuid,
    signal: Signal,
}

struct Peer {
    conn: Uuid,
    user: Uuid,
    tx: mpsc::UnboundedSender<String>,
}

/// This process's sockets, by room, and the way out to the other processes.
pub struct SignalHub {
    db: Db,
    rooms: Mutex<HashMap<Uuid, Vec<Peer>>>,
}

impl SignalHub {
    pub fn new(db: Db) -> Arc<Self> {
        Arc::new(Self {
            db,
            rooms: Mutex::new(HashMap::new()),
        })
    }

    /// A socket of `user` joins `room`: its id and where its deliveries arrive.
    pub fn join(&self, room: Uuid, user: Uuid) -> (Uuid, mpsc::UnboundedReceiver<String>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let conn = Uuid::new_v4();
        if let Ok(mut rooms) = self.rooms.lock() {
            rooms.entry(room).or_default().push(Peer { conn, user, tx });
        }
        (conn, rx)
    }

    pub fn leave(&self, room: Uuid, conn: Uuid) {
        if let Ok(mut rooms) = self.rooms.lock()
            && let Some(peers) = rooms.get_mut(&room)
        {
            peers.retain(|p| p.conn != conn);
            if peers.is_empty() {
                rooms.remove(&room);
            }
        }
    }

    /// Sends `signal` from `from` to the room's other party, wherever they are connected.
    pub async fn publish(&self, room: Uuid, from: Uuid, signal: Signal) -> Result<(), sqlx::Error> {
        let payload = serde_json::to_string(&Envelope { room, from, signal })
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    fn deliver(&self, payload: &str) {
        let Ok(envelope) = serde_json::from_str::<Envelope>(payload) else {
            return;
        };
        let Ok(text) = serde_json::to_string(&envelope.signal) else {
            return;
        };
        if let Ok(rooms) = self.rooms.lock()
            && let Some(peers) = rooms.get(&envelope.room)
        {
            for peer in peers.iter().filter(|p| p.user != envelope.from) {
                let _ = peer.tx.send(text.clone());
            }
        }
    }

    /// Listens for every process's messages and delivers them to this one's sockets (reconnects
    /// after a lost connection).
    pub async fn run(self: Arc<Self>) {
        loop {
            match PgListener::connect_with(self.db.pool()).await {
                Ok(mut listener) => {
                    if listener.listen(CHANNEL).await.is_ok() {
                        while let Ok(n) = listener.recv().await {
                            self.deliver(n.payload());
                        }
                    }
                    tracing::warn!("signalling listener lost its connection; reconnecting");
                }
                Err(e) => tracing::warn!(error = %e, "signalling listener cannot connect"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sdp_and_ice_of_a_bounded_size_are_relayed() {
        assert!(validate(r#"{"type":"offer","sdp":"v=0"}"#).is_ok());
        assert!(validate(r#"{"type":"answer","sdp":"v=0"}"#).is_ok());
        assert!(validate(r#"{"type":"ice","candidate":{"candidate":"c","sdpMid":"0"}}"#).is_ok());
        assert!(validate(r#"{"type":"bye"}"#).is_ok());
        assert_eq!(
            validate(r#"{"type":"chat","text":"hi"}"#),
            Err("INVALID_SIGNAL")
        );
        assert_eq!(validate(r#"{"type":"offer"}"#), Err("INVALID_SIGNAL"));
        assert_eq!(
            validate(r#"{"type":"offer","sdp":"v=0","note":"x"}"#),
            Err("INVALID_SIGNAL")
        );
        assert_eq!(validate("not json"), Err("INVALID_SIGNAL"));
        let big = format!(
            r#"{{"type":"offer","sdp":"{}"}}"#,
            "a".repeat(MAX_SIGNAL_BYTES)
        );
        assert_eq!(validate(&big), Err("SIGNAL_TOO_LARGE"));
    }
}
