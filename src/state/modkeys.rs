//! Keys that act on the selected message (select mode) and in the user card: delete, timeout,
//! the nine timeout presets, ban, unban, warn, reply, and opening the card. Defaults here; the
//! config's `[keys]` table rebinds them by name and `[moderation] timeouts` sets the presets.

use super::keymap::{Key, KeyCode};

/// What a moderation key does to the selected message's author (or the card's user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModAction {
    Delete,
    /// The standard timeout (10 minutes).
    Timeout,
    /// Timeout preset 1 to 9.
    Preset(u8),
    Ban,
    Unban,
    Warn,
    Reply,
    Card,
}

impl ModAction {
    /// Config names and help text; the presets are always the digits 1 to 9.
    pub const ALL: [(ModAction, &'static str, &'static str); 7] = [
        (
            ModAction::Delete,
            "delete",
            "delete the selected message (in a card: the marked one)",
        ),
        (
            ModAction::Timeout,
            "timeout",
            "time its author out for 10 minutes",
        ),
        (
            ModAction::Ban,
            "ban",
            "ban its author (asks first; only y bans)",
        ),
        (
            ModAction::Unban,
            "unban",
            "lift its author's ban or timeout",
        ),
        (
            ModAction::Warn,
            "warn",
            "warn its author (asks for a reason)",
        ),
        (ModAction::Reply, "reply", "reply to it"),
        (ModAction::Card, "user_card", "open its author's card"),
    ];

    pub fn from_name(name: &str) -> Option<ModAction> {
        ModAction::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(a, _, _)| *a)
    }
}

/// The standard `t` timeout.
pub const TIMEOUT_S: u64 = 600;

/// The presets on 1..9 unless the config says otherwise: 1m 5m 10m 30m 1h 6h 1d 3d 1w.
pub const PRESETS_S: [u64; 9] = [60, 300, 600, 1800, 3600, 21_600, 86_400, 259_200, 604_800];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModKeys {
    bindings: Vec<(Key, ModAction)>,
    /// Seconds of timeout on keys 1 to 9.
    pub presets: Vec<u64>,
}

impl Default for ModKeys {
    fn default() -> Self {
        let plain = |c| Key::plain(KeyCode::Char(c));
        let mut bindings = vec![
            (plain('d'), ModAction::Delete),
            (plain('t'), ModAction::Timeout),
            (plain('b'), ModAction::Ban),
            (plain('u'), ModAction::Unban),
            (plain('w'), ModAction::Warn),
            (plain('r'), ModAction::Reply),
            (Key::plain(KeyCode::Enter), ModAction::Card),
        ];
        for n in 1..=9u8 {
            bindings.push((plain(char::from(b'0' + n)), ModAction::Preset(n)));
        }
        ModKeys {
            bindings,
            presets: PRESETS_S.to_vec(),
        }
    }
}

impl ModKeys {
    pub fn action(&self, key: &Key) -> Option<ModAction> {
        self.bindings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, a)| *a)
    }

    /// Binds `keys` to `action` instead of its defaults.
    pub fn rebind(&mut self, action: ModAction, keys: &[Key]) {
        self.bindings
            .retain(|(k, a)| *a != action && !keys.contains(k));
        self.bindings.extend(keys.iter().map(|k| (*k, action)));
    }

    pub fn keys_for(&self, action: ModAction) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Seconds of preset `n` (1 to 9), if there is one.
    pub fn preset(&self, n: u8) -> Option<u64> {
        self.presets.get(usize::from(n).checked_sub(1)?).copied()
    }
}
