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
use keymap::{Key, KeyMode, Keymap};
use message::{Level, Millis};

use crate::twitch::Login;
use crate::twitch::chat::ChatEvent;
use crate::twitch::chat::{MessageId, OutgoingMessage};
use crate::twitch::eventsub::FeedEvent;
use crate::twitch::helix::{Call, Card, Failure, Reply};

pub use update::{NotPermitted, update};

/// How often stream information (live, viewers, title) is refreshed.
pub const STREAMS_EVERY_MS: Millis = 60_000;
/// How often the token is checked with Twitch while running.
pub const VALIDATE_EVERY_MS: Millis = 3_600_000;
/// The narrowest window the user list shows in.
pub const USER_LIST_MIN_WIDTH: u16 = 52;
/// The standard timeout (its key: `t`).
pub const TIMEOUT_S: u64 = 600;
/// The presets on 1..9 unless the config says otherwise: 1m 5m 10m 30m 1h 6h 1d 3d 1w.
pub const PRESETS_S: [u64; 9] = [60, 300, 600, 1800, 3600, 21_600, 86_400, 259_200, 604_800];

/// Everything that can change the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    Paste(String),
    /// The mouse wheel turned over the message list or an overlay: up (`true`) or down.
    Wheel {
        up: bool,
    },
    /// A click on something the view drew.
    Click(Clicked),
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
    /// What became of a Helix call made in `channel`: the reply, or Twitch's message.
    Helix {
        channel: Login,
        call: Call,
        result: Result<Reply, Failure>,
    },
    /// Twitch checked the token again: whose it is and what it may do now.
    Validated {
        user_id: String,
        scopes: Vec<String>,
    },
    /// News from the live feeds (EventSub).
    Feed(FeedEvent),
    /// Twitch no longer accepts the login and it could not be renewed.
    SignedOut {
        reason: String,
    },
}

/// What a mouse click landed on: the view knows where things are drawn, the state what they
/// mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clicked {
    /// The tab at this index.
    Tab(usize),
    /// A message (by seq) of the focused channel.
    Message(u64),
    /// The author's name on a message (by seq).
    Name(u64),
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
    /// Run a Helix call in a channel; the answer comes back as [`Msg::Helix`].
    Helix {
        channel: Login,
        call: Call,
    },
    /// Check the token with Twitch (hourly).
    Validate,
    /// Put this text on the system clipboard (through the terminal: OSC 52).
    Clipboard(String),
    /// Take back a message that has not gone out yet.
    Cancel(MessageId),
    /// The login is over: chat goes on read-only.
    SignOut,
    /// Start the live feeds (EventSub) for this user with these scopes.
    StartFeeds {
        user_id: String,
        scopes: Vec<String>,
    },
    /// Follow a channel's feeds, as a moderator or a chatter (again when the role changed).
    Watch {
        channel: Login,
        broadcaster_id: String,
        moderator: bool,
    },
    /// Stop following a channel's feeds.
    Unwatch(Login),
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
    /// What the token may do, as Twitch last said; `None`: not known (every command is tried).
    pub scopes: Option<Vec<String>>,
    pub display: Option<String>,
    pub color: Option<crate::twitch::tags::Rgb>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Typing into the input line.
    Input,
    /// Moving over messages (reply, copy, retry).
    Select,
    /// Typing a search; `current` is the entry the last jump landed on, `found` which match
    /// that is (counting from the newest, from 1) of how many.
    Search {
        query: String,
        current: Option<u64>,
        found: Option<(usize, usize)>,
    },
    /// Labels beside the visible messages (by seq, newest first); typing one selects that
    /// message. `typed` is the part of a label typed so far.
    Hints {
        labels: Vec<(String, u64)>,
        typed: String,
    },
    /// In the user list: the names that contain `filter`, the `selected`-th of them marked.
    Users { filter: String, selected: usize },
}

/// Tab completion in progress: the candidates, the one in the input line, where the word
/// starts, and the word as typed (Esc puts it back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub candidates: Vec<String>,
    pub index: usize,
    pub start: usize,
    pub typed: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The key and command list, scrolled down this many rows, showing only the rows that
    /// contain `filter` (as typed).
    Help { scroll: usize, filter: String },
    /// A user's card.
    Card(CardView),
    /// What Twitch and ttvchat said in the focused channel (its system lines), in full, the
    /// newest at the bottom; scrolled up past this many of them.
    Log { scroll: usize },
    /// The moderators' actions in the focused channel, those matching `filter` (words, each
    /// in the line; `by:name` the moderator, `on:name` the user acted on), the newest at the
    /// bottom; scrolled up past this many.
    ModLog { scroll: usize, filter: String },
    /// A question before something drastic (a ban): `call` runs in `channel` on yes.
    Confirm {
        channel: Login,
        call: Call,
        question: String,
    },
}

