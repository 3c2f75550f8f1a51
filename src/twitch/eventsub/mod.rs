//! EventSub over WebSocket as data, pure: the frames the server sends ([`Frame`]), the typed
//! events of the feeds ttvchat subscribes to ([`events`]), and which subscriptions a role in a
//! channel wants, with their versions, conditions and scopes ([`feeds`]). No transport, no clock:
//! JSON text in, values out. `net::eventsub` runs the session; `sim` writes its own JSON.

pub mod events;
pub mod feeds;
mod fields;
pub mod news;

use serde_json::{Map, Value};

pub use self::events::Event;
pub use self::feeds::{Condition, Feed};
use self::fields::Fields;
pub use self::news::{FeedEvent, SocketEnd, SubscribeError, Unavailable};

/// A frame from the EventSub server.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// The session is ready: subscribe within `keepalive` seconds.
    Welcome(SessionInfo),
    /// Nothing happened for a while; the connection is alive.
    Keepalive {
        message_id: String,
    },
    Notification(Box<Notification>),
    /// Connect to `reconnect_url` before this socket closes (about 30 s).
    Reconnect(SessionInfo),
    /// The server stopped a subscription and will send nothing more for it.
    Revocation {
        message_id: String,
        subscription: Subscription,
    },
}

/// The `session` object of a welcome or reconnect.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub id: String,
    pub status: String,
    /// Seconds; absent in a reconnect message.
    pub keepalive_timeout_seconds: Option<u64>,
    pub reconnect_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The same for a message sent again: deduplicate on it.
    pub message_id: String,
    /// RFC 3339, nanoseconds.
    pub timestamp: String,
    pub subscription: Subscription,
    pub event: Event,
}

/// A subscription as the server describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: String,
    pub kind: String,
    pub version: String,
    /// `enabled`, or why it stopped (`authorization_revoked`, `user_removed`, ...).
    pub status: String,
    pub condition: Condition,
}

impl Subscription {
    /// The feed this is, if ttvchat knows it.
    pub fn feed(&self) -> Option<Feed> {
        Feed::from_kind(&self.kind, &self.version)
    }
}

/// A frame that is not what EventSub sends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("not JSON: {0}")]
    Json(String),
    #[error("unknown message type '{0}'")]
    UnknownType(String),
    #[error("'{0}' is missing or of the wrong type")]
    Missing(String),
    #[error("'{0}' is not a Twitch name")]
    BadLogin(String),
}

impl Frame {
    /// Reads one text frame.
    pub fn parse(text: &str) -> Result<Frame, FrameError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| FrameError::Json(e.to_string()))?;
        let root = object(&value, "frame")?;
        let metadata = Fields::new(object_at(root, "metadata")?, "metadata");
        let payload = object_at(root, "payload")?;
        let message_id = metadata.string("message_id")?;
        match metadata.str("message_type")? {
            "session_welcome" => Ok(Frame::Welcome(session(payload)?)),
            "session_reconnect" => Ok(Frame::Reconnect(session(payload)?)),
            "session_keepalive" => Ok(Frame::Keepalive { message_id }),
            "revocation" => Ok(Frame::Revocation {
                message_id,
                subscription: subscription(object_at(payload, "subscription")?)?,
            }),
            "notification" => {
                let subscription = subscription(object_at(payload, "subscription")?)?;
                let event = Event::parse(
                    &subscription.kind,
                    &subscription.version,
                    object_at(payload, "event")?,
                )?;
                Ok(Frame::Notification(Box::new(Notification {
                    message_id,
                    timestamp: metadata.string("message_timestamp")?,
                    subscription,
                    event,
                })))
            }
            other => Err(FrameError::UnknownType(other.to_owned())),
        }
    }
}

fn object<'a>(value: &'a Value, name: &str) -> Result<&'a Map<String, Value>, FrameError> {
    value
        .as_object()
        .ok_or_else(|| FrameError::Missing(name.to_owned()))
}

fn object_at<'a>(
    map: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a Map<String, Value>, FrameError> {
    map.get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| FrameError::Missing(key.to_owned()))
}

fn session(payload: &Map<String, Value>) -> Result<SessionInfo, FrameError> {
    let session = Fields::new(object_at(payload, "session")?, "session");
    Ok(SessionInfo {
        id: session.string("id")?,
        status: session.string("status")?,
        keepalive_timeout_seconds: session
            .get("keepalive_timeout_seconds")
            .and_then(Value::as_u64),
        reconnect_url: session.opt_string("reconnect_url"),
    })
}

fn subscription(map: &Map<String, Value>) -> Result<Subscription, FrameError> {
    let fields = Fields::new(map, "subscription");
    let condition = Fields::new(object_at(map, "condition")?, "condition");
    Ok(Subscription {
        id: fields.string("id")?,
        kind: fields.string("type")?,
        version: fields.string("version")?,
        status: fields.string("status")?,
        condition: Condition {
            broadcaster_user_id: condition.opt_string("broadcaster_user_id"),
            moderator_user_id: condition.opt_string("moderator_user_id"),
            user_id: condition.opt_string("user_id"),
        },
    })
}
