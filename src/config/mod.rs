//! The TOML configuration: where it lives (platform config dir, `TTVCHAT_CONFIG`, `--config`),
//! its keys (documented in `assets/config.toml`, which is also the built-in default), and
//! errors that name the key and the file.

use std::path::{Path, PathBuf};

use crate::net::auth::AUTH_URL;
use crate::net::chat::TWITCH_IRC_URL;
use crate::net::eventsub::session::EVENTSUB_URL;
use crate::net::helix::HELIX_URL;
use crate::state::Settings;
use crate::state::command::args::MAX_TIMEOUT_S;
use crate::state::command::parse_duration;
use crate::state::keymap::{Keymap, Override, described};
use crate::twitch::Login;

/// The documented default configuration.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");
/// The environment variable naming another config file.
pub const CONFIG_ENV: &str = "TTVCHAT_CONFIG";

/// Every setting the file may have: section, key, and what its value must be.
const SCHEMA: &[(&str, &str, Kind)] = &[
    (
        "chat",
        "channels",
        Kind::List("channel names, like [\"forsen\", \"xqc\"]"),
    ),
    ("chat", "irc_url", Kind::Text("a ws:// or wss:// URL")),
    (
        "chat",
        "channels_per_connection",
        Kind::Number("a whole number, like 100"),
    ),
    (
        "ui",
        "scrollback",
        Kind::Number("a whole number, like 10000"),
    ),
    ("ui", "timestamps", Kind::Switch),
    ("ui", "user_list", Kind::Switch),
    ("ui", "mouse", Kind::Switch),
    ("twitch", "client_id", Kind::Text("text, like \"abc123\"")),
    (
        "twitch",
        "account",
        Kind::Text("a login, like \"mychannel\""),
    ),
    (
        "twitch",
        "token_store",
        Kind::Text("\"keyring\" or \"file\""),
    ),
    ("twitch", "auth_url", Kind::Text("an http(s):// URL")),
    ("twitch", "helix_url", Kind::Text("an http(s):// URL")),
    (
        "twitch",
        "eventsub_url",
        Kind::Text("a ws:// or wss:// URL"),
    ),
    (
        "moderation",
        "timeouts",
        Kind::List("durations, like [\"1m\", \"10m\", \"1h\"]"),
    ),
];

