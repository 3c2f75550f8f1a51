//! What the app asks Helix to do and what comes back, as plain data: the state builds a
//! [`Call`] for a slash-command or a moderation key and reads the [`Reply`]; `net::helix`
//! runs them. Pure: no I/O here.

use crate::twitch::Login;

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
}
