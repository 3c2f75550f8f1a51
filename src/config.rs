//! The TOML configuration: where it lives (platform config dir, `TTVCHAT_CONFIG`, `--config`),
//! its keys (documented in `assets/config.toml`, which is also the built-in default), and
//! errors that name the key and the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::net::auth::AUTH_URL;
use crate::net::chat::TWITCH_IRC_URL;
use crate::net::helix::HELIX_URL;
use crate::state::Settings;
use crate::state::command::args::MAX_TIMEOUT_S;
use crate::state::command::parse_duration;
use crate::state::keymap::{Keymap, Override, described};
use crate::twitch::Login;

/// The documented default configuration.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");
/// The environment variable naming another config file.
pub const CONFIG_ENV: &str = "TTVCHAT_CONFIG";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    chat: ChatSection,
    #[serde(default)]
    ui: UiSection,
    #[serde(default)]
    twitch: TwitchSection,
    #[serde(default)]
    keys: BTreeMap<String, toml::Value>,
    #[serde(default)]
    moderation: ModerationSection,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct ModerationSection {
    /// Timeout presets on keys 1 to 9 (`"10m"`, `"1h"`, `"600"`); empty: the defaults.
    timeouts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ChatSection {
    channels: Vec<String>,
    irc_url: String,
}

impl Default for ChatSection {
    fn default() -> Self {
        ChatSection {
            channels: Vec::new(),
            irc_url: TWITCH_IRC_URL.to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct UiSection {
    scrollback: usize,
    timestamps: bool,
    user_list: bool,
    mouse: bool,
}

impl Default for UiSection {
    fn default() -> Self {
        UiSection {
            scrollback: 10_000,
            timestamps: true,
            user_list: false,
            mouse: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct TwitchSection {
    client_id: String,
    account: String,
    token_store: TokenStore,
    auth_url: String,
    helix_url: String,
}

impl Default for TwitchSection {
    fn default() -> Self {
        TwitchSection {
            client_id: String::new(),
            account: String::new(),
            token_store: TokenStore::Keyring,
            auth_url: AUTH_URL.to_owned(),
            helix_url: HELIX_URL.to_owned(),
        }
    }
}

/// Where tokens are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
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
}

/// The configuration, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub channels: Vec<Login>,
    pub irc_url: String,
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
        let file: File =
            toml::from_str(text).map_err(|e| error(e.to_string().trim_end().to_owned()))?;
        let channels = file
            .chat
            .channels
            .iter()
            .map(|c| Login::parse(c).map_err(|e| error(format!("chat.channels: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        if !(file.chat.irc_url.starts_with("ws://") || file.chat.irc_url.starts_with("wss://")) {
            return Err(error(format!(
                "chat.irc_url: '{}' is not a ws:// or wss:// URL",
                file.chat.irc_url
            )));
        }
        for (key, url) in [
            ("twitch.auth_url", &file.twitch.auth_url),
            ("twitch.helix_url", &file.twitch.helix_url),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(error(format!("{key}: '{url}' is not an http(s):// URL")));
            }
        }
        if file.ui.scrollback == 0 {
            return Err(error("ui.scrollback: keep at least 1 message".into()));
        }
        let (overrides, mut errors) = overrides(&file.keys);
        let keymap = Keymap::with(&overrides).unwrap_or_else(|mistakes| {
            errors.extend(mistakes);
            Keymap::default()
        });
        if !errors.is_empty() {
            return Err(error(errors.join("\n")));
        }
        let mut timeouts = crate::state::PRESETS_S.to_vec();
        if !file.moderation.timeouts.is_empty() {
            if file.moderation.timeouts.len() > 9 {
                return Err(error(
                    "moderation.timeouts: at most 9 presets (keys 1 to 9)".into(),
                ));
            }
            timeouts = file
                .moderation
                .timeouts
                .iter()
                .map(|t| match parse_duration(t) {
                    Some(s @ 1..=MAX_TIMEOUT_S) => Ok(s),
                    _ => Err(error(format!(
                        "moderation.timeouts: '{t}' is not a timeout from 1s to 2w (like 30s, 10m, 1h30m, 1d)"
                    ))),
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(Config {
            channels,
            irc_url: file.chat.irc_url,
            settings: Settings {
                scrollback: file.ui.scrollback,
                keymap,
                timeouts,
                show_timestamps: file.ui.timestamps,
                ..Settings::default()
            },
            user_list: file.ui.user_list,
            mouse: file.ui.mouse,
            twitch: TwitchConfig {
                client_id: file.twitch.client_id.trim().to_owned(),
                account: Some(file.twitch.account.trim().to_ascii_lowercase())
                    .filter(|a| !a.is_empty()),
                token_store: file.twitch.token_store,
                auth_url: file.twitch.auth_url,
                helix_url: file.twitch.helix_url,
            },
            path,
        })
    }
}

/// The `[keys.<mode>]` tables as overrides, and a sentence for each entry that is not in a
/// mode's table (the form before modes: `[keys] quit = [...]`).
fn overrides(keys: &BTreeMap<String, toml::Value>) -> (Vec<Override>, Vec<String>) {
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
mod tests {
    use super::*;
    use crate::state::keymap::{Action, Key, KeyMode};

    #[test]
    fn the_documented_default_is_the_default() {
        let config = Config::parse(DEFAULT_CONFIG, None).unwrap();
        assert_eq!(config.irc_url, TWITCH_IRC_URL);
        assert_eq!(config.settings, Settings::default());
        assert_eq!(config.twitch.auth_url, AUTH_URL);
        assert_eq!(config.twitch.helix_url, HELIX_URL);
        assert_eq!(config.twitch.token_store, TokenStore::Keyring);
        assert_eq!(
            (
                config.twitch.client_id.as_str(),
                config.twitch.account.as_deref()
            ),
            ("", None)
        );
    }

    #[test]
    fn errors_name_the_key_and_the_file() {
        let path = Some(PathBuf::from("/tmp/x.toml"));
        for (text, key) in [
            ("[ui]\nscrolback = 5\n", "scrolback"),
            ("[ui]\nscrollback = \"lots\"\n", "scrollback"),
            ("[chat]\nchannels = [\"no way\"]\n", "chat.channels"),
            ("[keys.normal]\nfly = [\"f5\"]\n", "keys.normal.fly"),
            ("[keys.normal]\nquit = [\"hyper-q\"]\n", "keys.normal.quit"),
            ("[keys.nowhere]\nquit = [\"f5\"]\n", "keys.nowhere"),
            ("[keys]\nquit = [\"ctrl-q\"]\n", "[keys.normal]"),
            (
                "[moderation]\ntimeouts = [\"soon\"]\n",
                "moderation.timeouts",
            ),
            ("[moderation]\ntimeouts = [\"3w\"]\n", "moderation.timeouts"),
            ("[moderation]\ntimeout = [\"1m\"]\n", "timeout"),
            ("[twitch]\ntoken_store = \"vault\"\n", "token_store"),
            ("[twitch]\nhelix_url = \"ftp://x\"\n", "twitch.helix_url"),
            ("[twitch]\nclientid = \"x\"\n", "clientid"),
        ] {
            let error = Config::parse(text, path.clone()).unwrap_err().to_string();
            assert!(error.starts_with("config /tmp/x.toml: "), "{error}");
            assert!(error.contains(key), "{key}: {error}");
        }
    }

    #[test]
    fn moderation_keys_and_presets_are_configurable() {
        let text = "[keys.select]\nban = [\"B\"]\n[moderation]\ntimeouts = [\"30s\", \"2h\"]\n";
        let config = Config::parse(text, None).unwrap();
        let keys = &config.settings.keymap;
        let key = |k| Key::parse(k).unwrap();
        assert_eq!(keys.action(KeyMode::Select, &key("B")), Some(Action::Ban));
        assert_eq!(keys.action(KeyMode::Select, &key("b")), None);
        // The card has its own table: rebinding in select mode leaves it alone.
        assert_eq!(keys.action(KeyMode::Card, &key("b")), Some(Action::Ban));
        assert_eq!(config.settings.timeouts, [30, 7200]);
    }

    #[test]
    fn keys_can_be_rebound() {
        let config = Config::parse("[keys.normal]\nquit = [\"ctrl-q\"]\n", None).unwrap();
        let keys = &config.settings.keymap;
        assert_eq!(
            keys.action(KeyMode::Normal, &Key::ctrl('q')),
            Some(Action::Quit)
        );
        assert_eq!(keys.action(KeyMode::Normal, &Key::ctrl('c')), None);
    }

    #[test]
    fn a_key_bound_twice_is_an_error_naming_both_actions_and_the_key() {
        for (text, expected) in [
            (
                "[keys.select]\ndelete = [\"t\"]\n",
                "keys.select: 't' is bound to both select.delete and select.timeout",
            ),
            (
                "[keys.normal]\nsearch = [\"ctrl-s\"]\n",
                "keys.normal: 'Ctrl-S' is bound to both normal.search and normal.select",
            ),
            // The normal keys work while typing: one of them may not be an input key too.
            (
                "[keys.normal]\nsearch = [\"ctrl-u\"]\n",
                "'Ctrl-U' is bound to both input.clear_line and normal.search",
            ),
            // A letter is typed in the input line, so it cannot be a normal key.
            (
                "[keys.normal]\nquit = [\"q\"]\n",
                "keys.normal.quit: 'q' is typed",
            ),
        ] {
            let error = Config::parse(text, None).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
        // Rebinding both sides of a swap is fine.
        let swap = "[keys.select]\ndelete = [\"t\"]\ntimeout = [\"d\"]\n";
        let keys = Config::parse(swap, None).unwrap().settings.keymap;
        assert_eq!(
            keys.action(KeyMode::Select, &Key::parse("t").unwrap()),
            Some(Action::DeleteMessage)
        );
    }

    #[test]
    fn every_mistake_of_a_file_is_told_at_once() {
        let text =
            "[keys.select]\ndelete = [\"t\"]\nban = [\"hyper-b\"]\n[keys.normal]\nfly = [\"f5\"]\n";
        let error = Config::parse(text, None).unwrap_err().to_string();
        for part in ["keys.select: 't'", "keys.select.ban", "keys.normal.fly"] {
            assert!(error.contains(part), "{part}: {error}");
        }
    }
}
