//! The chat connection as the rest of the app sees it, as plain data: the messages the app
//! sends and their ids, and the events the chat actor (`net::chat`) reports: connecting,
//! disconnected and why, joins, every server line parsed, and each sent message's fate.

use std::fmt;
use std::time::Duration;

use crate::twitch::Login;
use crate::twitch::irc::ParseError;
use crate::twitch::message::ServerMessage;
use crate::twitch::room::GlobalUserState;

/// The id the app gets back for each message it sends, to follow its fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub u64);

/// A chat message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub channel: Login,
    pub text: String,
    /// A `/me` action.
    pub action: bool,
    /// The Twitch id of the message this replies to.
    pub reply_to: Option<String>,
}

/// Why the connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisconnectReason {
    ConnectFailed(String),
    /// The server closed the connection.
    Closed,
    Io(String),
    /// Our PING went unanswered.
    PingTimeout,
    /// The server asked us to reconnect.
    ReconnectRequested,
    AuthFailed(String),
    LoginTimeout,
}

impl fmt::Display for DisconnectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DisconnectReason::ConnectFailed(e) => write!(f, "could not connect: {e}"),
            DisconnectReason::Closed => f.write_str("the server closed the connection"),
            DisconnectReason::Io(e) => write!(f, "connection lost: {e}"),
            DisconnectReason::PingTimeout => f.write_str("no answer to PING"),
            DisconnectReason::ReconnectRequested => f.write_str("the server asked to reconnect"),
            DisconnectReason::AuthFailed(e) => write!(f, "login failed: {e}"),
            DisconnectReason::LoginTimeout => f.write_str("login took too long"),
        }
    }
}

/// The fate of a message the app sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendStatus {
    /// It waits for the rate limit or slow mode, about this long.
    Throttled { wait: Duration },
    /// Written to the connection; Twitch has not answered yet.
    Sent,
    /// Twitch accepted it, under this message id.
    Confirmed { message_id: Option<String> },
    /// Twitch refused it (`msg_slowmode`, `msg_banned`, `msg_duplicate`, ...).
    Rejected { msg_id: String, reason: String },
    /// Never sent.
    Dropped { reason: DropReason },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// Too many messages were already waiting.
    QueueFull,
    /// Anonymous connections cannot chat.
    ReadOnly,
    /// The channel does not exist or is suspended.
    ChannelUnavailable,
    /// The user took it back before it went out.
    Cancelled,
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DropReason::QueueFull => "too many messages are waiting to be sent",
            DropReason::ReadOnly => "anonymous (read-only) connections cannot chat",
            DropReason::ChannelUnavailable => "the channel does not exist or is suspended",
            DropReason::Cancelled => "taken back",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    Connecting {
        attempt: u32,
    },
    /// Logged in; `global` is our GLOBALUSERSTATE (not sent to anonymous logins).
    Connected {
        login: Login,
        anonymous: bool,
        global: Option<GlobalUserState>,
    },
    /// The connection ended; the next attempt comes after `retry_in`, or never (`None`: a
    /// failed login waits for new credentials).
    Disconnected {
        reason: DisconnectReason,
        retry_in: Option<Duration>,
    },
    AuthFailed {
        reason: String,
    },
    Joined {
        channel: Login,
    },
    Parted {
        channel: Login,
    },
    JoinFailed {
        channel: Login,
        reason: String,
    },
    /// How far joining the wanted channels has come (sent as it changes, 20 JOINs per 10 s):
    /// `joined` of `wanted`.
    JoinProgress {
        joined: usize,
        wanted: usize,
    },
    /// One of the further connections (past the channels one carries) ended: these channels
    /// are not joined until it is back, after `retry_in`.
    ChannelsLost {
        channels: Vec<Login>,
        reason: DisconnectReason,
        retry_in: Duration,
    },
    /// Every line the server sent, parsed.
    Message(Box<ServerMessage>),
    /// A line that is not IRC; it is skipped.
    Unparsed {
        line: String,
        error: ParseError,
    },
    Outgoing {
        id: MessageId,
        status: SendStatus,
    },
}
