//! Keys as data and what they do: one table of `(mode, key) -> action` rows with built-in
//! defaults that the config's `[keys.<mode>]` tables override, checked for clashes. The keys
//! themselves (parsing `ctrl-n`, showing `Ctrl-N`) are in [`key`].

mod key;
mod table;

use table::TABLE;

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
    ModLog,
}

impl KeyMode {
    pub const ALL: [KeyMode; 12] = [
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
        KeyMode::ModLog,
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
            KeyMode::ModLog => "mod_log",
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
            KeyMode::ModLog => "The mod log (type to filter)",
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
    /// The moderators' actions here, filtered.
    ModLog,
    /// Select the oldest message AutoMod holds here.
    Held,
    /// Go to the queue tab.
    Queue,
    /// Go to the whisper conversation with news (or the newest one).
    Whispers,
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
