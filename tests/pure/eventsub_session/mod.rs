//! The EventSub session in virtual time: frames, subscription answers, commands and instants go
//! into the sans-IO session; sockets, subscription requests and events come out. A harness
//! plays Twitch: it answers every subscription request and writes frames in Twitch's shapes.

mod handover;
mod lifecycle;
mod planning;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::json;
use ttvchat::net::auth::SCOPES;
use ttvchat::net::eventsub::session::{Command, EventSubConfig, Output, RequestId, Session};
use ttvchat::net::session::LinkId;
use ttvchat::twitch::Login;
use ttvchat::twitch::eventsub::{Condition, Feed, FeedEvent, SubscribeError};

pub const ME: &str = "1000";

pub fn login(name: &str) -> Login {
    Login::parse(name).unwrap()
}

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

pub fn config() -> EventSubConfig {
    EventSubConfig::new(
        "wss://eventsub.wss.twitch.tv/ws",
        ME,
        SCOPES.iter().map(|s| (*s).to_owned()).collect(),
    )
}

#[derive(Debug, Clone)]
pub struct Request {
    pub request: RequestId,
    pub session_id: String,
    pub feed: Feed,
    pub condition: Condition,
}

pub struct Harness {
    pub session: Session,
    pub t0: Instant,
    pub now: Instant,
    /// Sockets asked for, with their URL, not yet opened.
    pub opening: Vec<(LinkId, String)>,
    pub closed: Vec<LinkId>,
    pub requests: Vec<Request>,
    pub deleted: Vec<String>,
    /// The subscriptions Twitch holds: accepted and not deleted, by id.
    pub live: HashMap<String, Request>,
    pub events: Vec<FeedEvent>,
    next_message: u64,
}

impl Harness {
    pub fn new(config: EventSubConfig) -> Harness {
        let t0 = Instant::now();
        let mut harness = Harness {
            session: Session::new(config, t0),
            t0,
            now: t0,
            opening: Vec::new(),
            closed: Vec::new(),
            requests: Vec::new(),
            deleted: Vec::new(),
            live: HashMap::new(),
            events: Vec::new(),
            next_message: 0,
        };
        harness.drain();
        harness
    }

    pub fn drain(&mut self) {
        while let Some(output) = self.session.poll() {
            match output {
                Output::Open(link, url) => self.opening.push((link, url)),
                Output::Close(link) => self.closed.push(link),
                Output::Subscribe {
                    request,
                    session_id,
                    feed,
                    condition,
                } => self.requests.push(Request {
                    request,
                    session_id,
                    feed,
                    condition,
                }),
                Output::Unsubscribe(id) => {
                    self.live.remove(&id);
                    self.deleted.push(id);
                }
                Output::Event(event) => self.events.push(event),
            }
        }
    }

    /// Moves the clock to `at` (since the start), ticking at every deadline on the way.
    pub fn advance_to(&mut self, at: Duration) {
        let end = self.t0 + at;
        while let Some(deadline) = self.session.deadline() {
            if deadline > end {
                break;
            }
            self.now = self.now.max(deadline);
            self.session.tick(self.now);
            self.drain();
        }
        self.now = end;
        self.session.tick(end);
        self.drain();
    }

    pub fn advance(&mut self, by: Duration) {
        let at = self.now - self.t0 + by;
        self.advance_to(at);
    }

    pub fn command(&mut self, command: Command) {
        self.session.command(command, self.now);
        self.drain();
    }

    pub fn watch(&mut self, channel: &str, broadcaster_id: &str, moderator: bool) {
        self.command(Command::Watch {
            channel: login(channel),
            broadcaster_id: broadcaster_id.to_owned(),
            moderator,
        });
    }

    /// Opens the socket asked for last and returns its link.
    pub fn open(&mut self) -> LinkId {
        let (link, _) = self.opening.pop().expect("a socket was asked for");
        self.session.opened(link, self.now);
        self.drain();
        link
    }

