//! Keys as data and what they do: one table of `(mode, key) -> action` rows with built-in
//! defaults that the config's `[keys.<mode>]` tables override, checked for clashes. The keys
//! themselves (parsing `ctrl-n`, showing `Ctrl-N`) are in [`key`].

mod key;

pub use key::{Key, KeyCode, Mods, NotAKey};

/// Where a key is looked up. Each mode has its own table; the normal keys also work while
/// typing, selecting, picking a hint and searching (the mode's own keys come first there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyMode {
    Normal,
    Input,
    Completion,
    Select,
    Hints,
    Search,
    Card,
    Confirm,
    Help,
    Users,
    Log,
}

impl KeyMode {
    pub const ALL: [KeyMode; 11] = [
        KeyMode::Normal,
        KeyMode::Input,
        KeyMode::Completion,
        KeyMode::Select,
        KeyMode::Hints,
        KeyMode::Search,
        KeyMode::Card,
        KeyMode::Confirm,
        KeyMode::Help,
        KeyMode::Users,
        KeyMode::Log,
    ];

    /// The name in the config's `[keys.<mode>]` tables.
    pub fn name(self) -> &'static str {
        match self {
            KeyMode::Normal => "normal",
            KeyMode::Input => "input",
            KeyMode::Completion => "completion",
            KeyMode::Select => "select",
            KeyMode::Hints => "hints",
            KeyMode::Search => "search",
            KeyMode::Card => "card",
            KeyMode::Confirm => "confirm",
            KeyMode::Help => "help",
            KeyMode::Users => "users",
            KeyMode::Log => "log",
        }
    }

    /// A heading for the help and the README.
    pub fn title(self) -> &'static str {
        match self {
            KeyMode::Normal => "Keys anywhere",
            KeyMode::Input => "Typing",
            KeyMode::Completion => "Tab completion",
            KeyMode::Select => "Select mode (a message)",
            KeyMode::Hints => "Hint mode (labels)",
            KeyMode::Search => "Search",
            KeyMode::Card => "User card",
            KeyMode::Confirm => "Question (before a ban)",
            KeyMode::Help => "Help",
            KeyMode::Users => "User list",
            KeyMode::Log => "What was said (the log)",
        }
    }

    pub fn from_name(name: &str) -> Option<KeyMode> {
        KeyMode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether the normal keys work in this mode too (after its own).
    pub fn falls_to_normal(self) -> bool {
        matches!(
            self,
            KeyMode::Input | KeyMode::Select | KeyMode::Hints | KeyMode::Search | KeyMode::Users
        )
    }

    /// Whether a key without Ctrl or Alt types text here (into the input, the search, the help
    /// filter, or a hint label), so binding one would make that letter untypable.
    fn types(self) -> bool {
        !matches!(
            self,
            KeyMode::Select | KeyMode::Card | KeyMode::Confirm | KeyMode::Completion | KeyMode::Log
        )
    }
}

/// What a bound key does. One action can be bound in several modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    NextTab,
    PrevTab,
    /// Tabs 1 to 9.
    Tab(u8),
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    ScrollTop,
    /// Back to live chat.
    ScrollBottom,
    ToggleUsers,
    Help,
    Search,
    Select,
    /// Labels on the visible messages; typing one selects that message.
    Hints,
    /// Send again the newest failed message of this channel.
    Retry,
    Quit,
    Send,
    /// Esc in the input: a draft put aside comes back, else the reply is dropped.
    Cancel,
    Backspace,
    DeleteWord,
    DeleteChar,
    Left,
    Right,
    WordLeft,
    WordRight,
    LineStart,
    LineEnd,
    HistoryBack,
    HistoryForward,
    Complete,
    ClearLine,
    Next,
    Previous,
    Up,
    Down,
    Oldest,
    Newest,
    Close,
    /// Copy the message into the input line.
    Copy,
    /// Copy the message to the system clipboard (OSC 52).
    Clipboard,
    DeleteMessage,
    /// The standard timeout (10 minutes).
    Timeout,
    /// Timeout preset 1 to 9 (`[moderation] timeouts`).
    Preset(u8),
    Ban,
    Unban,
    Warn,
    Reply,
    Card,
    Older,
    Newer,
    Yes,
    No,
    Top,
    Bottom,
    /// Take back our waiting message and put its text in the input.
    Edit,
    /// Take back our waiting message.
    TakeBack,
    /// What Twitch and ttvchat said here, in full.
    Log,
    /// Select the oldest message AutoMod holds here.
    Held,
    /// Allow the selected message AutoMod holds.
    Allow,
    /// Deny the selected message AutoMod holds.
    Deny,
}

