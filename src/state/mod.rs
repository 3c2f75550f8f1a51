//! The app model: every channel tab, the input line, the connection as the user sees it, modes
//! and overlays. Pure: no tokio, no terminal, no clock reads; time arrives as data in [`Msg`].
//! It changes only in [`update::update`], which returns the [`Effect`]s for the app to run.

pub mod channel;
pub mod command;
pub mod help;
pub mod input;
pub mod keymap;
pub mod message;
pub mod text;
pub mod update;

use std::collections::HashMap;

use channel::Channel;
use input::Input;
use keymap::{Key, Keymap};
use message::Millis;

use crate::net::chat::ChatEvent;
use crate::net::outbox::{MessageId, OutgoingMessage};
use crate::twitch::Login;

pub use update::update;

/// How often stream information (live, viewers, title) is refreshed.
pub const STREAMS_EVERY_MS: Millis = 60_000;

/// Everything that can change the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    Paste(String),
    /// The terminal's new size.
    Resize {
        width: u16,
        height: u16,
    },
    Chat(ChatEvent),
    /// The current time; sent with every batch of events and when a deadline passes.
    Tick(Millis),
    /// Stream information for a channel (from Helix).
    Stream {
        channel: Login,
        info: Option<channel::StreamInfo>,
    },
}

/// What the app must do for the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Send {
        id: MessageId,
        message: OutgoingMessage,
    },
    Join(Login),
    Part(Login),
    /// Ask Helix which of these channels are live.
    FetchStreams(Vec<Login>),
    Quit,
}

/// The connection, as the status line tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    Connecting {
        attempt: u32,
    },
    Connected,
    /// Lost; the next attempt is at this time (or right away).
    Reconnecting {
        at: Millis,
        reason: String,
    },
    /// The login was refused; nothing happens until new credentials.
    LoginFailed(String),
}

/// Who we are logged in as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    pub login: Option<String>,
    pub anonymous: bool,
    /// The stored login no longer works (revoked, expired and not renewable): why, for the
    /// status line; chat is read anonymously until the user logs in again.
    pub signed_out: Option<String>,
    pub display: Option<String>,
    pub color: Option<crate::twitch::tags::Rgb>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Typing into the input line.
    Input,
    /// Moving over messages (reply, copy, retry).
    Select,
    /// Typing a search; `current` is the entry the last jump landed on.
    Search { query: String, current: Option<u64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The key and command list, scrolled down this many rows.
    Help { scroll: usize },
}

/// Settings the state needs (from the config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Messages kept per channel.
    pub scrollback: usize,
    pub keymap: Keymap,
    /// Seconds east of UTC, for timestamps.
    pub utc_offset_s: i32,
    pub show_timestamps: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scrollback: 10_000,
            keymap: Keymap::default(),
            utc_offset_s: 0,
            show_timestamps: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub channels: Vec<Channel>,
    pub focus: usize,
    pub input: Input,
    pub mode: Mode,
    pub overlay: Option<Overlay>,
    pub show_users: bool,
    pub connection: Connection,
    pub account: Account,
    /// Messages are waiting for the rate limit or slow mode.
    pub throttled: bool,
    pub settings: Settings,
    pub now: Millis,
    pub size: (u16, u16),
    /// When stream information is next due from Helix (`None`: no Helix).
    pub streams_due: Option<Millis>,
    next_message_id: u64,
    /// Our messages not yet confirmed (and failed ones, for retry): where they are shown and
    /// what was sent.
    pending: HashMap<MessageId, (Login, u64, OutgoingMessage)>,
    /// Tab completion in progress: the candidates, the one shown, where the word starts.
    completion: Option<(Vec<String>, usize, usize)>,
}

impl AppState {
    pub fn new(settings: Settings, channels: &[Login], now: Millis) -> AppState {
        AppState {
            channels: channels.iter().cloned().map(Channel::new).collect(),
            focus: 0,
            input: Input::default(),
            mode: Mode::Input,
            overlay: None,
            show_users: false,
            connection: Connection::Connecting { attempt: 1 },
            account: Account::default(),
            throttled: false,
            settings,
            now,
            size: (80, 24),
            streams_due: None,
            next_message_id: 1,
            pending: HashMap::new(),
            completion: None,
        }
    }

    pub fn focused(&self) -> Option<&Channel> {
        self.channels.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut Channel> {
        self.channels.get_mut(self.focus)
    }

    pub fn channel_mut(&mut self, name: &str) -> Option<&mut Channel> {
        self.channels.iter_mut().find(|c| c.name.as_str() == name)
    }

    fn new_message_id(&mut self) -> MessageId {
        let id = MessageId(self.next_message_id);
        self.next_message_id += 1;
        id
    }

    /// Starts signed out: the stored login of `login` no longer works, for `reason`. Every tab
    /// says so and how to fix it.
    pub fn signed_out(mut self, login: &str, reason: &str) -> AppState {
        let text = format!(
            "Your login as {login} no longer works ({reason}). Run `ttvchat login` to log in again; until then chat is read-only."
        );
        let (now, cap) = (self.now, self.settings.scrollback);
        for chan in &mut self.channels {
            let body = message::Body::System(message::System {
                level: message::Level::Error,
                text: text.clone(),
            });
            chan.push(now, body, cap);
        }
        self.account.signed_out = Some(format!("logged out: run `ttvchat login` ({login})"));
        self
    }

    /// Turns on stream information from Helix, fetched at once and then every minute.
    pub fn with_helix(mut self) -> AppState {
        self.streams_due = Some(self.now);
        self
    }

    /// Rows the message list gets (the screen minus tabs, room bar, input and status).
    pub fn message_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(5)).max(1)
    }
}