/// What a setting's value must be (the text says it for people).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text(&'static str),
    Number(&'static str),
    Switch,
    List(&'static str),
}

/// The file's settings as read, each mistake noted (so all of them are told at once).
struct Reader {
    table: toml::Table,
    errors: Vec<String>,
}

impl Reader {
    /// Notes every key that is not a setting (with the nearest one that is) and every value of
    /// the wrong kind.
    fn check(&mut self) {
        let sections: Vec<&str> = SCHEMA.iter().map(|(s, _, _)| *s).chain(["keys"]).collect();
        for (section, value) in &self.table {
            if section == "keys" {
                continue;
            }
            let Some(table) = value.as_table() else {
                let known = sections.contains(&section.as_str());
                self.errors.push(if known {
                    format!(
                        "{section} must be a section: write [{section}] and the settings under it"
                    )
                } else {
                    format!("{section} is not a setting{}", nearest(section, &sections))
                });
                continue;
            };
            if !sections.contains(&section.as_str()) {
                self.errors.push(format!(
                    "[{section}] is not a section{}",
                    nearest(section, &sections)
                ));
                continue;
            }
            for (key, value) in table {
                let full = format!("{section}.{key}");
                let Some((_, _, kind)) = SCHEMA.iter().find(|(s, k, _)| *s == section && k == key)
                else {
                    let keys: Vec<String> = SCHEMA
                        .iter()
                        .filter(|(s, _, _)| s == section)
                        .map(|(s, k, _)| format!("{s}.{k}"))
                        .collect();
                    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                    self.errors
                        .push(format!("{full} is not a setting{}", nearest(&full, &keys)));
                    continue;
                };
                let fits = match kind {
                    Kind::Text(_) => value.is_str(),
                    Kind::Number(_) => value.as_integer().is_some_and(|n| n >= 0),
                    Kind::Switch => value.is_bool(),
                    Kind::List(_) => value
                        .as_array()
                        .is_some_and(|items| items.iter().all(toml::Value::is_str)),
                };
                if !fits {
                    let must = match kind {
                        Kind::Text(what) | Kind::Number(what) | Kind::List(what) => what,
                        Kind::Switch => "true or false",
                    };
                    self.errors.push(format!("{full} must be {must}"));
                }
            }
        }
    }

    fn value(&self, section: &str, key: &str) -> Option<&toml::Value> {
        self.table.get(section)?.as_table()?.get(key)
    }

    fn text(&self, section: &str, key: &str, default: &str) -> String {
        self.value(section, key)
            .and_then(toml::Value::as_str)
            .unwrap_or(default)
            .to_owned()
    }

    fn switch(&self, section: &str, key: &str, default: bool) -> bool {
        self.value(section, key)
            .and_then(toml::Value::as_bool)
            .unwrap_or(default)
    }

    fn number(&self, section: &str, key: &str, default: usize) -> usize {
        self.value(section, key)
            .and_then(toml::Value::as_integer)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(default)
    }

    fn list(&self, section: &str, key: &str) -> Vec<String> {
        self.value(section, key)
            .and_then(toml::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// `; did you mean ui.scrollback?` when a known name is a slip away from `name`.
fn nearest(name: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map_or_else(String::new, |(_, k)| format!("; did you mean {k}?"))
}

/// Edits (insert, delete, replace) from `a` to `b`.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Where tokens are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStore {
    /// The OS keyring, or a 0600 file where there is none.
    Keyring,
    /// Always the 0600 file.
    File,
}

/// Twitch application and account settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwitchConfig {
    /// Empty until the user registers an application.
    pub client_id: String,
    /// The account to use when `--account` is not given (`None`: the last logged in).
    pub account: Option<String>,
    pub token_store: TokenStore,
    pub auth_url: String,
    pub helix_url: String,
    /// EventSub's WebSocket (the live moderation feeds and whispers).
    pub eventsub_url: String,
}

/// The configuration, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub channels: Vec<Login>,
    pub irc_url: String,
    /// Channels one chat connection carries; more open more connections.
    pub channels_per_connection: usize,
    pub settings: Settings,
    pub user_list: bool,
    /// Clicks and the wheel go to the app (`[ui] mouse`).
    pub mouse: bool,
    pub twitch: TwitchConfig,
    /// Where it came from (`None`: the built-in defaults).
    pub path: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("config {path}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

/// The config file to read: `--config`, else `TTVCHAT_CONFIG`, else the platform's.
pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os(CONFIG_ENV).map(PathBuf::from))
        .or_else(|| {
            directories::ProjectDirs::from("", "", "ttvchat")
                .map(|d| d.config_dir().join("config.toml"))
        })
}

impl Config {
    /// The config `--config` names, else the one `TTVCHAT_CONFIG` names, else the platform's
    /// (or the defaults when that file does not exist).
    pub fn find(flag: Option<&Path>) -> Result<Config, ConfigError> {
        let explicit = flag.is_some() || std::env::var_os(CONFIG_ENV).is_some();
        Config::load(locate(flag), explicit)
    }

    /// Reads `path`; a missing file at the default location means the defaults, but a file
    /// named explicitly must exist.
    pub fn load(path: Option<PathBuf>, explicit: bool) -> Result<Config, ConfigError> {
        let Some(path) = path else {
            return Config::parse(DEFAULT_CONFIG, None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, Some(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Config::parse(DEFAULT_CONFIG, None)
            }
            Err(e) => Err(ConfigError {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    pub fn parse(text: &str, path: Option<PathBuf>) -> Result<Config, ConfigError> {
        let name = path
            .as_ref()
            .map_or_else(|| "(built-in)".to_owned(), |p| p.display().to_string());
        let error = |message: String| ConfigError {
            path: name.clone(),
            message,
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| error(syntax(&e, text)))?;
        let mut file = Reader {
            table,
            errors: Vec::new(),
        };
        file.check();
        let mut channels = Vec::new();
        for c in file.list("chat", "channels") {
            match Login::parse(&c) {
                Ok(login) => channels.push(login),
                Err(e) => file.errors.push(format!("chat.channels: {e}")),
            }
        }
        let irc_url = file.text("chat", "irc_url", TWITCH_IRC_URL);
        if !(irc_url.starts_with("ws://") || irc_url.starts_with("wss://")) {
            file.errors.push(format!(
                "chat.irc_url must be a ws:// or wss:// URL, and '{irc_url}' is not"
            ));
        }
        let auth_url = file.text("twitch", "auth_url", AUTH_URL);
        let helix_url = file.text("twitch", "helix_url", HELIX_URL);
        for (key, url) in [
            ("twitch.auth_url", &auth_url),
            ("twitch.helix_url", &helix_url),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                file.errors.push(format!(
                    "{key} must be an http(s):// URL, and '{url}' is not"
                ));
            }
        }
        let eventsub_url = file.text("twitch", "eventsub_url", EVENTSUB_URL);
        if !(eventsub_url.starts_with("ws://") || eventsub_url.starts_with("wss://")) {
            file.errors.push(format!(
                "twitch.eventsub_url must be a ws:// or wss:// URL, and '{eventsub_url}' is not"
            ));
        }
        let token_store = match file.text("twitch", "token_store", "keyring").as_str() {
            "keyring" => TokenStore::Keyring,
            "file" => TokenStore::File,
            other => {
                file.errors.push(format!(
                    "twitch.token_store must be \"keyring\" or \"file\", not \"{other}\""
                ));
                TokenStore::Keyring
            }
        };
        let per_connection = file.number("chat", "channels_per_connection", 100);
        if per_connection == 0 {
            file.errors.push(
                "chat.channels_per_connection must be at least 1 (the default is 100)".into(),
            );
        }
        let scrollback = file.number("ui", "scrollback", 10_000);
        if scrollback == 0 {
            file.errors
                .push("ui.scrollback must keep at least 1 message (the default is 10000)".into());
        }
        let keys = file
            .table
            .get("keys")
            .and_then(toml::Value::as_table)
            .cloned()
            .unwrap_or_default();
        let (overrides, mistakes) = overrides(&keys);
        file.errors.extend(mistakes);
        let keymap = Keymap::with(&overrides).unwrap_or_else(|mistakes| {
            file.errors.extend(mistakes.iter().map(ToString::to_string));
            Keymap::default()
        });
        let mut timeouts = crate::state::PRESETS_S.to_vec();
        let presets = file.list("moderation", "timeouts");
        if presets.len() > 9 {
            file.errors
                .push("moderation.timeouts holds at most 9 presets (keys 1 to 9)".into());
        } else if !presets.is_empty() {
            timeouts.clear();
            for t in &presets {
                match parse_duration(t) {
                    Some(s @ 1..=MAX_TIMEOUT_S) => timeouts.push(s),
                    _ => file.errors.push(format!(
                        "moderation.timeouts: '{t}' is not a timeout from 1s to 2w (like 30s, 10m, 1h30m, 1d)"
                    )),
                }
            }
        }
        if !file.errors.is_empty() {
            return Err(error(match file.errors.as_slice() {
                [one] => one.clone(),
                all => format!("{} mistakes:\n  - {}", all.len(), all.join("\n  - ")),
            }));
        }
        let account = file
            .text("twitch", "account", "")
            .trim()
            .to_ascii_lowercase();
        Ok(Config {
            channels,
            irc_url,
            channels_per_connection: per_connection,
            settings: Settings {
                scrollback,
                keymap,
                timeouts,
                show_timestamps: file.switch("ui", "timestamps", true),
                ..Settings::default()
            },
            user_list: file.switch("ui", "user_list", false),
            mouse: file.switch("ui", "mouse", true),
            twitch: TwitchConfig {
                client_id: file.text("twitch", "client_id", "").trim().to_owned(),
                account: Some(account).filter(|a| !a.is_empty()),
                token_store,
                auth_url,
                helix_url,
                eventsub_url,
            },
            path,
        })
    }
}

/// A TOML syntax error for people: the line and column, and what toml says.
fn syntax(e: &toml::de::Error, text: &str) -> String {
    let what = e.message().trim_end_matches('.');
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!(
                "line {line}, column {column} is not valid TOML: {what} (settings are written like scrollback = 10000, under a [section])"
            )
        }
        None => format!("this is not valid TOML: {what}"),
    }
}

/// The `[keys.<mode>]` tables as overrides, and a sentence for each entry that is not in a
/// mode's table (the form before modes: `[keys] quit = [...]`).
fn overrides(keys: &toml::Table) -> (Vec<Override>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (mode, value) in keys {
        let Some(table) = value.as_table() else {
            let modes: Vec<String> = described()
                .iter()
                .filter(|d| d.name == *mode)
                .map(|d| format!("[keys.{}]", d.mode.name()))
                .collect();
            errors.push(if modes.is_empty() {
                format!("keys.{mode}: keys go in a table per mode, like [keys.normal] or [keys.select], and there is no action {mode}")
            } else {
                format!("keys.{mode}: keys go in a table per mode now: put it under {}", modes.join(" or "))
            });
            continue;
        };
        for (action, keys) in table {
            let keys = match keys.as_array() {
                Some(list) => list
                    .iter()
                    .map(|k| k.as_str().map_or_else(|| k.to_string(), str::to_owned))
                    .collect(),
                None => vec![keys.to_string()],
            };
            out.push(Override {
                mode: mode.clone(),
                action: action.clone(),
                keys,
            });
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests;