impl Action {
    /// Whether this is one of the numbered families (tabs, presets).
    pub fn number(self) -> Option<u8> {
        match self {
            Action::Tab(n) | Action::Preset(n) => Some(n),
            _ => None,
        }
    }
}

/// One row of the key table: an action in a mode, its config name, what it does and its
/// default keys. `#` in a name or a key stands for the digits 1 to 9 (nine rows).
struct Row {
    mode: KeyMode,
    action: Action,
    name: &'static str,
    what: &'static str,
    keys: &'static [&'static str],
}

const fn row(
    mode: KeyMode,
    action: Action,
    name: &'static str,
    what: &'static str,
    keys: &'static [&'static str],
) -> Row {
    Row {
        mode,
        action,
        name,
        what,
        keys,
    }
}

use Action as A;
use KeyMode as M;

/// Every key of the app, by mode, with the defaults. The help, the hints, the README's key
/// tables and the config's documented defaults are all made from this table.
#[rustfmt::skip]
const TABLE: &[Row] = &[
    row(M::Normal, A::NextTab, "next_tab", "next tab", &["ctrl-n", "alt-right"]),
    row(M::Normal, A::PrevTab, "prev_tab", "previous tab", &["ctrl-p", "alt-left"]),
    row(M::Normal, A::Tab(0), "tab_#", "go to tab 1..9", &["alt-#"]),
    row(M::Normal, A::ScrollUp, "scroll_up", "scroll up a message", &["shift-up", "ctrl-up"]),
    row(M::Normal, A::ScrollDown, "scroll_down", "scroll down a message", &["shift-down", "ctrl-down"]),
    row(M::Normal, A::PageUp, "page_up", "scroll up a page", &["pageup"]),
    row(M::Normal, A::PageDown, "page_down", "scroll down a page", &["pagedown"]),
    row(M::Normal, A::ScrollTop, "scroll_top", "oldest message", &["ctrl-home"]),
    row(M::Normal, A::ScrollBottom, "scroll_bottom", "back to live chat", &["ctrl-end"]),
    row(M::Normal, A::ToggleUsers, "toggle_users", "show the user list (type to find a name) or hide it", &["f2", "alt-u"]),
    row(M::Normal, A::Help, "help", "this help", &["f1"]),
    row(M::Normal, A::Search, "search", "search this channel", &["ctrl-f"]),
    row(M::Normal, A::Select, "select", "select messages (reply, moderate, copy)", &["ctrl-s", "alt-s"]),
    row(M::Normal, A::Hints, "hints", "label the visible messages; type a label to select one", &["ctrl-g", "alt-f"]),
    row(M::Normal, A::Retry, "retry", "send the last failed message again", &["ctrl-r"]),
    row(M::Normal, A::Log, "log", "what Twitch and ttvchat said here, in full", &["f3"]),
    row(M::Normal, A::Held, "automod_queue", "select the oldest held message or unban request here", &["alt-a"]),
    row(M::Normal, A::Quit, "quit", "quit", &["ctrl-c"]),
    row(M::Input, A::Send, "send", "send the message or command", &["enter"]),
    row(M::Input, A::Cancel, "cancel", "bring back a draft put aside; drop a reply", &["esc"]),
    row(M::Input, A::Backspace, "backspace", "delete the character before the cursor", &["backspace"]),
    row(M::Input, A::DeleteChar, "delete", "delete the character under the cursor", &["delete"]),
    row(M::Input, A::DeleteWord, "delete_word", "delete the word before the cursor", &["ctrl-w", "alt-backspace", "ctrl-backspace"]),
    row(M::Input, A::ClearLine, "clear_line", "delete to the start of the line", &["ctrl-u"]),
    row(M::Input, A::Left, "left", "cursor left", &["left"]),
    row(M::Input, A::Right, "right", "cursor right", &["right"]),
    row(M::Input, A::WordLeft, "word_left", "a word left", &["ctrl-left"]),
    row(M::Input, A::WordRight, "word_right", "a word right", &["ctrl-right"]),
    row(M::Input, A::LineStart, "line_start", "start of the line (empty line: oldest message)", &["home", "ctrl-a"]),
    row(M::Input, A::LineEnd, "line_end", "end of the line (empty line: live chat)", &["end", "ctrl-e"]),
    row(M::Input, A::HistoryBack, "history_back", "older line from the input history", &["up"]),
    row(M::Input, A::HistoryForward, "history_forward", "newer line from the input history", &["down"]),
    row(M::Input, A::Complete, "complete", "complete a /command, @name or emote", &["tab"]),
    row(M::Completion, A::Next, "next", "next candidate", &["tab"]),
    row(M::Completion, A::Previous, "previous", "previous candidate", &["backtab"]),
    row(M::Completion, A::Cancel, "cancel", "back to what was typed", &["esc"]),
    row(M::Select, A::Up, "up", "older message", &["up", "k"]),
    row(M::Select, A::Down, "down", "newer message", &["down", "j"]),
    row(M::Select, A::Oldest, "oldest", "oldest message", &["home", "g"]),
    row(M::Select, A::Newest, "newest", "newest message", &["end", "G"]),
    row(M::Select, A::Hints, "hints", "label the visible messages to jump to one", &["f"]),
    row(M::Select, A::Card, "user_card", "open its author's card", &["enter"]),
    row(M::Select, A::Reply, "reply", "reply to it", &["r"]),
    row(M::Select, A::Copy, "copy", "copy it into the input line", &["c"]),
    row(M::Select, A::Clipboard, "clipboard", "copy it to the clipboard (OSC 52)", &["y"]),
    row(M::Select, A::DeleteMessage, "delete", "delete it", &["d"]),
    row(M::Select, A::Timeout, "timeout", "time its author out for 10 minutes", &["t"]),
    row(M::Select, A::Preset(0), "timeout_#", "time its author out for preset #", &["#"]),
    row(M::Select, A::Ban, "ban", "ban its author (asks first; only y bans)", &["b"]),
    row(M::Select, A::Unban, "unban", "lift its author's ban or timeout", &["u"]),
    row(M::Select, A::Warn, "warn", "warn its author (asks for the reason)", &["w"]),
    row(M::Select, A::Allow, "allow", "allow a held message into chat, approve an unban request", &["a"]),
    row(M::Select, A::Deny, "deny", "deny a held message or an unban request", &["D"]),
    row(M::Select, A::Edit, "edit", "yours, still waiting: take it back to edit it", &["e"]),
    row(M::Select, A::TakeBack, "take_back", "yours, still waiting: take it back", &["x"]),
    row(M::Select, A::Close, "close", "back to typing", &["esc"]),
    row(M::Hints, A::Close, "close", "no message after all", &["esc"]),
    row(M::Search, A::Older, "older", "older match", &["enter", "up"]),
    row(M::Search, A::Newer, "newer", "newer match", &["down"]),
    row(M::Search, A::Backspace, "backspace", "delete a character of the search", &["backspace"]),
    row(M::Search, A::ClearLine, "clear_line", "clear the search", &["ctrl-u"]),
    row(M::Search, A::Close, "close", "end the search", &["esc"]),
    row(M::Card, A::Timeout, "timeout", "time them out for 10 minutes", &["t"]),
    row(M::Card, A::Preset(0), "timeout_#", "time them out for preset #", &["#"]),
    row(M::Card, A::Ban, "ban", "ban them (asks first; only y bans)", &["b"]),
    row(M::Card, A::Unban, "unban", "lift their ban or timeout", &["u"]),
    row(M::Card, A::Warn, "warn", "warn them (asks for the reason)", &["w"]),
    row(M::Card, A::DeleteMessage, "delete", "delete the marked message", &["d"]),
    row(M::Card, A::Reply, "reply", "reply to the marked message", &["r"]),
    row(M::Card, A::Up, "up", "scroll the card up", &["up", "k"]),
    row(M::Card, A::Down, "down", "scroll the card down", &["down", "j"]),
    row(M::Card, A::Close, "close", "close the card", &["esc", "q"]),
    row(M::Card, A::Quit, "quit", "quit", &["ctrl-c"]),
    row(M::Confirm, A::Yes, "yes", "yes, do it", &["y"]),
    row(M::Confirm, A::No, "no", "no", &["n", "esc"]),
    row(M::Confirm, A::Quit, "quit", "quit", &["ctrl-c"]),
    row(M::Help, A::Up, "up", "scroll up", &["up"]),
    row(M::Help, A::Down, "down", "scroll down", &["down"]),
    row(M::Help, A::PageUp, "page_up", "a page up", &["pageup"]),
    row(M::Help, A::PageDown, "page_down", "a page down", &["pagedown"]),
    row(M::Help, A::Top, "top", "top", &["home"]),
    row(M::Help, A::Bottom, "bottom", "bottom", &["end"]),
    row(M::Help, A::Backspace, "backspace", "delete a character of the filter", &["backspace"]),
    row(M::Help, A::ClearLine, "clear_line", "clear the filter", &["ctrl-u"]),
    row(M::Help, A::Close, "close", "close the help", &["esc", "f1"]),
    row(M::Help, A::Quit, "quit", "quit", &["ctrl-c"]),
    row(M::Log, A::Up, "up", "older", &["up", "k"]),
    row(M::Log, A::Down, "down", "newer", &["down", "j"]),
    row(M::Log, A::PageUp, "page_up", "a page older", &["pageup"]),
    row(M::Log, A::PageDown, "page_down", "a page newer", &["pagedown"]),
    row(M::Log, A::Top, "top", "the oldest", &["home", "g"]),
    row(M::Log, A::Bottom, "bottom", "the newest", &["end", "G"]),
    row(M::Log, A::Close, "close", "close it", &["esc", "f3", "q"]),
    row(M::Log, A::Quit, "quit", "quit", &["ctrl-c"]),
    row(M::Users, A::Up, "up", "the name above", &["up"]),
    row(M::Users, A::Down, "down", "the name below", &["down"]),
    row(M::Users, A::PageUp, "page_up", "a page up", &["pageup"]),
    row(M::Users, A::PageDown, "page_down", "a page down", &["pagedown"]),
    row(M::Users, A::Top, "top", "the first name", &["home"]),
    row(M::Users, A::Bottom, "bottom", "the last name", &["end"]),
    row(M::Users, A::Card, "user_card", "open their card", &["enter"]),
    row(M::Users, A::Backspace, "backspace", "delete a character of the filter", &["backspace"]),
    row(M::Users, A::ClearLine, "clear_line", "clear the filter", &["ctrl-u"]),
    row(M::Users, A::Close, "close", "back to typing (the list stays)", &["esc"]),
];

