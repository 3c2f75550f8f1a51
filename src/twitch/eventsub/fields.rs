//! Reading an EventSub JSON object by field name, with an error that names the field. Twitch
//! writes a user as three sibling fields (`moderator_user_id`, `_login`, `_name`) and an absent
//! optional object as `null`; both are read here the same way everywhere.

use serde_json::{Map, Value};

use super::FrameError;
use crate::twitch::Login;

/// A user as EventSub names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub login: Login,
    /// The display name (may be non-ASCII); not yet sanitised.
    pub name: String,
}

pub(super) struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>, path: &'a str) -> Fields<'a> {
        Fields { map, path }
    }

    fn missing(&self, key: &str) -> FrameError {
        FrameError::Missing(format!("{}.{key}", self.path))
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn str(&self, key: &str) -> Result<&'a str, FrameError> {
        self.get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| self.missing(key))
    }

    pub fn string(&self, key: &str) -> Result<String, FrameError> {
        self.str(key).map(str::to_owned)
    }

    /// A string that may be absent or null; an empty string counts as absent.
    pub fn opt_string(&self, key: &str) -> Option<String> {
        self.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    pub fn u64(&self, key: &str) -> Result<u64, FrameError> {
        self.get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| self.missing(key))
    }

    pub fn bool(&self, key: &str) -> Result<bool, FrameError> {
        self.get(key)
            .and_then(Value::as_bool)
            .ok_or_else(|| self.missing(key))
    }

    /// The nested object at `key`, if it is there and not null.
    pub fn object(&self, key: &str) -> Option<&'a Map<String, Value>> {
        self.get(key).and_then(Value::as_object)
    }

    pub fn strings(&self, key: &str) -> Vec<String> {
        self.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The user whose fields start with `prefix` (`broadcaster_user`, `moderator_user`,
    /// `user`, `from_user`, ...).
    pub fn user(&self, prefix: &str) -> Result<User, FrameError> {
        let login = self.str(&format!("{prefix}_login"))?;
        Ok(User {
            id: self.string(&format!("{prefix}_id"))?,
            login: Login::parse(login).map_err(|_| FrameError::BadLogin(login.to_owned()))?,
            name: self.string(&format!("{prefix}_name"))?,
        })
    }

    /// The user at `prefix`, or `None` when its id is absent or null.
    pub fn opt_user(&self, prefix: &str) -> Result<Option<User>, FrameError> {
        match self.get(&format!("{prefix}_id")) {
            None => Ok(None),
            Some(_) => self.user(prefix).map(Some),
        }
    }
}
