//! What the EventSub session tells the app, as plain data: notifications (each once), the live
//! feeds connecting and dropping, and feeds that cannot run, with why. Also how a subscription
//! request failed, as the Helix driver reports it back to the session.

use std::fmt;
use std::time::Duration;

use super::{Feed, Notification};
use crate::twitch::Login;

#[derive(Debug, Clone, PartialEq)]
pub enum FeedEvent {
    /// A notification, never the same `message_id` twice.
    Notification(Box<Notification>),
    /// The feeds are live (again).
    Connected,
    /// The feeds' connection ended; it comes back after `retry_in`.
    Disconnected {
        reason: SocketEnd,
        retry_in: Duration,
    },
    /// These feeds of `channel` (none: the account's) are not running.
    Unavailable {
        channel: Option<Login>,
        feeds: Vec<Feed>,
        reason: Unavailable,
    },
}

/// Why a feed is not running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The login lacks this scope; `ttvchat login` asks for it.
    MissingScope(String),
    /// Twitch allows no more subscriptions for one account.
    OverLimit { subscriptions: usize },
    /// Twitch says we may not (not a moderator there any more).
    NotAllowed,
    /// Twitch stopped it: `authorization_revoked`, `user_removed`, `version_removed`, ...
    Revoked(String),
    /// Twitch refused the subscription.
    Refused { status: u16, message: String },
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::MissingScope(scope) => write!(
                f,
                "the login lacks the scope {scope}; run `ttvchat login` to grant it"
            ),
            Unavailable::OverLimit { subscriptions } => write!(
                f,
                "Twitch allows {subscriptions} live subscriptions per account, and they are in use"
            ),
            Unavailable::NotAllowed => write!(f, "Twitch says you are not a moderator here"),
            Unavailable::Revoked(status) => match status.as_str() {
                "authorization_revoked" => write!(f, "the login's permission was withdrawn"),
                "user_removed" => write!(f, "the channel no longer exists"),
                "moderator_removed" => write!(f, "you are no longer a moderator here"),
                "version_removed" => write!(f, "Twitch retired this version of the feed"),
                other => write!(f, "Twitch stopped it ({other})"),
            },
            Unavailable::Refused { status, message } => {
                write!(f, "Twitch refused it ({status}): {message}")
            }
        }
    }
}

/// How a subscription request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscribeError {
    /// 409: the same subscription exists already (it is running).
    AlreadyExists,
    /// 400 for a session that closed meanwhile: ask again on the next one.
    SessionGone,
    /// 401/403 for a missing scope.
    MissingScope(String),
    /// 403: not a moderator of the channel.
    NotAllowed,
    /// 429: a limit of subscriptions or connections.
    Limit(String),
    /// Helix could not be reached; worth another try.
    Network(String),
    Refused {
        status: u16,
        message: String,
    },
}

/// How a feeds connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketEnd {
    /// Twitch closed it with one of its codes (4000-4007) or another.
    Code(u16),
    /// Closed without a code, or the network dropped it.
    Lost(String),
    /// Neither notification nor keepalive came in time.
    Silent(Duration),
    /// The socket opened but no welcome came.
    NoWelcome,
    /// The socket could not be opened.
    Unreachable(String),
}

impl fmt::Display for SocketEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocketEnd::Code(code) => f.write_str(match code {
                4000 => "Twitch had an internal error (4000)",
                4001 => "Twitch says we sent it something (4001)",
                4002 => "Twitch says we missed its ping (4002)",
                4003 => "no subscription was made in time (4003)",
                4004 => "the reconnect was not finished in time (4004)",
                4005 => "a network timeout (4005)",
                4006 => "a network error (4006)",
                4007 => "Twitch refused the reconnect (4007)",
                _ => "Twitch closed the connection",
            }),
            SocketEnd::Lost(why) => write!(f, "the connection was lost: {why}"),
            SocketEnd::Silent(after) => write!(f, "nothing heard for {}s", after.as_secs()),
            SocketEnd::NoWelcome => f.write_str("Twitch sent no welcome"),
            SocketEnd::Unreachable(why) => write!(f, "could not connect: {why}"),
        }
    }
}
