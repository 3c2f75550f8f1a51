//! What the app asks Helix to do and what comes back, as plain data: the state builds a
//! [`Call`] for a slash-command or a moderation key and reads the [`Reply`]; `net::helix`
//! runs them. Pure: no I/O here.

use crate::twitch::Login;
pub use crate::twitch::eventsub::events::Treatment;

/// The colors an announcement can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnnounceColor {
    #[default]
    Primary,
    Blue,
    Green,
    Orange,
    Purple,
}

impl AnnounceColor {
    pub const ALL: [AnnounceColor; 5] = [
        AnnounceColor::Primary,
        AnnounceColor::Blue,
        AnnounceColor::Green,
        AnnounceColor::Orange,
        AnnounceColor::Purple,
    ];

    /// The name Helix takes (and `/announce<name>` uses).
    pub fn as_str(self) -> &'static str {
        match self {
            AnnounceColor::Primary => "primary",
            AnnounceColor::Blue => "blue",
            AnnounceColor::Green => "green",
            AnnounceColor::Orange => "orange",
            AnnounceColor::Purple => "purple",
        }
    }
}

/// A change of chat settings; `None` leaves a setting alone. For slow and followers-only mode
/// `Some(None)` turns the mode off and `Some(Some(n))` on (seconds / minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChatSettings {
    pub slow: Option<Option<u64>>,
    pub followers: Option<Option<u64>>,
    pub subscribers: Option<bool>,
    pub emote_only: Option<bool>,
    pub unique: Option<bool>,
}

/// One Helix action in the channel it is made in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Ban {
        user: Login,
        reason: String,
    },
    Timeout {
        user: Login,
        seconds: u64,
        reason: String,
    },
    Unban {
        user: Login,
    },
    Untimeout {
        user: Login,
    },
    Delete {
        message_id: String,
    },
    Clear,
    Settings(ChatSettings),
    Announce {
        message: String,
        color: AnnounceColor,
    },
    Shoutout {
        to: Login,
    },
    Raid {
        to: Login,
    },
    Unraid,
    Mod {
        user: Login,
    },
    Unmod {
        user: Login,
    },
    Mods,
    Vip {
        user: Login,
    },
    Unvip {
        user: Login,
    },
    Vips,
    Warn {
        user: Login,
        reason: String,
    },
    Shield {
        on: bool,
    },
    Color {
        color: String,
    },
    Whisper {
        to: Login,
        text: String,
    },
    Chatters,
    /// The user card's details; `follows`: we moderate here, so may see follow dates.
    Card {
        user: Login,
        follows: bool,
    },
    /// Approve (or deny) `user`'s pending unban request, with an optional text for them.
    ResolveUnban {
        user: Login,
        approve: bool,
        text: String,
    },
    /// Treat `user` as suspicious (monitored or restricted), or no longer.
    Suspicion {
        user: Login,
        treatment: Treatment,
    },
    /// The unban requests waiting in the channel (those made before we came too).
    PendingUnbans,
    /// Allow (or deny) a message AutoMod holds; `author` names it for the answer.
    Automod {
        message_id: String,
        allow: bool,
        author: String,
    },
}

/// Whether someone follows the channel, as far as we may know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followed {
    /// Since this time (milliseconds since the Unix epoch).
    Since(i64),
    No,
    /// Only moderators may see follows.
    Unknown,
}

/// What the user card shows from Helix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    pub login: Login,
    pub display: String,
    pub created_at: Option<i64>,
    pub followed: Followed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Done,
    /// A list of users (mods, VIPs, chatters) and how many there are in all.
    Names {
        names: Vec<String>,
        total: u64,
    },
    Card(Card),
    /// Unban requests waiting for a decision.
    Unbans(Vec<PendingUnban>),
}

/// An unban request waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingUnban {
    pub id: String,
    pub login: Login,
    pub display: String,
    pub text: String,
}

/// Why a Helix call failed, in the kinds the app tells apart. The messages are Twitch's own
/// where it gave one (sanitised before they reach the state).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// Twitch is rate limiting this client: try again after `retry_in` seconds.
    #[error("Twitch is rate limiting ttvchat; try again in {retry_in}s")]
    RateLimited { retry_in: u64 },
    /// The login's token lacks this scope.
    #[error("your login lacks the {scope} permission")]
    MissingScope { scope: String },
    /// The user's role in the channel does not allow it (Twitch's 403).
    #[error("{message}")]
    NotAllowed { message: String },
    /// What the call named does not exist.
    #[error("{message}")]
    NotFound { message: String },
    /// Twitch could not be reached, or did not answer in time.
    #[error("Twitch could not be reached ({message})")]
    Network { message: String },
    /// Twitch no longer accepts the login and it could not be renewed.
    #[error("Twitch no longer accepts your login ({message})")]
    LoggedOut { message: String },
    /// Twitch refused with its own message (400, 409, 422, ...).
    #[error("{message}")]
    Refused { status: u16, message: String },
    /// Twitch answered something that could not be read.
    #[error("unexpected answer from Twitch ({message})")]
    Unexpected { message: String },
}

impl Failure {
    /// The same failure with every text from the network passed through `clean`.
    pub fn map_text(self, clean: impl Fn(&str) -> String) -> Failure {
        match self {
            Failure::RateLimited { retry_in } => Failure::RateLimited { retry_in },
            Failure::MissingScope { scope } => Failure::MissingScope {
                scope: clean(&scope),
            },
            Failure::NotAllowed { message } => Failure::NotAllowed {
                message: clean(&message),
            },
            Failure::NotFound { message } => Failure::NotFound {
                message: clean(&message),
            },
            Failure::Network { message } => Failure::Network {
                message: clean(&message),
            },
            Failure::LoggedOut { message } => Failure::LoggedOut {
                message: clean(&message),
            },
            Failure::Refused { status, message } => Failure::Refused {
                status,
                message: clean(&message),
            },
            Failure::Unexpected { message } => Failure::Unexpected {
                message: clean(&message),
            },
        }
    }

    /// Twitch's own words, for the refusals the app recognises by them.
    pub fn twitch_message(&self) -> Option<&str> {
        match self {
            Failure::NotAllowed { message }
            | Failure::NotFound { message }
            | Failure::Refused { message, .. } => Some(message),
            _ => None,
        }
    }
}