/// An action of the table, resolved (the numbered families made nine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub mode: KeyMode,
    pub action: Action,
    /// The config name, like `timeout_3`.
    pub name: String,
    pub what: String,
    pub defaults: Vec<Key>,
}

/// Every action of every mode, in table order.
pub fn described() -> Vec<Described> {
    let mut out = Vec::new();
    for row in TABLE {
        let numbers: Vec<Option<u8>> = match row.action.number() {
            Some(_) => (1..=9).map(Some).collect(),
            None => vec![None],
        };
        for n in numbers {
            let fill = |text: &str| match n {
                Some(n) => text.replace('#', &n.to_string()),
                None => text.to_owned(),
            };
            let action = match (row.action, n) {
                (Action::Tab(_), Some(n)) => Action::Tab(n),
                (Action::Preset(_), Some(n)) => Action::Preset(n),
                (action, _) => action,
            };
            out.push(Described {
                mode: row.mode,
                action,
                name: fill(row.name),
                what: fill(row.what),
                defaults: row
                    .keys
                    .iter()
                    .map(|k| Key::parse(&fill(k)).expect("the default keys parse"))
                    .collect(),
            });
        }
    }
    out
}

/// The keys of every mode: `(mode, key) -> action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<(KeyMode, Key, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = described()
            .into_iter()
            .flat_map(|d| {
                let (mode, action) = (d.mode, d.action);
                d.defaults.into_iter().map(move |k| (mode, k, action))
            })
            .collect();
        Keymap { bindings }
    }
}

