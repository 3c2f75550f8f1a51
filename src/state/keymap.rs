//! Keys as data and what they do: `(mode, key) -> action`, from built-in defaults that the
//! config's `[keys]` table can override. Keys are written `ctrl-n`, `alt-1`, `shift-up`, `f1`,
//! `pageup`; the terminal layer turns its key events into [`Key`] values, so this module knows
//! nothing of the terminal.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    BackTab,
    F(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Mods {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: Mods,
}

impl Key {
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: Mods::default(),
        }
    }

    pub fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: Mods {
                ctrl: true,
                ..Mods::default()
            },
        }
    }

    pub fn alt(code: KeyCode) -> Key {
        Key {
            code,
            mods: Mods {
                alt: true,
                ..Mods::default()
            },
        }
    }

    /// Parses `ctrl-n`, `alt-left`, `shift-up`, `f1`, `pageup`, `?`, `a`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = Mods::default();
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let stripped = ["ctrl-", "alt-", "shift-"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len());
            match stripped {
                Some(&"ctrl-") => mods.ctrl = true,
                Some(&"alt-") => mods.alt = true,
                Some(_) => mods.shift = true,
                None => break,
            }
            rest = &rest[stripped.map_or(0, |p| p.len())..];
        }
        let name = rest.to_ascii_lowercase();
        let code = match name.as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(if mods.ctrl || mods.alt {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }),
                    _ => {
                        return Err(format!(
                            "'{text}' is not a key (try ctrl-n, alt-1, shift-up, f2, pageup)"
                        ));
                    }
                }
            }
        };
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (on, name) in [
            (self.mods.ctrl, "Ctrl-"),
            (self.mods.alt, "Alt-"),
            (self.mods.shift, "Shift-"),
        ] {
            if on {
                f.write_str(name)?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.ctrl || self.mods.alt => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// What a bound key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    NextTab,
    PrevTab,
    /// Tabs 1 to 9.
    GoTab(u8),
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
    /// Send again the newest failed message of this channel.
    Retry,
    Quit,
}

impl Action {
    /// The name used in the config's `[keys]` table, and the help text.
    pub const ALL: [(Action, &'static str, &'static str); 15] = [
        (Action::NextTab, "next_tab", "next tab"),
        (Action::PrevTab, "prev_tab", "previous tab"),
        (
            Action::GoTab(1),
            "tab_1_to_9",
            "go to tab 1..9 (with the digit)",
        ),
        (Action::ScrollUp, "scroll_up", "scroll up a message"),
        (Action::ScrollDown, "scroll_down", "scroll down a message"),
        (Action::PageUp, "page_up", "scroll up a page"),
        (Action::PageDown, "page_down", "scroll down a page"),
        (Action::ScrollTop, "scroll_top", "oldest message"),
        (Action::ScrollBottom, "scroll_bottom", "back to live chat"),
        (
            Action::ToggleUsers,
            "toggle_users",
            "show or hide the user list",
        ),
        (Action::Help, "help", "this help"),
        (Action::Search, "search", "search this channel"),
        (
            Action::Select,
            "select",
            "select messages (reply, moderate, copy)",
        ),
        (Action::Retry, "retry", "resend the last failed message"),
        (Action::Quit, "quit", "quit"),
    ];

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(a, _, _)| *a)
    }
}

/// Bindings, checked before a key reaches the input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<(Key, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        use KeyCode::*;
        let shift = |code| Key {
            code,
            mods: Mods {
                shift: true,
                ..Mods::default()
            },
        };
        let ctrl_code = |code| Key {
            code,
            mods: Mods {
                ctrl: true,
                ..Mods::default()
            },
        };
        let mut bindings = vec![
            (Key::ctrl('n'), Action::NextTab),
            (Key::alt(Right), Action::NextTab),
            (Key::ctrl('p'), Action::PrevTab),
            (Key::alt(Left), Action::PrevTab),
            (shift(Up), Action::ScrollUp),
            (ctrl_code(Up), Action::ScrollUp),
            (shift(Down), Action::ScrollDown),
            (ctrl_code(Down), Action::ScrollDown),
            (Key::plain(PageUp), Action::PageUp),
            (Key::plain(PageDown), Action::PageDown),
            (ctrl_code(Home), Action::ScrollTop),
            (ctrl_code(End), Action::ScrollBottom),
            (Key::plain(F(2)), Action::ToggleUsers),
            (Key::alt(Char('u')), Action::ToggleUsers),
            (Key::plain(F(1)), Action::Help),
            (Key::ctrl('f'), Action::Search),
            (Key::ctrl('s'), Action::Select),
            (Key::alt(Char('s')), Action::Select),
            (Key::ctrl('r'), Action::Retry),
            (Key::ctrl('c'), Action::Quit),
        ];
        for n in 1..=9u8 {
            bindings.push((Key::alt(Char(char::from(b'0' + n))), Action::GoTab(n)));
        }
        Keymap { bindings }
    }
}

impl Keymap {
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, a)| *a)
    }

    /// Binds `keys` to `action` instead of its defaults.
    pub fn rebind(&mut self, action: Action, keys: &[Key]) {
        let same = |a: &Action| match (a, action) {
            (Action::GoTab(_), Action::GoTab(_)) => true,
            (a, b) => *a == b,
        };
        self.bindings.retain(|(_, a)| !same(a));
        self.bindings.retain(|(k, _)| !keys.contains(k));
        self.bindings.extend(keys.iter().map(|k| (*k, action)));
    }

    /// Every binding of `action`, for the help overlay.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| *k)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print() {
        for text in [
            "ctrl-n",
            "alt-1",
            "shift-up",
            "f1",
            "pageup",
            "?",
            "ctrl-home",
        ] {
            let key = Key::parse(text).unwrap();
            assert_eq!(
                Key::parse(
                    &key.to_string()
                        .to_ascii_lowercase()
                        .replace("pgup", "pageup")
                ),
                Ok(key),
                "{text}"
            );
        }
        assert!(Key::parse("hyper-x").is_err());
        assert_eq!(Key::parse("Ctrl-N"), Ok(Key::ctrl('n')));
    }

    #[test]
    fn rebinding_replaces_the_defaults() {
        let mut map = Keymap::default();
        assert_eq!(map.action(&Key::ctrl('n')), Some(Action::NextTab));
        map.rebind(Action::NextTab, &[Key::plain(KeyCode::F(6))]);
        assert_eq!(map.action(&Key::ctrl('n')), None);
        assert_eq!(
            map.action(&Key::plain(KeyCode::F(6))),
            Some(Action::NextTab)
        );
    }
}
