//! Reading a command's arguments: names (with or without `@` or `#`), free text, durations
//! (`600`, `10m`, `1h30m`, `2d`, `1w`) and chat colors, each failing with the command's usage
//! or a sentence that says what is wrong.

use super::{CommandError, Spec};
use crate::twitch::Login;
use crate::twitch::tags::NAMED_COLORS;

/// The longest timeout Twitch allows: two weeks.
pub const MAX_TIMEOUT_S: u64 = 1_209_600;
/// The timeout `/timeout user` gives when no duration is named.
pub const DEFAULT_TIMEOUT_S: u64 = 600;
/// Slow mode waits 3 to 120 seconds; 30 unless told.
const SLOW_S: (u64, u64, u64) = (3, 120, 30);
/// Followers-only mode asks for at most three months of following.
const MAX_FOLLOW_MIN: u64 = 129_600;

/// Seconds in `600`, `45s`, `10m`, `1h30m`, `2d`, `1w`; `None` when it is not a duration.
pub fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim().to_ascii_lowercase();
    if text.is_empty() {
        return None;
    }
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(seconds);
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        let n: u64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    number.is_empty().then_some(total)
}

/// Minutes in `30` (a bare number is minutes), `10m`, `1h`, `1w`; `None` when not a duration.
pub fn parse_minutes(text: &str) -> Option<u64> {
    match text.trim().parse::<u64>() {
        Ok(minutes) => Some(minutes),
        Err(_) => parse_duration(text).map(|s| s / 60),
    }
}

/// The arguments of one command, read left to right.
pub(super) struct Args<'a> {
    spec: &'static Spec,
    rest: &'a str,
}

impl<'a> Args<'a> {
    pub fn new(spec: &'static Spec, args: &'a str) -> Args<'a> {
        Args {
            spec,
            rest: args.trim(),
        }
    }

    fn usage(&self) -> CommandError {
        CommandError::Usage(self.spec.usage)
    }

    fn peek(&self) -> Option<&'a str> {
        self.rest.split_whitespace().next()
    }

    /// The next word, or the usage when there is none.
    pub fn word(&mut self) -> Result<&'a str, CommandError> {
        let rest = self.rest;
        let word = self.peek().ok_or_else(|| self.usage())?;
        self.rest = rest[word.len()..].trim_start();
        Ok(word)
    }

    pub fn login(&mut self) -> Result<Login, CommandError> {
        let word = self.word()?;
        Login::parse(word.trim_start_matches(['@', '#']))
            .map_err(|e| CommandError::Invalid(e.to_string()))
    }

    pub fn optional_login(&mut self) -> Result<Option<Login>, CommandError> {
        match self.peek() {
            None => Ok(None),
            Some(_) => self.login().map(Some),
        }
    }

    /// One or more names, separated by spaces or commas.
    pub fn logins(&mut self) -> Result<Vec<Login>, CommandError> {
        let logins = self
            .rest
            .split([' ', ','])
            .filter(|w| !w.is_empty())
            .map(|w| {
                Login::parse(w.trim_start_matches(['@', '#']))
                    .map_err(|e| CommandError::Invalid(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if logins.is_empty() {
            return Err(self.usage());
        }
        self.rest = "";
        Ok(logins)
    }

    /// Everything left, which must not be empty.
    pub fn text(&mut self) -> Result<String, CommandError> {
        match self.rest() {
            "" => Err(self.usage()),
            text => Ok(text.to_owned()),
        }
    }

    /// Everything left, possibly nothing.
    pub fn rest(&mut self) -> &'a str {
        std::mem::take(&mut self.rest)
    }

    /// A timeout's length when the next word is one (else the default), within Twitch's limits.
    /// A word that starts with a digit is meant as a length: it must read as one, or nothing
    /// is sent (`1hr` never becomes the reason of a 10-minute timeout).
    pub fn timeout(&mut self) -> Result<u64, CommandError> {
        let Some(word) = self
            .peek()
            .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        else {
            return Ok(DEFAULT_TIMEOUT_S);
        };
        let seconds = parse_duration(word).ok_or_else(|| {
            CommandError::Invalid(format!(
                "'{word}' is not a duration: write 600 (seconds), 45s, 10m, 1h30m, 2d or 1w"
            ))
        })?;
        self.word()?;
        if (1..=MAX_TIMEOUT_S).contains(&seconds) {
            Ok(seconds)
        } else {
            Err(CommandError::Invalid(
                "a timeout lasts from 1 second to 2 weeks (1s .. 2w)".into(),
            ))
        }
    }

    /// Slow mode's wait in seconds: 30 unless given, 3 to 120.
    pub fn slow(&mut self) -> Result<u64, CommandError> {
        let (min, max, default) = SLOW_S;
        let Some(word) = self.peek() else {
            return Ok(default);
        };
        match parse_duration(word) {
            Some(seconds) if (min..=max).contains(&seconds) => {
                self.word()?;
                Ok(seconds)
            }
            Some(_) => Err(CommandError::Invalid(format!(
                "slow mode waits from {min} to {max} seconds"
            ))),
            None => Err(self.usage()),
        }
    }

    /// Followers-only mode's minutes of following: 0 unless given, at most 3 months.
    pub fn followers(&mut self) -> Result<u64, CommandError> {
        let Some(word) = self.peek() else {
            return Ok(0);
        };
        match parse_minutes(word) {
            Some(minutes) if minutes <= MAX_FOLLOW_MIN => {
                self.word()?;
                Ok(minutes)
            }
            Some(_) => Err(CommandError::Invalid(
                "followers-only mode asks for at most 3 months (90d) of following".into(),
            )),
            None => Err(self.usage()),
        }
    }

    /// A chat color: a name Twitch knows (`blue`, `BlueViolet`, `hot-pink`) or `#RRGGBB`.
    pub fn color(&mut self) -> Result<String, CommandError> {
        let word = self.word()?;
        if let Some(hex) = word.strip_prefix('#') {
            return if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(format!("#{}", hex.to_ascii_uppercase()))
            } else {
                Err(CommandError::Invalid(format!(
                    "{word} is not a color: use #RRGGBB or a name"
                )))
            };
        }
        let mut name = String::new();
        for (i, c) in word.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 && !name.ends_with('_') {
                name.push('_');
            }
            name.push(if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            });
        }
        if NAMED_COLORS.iter().any(|(known, _)| *known == name) {
            Ok(name)
        } else {
            let names: Vec<&str> = NAMED_COLORS.iter().map(|(name, _)| *name).collect();
            Err(CommandError::Invalid(format!(
                "{word} is not a Twitch color; pick #RRGGBB (Turbo or Prime) or one of: {}",
                names.join(", ")
            )))
        }
    }

    /// Nothing may be left.
    pub fn done(&self) -> Result<(), CommandError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.usage())
        }
    }
}
