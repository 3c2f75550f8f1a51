//! A key as the app knows it: a code and modifiers, written `ctrl-n`, `alt-1`, `shift-up`,
//! `f1`, `pageup` in the config and shown `Ctrl-N` (or `↑` in hints). The terminal layer turns
//! its key events into [`Key`] values, so this knows nothing of the terminal.

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

/// Text in the config that names no key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a key (try ctrl-n, alt-1, shift-up, f2, pageup)")]
pub struct NotAKey(pub String);

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
    pub fn parse(text: &str) -> Result<Key, NotAKey> {
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
                        return Err(NotAKey(text.to_owned()));
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

impl Key {
    /// The key as the config writes it: `ctrl-n`, `shift-up`, `pageup`, `G`.
    pub fn config(&self) -> String {
        let mut out = String::new();
        for (on, name) in [
            (self.mods.ctrl, "ctrl-"),
            (self.mods.alt, "alt-"),
            (self.mods.shift, "shift-"),
        ] {
            if on {
                out.push_str(name);
            }
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => out.push_str(&format!("f{n}")),
            other => out.push_str(&format!("{other:?}").to_ascii_lowercase()),
        }
        out
    }

    /// The key as a hint line writes it: arrows as arrows, the rest as [`Display`] does.
    pub fn short(&self) -> String {
        let plain = self.mods == Mods::default();
        match self.code {
            KeyCode::Up if plain => "↑".into(),
            KeyCode::Down if plain => "↓".into(),
            KeyCode::Left if plain => "←".into(),
            KeyCode::Right if plain => "→".into(),
            _ => self.to_string(),
        }
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
}
