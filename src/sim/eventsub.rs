//! The simulator's EventSub WebSocket (path `/ws` on the chat port): a welcome with the session
//! id and keepalive time (`?keepalive_timeout_seconds=`, clamped to 10..600), keepalives when
//! nothing else was sent, close 4003 when no subscription came within the keepalive time,
//! close 4001 for any data frame from the client. The JSON is written here, in Twitch's
//! documented shapes; the subscriptions live in [`EventSubs`] and are made through Helix.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::Shared;
use super::http::rfc3339;

/// One open EventSub socket.
pub(crate) struct EsSession {
    /// Frames to write.
    pub out: mpsc::UnboundedSender<String>,
    pub connected_at: String,
}

/// A subscription made through Helix.
#[derive(Debug, Clone)]
pub(crate) struct EsSub {
    pub id: String,
    pub kind: String,
    pub version: String,
    pub condition: Value,
    pub session_id: String,
    pub user_id: u64,
    pub status: String,
    pub created_at: String,
    pub connected_at: String,
    pub disconnected_at: Option<String>,
}

impl EsSub {
    pub fn json(&self) -> Value {
        let mut transport = json!({"method": "websocket", "session_id": self.session_id,
            "connected_at": self.connected_at});
        if let Some(at) = &self.disconnected_at {
            transport["disconnected_at"] = json!(at);
        }
        json!({"id": self.id, "status": self.status, "type": self.kind, "version": self.version,
            "condition": self.condition, "created_at": self.created_at,
            "transport": transport, "cost": 0})
    }
}

/// Every EventSub socket and subscription.
#[derive(Default)]
pub(crate) struct EventSubs {
    pub sessions: HashMap<String, EsSession>,
    pub subs: Vec<EsSub>,
    next: u64,
}

impl EventSubs {
    /// A fresh id in the shape of Twitch's (opaque, URL-safe).
    pub fn new_id(&mut self, prefix: &str) -> String {
        self.next += 1;
        let noise = fastrand::u64(..);
        format!("{prefix}{:016x}{:04x}", noise, self.next)
    }
}

impl EventSubs {
    /// Sends an event to every enabled subscription of `kind` whose condition has `key` equal
    /// to `value`, each in a notification of its own, the event as `event` writes it for the
    /// subscription's version.
    pub fn notify(&self, kind: &str, key: &str, value: &str, event: impl Fn(&str) -> Value) {
        for sub in self.subs.iter().filter(|s| {
            s.status == "enabled" && s.kind == kind && s.condition[key].as_str() == Some(value)
        }) {
            let Some(session) = self.sessions.get(&sub.session_id) else {
                continue;
            };
            let mut frame: Value = serde_json::from_str(&envelope(
                "notification",
                json!({"subscription": sub.json(), "event": event(&sub.version)}),
            ))
            .expect("our own JSON");
            frame["metadata"]["subscription_type"] = json!(sub.kind);
            frame["metadata"]["subscription_version"] = json!(sub.version);
            let _ = session.out.send(frame.to_string());
        }
    }
}

fn message_id() -> String {
    let a = fastrand::u128(..);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 96) as u32,
        (a >> 80) as u16,
        (a >> 68) as u16 & 0xfff,
        ((a >> 52) as u16 & 0x3fff) | 0x8000,
        a as u64 & 0xffff_ffff_ffff
    )
}

fn envelope(kind: &str, payload: Value) -> String {
    json!({"metadata": {"message_id": message_id(), "message_type": kind,
        "message_timestamp": rfc3339(SystemTime::now())}, "payload": payload})
    .to_string()
}

/// `keepalive_timeout_seconds` from the query, clamped as Twitch does (to 10..600).
fn keepalive_from(path: &str, floor: u64) -> u64 {
    path.split_once('?')
        .map(|(_, q)| q)
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("keepalive_timeout_seconds="))
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(10.max(floor), |v| v.clamp(floor, 600))
}

/// Serves one EventSub socket until either side closes it.
pub(crate) async fn serve(shared: Arc<Shared>, ws: WebSocketStream<TcpStream>, path: &str) {
    let keepalive = keepalive_from(path, shared.config.eventsub_keepalive_floor);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let connected_at = rfc3339(SystemTime::now());
    let session_id = {
        let mut state = shared.state();
        let id = state.eventsub.new_id("AgoQ");
        state.eventsub.sessions.insert(
            id.clone(),
            EsSession {
                out: tx,
                connected_at: connected_at.clone(),
            },
        );
        id
    };
    let (mut sink, mut source) = ws.split();
    let welcome = envelope(
        "session_welcome",
        json!({"session": {"id": session_id, "status": "connected", "connected_at": connected_at,
            "keepalive_timeout_seconds": keepalive, "reconnect_url": null, "recovery_url": null}}),
    );
    let every = Duration::from_secs(keepalive);
    let mut unused_by = Some(Instant::now() + every);
    let mut next_keepalive = Instant::now() + every;
    let mut end: Option<(u16, &'static str)> = None;
    if sink.send(Message::text(welcome)).await.is_ok() {
        loop {
            let deadline = unused_by.map_or(next_keepalive, |u| u.min(next_keepalive));
            tokio::select! {
                frame = source.next() => match frame {
                    Some(Ok(Message::Text(_) | Message::Binary(_))) => {
                        end = Some((4001, "client sent inbound traffic"));
                        break;
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => {}
                },
                out = rx.recv() => match out {
                    Some(text) => {
                        if sink.send(Message::text(text)).await.is_err() {
                            break;
                        }
                        next_keepalive = Instant::now() + every;
                    }
                    None => break,
                },
                () = sleep_until(deadline) => {
                    let now = Instant::now();
                    if unused_by.is_some_and(|u| u <= now) {
                        let used = shared.state().eventsub.subs.iter().any(|s| s.session_id == session_id);
                        if !used {
                            end = Some((4003, "connection unused"));
                            break;
                        }
                        unused_by = None;
                    }
                    if next_keepalive <= now {
                        let keepalive = envelope("session_keepalive", json!({}));
                        if sink.send(Message::text(keepalive)).await.is_err() {
                            break;
                        }
                        next_keepalive = now + every;
                    }
                }
            }
        }
    }
    if let Some((code, reason)) = end {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: reason.into(),
        };
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
    let mut state = shared.state();
    state.eventsub.sessions.remove(&session_id);
    let status = match end {
        Some((4001, _)) => "websocket_received_inbound_traffic",
        Some((4003, _)) => "websocket_connection_unused",
        _ => "websocket_disconnected",
    };
    let at = rfc3339(SystemTime::now());
    for sub in state
        .eventsub
        .subs
        .iter_mut()
        .filter(|s| s.session_id == session_id && s.status == "enabled")
    {
        sub.status = status.to_owned();
        sub.disconnected_at = Some(at.clone());
    }
}
