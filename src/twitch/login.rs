//! Twitch login names (channels and users) as a validated type.

use std::fmt;
use std::str::FromStr;

/// A Twitch login: 1 to 25 lower-case ASCII letters, digits or `_`. Parsing accepts any case and
/// a leading `#` or `@`, so `#Forsen` and `@forsen` are both `forsen`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Login(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a Twitch name: use 1 to 25 letters, digits or underscores")]
pub struct InvalidLogin(pub String);

impl Login {
    pub fn parse(input: &str) -> Result<Login, InvalidLogin> {
        let trimmed = input.trim();
        let name = trimmed
            .strip_prefix(['#', '@'])
            .unwrap_or(trimmed)
            .to_ascii_lowercase();
        let valid = (1..=25).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if valid {
            Ok(Login(name))
        } else {
            Err(InvalidLogin(input.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Login {
    type Err = InvalidLogin;

    fn from_str(s: &str) -> Result<Login, InvalidLogin> {
        Login::parse(s)
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Login {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
