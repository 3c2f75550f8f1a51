//! Scenario files: the simulator's accounts, channels, scripted events and faults, in TOML.
//! The format is documented in `assets/scenarios/default.toml`, which is also the built-in
//! scenario. Unknown keys and bad values are errors that name the key.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// The scenario `ttvchat sim` and `--demo` use unless told otherwise.
pub const DEFAULT_SCENARIO: &str = include_str!("../../assets/scenarios/default.toml");

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Seeds generated names and chat, so a scenario plays out the same way each time.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default, rename = "account")]
    pub accounts: Vec<AccountSpec>,
    #[serde(default, rename = "channel")]
    pub channels: Vec<ChannelSpec>,
    #[serde(default, rename = "fault")]
    pub faults: Vec<FaultSpec>,
}

/// A user who can log in with a token.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    pub login: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub color: Option<String>,
    /// What the account is for, printed next to its token ("broadcaster", "moderator", ...).
    pub role: String,
    /// A fixed token; a random one is made when absent.
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// A verified bot: 2,000 JOINs per 10 s instead of 20.
    #[serde(default)]
    pub verified_bot: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSpec {
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub category: String,
    #[serde(default = "yes")]
    pub live: bool,
    #[serde(default)]
    pub viewers: u64,
    /// How long the stream has been live.
    #[serde(default, deserialize_with = "duration")]
    pub uptime: Duration,
    /// Generated chat messages per second.
    #[serde(default)]
    pub chat_rate: f64,
    /// How many generated regulars chat here.
    #[serde(default = "default_chatters")]
    pub chatters: usize,
    /// A random event (sub, gift, raid, timeout, ...) about this often; never when absent.
    #[serde(default, deserialize_with = "optional_duration")]
    pub events_every: Option<Duration>,
    /// AutoMod holds a message about this often (for moderators to allow or deny).
    #[serde(default, deserialize_with = "optional_duration")]
    pub automod_every: Option<Duration>,
    /// In turn, about this often: a whisper to each account, a monitored suspicious user's
    /// message, an unban request, a restricted user's message (moderators' feeds see them).
    #[serde(default, deserialize_with = "optional_duration")]
    pub watch_every: Option<Duration>,
    #[serde(default)]
    pub moderators: Vec<String>,
    #[serde(default)]
    pub vips: Vec<String>,
    /// Subscribers and their months.
    #[serde(default)]
    pub subscribers: BTreeMap<String, u32>,
    /// Followers and how long ago they followed.
    #[serde(default, deserialize_with = "duration_map")]
    pub followers: BTreeMap<String, Duration>,
    #[serde(default)]
    pub slow: u64,
    /// Minutes of following required to chat; -1 is off.
    #[serde(default = "off")]
    pub followers_only: i64,
    #[serde(default)]
    pub subs_only: bool,
    #[serde(default)]
    pub emote_only: bool,
    #[serde(default)]
    pub unique_chat: bool,
    /// Events at fixed times after the first client joins the channel.
    #[serde(default)]
    pub script: Vec<Scripted>,
}

fn yes() -> bool {
    true
}

fn off() -> i64 {
    -1
}

fn default_chatters() -> usize {
    50
}

/// One scripted event: `at` after the first client joins the channel.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scripted {
    Say {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        text: String,
        #[serde(default)]
        action: bool,
    },
    Sub {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        #[serde(default = "one")]
        months: u32,
        #[serde(default)]
        message: Option<String>,
    },
    GiftBomb {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        count: u32,
    },
    Raid {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        from: String,
        viewers: u64,
    },
    Announce {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        text: String,
        #[serde(default = "primary")]
        color: String,
    },
    Bits {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        bits: u64,
        text: String,
    },
    HypeChat {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        cents: u64,
        text: String,
    },
    Timeout {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        #[serde(deserialize_with = "duration")]
        duration: Duration,
    },
    Ban {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
    },
    /// Deletes the user's latest message.
    Delete {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
    },
    Clear {
        #[serde(deserialize_with = "duration")]
        at: Duration,
    },
    /// Another moderator warns the user (they acknowledge it a few seconds later).
    Warn {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        user: String,
        reason: String,
    },
    /// Another moderator turns Shield Mode on or off.
    Shield {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        on: bool,
    },
    Modes {
        #[serde(deserialize_with = "duration")]
        at: Duration,
        #[serde(default)]
        slow: Option<u64>,
        #[serde(default)]
        followers_only: Option<i64>,
        #[serde(default)]
        subs_only: Option<bool>,
        #[serde(default)]
        emote_only: Option<bool>,
        #[serde(default)]
        unique_chat: Option<bool>,
    },
}