/// The user card: who, where, and what Helix said about them (`None` while it is asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardView {
    pub channel: Login,
    pub login: Login,
    /// The message the card was opened from (by name: their newest at that moment), by seq:
    /// the one its delete key deletes, marked on the card.
    pub message: Option<u64>,
    pub info: Option<Card>,
    pub error: Option<String>,
    /// Rows of the card's body scrolled past (its key lines always show).
    pub scroll: usize,
}

/// The most rows a user card's body has (a card scrolls no further).
pub const CARD_BODY_MAX: usize = 21;

/// Settings the state needs (from the config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Messages kept per channel.
    pub scrollback: usize,
    pub keymap: Keymap,
    /// Seconds of timeout on the preset keys 1 to 9 (`[moderation] timeouts`).
    pub timeouts: Vec<u64>,
    /// Seconds east of UTC, for timestamps.
    pub utc_offset_s: i32,
    pub show_timestamps: bool,
    pub look: Look,
}

/// What the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Colors; without them, what colors mark (the selection, badges, bars) is shown reversed.
    pub color: bool,
    /// Symbols beyond ASCII (`●`, `↪`, `✦`, box lines); without them, ASCII stands in.
    pub unicode: bool,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            color: true,
            unicode: true,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scrollback: 10_000,
            keymap: Keymap::default(),
            timeouts: PRESETS_S.to_vec(),
            utc_offset_s: 0,
            show_timestamps: true,
            look: Look::default(),
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
    /// Joining many channels, within Twitch's JOIN limit: joined so far, of how many.
    pub joining: Option<(usize, usize)>,
    /// The newest system line of the focused channel that landed below a paused view (while
    /// selecting or scrolled up), shown on the status line until the next key.
    pub feedback: Option<(Level, String)>,
    pub settings: Settings,
    pub now: Millis,
    pub size: (u16, u16),
    /// When stream information is next due from Helix (`None`: no Helix).
    pub streams_due: Option<Millis>,
    /// When the token is next checked with Twitch (`None`: no Helix).
    pub validate_due: Option<Millis>,
    next_message_id: u64,
    /// Our messages not yet confirmed (and failed ones, for retry): where they are shown and
    /// what was sent.
    pending: HashMap<MessageId, (Login, u64, OutgoingMessage)>,
    /// Tab completion in progress (its candidates are shown above the input line).
    pub completion: Option<Completion>,
    /// The connection is down: since when, and how many times it was lost since (each loss is
    /// an attempt that failed).
    outage: Option<(Millis, u32)>,
    /// A waiting message being taken back, and whether its text then goes to the input line
    /// to be edited.
    taking_back: Option<(MessageId, bool)>,
    /// The live feeds were started.
    pub feeds: bool,
    /// The live feeds' connection was lost and has not come back yet.
    pub feeds_lost: bool,
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
            joining: None,
            feedback: None,
            settings,
            now,
            size: (80, 24),
            streams_due: None,
            validate_due: None,
            next_message_id: 1,
            pending: HashMap::new(),
            completion: None,
            outage: None,
            taking_back: None,
            feeds: false,
            feeds_lost: false,
        }
    }

    /// Back to typing from selection (or hint) mode; live chat moves on again if selecting paused it.
    pub fn leave_select(&mut self) {
        if !matches!(self.mode, Mode::Select | Mode::Hints { .. }) {
            return;
        }
        self.mode = Mode::Input;
        if let Some(chan) = self.focused_mut() {
            chan.selected = None;
            chan.held = None;
            if std::mem::take(&mut chan.resume_live) {
                chan.anchor = None;
            }
        }
    }

    pub fn focused(&self) -> Option<&Channel> {
        self.channels.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut Channel> {
        self.channels.get_mut(self.focus)
    }

    pub fn channel_mut(&mut self, name: &str) -> Option<&mut Channel> {
        self.channels.iter_mut().find(|c| c.is_room(name))
    }

    fn new_message_id(&mut self) -> MessageId {
        let id = MessageId(self.next_message_id);
        self.next_message_id += 1;
        id
    }

    /// Starts signed out: the stored login of `login` no longer works, for `reason`. Every tab
    /// says so and how to fix it.
    pub fn signed_out(mut self, login: &str, reason: &str) -> AppState {
        self.sign_out(login, reason);
        self
    }

    /// The login of `login` stopped working, for `reason`: every tab says so and how to fix
    /// it, and nothing more is asked of Helix.
    fn sign_out(&mut self, login: &str, reason: &str) {
        let text = format!(
            "Your login as {login} no longer works ({reason}). Run `ttvchat login` to log in again; until then chat is read-only."
        );
        let (now, cap) = (self.now, self.settings.scrollback);
        for chan in &mut self.channels {
            let body = message::Body::System(message::System {
                level: message::Level::Error,
                text: text.clone(),
                about: None,
            });
            chan.push(now, body, cap);
        }
        self.account.signed_out = Some(format!("logged out: run `ttvchat login` ({login})"));
        self.streams_due = None;
        self.validate_due = None;
    }

    /// Starts with `text` told: a line in the first tab, also on the status line until the
    /// first key.
    pub fn with_notice(mut self, text: &str) -> AppState {
        let (now, cap) = (self.now, self.settings.scrollback);
        if let Some(chan) = self.channels.first_mut() {
            let body = message::Body::System(message::System {
                level: Level::Error,
                text: text.to_owned(),
                about: None,
            });
            chan.push(now, body, cap);
        }
        self.feedback = Some((Level::Error, text.to_owned()));
        self
    }

    /// Turns on Helix: commands, stream information fetched at once and then every minute,
    /// and the token checked every hour (it was checked at start).
    pub fn with_helix(mut self) -> AppState {
        self.streams_due = Some(self.now);
        // Twitch asks apps to check the token at start (it names the user the live feeds are
        // for) and hourly after.
        self.validate_due = Some(self.now);
        self
    }

    /// Whether we may run the command `name` in `channel` (role, scopes, login); why not
    /// otherwise.
    pub fn may_run(&self, channel: &Login, name: &str) -> Result<(), NotPermitted> {
        match command::Spec::find(name) {
            Some(spec) => update::permitted(self, channel, spec),
            None => Err(NotPermitted::Unknown {
                command: name.to_owned(),
            }),
        }
    }

    /// Whether Helix calls can be made (a logged-in token).
    /// The main key of `action` in `mode`, for sentences that name a key ("then Enter"); when
    /// the user unbound it, the config name of the action in brackets.
    pub fn key_for(&self, mode: KeyMode, action: keymap::Action) -> String {
        self.settings.keymap.hint(mode, action).unwrap_or_else(|| {
            keymap::described()
                .into_iter()
                .find(|d| d.mode == mode && d.action == action)
                .map_or_else(String::new, |d| {
                    format!("[keys.{}] {}", mode.name(), d.name)
                })
        })
    }

    /// Seconds of timeout preset `n` (1 to 9), if there is one.
    pub fn preset(&self, n: u8) -> Option<u64> {
        let index = usize::from(n).checked_sub(1)?;
        self.settings.timeouts.get(index).copied()
    }

    /// The table the next key is looked up in (the normal keys come after it where
    /// [`KeyMode::falls_to_normal`]).
    pub fn key_mode(&self) -> KeyMode {
        match (&self.overlay, &self.mode) {
            (Some(Overlay::Help { .. }), _) => KeyMode::Help,
            (Some(Overlay::Card(_)), _) => KeyMode::Card,
            (Some(Overlay::Confirm { .. }), _) => KeyMode::Confirm,
            (Some(Overlay::Log { .. }), _) => KeyMode::Log,
            (Some(Overlay::ModLog { .. }), _) => KeyMode::ModLog,
            (None, Mode::Input) => KeyMode::Input,
            (None, Mode::Select) => KeyMode::Select,
            (None, Mode::Search { .. }) => KeyMode::Search,
            (None, Mode::Hints { .. }) => KeyMode::Hints,
            (None, Mode::Users { .. }) => KeyMode::Users,
        }
    }

    pub fn has_helix(&self) -> bool {
        self.validate_due.is_some()
    }

    /// Rows the message list gets (the screen minus tabs, room bar, input and status).
    pub fn message_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(5)).max(1)
    }
}