/// A user's keys for one action: `[keys.<mode>] <action> = [<keys>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub mode: String,
    pub action: String,
    pub keys: Vec<String>,
}

/// A mistake in the `[keys]` config; each names the config key it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("keys.{mode}: there is no such mode; the modes are {modes}")]
    NoSuchMode { mode: String, modes: String },
    #[error("keys.{mode}.{action}: {mode} mode has no such action; it has {actions}")]
    NoSuchAction {
        mode: String,
        action: String,
        actions: String,
    },
    #[error("keys.{mode}.{action}: {error}")]
    BadKey {
        mode: String,
        action: String,
        error: NotAKey,
    },
    #[error(
        "keys.{mode}: '{key}' is bound to both {first} and {second}; give one of them another key"
    )]
    Clash {
        mode: &'static str,
        key: Key,
        first: String,
        second: String,
    },
    #[error(
        "keys.{mode}.{action}: '{key}' is typed in {mode} mode, so it cannot be a key there; use one with ctrl- or alt-, or an F key"
    )]
    Typed {
        mode: &'static str,
        action: String,
        key: Key,
    },
}

impl Keymap {
    /// What `key` does in `mode` (its own table only).
    pub fn action(&self, mode: KeyMode, key: &Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(m, k, _)| *m == mode && k == key)
            .map(|(_, _, a)| *a)
    }

    /// Every key bound to `action` in `mode`, first the main one.
    pub fn keys(&self, mode: KeyMode, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(m, _, a)| *m == mode && *a == action)
            .map(|(_, k, _)| *k)
            .collect()
    }

    /// The main key of `action` in `mode`, as the hints write it (`↑`, `Ctrl-R`); `None` when
    /// it is unbound.
    pub fn hint(&self, mode: KeyMode, action: Action) -> Option<String> {
        self.keys(mode, action).first().map(Key::short)
    }

    /// The defaults with the user's keys: each override replaces that action's keys. Every
    /// mistake is reported, each naming the config key: an unknown mode or action, a key that
    /// does not parse, one key bound twice where both would apply, or a letter bound where it
    /// is typed.
    pub fn with(overrides: &[Override]) -> Result<Keymap, Vec<KeymapError>> {
        let table = described();
        let mut map = Keymap::default();
        let mut errors = Vec::new();
        for o in overrides {
            let Some(mode) = KeyMode::from_name(&o.mode) else {
                let modes: Vec<&str> = KeyMode::ALL.iter().map(|m| m.name()).collect();
                errors.push(KeymapError::NoSuchMode {
                    mode: o.mode.clone(),
                    modes: modes.join(", "),
                });
                continue;
            };
            let Some(found) = table.iter().find(|d| d.mode == mode && d.name == o.action) else {
                let names: Vec<&str> = table
                    .iter()
                    .filter(|d| d.mode == mode && d.action.number().is_none_or(|n| n == 1))
                    .map(|d| d.name.as_str())
                    .collect();
                errors.push(KeymapError::NoSuchAction {
                    mode: o.mode.clone(),
                    action: o.action.clone(),
                    actions: names.join(", ").replace("_1", "_1 .. _9"),
                });
                continue;
            };
            let mut keys = Vec::new();
            for text in &o.keys {
                match Key::parse(text) {
                    Ok(key) => keys.push(key),
                    Err(error) => errors.push(KeymapError::BadKey {
                        mode: o.mode.clone(),
                        action: o.action.clone(),
                        error,
                    }),
                }
            }
            map.bindings
                .retain(|(m, _, a)| !(*m == mode && *a == found.action));
            map.bindings
                .extend(keys.into_iter().map(|k| (mode, k, found.action)));
        }
        errors.extend(map.conflicts(&table, overrides));
        if errors.is_empty() {
            Ok(map)
        } else {
            Err(errors)
        }
    }

    /// Keys that would not do what the config says: bound to two actions that apply at once
    /// (in one mode, or in a mode and the normal keys under it), or a plain letter where
    /// letters are typed.
    fn conflicts(&self, table: &[Described], overrides: &[Override]) -> Vec<KeymapError> {
        let name = |mode: KeyMode, action: Action| {
            table
                .iter()
                .find(|d| d.mode == mode && d.action == action)
                .map_or_else(String::new, |d| d.name.clone())
        };
        let overridden = |mode: KeyMode, action: Action| {
            overrides
                .iter()
                .any(|o| o.mode == mode.name() && o.action == name(mode, action))
        };
        let mut errors = Vec::new();
        for (i, (mode, key, action)) in self.bindings.iter().enumerate() {
            for (other_mode, other_key, other) in &self.bindings[..i] {
                if key != other_key || (mode == other_mode && action == other) {
                    continue;
                }
                // A mode's own keys come before the normal ones by design (the user list's
                // PgUp pages the list); the user's own binding that would be hidden is a clash.
                let layered = (*other_mode == KeyMode::Normal && mode.falls_to_normal())
                    || (*mode == KeyMode::Normal && other_mode.falls_to_normal());
                let by_user = overridden(*mode, *action) || overridden(*other_mode, *other);
                let clash = mode == other_mode || (layered && by_user);
                if clash {
                    let mut both = [
                        format!("{}.{}", other_mode.name(), name(*other_mode, *other)),
                        format!("{}.{}", mode.name(), name(*mode, *action)),
                    ];
                    both.sort();
                    let [first, second] = both;
                    errors.push(KeymapError::Clash {
                        mode: mode.name(),
                        key: *key,
                        first,
                        second,
                    });
                }
            }
            let plain = matches!(key.code, KeyCode::Char(_)) && !key.mods.ctrl && !key.mods.alt;
            if plain && mode.types() && overridden(*mode, *action) {
                errors.push(KeymapError::Typed {
                    mode: mode.name(),
                    action: name(*mode, *action),
                    key: *key,
                });
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests;