fn one() -> u32 {
    1
}

fn primary() -> String {
    "PRIMARY".to_owned()
}

impl Scripted {
    pub fn at(&self) -> Duration {
        match self {
            Scripted::Say { at, .. }
            | Scripted::Sub { at, .. }
            | Scripted::GiftBomb { at, .. }
            | Scripted::Raid { at, .. }
            | Scripted::Announce { at, .. }
            | Scripted::Bits { at, .. }
            | Scripted::HypeChat { at, .. }
            | Scripted::Timeout { at, .. }
            | Scripted::Ban { at, .. }
            | Scripted::Delete { at, .. }
            | Scripted::Clear { at }
            | Scripted::Warn { at, .. }
            | Scripted::Shield { at, .. }
            | Scripted::Modes { at, .. } => *at,
        }
    }
}

/// A fault at a time after the simulator starts, optionally repeated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(deserialize_with = "duration")]
    pub at: Duration,
    #[serde(default, deserialize_with = "optional_duration")]
    pub every: Option<Duration>,
    pub fault: FaultName,
    /// How long a lasting fault (silence, refuse, delay, ...) holds.
    #[serde(default, deserialize_with = "duration")]
    pub duration: Duration,
    /// The close code of `eventsub_close` (Twitch's 4000-4007).
    #[serde(default = "network_error")]
    pub code: u16,
}

fn network_error() -> u16 {
    4006
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultName {
    Drop,
    Reconnect,
    IgnorePing,
    Silence,
    Garbage,
    Refuse,
    Delay,
    EventsubReconnect,
    EventsubClose,
    EventsubSilence,
    EventsubRevoke,
}

/// A scenario that could not be read, naming what was wrong and where.
#[derive(Debug, thiserror::Error)]
pub struct ScenarioError {
    pub source_name: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "scenario {}: {}", self.source_name, self.message)
    }
}

impl Scenario {
    /// Parses a scenario; `source_name` (a path) goes into the error.
    pub fn parse(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        let error = |message: String| ScenarioError {
            source_name: source_name.to_owned(),
            message,
        };
        let scenario: Scenario = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        scenario.validate().map_err(error)?;
        Ok(scenario)
    }

    pub fn builtin() -> Scenario {
        Scenario::parse(DEFAULT_SCENARIO, "built-in").expect("the built-in scenario is valid")
    }

    fn validate(&self) -> Result<(), String> {
        let valid_login = |s: &str| crate::twitch::Login::parse(s).is_ok_and(|l| l.as_str() == s);
        for account in &self.accounts {
            if !valid_login(&account.login) {
                return Err(format!(
                    "account.login '{}' is not a lower-case Twitch login",
                    account.login
                ));
            }
        }
        for channel in &self.channels {
            if !valid_login(&channel.name) {
                return Err(format!(
                    "channel.name '{}' is not a lower-case Twitch login",
                    channel.name
                ));
            }
            if !(0.0..=100_000.0).contains(&channel.chat_rate) {
                return Err(format!(
                    "channel '{}': chat_rate must be between 0 and 100000 messages per second",
                    channel.name
                ));
            }
            if channel.followers_only < -1 {
                return Err(format!(
                    "channel '{}': followers_only is minutes, or -1 for off",
                    channel.name
                ));
            }
        }
        Ok(())
    }
}

/// `"90s"`, `"1m 30s"`, `"2h"` (humantime), or a number of seconds.
fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Seconds(s) => Ok(Duration::from_secs(s)),
        Raw::Text(t) => humantime::parse_duration(&t).map_err(|e| {
            serde::de::Error::custom(format!("'{t}' is not a duration like 30s or 1m 30s: {e}"))
        }),
    }
}

fn optional_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    duration(d).map(Some)
}

fn duration_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Duration>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "duration")] Duration);
    let map = BTreeMap::<String, Wrapped>::deserialize(d)?;
    Ok(map.into_iter().map(|(k, Wrapped(v))| (k, v)).collect())
}
