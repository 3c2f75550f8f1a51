//! The events of the feeds ttvchat subscribes to, typed. Field names and values follow Twitch's
//! EventSub reference and real captures: lowercase statuses (the docs capitalise some), `null`
//! for absent objects, `""` for "no reason". Text is as Twitch sent it: the state sanitises it.

use serde_json::{Map, Value};

use super::FrameError;
use super::fields::Fields;
pub use super::fields::User;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// AutoMod holds a message for moderators to allow or deny.
    AutomodHold(Held),
    /// A held message was allowed, denied, or expired.
    AutomodUpdate(HeldUpdate),
    Moderate(Moderate),
    SuspiciousMessage(SuspiciousMessage),
    SuspiciousUpdate(SuspiciousUpdate),
    UnbanRequest(UnbanRequest),
    UnbanResolved(UnbanResolved),
    WarningSent(WarningSent),
    WarningAcknowledged {
        broadcaster: User,
        user: User,
    },
    ShieldMode {
        broadcaster: User,
        moderator: User,
        on: bool,
    },
    Follow {
        broadcaster: User,
        user: User,
    },
    /// AutoMod holds a message we sent.
    OwnMessageHeld {
        broadcaster: User,
        message_id: String,
        text: String,
    },
    /// What became of our held message.
    OwnMessageUpdate {
        broadcaster: User,
        message_id: String,
        status: String,
    },
    Whisper(Whisper),
    /// A type ttvchat does not subscribe to.
    Other {
        kind: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub broadcaster: User,
    pub user: User,
    /// The id to allow or deny it with.
    pub message_id: String,
    pub text: String,
    pub reason: HoldReason,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HoldReason {
    Automod {
        category: String,
        level: u64,
    },
    /// The message holds one of the channel's public blocked terms.
    BlockedTerm {
        terms: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeldUpdate {
    pub broadcaster: User,
    pub user: User,
    /// Who resolved it; absent when it expired.
    pub moderator: Option<User>,
    pub message_id: String,
    /// `approved`, `denied` or `expired`, lowercase.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Moderate {
    pub broadcaster: User,
    /// The channel it happened in, when it came through shared chat from another channel.
    pub source: Option<User>,
    pub moderator: User,
    pub action: ModAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModAction {
    Ban {
        user: User,
        reason: Option<String>,
    },
    Timeout {
        user: User,
        reason: Option<String>,
        expires_at: String,
    },
    Unban {
        user: User,
    },
    Untimeout {
        user: User,
    },
    Delete {
        user: User,
        message_id: String,
        body: String,
    },
    Warn {
        user: User,
        reason: Option<String>,
    },
    Vip {
        user: User,
        added: bool,
    },
    Mod {
        user: User,
        added: bool,
    },
    Raid {
        user: User,
        viewers: u64,
    },
    Unraid {
        user: User,
    },
    UnbanRequest {
        user: User,
        approved: bool,
        message: Option<String>,
    },
    Terms {
        added: bool,
        blocked: bool,
        terms: Vec<String>,
    },
    /// A room setting: `clear`, `emoteonly`, `slowoff`, ... with its figure where it has one
    /// (slow mode's seconds, follower mode's minutes).
    Room {
        action: String,
        value: Option<u64>,
    },
}

impl ModAction {
    /// The user it was done to.
    pub fn target(&self) -> Option<&User> {
        match self {
            ModAction::Ban { user, .. }
            | ModAction::Timeout { user, .. }
            | ModAction::Unban { user }
            | ModAction::Untimeout { user }
            | ModAction::Delete { user, .. }
            | ModAction::Warn { user, .. }
            | ModAction::Vip { user, .. }
            | ModAction::Mod { user, .. }
            | ModAction::Raid { user, .. }
            | ModAction::Unraid { user }
            | ModAction::UnbanRequest { user, .. } => Some(user),
            ModAction::Terms { .. } | ModAction::Room { .. } => None,
        }
    }

    /// Its name, as the mod log's filter knows it: `ban`, `timeout`, `vip`, `unvip`,
    /// `unban_request`, `terms`, `slow`, `clear`, ...
    pub fn name(&self) -> &str {
        match self {
            ModAction::Ban { .. } => "ban",
            ModAction::Timeout { .. } => "timeout",
            ModAction::Unban { .. } => "unban",
            ModAction::Untimeout { .. } => "untimeout",
            ModAction::Delete { .. } => "delete",
            ModAction::Warn { .. } => "warn",
            ModAction::Vip { added: true, .. } => "vip",
            ModAction::Vip { .. } => "unvip",
            ModAction::Mod { added: true, .. } => "mod",
            ModAction::Mod { .. } => "unmod",
            ModAction::Raid { .. } => "raid",
            ModAction::Unraid { .. } => "unraid",
            ModAction::UnbanRequest { .. } => "unban_request",
            ModAction::Terms { .. } => "terms",
            ModAction::Room { action, .. } => action,
        }
    }
}

/// How closely a suspicious user is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    None,
    /// Their messages show to moderators marked.
    Monitored,
    /// Their messages show to moderators only.
    Restricted,
}

impl Treatment {
    fn parse(value: &str) -> Treatment {
        match value {
            "active_monitoring" | "monitored" => Treatment::Monitored,
            "restricted" => Treatment::Restricted,
            _ => Treatment::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuspiciousMessage {
    pub broadcaster: User,
    pub user: User,
    pub treatment: Treatment,
    /// `manually_added`, `ban_evader`, `banned_in_shared_channel` (or the captured spellings).
    pub types: Vec<String>,
    /// `unknown`, `possible` or `likely`.
    pub ban_evasion: String,
    pub message_id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuspiciousUpdate {
    pub broadcaster: User,
    pub moderator: User,
    pub user: User,
    pub treatment: Treatment,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnbanRequest {
    pub id: String,
    pub broadcaster: User,
    pub user: User,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnbanResolved {
    pub id: String,
    pub broadcaster: User,
    /// Absent when the user withdrew the request.
    pub moderator: Option<User>,
    pub user: User,
    pub resolution: Option<String>,
    /// `approved`, `denied` or `canceled`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WarningSent {
    pub broadcaster: User,
    pub moderator: User,
    pub user: User,
    pub reason: Option<String>,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Whisper {
    pub from: User,
    pub to: User,
    pub id: String,
    pub text: String,
}

impl Event {
    /// Reads the `event` object of a notification of `kind` (version `version`).
    pub fn parse(kind: &str, version: &str, map: &Map<String, Value>) -> Result<Event, FrameError> {
        let f = Fields::new(map, "event");
        let broadcaster = || f.user("broadcaster_user");
        Ok(match kind {
            "automod.message.hold" => Event::AutomodHold(Held {
                broadcaster: broadcaster()?,
                user: f.user("user")?,
                message_id: f.string("message_id")?,
                text: message_text(&f)?,
                reason: hold_reason(&f, version)?,
            }),
            "automod.message.update" => Event::AutomodUpdate(HeldUpdate {
                broadcaster: broadcaster()?,
                user: f.user("user")?,
                moderator: f.opt_user("moderator_user")?,
                message_id: f.string("message_id")?,
                status: f.str("status")?.to_ascii_lowercase(),
            }),
            "channel.moderate" => Event::Moderate(Moderate {
                broadcaster: broadcaster()?,
                source: f.opt_user("source_broadcaster_user")?,
                moderator: f.user("moderator_user")?,
                action: mod_action(&f)?,
            }),
            "channel.suspicious_user.message" => {
                let message = Fields::new(
                    f.object("message")
                        .ok_or_else(|| FrameError::Missing("event.message".into()))?,
                    "event.message",
                );
                Event::SuspiciousMessage(SuspiciousMessage {
                    broadcaster: broadcaster()?,
                    user: f.user("user")?,
                    treatment: Treatment::parse(f.str("low_trust_status")?),
                    types: f.strings("types"),
                    ban_evasion: f.string("ban_evasion_evaluation")?,
                    message_id: message.string("message_id")?,
                    text: message.string("text")?,
                })
            }
            "channel.suspicious_user.update" => Event::SuspiciousUpdate(SuspiciousUpdate {
                broadcaster: broadcaster()?,
                moderator: f.user("moderator_user")?,
                user: f.user("user")?,
                treatment: Treatment::parse(f.str("low_trust_status")?),
            }),
            "channel.unban_request.create" => Event::UnbanRequest(UnbanRequest {
                id: f.string("id")?,
                broadcaster: broadcaster()?,
                user: f.user("user")?,
                text: f.opt_string("text").unwrap_or_default(),
            }),
            "channel.unban_request.resolve" => Event::UnbanResolved(UnbanResolved {
                id: f.string("id")?,
                broadcaster: broadcaster()?,
                moderator: match f.opt_user("moderator_user")? {
                    Some(user) => Some(user),
                    None => f.opt_user("moderator")?,
                },
                user: f.user("user")?,
                resolution: f.opt_string("resolution_text"),
                status: f.str("status")?.to_ascii_lowercase(),
            }),
            "channel.warning.send" => Event::WarningSent(WarningSent {
                broadcaster: broadcaster()?,
                moderator: f.user("moderator_user")?,
                user: f.user("user")?,
                reason: f.opt_string("reason"),
                rules: f.strings("chat_rules_cited"),
            }),
            "channel.warning.acknowledge" => Event::WarningAcknowledged {
                broadcaster: broadcaster()?,
                user: f.user("user")?,
            },
            "channel.shield_mode.begin" | "channel.shield_mode.end" => Event::ShieldMode {
                broadcaster: broadcaster()?,
                moderator: f.user("moderator_user")?,
                on: kind.ends_with("begin"),
            },
            "channel.follow" => Event::Follow {
                broadcaster: broadcaster()?,
                user: f.user("user")?,
            },
            "channel.chat.user_message_hold" => Event::OwnMessageHeld {
                broadcaster: broadcaster()?,
                message_id: f.string("message_id")?,
                text: message_text(&f)?,
            },
            "channel.chat.user_message_update" => Event::OwnMessageUpdate {
                broadcaster: broadcaster()?,
                message_id: f.string("message_id")?,
                status: f.str("status")?.to_ascii_lowercase(),
            },
            "user.whisper.message" => Event::Whisper(Whisper {
                from: f.user("from_user")?,
                to: f.user("to_user")?,
                id: f.string("whisper_id")?,
                text: Fields::new(
                    f.object("whisper")
                        .ok_or_else(|| FrameError::Missing("event.whisper".into()))?,
                    "event.whisper",
                )
                .string("text")?,
            }),
            other => Event::Other {
                kind: other.to_owned(),
            },
        })
    }
}

/// `message.text` (v2 and chat events), or a flat `message` string (automod v1).
fn message_text(f: &Fields<'_>) -> Result<String, FrameError> {
    if let Some(text) = f.get("message").and_then(Value::as_str) {
        return Ok(text.to_owned());
    }
    let message = f
        .object("message")
        .ok_or_else(|| FrameError::Missing("event.message".into()))?;
    Fields::new(message, "event.message").string("text")
}

fn hold_reason(f: &Fields<'_>, version: &str) -> Result<HoldReason, FrameError> {
    if version == "1" {
        return Ok(HoldReason::Automod {
            category: f.string("category")?,
            level: f.u64("level")?,
        });
    }
    if let Some(automod) = f.object("automod") {
        let automod = Fields::new(automod, "event.automod");
        return Ok(HoldReason::Automod {
            category: automod.string("category")?,
            level: automod.u64("level")?,
        });
    }
    let text: Vec<char> = message_text(f)?.chars().collect();
    let terms = f
        .object("blocked_term")
        .and_then(|b| b.get("terms_found"))
        .and_then(Value::as_array)
        .map(|found| {
            found
                .iter()
                .filter_map(|term| {
                    let boundary = term.get("boundary")?;
                    let start = usize::try_from(boundary.get("start_pos")?.as_u64()?).ok()?;
                    let end = usize::try_from(boundary.get("end_pos")?.as_u64()?).ok()?;
                    // Code point indices, the end inclusive.
                    text.get(start..=end).map(|s| s.iter().collect())
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(HoldReason::BlockedTerm { terms })
}

fn mod_action(f: &Fields<'_>) -> Result<ModAction, FrameError> {
    let action = f.str("action")?;
    // Shared chat actions carry the same objects under a `shared_chat_` key.
    let base = action.strip_prefix("shared_chat_").unwrap_or(action);
    let object = |key: &str| {
        f.object(action)
            .or_else(|| f.object(key))
            .map(|o| Fields::new(o, "event.action"))
            .ok_or_else(|| FrameError::Missing(format!("event.{action}")))
    };
    let user = |key: &str| object(key)?.user("user");
    Ok(match base {
        "ban" => ModAction::Ban {
            user: user("ban")?,
            reason: object("ban")?.opt_string("reason"),
        },
        "timeout" => ModAction::Timeout {
            user: user("timeout")?,
            reason: object("timeout")?.opt_string("reason"),
            expires_at: object("timeout")?.string("expires_at")?,
        },
        "unban" => ModAction::Unban {
            user: user("unban")?,
        },
        "untimeout" => ModAction::Untimeout {
            user: user("untimeout")?,
        },
        "delete" => ModAction::Delete {
            user: user("delete")?,
            message_id: object("delete")?.string("message_id")?,
            body: object("delete")?
                .opt_string("message_body")
                .unwrap_or_default(),
        },
        "warn" => ModAction::Warn {
            user: user("warn")?,
            reason: object("warn")?.opt_string("reason"),
        },
        "vip" | "unvip" => ModAction::Vip {
            user: user(base)?,
            added: base == "vip",
        },
        "mod" | "unmod" => ModAction::Mod {
            user: user(base)?,
            added: base == "mod",
        },
        "raid" => ModAction::Raid {
            user: user("raid")?,
            viewers: object("raid")?.u64("viewer_count").unwrap_or(0),
        },
        "unraid" => ModAction::Unraid {
            user: user("unraid")?,
        },
        "approve_unban_request" | "deny_unban_request" => {
            let request = object("unban_request")?;
            ModAction::UnbanRequest {
                user: request.user("user")?,
                approved: request.bool("is_approved")?,
                message: request.opt_string("moderator_message"),
            }
        }
        "add_blocked_term"
        | "add_permitted_term"
        | "remove_blocked_term"
        | "remove_permitted_term" => ModAction::Terms {
            added: base.starts_with("add"),
            blocked: base.ends_with("blocked_term"),
            terms: object("automod_terms")?.strings("terms"),
        },
        "followers" => ModAction::Room {
            action: base.to_owned(),
            value: object("followers")?.u64("follow_duration_minutes").ok(),
        },
        "slow" => ModAction::Room {
            action: base.to_owned(),
            value: object("slow")?.u64("wait_time_seconds").ok(),
        },
        other => ModAction::Room {
            action: other.to_owned(),
            value: None,
        },
    })
}
