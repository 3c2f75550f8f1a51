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

/// What an EventSub socket task is asked to do.
#[derive(Debug, Clone)]
pub(crate) enum EsOut {
    /// Write this frame.
    Frame(String),
    /// Send `session_reconnect` and close in 30 s unless the client moved on (4004).
    Reconnect,
    /// Close with this code.
    Close(u16),
}

/// One open EventSub socket.
pub(crate) struct EsSession {
    pub out: mpsc::UnboundedSender<EsOut>,
    pub connected_at: String,
}

/// How long after `session_reconnect` the old socket is closed (4004) if the client stayed.
const RECONNECT_GRACE: Duration = Duration::from_secs(30);

/// Twitch's reason and the subscription status for each close code.
fn close_reason(code: u16) -> (&'static str, &'static str) {
    match code {
        4000 => ("internal server error", "websocket_internal_error"),
        4001 => (
            "client sent inbound traffic",
            "websocket_received_inbound_traffic",
        ),
        4002 => ("client failed ping-pong", "websocket_failed_ping_pong"),
        4003 => ("connection unused", "websocket_connection_unused"),
        4004 => (
            "reconnect grace time expired",
            "websocket_failed_to_reconnect",
        ),
        4005 => ("network timeout", "websocket_network_timeout"),
        4006 => ("network error", "websocket_network_error"),
        4007 => ("invalid reconnect", "websocket_disconnected"),
        _ => ("", "websocket_disconnected"),
    }
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

    /// The subscription as a notification or revocation carries it: its transport is only
    /// the method and the session.
    pub fn told(&self) -> Value {
        let mut sub = self.json();
        sub["transport"] = json!({"method": "websocket", "session_id": self.session_id});
        sub
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
        self.notify_where(kind, &[(key, value)], event);
    }

    /// [`EventSubs::notify`] for the subscriptions whose condition has every one of `pairs`.
    pub fn notify_where(&self, kind: &str, pairs: &[(&str, &str)], event: impl Fn(&str) -> Value) {
        for sub in self.subs.iter().filter(|s| {
            s.status == "enabled"
                && s.kind == kind
                && pairs
                    .iter()
                    .all(|(key, value)| s.condition[*key].as_str() == Some(*value))
        }) {
            let Some(session) = self.sessions.get(&sub.session_id) else {
                continue;
            };
            let mut frame: Value = serde_json::from_str(&envelope(
                "notification",
                json!({"subscription": sub.told(), "event": event(&sub.version)}),
            ))
            .expect("our own JSON");
            frame["metadata"]["subscription_type"] = json!(sub.kind);
            frame["metadata"]["subscription_version"] = json!(sub.version);
            let _ = session.out.send(EsOut::Frame(frame.to_string()));
        }
    }
}

impl EventSubs {
    /// Twitch withdraws every enabled subscription (`status`), each with a revocation message.
    pub fn revoke_all(&mut self, status: &str) {
        for sub in self.subs.iter_mut().filter(|s| s.status == "enabled") {
            sub.status = status.to_owned();
            let Some(session) = self.sessions.get(&sub.session_id) else {
                continue;
            };
            let mut frame: Value =
                serde_json::from_str(&envelope("revocation", json!({"subscription": sub.told()})))
                    .expect("our own JSON");
            frame["metadata"]["subscription_type"] = json!(sub.kind);
            frame["metadata"]["subscription_version"] = json!(sub.version);
            let _ = session.out.send(EsOut::Frame(frame.to_string()));
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

/// The value of `key` in the path's query.
fn query<'a>(path: &'a str, key: &str) -> Option<&'a str> {
    path.split_once('?')?
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// `keepalive_timeout_seconds` from the query, clamped as Twitch does (to 10..600).
fn keepalive_from(path: &str, floor: u64) -> u64 {
    query(path, "keepalive_timeout_seconds")
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
    let mut closing_at: Option<Instant> = None;
    let mut end: Option<u16> = None;
    if sink.send(Message::text(welcome)).await.is_ok() {
        // A reconnect: the subscriptions of the old session move here at this welcome.
        if let Some(old) = query(path, "reconnect") {
            let mut state = shared.state();
            for sub in state.eventsub.subs.iter_mut() {
                if sub.session_id == old && sub.status == "enabled" {
                    sub.session_id = session_id.clone();
                }
            }
            unused_by = None;
        }
        loop {
            let deadline = [unused_by, closing_at]
                .into_iter()
                .flatten()
                .fold(next_keepalive, Instant::min);
            tokio::select! {
                frame = source.next() => match frame {
                    Some(Ok(Message::Text(_) | Message::Binary(_))) => {
                        end = Some(4001);
                        break;
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => {}
                },
                out = rx.recv() => match out {
                    Some(EsOut::Frame(text)) => {
                        if shared.conditions.silent_eventsub(Instant::now()) {
                            continue;
                        }
                        if sink.send(Message::text(text)).await.is_err() {
                            break;
                        }
                        next_keepalive = Instant::now() + every;
                    }
                    Some(EsOut::Reconnect) => {
                        let url = format!("ws://{}/ws?reconnect={session_id}", shared.chat_addr);
                        let frame = envelope(
                            "session_reconnect",
                            json!({"session": {"id": session_id, "status": "reconnecting",
                                "connected_at": connected_at, "keepalive_timeout_seconds": null,
                                "reconnect_url": url, "recovery_url": null}}),
                        );
                        if sink.send(Message::text(frame)).await.is_err() {
                            break;
                        }
                        closing_at = Some(Instant::now() + RECONNECT_GRACE);
                    }
                    Some(EsOut::Close(code)) => {
                        end = Some(code);
                        break;
                    }
                    None => break,
                },
                () = sleep_until(deadline) => {
                    let now = Instant::now();
                    if closing_at.is_some_and(|t| t <= now) {
                        end = Some(4004);
                        break;
                    }
                    if unused_by.is_some_and(|u| u <= now) {
                        let used = shared.state().eventsub.subs.iter().any(|s| s.session_id == session_id);
                        if !used {
                            end = Some(4003);
                            break;
                        }
                        unused_by = None;
                    }
                    if next_keepalive <= now && shared.conditions.silent_eventsub(now) {
                        next_keepalive = now + every;
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
    if let Some(code) = end {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: close_reason(code).0.into(),
        };
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
    let mut state = shared.state();
    state.eventsub.sessions.remove(&session_id);
    let status = close_reason(end.unwrap_or(1000)).1;
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