    pub fn frame(&mut self, link: LinkId, frame: serde_json::Value) {
        self.session.received(link, &frame.to_string(), self.now);
        self.drain();
    }

    pub fn welcome(&mut self, link: LinkId, session_id: &str, keepalive: u64) {
        let frame = envelope(
            &self.message_id(),
            "session_welcome",
            None,
            json!({"session": {"id": session_id, "status": "connected",
                "connected_at": "2026-11-14T19:02:10.102345678Z",
                "keepalive_timeout_seconds": keepalive, "reconnect_url": null}}),
        );
        self.frame(link, frame);
    }

    pub fn keepalive(&mut self, link: LinkId) {
        let frame = envelope(&self.message_id(), "session_keepalive", None, json!({}));
        self.frame(link, frame);
    }

    /// A whisper notification with this message id.
    pub fn whisper(&mut self, link: LinkId, message_id: &str, text: &str) {
        let frame = envelope(
            message_id,
            "notification",
            Some(("user.whisper.message", "1")),
            json!({"subscription": subscription("w1", "user.whisper.message", "1", "enabled",
                    json!({"user_id": ME})),
                "event": {"from_user_id": "7", "from_user_login": "pixel_pilgrim",
                    "from_user_name": "Pixel_Pilgrim", "to_user_id": ME, "to_user_login": "me",
                    "to_user_name": "Me", "whisper_id": message_id, "whisper": {"text": text}}}),
        );
        self.frame(link, frame);
    }

    pub fn reconnect(&mut self, link: LinkId, session_id: &str, url: &str) {
        let frame = envelope(
            &self.message_id(),
            "session_reconnect",
            None,
            json!({"session": {"id": session_id, "status": "reconnecting",
                "connected_at": "2026-11-14T19:02:10.102345678Z",
                "keepalive_timeout_seconds": null, "reconnect_url": url}}),
        );
        self.frame(link, frame);
    }

    /// Answers every open subscription request with success.
    pub fn accept_all(&mut self) {
        for request in std::mem::take(&mut self.requests) {
            let id = format!("sub-{}", request.request.0);
            self.live.insert(id.clone(), request.clone());
            self.session.subscribed(request.request, Ok(id), self.now);
        }
        self.drain();
    }

    pub fn answer(&mut self, request: RequestId, result: Result<String, SubscribeError>) {
        self.session.subscribed(request, result, self.now);
        self.drain();
    }

    /// Connects the first socket and subscribes the account's whispers.
    pub fn connected(config: EventSubConfig) -> (Harness, LinkId) {
        let mut h = Harness::new(config);
        let link = h.open();
        h.welcome(link, "session-1", 10);
        h.accept_all();
        (h, link)
    }

    /// The whisper texts that reached the app, in order.
    pub fn whispers(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match e {
                FeedEvent::Notification(n) => match &n.event {
                    ttvchat::twitch::eventsub::Event::Whisper(w) => Some(w.text.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    fn message_id(&mut self) -> String {
        self.next_message += 1;
        format!("m-{}", self.next_message)
    }
}

pub fn subscription(
    id: &str,
    kind: &str,
    version: &str,
    status: &str,
    condition: serde_json::Value,
) -> serde_json::Value {
    json!({"id": id, "status": status, "type": kind, "version": version, "cost": 0,
        "condition": condition,
        "transport": {"method": "websocket", "session_id": "session-1"},
        "created_at": "2026-11-14T19:02:11.734561293Z"})
}

pub fn envelope(
    message_id: &str,
    kind: &str,
    subscription: Option<(&str, &str)>,
    payload: serde_json::Value,
) -> serde_json::Value {
    let mut metadata = json!({"message_id": message_id, "message_type": kind,
        "message_timestamp": "2026-11-14T19:02:10.134234626Z"});
    if let Some((kind, version)) = subscription {
        metadata["subscription_type"] = json!(kind);
        metadata["subscription_version"] = json!(version);
    }
    json!({"metadata": metadata, "payload": payload})
}
